using System.Globalization;
using System.Text;
using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;
using MovieRec.Core.Tests.Data.Fuzz;

namespace MovieRec.Core.Tests.Data;

/// <summary>
/// One reader for every loader: every format's fixture (the fuzz seeds: MovieLens csv with IMDb and TMDB beside it,
/// ml-100k, ml-1m, ml-10m, TMDB, IMDb plain and gzipped, three interactions mappings) loads to the same dataset whether
/// its lines end in LF, CRLF or CR, with a UTF-8 byte order mark or without, and written twice through a text-mode
/// writer ("\r\r\n"); with both parsers.
/// </summary>
public class LineEndingTests
{
    public static TheoryData<string, DelimitedEngine> Cases()
    {
        var data = new TheoryData<string, DelimitedEngine>();
        foreach (var seed in FuzzSeeds.All)
        {
            data.Add(seed.Name, DelimitedEngine.Bytes);
            data.Add(seed.Name, DelimitedEngine.Sep);
        }
        return data;
    }

    private static readonly (string Name, string NewLine, bool Bom)[] Variants =
    [
        ("CRLF", "\r\n", false),
        ("CR", "\r", false),
        ("LF + BOM", "\n", true),
        ("CRLF + BOM", "\r\n", true),
        ("CR CR LF (a CRLF file written again in text mode)", "\r\r\n", false),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_fixture_loads_identically_with_any_line_ending_and_a_bom(string seedName, DelimitedEngine engine)
    {
        var seed = FuzzSeeds.All.Single(s => s.Name == seedName);
        using var tmp = TestData.NewFolder();
        var expected = Describe(Load(tmp, seed, "\n", bom: false, DelimitedEngine.Bytes, "lf"));
        Assert.True(expected.Split('\n').Length > 10, "the description holds the loaded facts");
        foreach (var (name, newLine, bom) in Variants)
        {
            var actual = Describe(Load(tmp, seed, newLine, bom, engine, name.Replace(' ', '_')));
            Assert.True(expected == actual, $"{seedName} with {name} ({engine}) differs from LF:\n{FirstDifference(expected, actual)}");
        }
    }

    [Theory]
    [InlineData(DelimitedEngine.Bytes)]
    [InlineData(DelimitedEngine.Sep)]
    public void Lenient_load_of_a_crcrlf_ratings_csv_skips_nothing(DelimitedEngine engine)
    {
        // The file: every row ended in "\r" once the reader cut at "\n", so a strict load failed on line 2
        // ("'964982703' is not an integer") and a lenient one skipped every row.
        using var tmp = TestData.NewFolder();
        tmp.Write("ml/ratings.csv", "userId,movieId,rating,timestamp\r\r\n1,1,4.0,964982703\r\r\n1,3,4.0,964981247\r\r\n2,1,3.5,964982224\r\r\n");
        tmp.Write("ml/movies.csv", "movieId,title,genres\r\r\n1,Toy Story (1995),Animation\r\r\n3,Grumpier Old Men (1995),Comedy\r\r\n");
        tmp.Write("ml/links.csv", "movieId,imdbId,tmdbId\r\r\n1,0114709,862\r\r\n3,0113228,15602\r\r\n");
        foreach (bool lenient in new[] { false, true })
        {
            var d = DatasetLoader.Load(Path.Combine(tmp.Path, "ml"), new LoadOptions { Lenient = lenient, IncludeTmdb = false, Reader = engine });
            Assert.Equal(3, d.Ratings.Count);
            Assert.Equal(0, d.Report.Skipped);
            Assert.Equal(114709, d.Catalog[1]!.ImdbId);
            Assert.Equal(15602, d.Catalog[3]!.TmdbId);
        }
    }

    [Theory]
    [InlineData(DelimitedEngine.Bytes)]
    [InlineData(DelimitedEngine.Sep)]
    public void A_bad_number_shows_its_invisible_characters(DelimitedEngine engine)
    {
        using var reader = DelimitedReader.Open(new MemoryStream("a,b\n1,2\u000b\n"u8.ToArray()), "t.csv", engine: engine);
        reader.Read();
        reader.Read();
        var e = Assert.Throws<DataFormatException>(() => reader.Long(1, "b"));
        Assert.Equal("t.csv, line 2, field 'b': '2\\u000B' is not an integer", e.Message);
    }

    [Theory]
    [InlineData(DelimitedEngine.Bytes)]
    [InlineData(DelimitedEngine.Sep)]
    public void A_utf16_file_is_named_as_such(DelimitedEngine engine)
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("userId,movieId\n1,2\n")).ToArray();
        var e = Assert.Throws<DataFormatException>(() => DelimitedReader.Open(new MemoryStream(bytes), "r.csv", engine: engine));
        Assert.Contains("UTF-16", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DelimitedEngine.Bytes)]
    [InlineData(DelimitedEngine.Sep)]
    public void Quoting_errors_are_the_same_for_both_parsers(DelimitedEngine engine)
    {
        static DataFormatException Fail(string csv, DelimitedEngine engine)
        {
            using var reader = DelimitedReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "q.csv", engine: engine);
            return Assert.Throws<DataFormatException>(() => { while (reader.Read()) { } });
        }
        Assert.Equal("q.csv, line 2: unexpected text after the closing quote of field 2", Fail("a,b\n1,\"x\"y,3\n", engine).Message);
        Assert.StartsWith("q.csv, line 2: a quoted field is not closed", Fail("a,b\n1,\"x,3\n", engine).Message, StringComparison.Ordinal);
    }

    private static Dataset Load(TempFolder tmp, FuzzSeed seed, string newLine, bool bom, DelimitedEngine engine, string variant)
    {
        // Each variant in a folder of the seed's name, so dataset names agree; files beside it (imdb/, tmdb-5000/) are
        // part of the seed's own folder.
        var folder = Path.Combine(tmp.Path, variant, seed.Name);
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in seed.Files)
        {
            var content = Rewrite(bytes, newLine, bom);
            File.WriteAllBytes(Path.Combine(folder, name), seed.GzipFiles.Contains(name) ? FuzzSeeds.Gzip(content) : content);
        }
        return DatasetLoader.Load(folder, new LoadOptions { Reader = engine });
    }

    /// <summary>Every line break (LF, CRLF or CR, also inside quoted fields) as <paramref name="newLine"/>.</summary>
    private static byte[] Rewrite(byte[] bytes, string newLine, bool bom)
    {
        var output = new List<byte>(bytes.Length + (bytes.Length / 8) + 3);
        if (bom) output.AddRange([0xEF, 0xBB, 0xBF]);
        var nl = Encoding.ASCII.GetBytes(newLine);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\r')
            {
                if (i + 1 < bytes.Length && bytes[i + 1] == '\n') i++;
                output.AddRange(nl);
            }
            else if (bytes[i] == '\n')
            {
                output.AddRange(nl);
            }
            else
            {
                output.Add(bytes[i]);
            }
        }
        return [.. output];
    }

    /// <summary>Everything a load produced, one fact per line, in a stable order (the name and paths aside).</summary>
    internal static string Describe(Dataset d)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"format {d.Format}; skipped {d.Report.Skipped}; duplicates {d.Report.DuplicatesMerged}");
        DescribeRatings(sb, "rating", d.Ratings);
        foreach (var split in d.PredefinedSplits)
        {
            DescribeRatings(sb, split.Name + ".base", split.Train);
            DescribeRatings(sb, split.Name + ".test", split.Test);
        }
        foreach (var m in d.Catalog.Movies.OrderBy(m => m.Id))
        {
            sb.AppendLine(inv, $"movie {m.Id} [{m.RawTitle}] [{m.Title}] {m.Year} [{string.Join('|', m.Genres)}] tags [{string.Join('|', m.Tags)}] imdb {m.ImdbId} tmdb {m.TmdbId}");
            if (m.Tmdb is { } t)
            {
                sb.AppendLine(inv, $"  tmdb [{t.Title}] [{t.Overview}] [{t.Tagline}] [{string.Join('|', t.Genres)}] [{string.Join('|', t.Cast)}] [{string.Join('|', t.Directors)}] "
                    + $"[{string.Join('|', t.Keywords)}] {t.VoteAverage} {t.VoteCount} {t.Runtime} {t.ReleaseDate} {t.PosterPath}");
            }
            if (m.Imdb is { } i)
                sb.AppendLine(inv, $"  imdb {i.Tconst} {i.TitleType} [{i.PrimaryTitle}] [{i.OriginalTitle}] {i.IsAdult} {i.StartYear} {i.EndYear} {i.RuntimeMinutes} [{string.Join('|', i.Genres)}] {i.AverageRating} {i.NumVotes}");
        }
        foreach (var t in d.Tags) sb.AppendLine(inv, $"tag {t.UserId} {t.MovieId} [{t.Tag}] {t.Timestamp}");
        foreach (var u in d.UserProfiles) sb.AppendLine(inv, $"user {u}");
        return sb.ToString();
    }

    private static void DescribeRatings(StringBuilder sb, string name, RatingDataset r)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"{name}s {r.Count} scale {r.Scale}");
        for (int k = 0; k < r.Count; k++)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{name} {r.UserIds.ToRaw(r.Users[k])} {r.ItemIds.ToRaw(r.Items[k])} {r.Values[k]} {r.Timestamps[k]}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "(end)";
            var y = i < a.Length ? a[i] : "(end)";
            if (x != y) return $"line {i + 1}:\n  LF:    {x}\n  other: {y}";
        }
        return "(none)";
    }
}
