using System.IO.Compression;
using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data.Fuzz;

/// <summary>
/// The minimal inputs behind bugs the loader fuzzer found: each used to end in an exception other than
/// <see cref="DataFormatException"/> (or in a huge allocation); each must now load or fail naming file and line.
/// </summary>
public class LoaderFuzzRegressionTests
{
    private const string Movies = "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n";
    private const string Ratings = "userId,movieId,rating,timestamp\n1,1,4.0,10\n";
    private static readonly LoadOptions NoTmdb = new() { IncludeTmdb = false };

    [Fact]
    public void An_imdbId_beyond_int_in_links_csv_names_the_line()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", Ratings);
        tmp.Write("links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n2,2147483648,8844\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("links.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("imdbId", e.Field);
    }

    [Fact]
    public void A_tmdbId_beyond_int_is_skipped_in_lenient_mode()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", Ratings);
        tmp.Write("links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,-9223372036854775808\n");
        var d = DatasetLoader.Load(tmp.Path, NoTmdb with { Lenient = true });
        Assert.Equal(1, d.Report.Skipped);
        Assert.Equal(862, d.Catalog[1]!.TmdbId);
    }

    [Fact]
    public void A_year_in_non_ASCII_digits_is_part_of_the_title()
    {
        // \d matches any Unicode digit; int.Parse then threw FormatException on "(١٩٩٩)".
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (\u0661\u0669\u0669\u0669),Drama\n2,B (1991),Drama\n");
        tmp.Write("ratings.csv", Ratings);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Null(d.Catalog[1]!.Year);
        Assert.Equal(1991, d.Catalog[2]!.Year);
    }

    [Fact]
    public void A_corrupt_movies_dat_entry_in_a_zip_names_the_entry()
    {
        using var tmp = TestData.NewFolder();
        var zip = Path.Combine(tmp.Path, "ml-1m.zip");
        WriteZip(zip, ("ml-1m/ratings.dat", "1::1::5::978300760\n"), ("ml-1m/movies.dat", string.Concat(Enumerable.Repeat("1::A (1990)::Drama\n", 200))),
            ("ml-1m/users.dat", "1::F::1::10::48067\n"));
        CorruptEntryData(zip, "ml-1m/movies.dat");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(zip, NoTmdb));
        Assert.Contains("ml-1m.zip!ml-1m/movies.dat", e.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_declaring_a_huge_entry_does_not_size_arrays_by_it()
    {
        using var tmp = TestData.NewFolder();
        var zip = Path.Combine(tmp.Path, "ml-1m.zip");
        WriteZip(zip, ("ml-1m/ratings.dat", "1::1::5::978300760\n"), ("ml-1m/movies.dat", "1::A (1990)::Drama\n"), ("ml-1m/users.dat", "1::F::1::10::48067\n"));
        SetDeclaredSize(zip, "ml-1m/ratings.dat", 0x7FFF_FFF0u);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Record.Exception(() => DatasetLoader.Load(zip, NoTmdb));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(error is null or DataFormatException, error?.ToString());
        Assert.True(allocated < 64L << 20, $"allocated {allocated >> 20} MiB for a {new FileInfo(zip).Length}-byte zip");
    }

    [Fact]
    public void A_scale_overflowing_to_infinity_in_movierec_columns_is_refused()
    {
        // "0.5-5999...9" parsed as float is +Infinity: the mapping gave a dataset an infinite rating scale.
        using var tmp = TestData.NewFolder();
        tmp.Write("movierec.columns", "header=no,user=1,item=2,rating=3,scale=0.5-5" + new string('9', 60) + ":0.5\n");
        tmp.Write("data.csv", "1,1,4.5\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("movierec.columns", e.File);
        Assert.Contains("scale", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tmdb_vote_count_beyond_int_names_the_field()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("tmdb_5000_movies.csv",
            "id,title,genres,keywords,overview,vote_average,vote_count\n1,A,[],[],x,7.5,10\n2,B,[],[],y,7.0,4294967296\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("tmdb_5000_movies.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("vote_count", e.Field);
    }

    [Fact]
    public void A_line_of_a_million_delimiters_is_refused_without_allocating_per_field()
    {
        // A 1 MiB run of commas in a header made a million column names (about 200 MiB of garbage) before failing.
        using var tmp = TestData.NewFolder();
        tmp.Write("movierec.columns", "user=u,item=i\n");
        tmp.Write("data.csv", "u,i" + new string(',', 1 << 20) + "\n1,2\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.EndsWith("data.csv", e.File);
        Assert.Equal(1, e.Line);
        Assert.Contains("fields", e.Problem, StringComparison.Ordinal);
        Assert.True(allocated < 48L << 20, $"allocated {allocated >> 20} MiB");
    }

    [Fact]
    public void A_column_named_twice_in_a_header_is_reported_on_the_header_line()
    {
        // Was: every data row failed with "expected 7 fields ... but found 8", naming line 2 and no column.
        using var tmp = TestData.NewFolder();
        tmp.Write("tmdb_5000_movies.csv",
            "id,title,genres,keywords,overview,vote_average,vote_count,title\n1,A,[],[],x,7.5,10,A\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("tmdb_5000_movies.csv", e.File);
        Assert.Equal(1, e.Line);
        Assert.Equal("title", e.Field);
        Assert.Contains("twice", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_rows_under_a_megabyte_long_header_name_do_not_each_copy_the_header()
    {
        // Was: every bad row's error embedded the whole header (2 MiB of UTF-16 here, twice), ~500 MiB for 120 rows.
        using var tmp = TestData.NewFolder();
        tmp.Write("movierec.columns", "user=visitor,item=product\n");
        var rows = string.Concat(Enumerable.Range(0, 120).Select(i => $"v{i}\tp{i}\n"));
        tmp.Write("visits.tsv", new string(':', 1 << 20) + "\tvisitor\tproduct\n" + rows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var d = DatasetLoader.Load(tmp.Path, NoTmdb with { Lenient = true });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(120, d.Report.Skipped);
        Assert.All(d.Report.Examples, m => Assert.True(m.Length < 1000, m[..100]));
        Assert.True(allocated < 64L << 20, $"allocated {allocated >> 20} MiB");
    }

    private static void WriteZip(string path, params (string Name, string Text)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            stream.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>Overwrites the deflate data of an entry (just after its local header) with bytes that are not deflate.</summary>
    private static void CorruptEntryData(string zip, string entry)
    {
        var bytes = File.ReadAllBytes(zip);
        int header = LocalHeader(bytes, entry);
        int nameLength = BitConverter.ToUInt16(bytes, header + 26), extra = BitConverter.ToUInt16(bytes, header + 28);
        int data = header + 30 + nameLength + extra;
        // 0xFF.. is a deflate block of reserved type 3: "unsupported compression method" once read.
        for (int i = 0; i < 4; i++) bytes[data + i] = 0xFF;
        File.WriteAllBytes(zip, bytes);
    }

    /// <summary>Rewrites an entry's uncompressed size in the central directory, as a damaged download might.</summary>
    private static void SetDeclaredSize(string zip, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(zip);
        var name = Encoding.UTF8.GetBytes(entry);
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 1 && bytes[i + 3] == 2
                && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), size);
                File.WriteAllBytes(zip, bytes);
                return;
            }
        }
        throw new InvalidOperationException("entry not found");
    }

    private static int LocalHeader(byte[] bytes, string entry)
    {
        var name = Encoding.UTF8.GetBytes(entry);
        for (int i = 0; i + 30 < bytes.Length; i++)
        {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 3 && bytes[i + 3] == 4
                && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
                return i;
        }
        throw new InvalidOperationException("entry not found");
    }
}
