using MovieRec.Core.Data;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Core.Tests.Data;

/// <summary>Generic interactions files: a music-like play log (string ids, implicit) and a shop-like rating file (1-10).</summary>
public class InteractionsCsvLoaderTests
{
    private const string Plays =
        "userId\tsongId\tts\n"
        + "u-ann\tS1a\t1700000000\n"
        + "u-ann\tS2b\t1700000100\n"
        + "u-bob\tS1a\t1700000200\n"
        + "u-bob\tS3c\t1700000300\n"
        + "u-ann\tS1a\t1700000400\n" // a replay: merged, the latest kept
        + "u-cat\tS2b\t1700000500\n";

    private const string Songs = "songId\ttitle\tgenre\nS1a\tBlue in Green\tJazz\nS2b\t\"Heroes\"\tRock|Art Rock\nS3c\tClair de Lune\tClassical\nS9z\tNever Played\tPop\n";

    private static LoadOptions NoTmdb => new() { IncludeTmdb = false };

    [Fact]
    public void Music_plays_with_string_ids_load_as_implicit_feedback_with_item_metadata()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("plays.tsv", Plays);
        tmp.Write("songs.tsv", Songs);
        tmp.Write("movierec.columns", "# a music play log\nuser=userId\nitem=songId\ntimestamp=ts\nitems=songs.tsv, title=title, category=genre\n");
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("interactions-csv", d.Format);
        Assert.False(d.Ratings.UserIds.IsNumeric);
        Assert.False(d.Ratings.ItemIds.IsNumeric);
        Assert.Equal(5, d.Ratings.Count);
        Assert.Equal(1, d.Report.DuplicatesMerged);
        Assert.Equal(RatingScale.Implicit, d.Ratings.Scale);
        Assert.All(d.Ratings.Values, v => Assert.Equal(1f, v));
        Assert.Equal(3, d.Ratings.UserCount);
        Assert.Equal(3, d.Ratings.ItemCount);
        int ann = d.Ratings.UserIds.ToDense("u-ann"), s1 = d.Ratings.ItemIds.ToDense("S1a");
        int k = Enumerable.Range(0, d.Ratings.Count).Single(i => d.Ratings.Users[i] == ann && d.Ratings.Items[i] == s1);
        Assert.Equal(1700000400, d.Ratings.Timestamps[k]);
        // Titles and categories, reachable from dense item ids; a song nobody played is left out.
        Assert.Equal("Blue in Green", d.MovieOf(s1)!.Title);
        var heroes = d.MovieOf(d.Ratings.ItemIds.ToDense("S2b"))!;
        Assert.Equal("\"Heroes\"", heroes.RawTitle);
        Assert.Equal(["Rock", "Art Rock"], heroes.Genres);
        Assert.Equal(3, d.Catalog.Count);
    }

    [Fact]
    public void Shop_ratings_from_one_to_ten_keep_numeric_ids_and_detect_the_scale()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("reviews.csv",
            "customer,product,stars,date,comment\n"
            + "100,5001,10,2024-03-01T10:00:00Z,\"great, really\"\n"
            + "100,5002,3,2024-03-02,meh\n"
            + "101,5001,7,2024-03-03T12:30:00+01:00,ok\n"
            + "102,5003,1,2024-03-04,\"broke on day one\"\n");
        var mapping = InteractionsCsvMapping.Parse("user=customer,item=product,rating=stars,timestamp=date");
        var d = InteractionsCsvLoader.Load(file, mapping, NoTmdb);
        Assert.Equal("reviews", d.Name);
        Assert.True(d.Ratings.UserIds.IsNumeric);
        Assert.True(d.Ratings.ItemIds.IsNumeric);
        Assert.Equal(new RatingScale(1, 10, 1), d.Ratings.Scale);
        Assert.Equal([10f, 3f, 7f, 1f], d.Ratings.Values);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), d.Ratings.Timestamps[0]);
        Assert.Equal(new DateTimeOffset(2024, 3, 3, 11, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds(), d.Ratings.Timestamps[2]);
        Assert.Equal(5001, d.Ratings.ItemIds.ToRawNumeric(d.Ratings.Items[0]));
        Assert.True(d.Report.ScaleDetected);
    }

    [Theory]
    [InlineData("1e9")]
    [InlineData("2000000")]
    [InlineData("3.4e38")]
    [InlineData("-2000000")]
    public void An_absurd_rating_without_a_declared_scale_is_an_error_naming_file_and_line(string absurd)
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("reviews.csv", $"customer,product,stars\n100,5001,10\n100,5002,3\n101,5001,{absurd}\n102,5003,1\n");
        var mapping = InteractionsCsvMapping.Parse("user=customer,item=product,rating=stars");
        var e = Assert.Throws<DataFormatException>(() => InteractionsCsvLoader.Load(file, mapping, NoTmdb));
        Assert.EndsWith("reviews.csv", e.File);
        Assert.Equal(4, e.Line);
        Assert.Equal("stars", e.Field);
        Assert.Contains("declare the scale", e.Message);
        Assert.Contains("1,000,000", e.Message);

        // Lenient: the row is skipped and the scale is the other ratings' (not stretched to the absurd value).
        var lenient = InteractionsCsvLoader.Load(file, mapping, NoTmdb with { Lenient = true });
        Assert.Equal(1, lenient.Report.Skipped);
        Assert.Equal(new RatingScale(1, 10, 1), lenient.Ratings.Scale);

        // Declared, any finite range is the data's own business.
        var declared = InteractionsCsvLoader.Load(file, InteractionsCsvMapping.Parse("user=customer,item=product,rating=stars,scale=-3.4e38-3.4e38:0"), NoTmdb);
        Assert.Equal(4, declared.Ratings.Count);
        Assert.False(declared.Report.ScaleDetected);
    }

    [Theory]
    [InlineData("-2-2", -2f, 2f, 1f)]
    [InlineData("-10--1:0.5", -10f, -1f, 0.5f)]
    [InlineData("1e-3-5:0", 0.001f, 5f, 0f)]
    [InlineData("-1e9-1e9:0", -1e9f, 1e9f, 0f)]
    [InlineData("0.5-5:0.5", 0.5f, 5f, 0.5f)]
    public void A_scale_with_a_negative_minimum_or_an_exponent_can_be_declared(string scale, float min, float max, float step)
    {
        var mapping = InteractionsCsvMapping.Parse($"user=u,item=i,rating=r,scale={scale}");
        Assert.Equal(new RatingScale(min, max, step), mapping.Scale);
        Assert.Equal(mapping, InteractionsCsvMapping.Parse(mapping.ToString()));
    }

    [Fact]
    public void Counts_such_as_plays_load_without_a_declared_scale()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("plays.csv", "user,song,plays\nann,S1,1\nann,S2,250000\nbob,S1,12\n");
        var d = InteractionsCsvLoader.Load(file, InteractionsCsvMapping.Parse("user=user,item=song,rating=plays"), NoTmdb);
        Assert.Equal(new RatingScale(1, 250000, 1), d.Ratings.Scale);
        Assert.True(d.Report.ScaleDetected);
    }

    [Fact]
    public void A_declared_scale_is_enforced_and_a_headerless_file_is_read_by_column_number()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("ratings.txt", "7;a;4\n7;b;9\n8;a;2\n");
        var mapping = InteractionsCsvMapping.Parse("delimiter=semicolon,header=no,user=1,item=2,rating=3,scale=1-10");
        var d = InteractionsCsvLoader.Load(file, mapping, NoTmdb);
        Assert.Equal(new RatingScale(1, 10, 1), d.Ratings.Scale);
        Assert.False(d.Report.ScaleDetected);
        Assert.True(d.Ratings.UserIds.IsNumeric);
        Assert.False(d.Ratings.ItemIds.IsNumeric);
        Assert.Equal(3, d.Ratings.Count);

        tmp.Write("ratings.txt", "7;a;4\n7;b;11\n");
        var e = Assert.Throws<DataFormatException>(() => InteractionsCsvLoader.Load(file, mapping, NoTmdb));
        Assert.Equal(2, e.Line);
        Assert.Equal("3", e.Field);
        Assert.Contains("outside the rating scale", e.Message);
    }

    [Fact]
    public void A_bad_row_names_file_line_and_field_and_lenient_skips_it()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("reviews.csv", "customer,product,stars\n100,5001,10\n100,5002,lots\n101,5001\n");
        var mapping = InteractionsCsvMapping.Parse("user=customer,item=product,rating=stars");
        var e = Assert.Throws<DataFormatException>(() => InteractionsCsvLoader.Load(file, mapping, NoTmdb));
        Assert.EndsWith("reviews.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("stars", e.Field);
        Assert.Contains("'lots' is not a number", e.Message);

        var d = InteractionsCsvLoader.Load(file, mapping, NoTmdb with { Lenient = true });
        Assert.Equal(1, d.Ratings.Count);
        Assert.Equal(2, d.Report.Skipped);
    }

    [Fact]
    public void A_mapping_naming_a_missing_column_lists_the_header()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("reviews.csv", "customer,product,stars\n100,5001,10\n");
        var e = Assert.Throws<DataFormatException>(() =>
            InteractionsCsvLoader.Load(file, InteractionsCsvMapping.Parse("user=customer,item=sku"), NoTmdb));
        Assert.Equal("sku", e.Field);
        Assert.Contains("customer, product, stars", e.Message);
    }

    [Fact]
    public void Mapping_text_round_trips_and_rejects_unknown_keys()
    {
        var m = InteractionsCsvMapping.Parse("user=userId,item=songId,rating=none,timestamp=ts,delimiter=,");
        Assert.Null(m.Rating);
        Assert.Equal(",", m.Delimiter);
        Assert.Equal(m, InteractionsCsvMapping.Parse(m.ToString()));
        var e = Assert.Throws<ArgumentException>(() => InteractionsCsvMapping.Parse("user=a,item=b,colour=red"));
        Assert.Contains("unknown key 'colour'", e.Message);
        Assert.Throws<ArgumentException>(() => InteractionsCsvMapping.Parse("item=b"));
    }

    [Fact]
    public void The_real_ml_latest_small_ratings_read_through_a_mapping_match_the_movielens_loader()
    {
        var file = Path.Combine(TestData.MovieLensSmallPath, "ratings.csv");
        var mapping = InteractionsCsvMapping.Parse("user=userId,item=movieId,rating=rating,timestamp=timestamp");
        var d = InteractionsCsvLoader.Load(file, mapping, NoTmdb);
        var csv = TestData.MovieLensSmall.Ratings;
        Assert.Equal(100836, d.Ratings.Count);
        Assert.True(d.Ratings.ItemIds.IsNumeric);
        Assert.Equal(RatingScale.HalfStars, d.Ratings.Scale);
        Assert.Equal(csv.GlobalMean, d.Ratings.GlobalMean, 9);
        Assert.Equal(csv.Users, d.Ratings.Users);
        Assert.Equal(csv.Items, d.Ratings.Items);
        Assert.Equal(csv.Timestamps, d.Ratings.Timestamps);
    }

    [Fact]
    public void The_readme_mapping_example_parses_with_its_comments()
    {
        var m = InteractionsCsvMapping.Parse(
            "user=userId\nitem=songId\nrating=plays          # or rating=none: implicit feedback, every interaction counts 1\n"
            + "timestamp=ts          # Unix seconds or ISO 8601\nitems=songs.csv, title=title, category=genre\n");
        Assert.Equal(new InteractionsCsvMapping
        {
            User = "userId",
            Item = "songId",
            Rating = "plays",
            Timestamp = "ts",
            ItemsFile = "songs.csv",
            ItemsTitle = "title",
            ItemsCategory = "genre",
        }, m);
    }

    /// <summary>
    /// The service loads its dataset through <see cref="DatasetLoader.Load(string, LoadOptions?)"/>, and the README
    /// points <c>MovieRec__Dataset</c> at an interactions file with a movierec.columns beside it (as the CLI's --data
    /// takes it): that file loads, named after itself; a lone file without a mapping says what to put beside it.
    /// </summary>
    [Fact]
    public void A_single_interactions_file_with_a_mapping_beside_it_loads_through_the_dataset_loader()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("plays.tsv", Plays.Replace("\n", "\r\n", StringComparison.Ordinal));
        tmp.Write("songs.tsv", Songs);
        tmp.Write("movierec.columns", "user=userId\nitem=songId\ntimestamp=ts\nitems=songs.tsv, title=title, category=genre\n");
        var d = DatasetLoader.Load(Path.Combine(tmp.Path, "plays.tsv"), NoTmdb);
        Assert.Equal("interactions-csv", d.Format);
        Assert.Equal("plays", d.Name);
        Assert.Equal(5, d.Ratings.Count);
        Assert.Equal("Blue in Green", d.MovieOf(d.Ratings.ItemIds.ToDense("S1a"))!.Title);
        Assert.Same(d.Catalog, d.Ratings.Catalog);

        using var lone = TestData.NewFolder();
        lone.Write("plays.tsv", Plays);
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(Path.Combine(lone.Path, "plays.tsv"), NoTmdb));
        Assert.Contains("movierec.columns", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", e.Message, StringComparison.Ordinal);
    }
}
