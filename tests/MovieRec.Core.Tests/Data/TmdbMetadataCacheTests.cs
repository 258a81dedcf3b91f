using System.Collections;
using System.Reflection;
using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Core.Tests.Data;

/// <summary>
/// The parsed-TMDB cache gives what a parse gives, is used only while the files are the same bytes, and never keeps
/// a lenient parse that skipped rows.
/// </summary>
public sealed class TmdbMetadataCacheTests
{
    [Fact]
    public void A_cached_load_of_tmdb_5000_equals_the_parse_in_every_property()
    {
        using var cache = TestData.NewFolder();
        var parsed = Parse(TestData.TmdbPath, out var parseReport);
        var first = Cached(TestData.TmdbPath, cache.Path, out var firstReport);   // parses, writes the entry
        var second = Cached(TestData.TmdbPath, cache.Path, out var secondReport); // reads it

        Assert.Single(Directory.GetFiles(cache.Path));
        Assert.Equal(4803, parsed.Count);
        AssertSame(parsed, first);
        AssertSame(parsed, second);
        Assert.Equal(parseReport.Files, firstReport.Files);
        Assert.Equal(parseReport.Files, secondReport.Files);
        // The second came from the entry: all its strings are shared through the string table; a parse shares only
        // names, keywords and genres, not titles.
        Assert.True(ReadFromEntry(second));
        Assert.False(ReadFromEntry(first));
    }

    [Fact]
    public void The_cache_writes_every_property_of_TmdbMetadata()
    {
        // A property added to TmdbMetadata must be written by TmdbMetadataCache (and FormatVersion bumped): otherwise a
        // cached load would quietly lose it. This list is what the cache writes today.
        string[] written =
        [
            "TmdbId", "Title", "OriginalTitle", "Overview", "Tagline", "Genres", "Cast", "Directors", "Keywords", "Companies",
            "OriginalLanguage", "VoteAverage", "VoteCount", "Popularity", "ReleaseDate", "Runtime", "PosterPath",
        ];
        var properties = typeof(TmdbMetadata).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);
        Assert.Equal(written.Order(), properties.Order());
    }

    [Fact]
    public void Changed_bytes_with_the_same_size_and_time_are_parsed_again()
    {
        using var data = SmallTmdb();
        using var cache = TestData.NewFolder();
        Assert.Equal("Avatar", Cached(data.Path, cache.Path, out _)[19995].Title);

        // Same length, same modification time, one byte different: only the content hash can tell.
        var movies = Path.Combine(data.Path, TmdbLoader.MoviesFile);
        var time = File.GetLastWriteTimeUtc(movies);
        var bytes = File.ReadAllBytes(movies);
        for (int at; (at = bytes.AsSpan().IndexOf(",Avatar,"u8)) >= 0;)
            bytes[at + 5] = (byte)'o'; // original_title and title
        File.WriteAllBytes(movies, bytes);
        File.SetLastWriteTimeUtc(movies, time);
        Assert.Equal(bytes.Length, new FileInfo(movies).Length);
        Assert.Equal(time, File.GetLastWriteTimeUtc(movies));

        Assert.Equal("Avator", Cached(data.Path, cache.Path, out _)[19995].Title);
        Assert.Equal("Avator", Cached(data.Path, cache.Path, out _)[19995].Title);
    }

    [Fact]
    public void A_credits_file_that_appears_or_changes_size_is_read()
    {
        using var data = SmallTmdb();
        using var cache = TestData.NewFolder();
        var credits = Path.Combine(data.Path, TmdbLoader.CreditsFile);
        var kept = File.ReadAllBytes(credits);
        File.Delete(credits);
        Assert.Empty(Cached(data.Path, cache.Path, out _)[19995].Cast);

        File.WriteAllBytes(credits, kept);
        Assert.Equal("Sam Worthington", Cached(data.Path, cache.Path, out _)[19995].Cast[0]);

        var movies = Path.Combine(data.Path, TmdbLoader.MoviesFile);
        File.WriteAllText(movies, File.ReadAllText(movies).Replace(",Avatar,", ",Avatar 3D,", StringComparison.Ordinal));
        Assert.Equal("Avatar 3D", Cached(data.Path, cache.Path, out _)[19995].Title);
    }

    [Fact]
    public void A_damaged_entry_is_parsed_again_and_replaced()
    {
        using var data = SmallTmdb();
        using var cache = TestData.NewFolder();
        var expected = Parse(data.Path, out _);
        Cached(data.Path, cache.Path, out _);
        var entry = TmdbMetadataCache.EntryPath(cache.Path, data.Path);
        var whole = File.ReadAllBytes(entry);

        foreach (var damaged in new[] { whole[..(whole.Length / 2)], whole[..20], [], [.. whole, 7], Flip(whole, whole.Length - 30) })
        {
            File.WriteAllBytes(entry, damaged);
            AssertSame(expected, Cached(data.Path, cache.Path, out _));
            Assert.Equal(whole, File.ReadAllBytes(entry));
        }
    }

    [Fact]
    public void A_lenient_load_that_skipped_rows_is_not_kept()
    {
        using var data = SmallTmdb();
        using var cache = TestData.NewFolder();
        var movies = Path.Combine(data.Path, TmdbLoader.MoviesFile);
        File.AppendAllText(movies, "1,[],x,not-a-number,[],en,T,o,1,[],[],2000-01-01,0,90,[],Released,t,T,5,10\n");

        var report = new LoadReport();
        using (var source = DataSource.Open(data.Path))
            TmdbMetadataCache.Load(source, new LoadOptions { Lenient = true }, report, cache.Path);
        Assert.Equal(1, report.Skipped);
        Assert.Empty(Directory.GetFiles(cache.Path));

        // Strict still stops at the row, every time.
        using var strict = DataSource.Open(data.Path);
        Assert.Throws<DataFormatException>(() => TmdbMetadataCache.Load(strict, LoadOptions.Default, new LoadReport(), cache.Path));
    }

    [Fact]
    public void A_dataset_load_with_a_cache_folder_joins_the_same_metadata()
    {
        using var cache = TestData.NewFolder();
        var options = new LoadOptions { MetadataCacheFolder = cache.Path };
        var plain = DatasetLoader.Load(TestData.MovieLensSmallPath);
        DatasetLoader.Load(TestData.MovieLensSmallPath, options);
        var cached = DatasetLoader.Load(TestData.MovieLensSmallPath, options);
        Assert.Single(Directory.GetFiles(cache.Path));
        Assert.Equal(plain.Report.Files, cached.Report.Files);
        var withTmdb = plain.Catalog.Movies.Where(m => m.Tmdb is not null).ToList();
        Assert.InRange(withTmdb.Count, 3000, 4803);
        foreach (var movie in withTmdb)
            AssertEqualMetadata(movie.Tmdb!, cached.Catalog[movie.Id]!.Tmdb!);
    }

    [Fact]
    public void The_folder_keeps_the_most_recently_used_entries()
    {
        using var cache = TestData.NewFolder();
        var sources = Enumerable.Range(0, TmdbMetadataCache.MaxEntries + 2).Select(_ => SmallTmdb()).ToList();
        try
        {
            string Entry(int i) => TmdbMetadataCache.EntryPath(cache.Path, sources[i].Path);
            for (int i = 0; i <= TmdbMetadataCache.MaxEntries; i++) Cached(sources[i].Path, cache.Path, out _);
            Assert.Equal(TmdbMetadataCache.MaxEntries, Directory.GetFiles(cache.Path, "*.bin").Length);
            Assert.False(File.Exists(Entry(0)));
            Assert.True(File.Exists(Entry(1)));

            // A read counts as a use: entry 1 (now the oldest) is read, so the next write drops entry 2 instead.
            Cached(sources[1].Path, cache.Path, out _);
            Cached(sources[^1].Path, cache.Path, out _);
            Assert.Equal(TmdbMetadataCache.MaxEntries, Directory.GetFiles(cache.Path, "*.bin").Length);
            Assert.True(File.Exists(Entry(1)));
            Assert.False(File.Exists(Entry(2)));
            Assert.True(File.Exists(Entry(sources.Count - 1)));
        }
        finally
        {
            foreach (var source in sources) source.Dispose();
        }
    }

    /// <summary>The first 12 movies of TMDB 5000 (Avatar first) with their credits, in a folder of their own.</summary>
    private static TempFolder SmallTmdb()
    {
        var folder = TestData.NewFolder();
        foreach (var name in new[] { TmdbLoader.MoviesFile, TmdbLoader.CreditsFile })
            folder.WriteBytes(name, HeadRecords(Path.Combine(TestData.TmdbPath, name), 12));
        return folder;
    }

    private static byte[] HeadRecords(string path, int records)
    {
        var bytes = File.ReadAllBytes(path);
        int seen = -1, quotes = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '"') quotes++;
            else if (bytes[i] == '\n' && (quotes & 1) == 0 && ++seen == records) return bytes[..(i + 1)];
        }
        return bytes;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }

    private static Dictionary<int, TmdbMetadata> Parse(string path, out LoadReport report)
    {
        report = new LoadReport();
        using var source = DataSource.Open(path);
        return TmdbLoader.LoadMetadata(source, LoadOptions.Default, report);
    }

    private static Dictionary<int, TmdbMetadata> Cached(string path, string cache, out LoadReport report)
    {
        report = new LoadReport();
        using var source = DataSource.Open(path);
        return TmdbMetadataCache.Load(source, LoadOptions.Default, report, cache);
    }

    /// <summary>Whether two movies of the same title ("The Host") share its instance, as only a read of an entry makes them.</summary>
    private static bool ReadFromEntry(Dictionary<int, TmdbMetadata> metadata)
    {
        var titles = metadata.Values.Where(m => m.Title == "The Host").Select(m => m.Title).ToList();
        Assert.Equal(2, titles.Count);
        return ReferenceEquals(titles[0], titles[1]);
    }

    private static void AssertSame(Dictionary<int, TmdbMetadata> expected, Dictionary<int, TmdbMetadata> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys); // same order too
        foreach (var (id, meta) in expected)
            AssertEqualMetadata(meta, actual[id]);
    }

    /// <summary>Every public property equal, lists element by element (records by value).</summary>
    private static void AssertEqualMetadata(TmdbMetadata expected, TmdbMetadata actual)
    {
        foreach (var property in typeof(TmdbMetadata).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            if (e is IEnumerable list and not string)
                Assert.True(list.Cast<object>().SequenceEqual(((IEnumerable)a!).Cast<object>()), $"{expected.TmdbId}.{property.Name} differs");
            else
                Assert.True(Equals(e, a), $"{expected.TmdbId}.{property.Name}: {e} != {a}");
        }
    }
}
