using System.IO.Compression;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

/// <summary>One test per class of bad input: the error names file, line and field; --lenient counts skips.</summary>
public class BadInputTests
{
    private const string Movies = "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n";

    private static DataFormatException LoadFails(TempFolder tmp) =>
        Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, new LoadOptions { IncludeTmdb = false }));

    [Fact]
    public void Wrong_number_of_fields_names_file_and_line()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,4.0\n");
        var e = LoadFails(tmp);
        Assert.EndsWith("ratings.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Contains("expected 4 fields", e.Message);
        Assert.Contains("ratings.csv, line 3", e.Message);
    }

    [Fact]
    public void Non_numeric_id_names_the_field()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\nabc,2,4.0,11\n");
        var e = LoadFails(tmp);
        Assert.Equal(3, e.Line);
        Assert.Equal("userId", e.Field);
        Assert.Contains("'abc' is not an integer", e.Message);
    }

    [Fact]
    public void Rating_outside_the_scale_names_the_field()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,6.0,10\n");
        var e = LoadFails(tmp);
        Assert.Equal(2, e.Line);
        Assert.Equal("rating", e.Field);
        Assert.Contains("outside the rating scale", e.Message);
    }

    [Fact]
    public void Rating_off_the_step_names_the_field()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,3.7,10\n");
        var e = LoadFails(tmp);
        Assert.Equal("rating", e.Field);
        Assert.Contains("step", e.Message);
    }

    [Fact]
    public void Malformed_json_in_a_tmdb_column_names_the_field()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("tmdb_5000_movies.csv",
            "budget,genres,homepage,id,keywords,original_language,original_title,overview,popularity,production_companies,production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,title,vote_average,vote_count\n"
            + "1,\"[{\"\"id\"\": 28, \"\"name\"\": \"\"Action\"\"}]\",,10,\"[{\"\"id\"\": 1, \"\"name\"\": \"\"hero\"\"\",en,X,An overview,1.5,[],[],2009-12-10,1,120,[],Released,,X,7.2,100\n");
        var e = LoadFails(tmp);
        Assert.Equal("keywords", e.Field);
        Assert.Equal(2, e.Line);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Theory]
    [InlineData("-90")]
    [InlineData("1e20")]
    public void A_tmdb_runtime_that_is_not_minutes_names_the_field(string runtime)
    {
        // Was loaded as it came: a runtime of -90 minutes, or 1e20 cast to int.
        using var tmp = TestData.NewFolder();
        tmp.Write("tmdb_5000_movies.csv",
            "budget,genres,homepage,id,keywords,original_language,original_title,overview,popularity,production_companies,production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,title,vote_average,vote_count\n"
            + $"1,[],,10,[],en,X,An overview,1.5,[],[],2009-12-10,1,{runtime},[],Released,,X,7.2,100\n");
        var e = LoadFails(tmp);
        Assert.Equal(2, e.Line);
        Assert.Equal("runtime", e.Field);
    }

    [Fact]
    public void A_movie_listed_twice_in_the_tmdb_credits_is_an_error_not_one_cast_dropped()
    {
        // The movies file refuses a repeated id; the credits file kept the later row and dropped the earlier one's
        // cast and directors without a word.
        using var tmp = TestData.NewFolder();
        tmp.Write("tmdb_5000_movies.csv",
            "budget,genres,homepage,id,keywords,original_language,original_title,overview,popularity,production_companies,production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,title,vote_average,vote_count\n"
            + "1,[],,10,[],en,X,An overview,1.5,[],[],2009-12-10,1,120,[],Released,,X,7.2,100\n");
        tmp.Write("tmdb_5000_credits.csv", "movie_id,title,cast,crew\n"
            + "10,X,\"[{\"\"name\"\": \"\"Ann\"\", \"\"order\"\": 0}]\",[]\n"
            + "10,X,\"[{\"\"name\"\": \"\"Bob\"\", \"\"order\"\": 0}]\",[]\n");
        var e = LoadFails(tmp);
        Assert.EndsWith("tmdb_5000_credits.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("movie_id", e.Field);
        Assert.Contains("appears twice", e.Message);
    }

    [Fact]
    public void Truncated_zip_is_reported_with_its_path()
    {
        using var tmp = TestData.NewFolder();
        var zipPath = Path.Combine(tmp.Path, "ml.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(Path.Combine(TestData.MovieLensSmallPath, "ratings.csv"), "ml/ratings.csv");
            zip.CreateEntryFromFile(Path.Combine(TestData.MovieLensSmallPath, "movies.csv"), "ml/movies.csv");
        }
        var bytes = File.ReadAllBytes(zipPath);
        var truncated = Path.Combine(tmp.Path, "truncated.zip");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(truncated));
        Assert.Contains("truncated.zip", e.Message);
    }

    [Fact]
    public void A_gzip_file_cut_short_is_an_error_not_fewer_rows_even_when_lenient()
    {
        // GZipStream ends quietly where the compressed bytes stop: an interrupted download loaded as the rows before
        // the cut (the partial last row skipped under --lenient, every later row gone without a word).
        using var tmp = TestData.NewFolder();
        var text = new System.Text.StringBuilder("user,item,rating\n");
        var random = new Random(7);
        for (int k = 0; k < 20_000; k++) text.Append(random.Next(1, 500)).Append(',').Append(random.Next(1, 3000)).Append(',').Append(random.Next(1, 6)).Append('\n');
        using (var file = File.Create(Path.Combine(tmp.Path, "plays.csv.gz")))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        var mapping = MovieRec.Core.Data.Loaders.InteractionsCsvMapping.Parse("user=user,item=item,rating=rating");
        var lenient = new LoadOptions { Lenient = true, IncludeTmdb = false };
        var whole = MovieRec.Core.Data.Loaders.InteractionsCsvLoader.Load(Path.Combine(tmp.Path, "plays.csv.gz"), mapping, lenient);
        Assert.Equal(0, whole.Report.Skipped);

        var bytes = File.ReadAllBytes(Path.Combine(tmp.Path, "plays.csv.gz"));
        foreach (int cut in new[] { bytes.Length / 2, bytes.Length - 8 })
        {
            var cutPath = Path.Combine(tmp.Path, "cut", "plays.csv.gz");
            Directory.CreateDirectory(Path.GetDirectoryName(cutPath)!);
            File.WriteAllBytes(cutPath, bytes[..cut]);
            var e = Assert.Throws<DataFormatException>(() => MovieRec.Core.Data.Loaders.InteractionsCsvLoader.Load(cutPath, mapping, lenient));
            Assert.EndsWith("plays.csv.gz", e.File);
            Assert.Contains("cut short", e.Message);
        }
    }

    [Fact]
    public void Unreadable_encoding_names_the_line_and_field()
    {
        using var tmp = TestData.NewFolder();
        var latin1 = System.Text.Encoding.Latin1.GetBytes("movieId,title,genres\n1,Amélie (2001),Comedy\n");
        tmp.WriteBytes("movies.csv", latin1);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n");
        var e = LoadFails(tmp);
        Assert.Equal(2, e.Line);
        Assert.Equal("title", e.Field);
        Assert.Contains("not valid utf-8", e.Message);
    }

    [Fact]
    public void Lenient_skips_bad_rows_and_counts_them_by_reason()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\nx,1,4.0,10\n1,2,9.0,10\n2,2\n2,1,3.0,12\n");
        var d = DatasetLoader.Load(tmp.Path, new LoadOptions { Lenient = true, IncludeTmdb = false });
        Assert.Equal(2, d.Ratings.Count);
        Assert.Equal(3, d.Report.Skipped);
        Assert.Equal(1, d.Report.SkippedByReason["bad 'userId'"]);
        Assert.Equal(1, d.Report.SkippedByReason["ratings off the scale"]);
        Assert.Equal(1, d.Report.SkippedByReason["malformed rows"]);
        Assert.All(d.Report.Examples, m => Assert.Contains("ratings.csv, line", m));
    }

    [Fact]
    public void Wrong_header_names_the_expected_column()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        tmp.Write("ratings.csv", "user,movieId,rating,timestamp\n1,1,4.0,10\n");
        var e = LoadFails(tmp);
        Assert.Equal(1, e.Line);
        Assert.Equal("userId", e.Field);
    }

    [Fact]
    public void A_compressed_ratings_file_is_named_as_the_reason_ratings_csv_is_missing()
    {
        // Was: "ratings.csv is missing: the folder has movies.csv of the movielens-csv format" beside ratings.csv.gz.
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", Movies);
        using (var file = File.Create(Path.Combine(tmp.Path, "ratings.csv.gz")))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
            gz.Write("userId,movieId,rating,timestamp\n1,1,4.0,10\n"u8);
        var e = LoadFails(tmp);
        Assert.Contains("ratings.csv is missing", e.Message);
        Assert.Contains("ratings.csv.gz is there", e.Message);
        Assert.Contains("decompress", e.Message);
    }

    [Fact]
    public void A_folder_without_a_known_format_lists_the_formats()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("readme.txt", "nothing here");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path));
        Assert.Contains("ratings.csv + movies.csv", e.Message);
    }
}
