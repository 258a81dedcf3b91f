using System.IO.Compression;
using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

/// <summary>ml-100k fixtures written exactly as the GroupLens README describes (tabs, pipes, Latin-1, no headers).</summary>
public class MovieLens100KLoaderTests
{
    private static readonly string Genres = string.Join("\n", new[]
    {
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    }.Select((g, i) => $"{g}|{i}")) + "\n\n";

    private static string Flags(params int[] on) =>
        string.Join("|", Enumerable.Range(0, 19).Select(i => on.Contains(i) ? "1" : "0"));

    private static string Items =>
        $"1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|{Flags(3, 4, 5)}\n"
        + $"2|GoldenEye (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?GoldenEye%20(1995)|{Flags(1, 2, 16)}\n"
        + $"3|Misérables, Les (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Mis%E9rables%2C%20Les%20%281995%29|{Flags(8, 12)}\n"
        + $"4|unknown||||{Flags(0)}\n";

    private const string Data =
        "1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t888550871\n2\t3\t2\t888551005\n3\t2\t1\t889237247\n3\t3\t5\t889237455\n3\t4\t3\t889237300\n";

    private static void WriteRelease(TempFolder tmp, string prefix = "")
    {
        tmp.Write(prefix + "u.data", Data);
        tmp.Write(prefix + "u.item", Items, Encoding.Latin1);
        tmp.Write(prefix + "u.genre", Genres);
        tmp.Write(prefix + "u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n");
        tmp.Write(prefix + "u1.base", "1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t888550871\n3\t2\t1\t889237247\n3\t3\t5\t889237455\n");
        tmp.Write(prefix + "u1.test", "2\t3\t2\t888551005\n3\t4\t3\t889237300\n");
        tmp.Write(prefix + "ua.base", "1\t1\t5\t874965758\n2\t1\t4\t888550871\n2\t3\t2\t888551005\n3\t2\t1\t889237247\n3\t3\t5\t889237455\n");
        tmp.Write(prefix + "ua.test", "1\t2\t3\t876893171\n3\t4\t3\t889237300\n");
    }

    private static LoadOptions NoTmdb => new() { IncludeTmdb = false };

    [Fact]
    public void Loads_ratings_items_users_and_genres()
    {
        using var tmp = TestData.NewFolder();
        WriteRelease(tmp);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("movielens-100k", d.Format);
        Assert.Equal(7, d.Ratings.Count);
        Assert.Equal(3, d.Ratings.UserCount);
        Assert.Equal(4, d.Ratings.ItemCount);
        Assert.Equal(RatingScale.WholeStars, d.Ratings.Scale);
        Assert.Equal(23.0 / 7, d.Ratings.GlobalMean, 6);
        Assert.Equal(4, d.Catalog.Count);
        Assert.Equal(["Animation", "Children's", "Comedy"], d.Catalog[1]!.Genres);
        Assert.Equal(["Action", "Adventure", "Thriller"], d.Catalog[2]!.Genres);
        // Latin-1 decoded, article moved to the front.
        Assert.Equal("Misérables, Les (1995)", d.Catalog[3]!.RawTitle);
        Assert.Equal("Les Misérables", d.Catalog[3]!.Title);
        Assert.Equal(1995, d.Catalog[3]!.Year);
        Assert.Empty(d.Catalog[4]!.Genres);
        Assert.Null(d.Catalog[4]!.Year);
        Assert.Equal(3, d.UserProfiles.Count);
        Assert.Equal(new UserProfile(2, 53, "F", "other", "94043"), d.UserProfiles[1]);
    }

    [Fact]
    public void Predefined_splits_share_the_full_datasets_id_maps()
    {
        using var tmp = TestData.NewFolder();
        WriteRelease(tmp);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal(["u1", "ua"], d.PredefinedSplits.Select(s => s.Name));
        var u1 = d.PredefinedSplits[0];
        Assert.Equal(5, u1.Train.Count);
        Assert.Equal(2, u1.Test.Count);
        Assert.Same(d.Ratings.UserIds, u1.Train.UserIds);
        Assert.Same(d.Ratings.ItemIds, u1.Test.ItemIds);
        Assert.Equal(3, d.Ratings.UserIds.Count);
        // The test rating (3, 4) keeps the dense ids the full dataset gave it.
        int k = Array.IndexOf(u1.Test.Values, 3f);
        Assert.Equal(3, d.Ratings.UserIds.ToRawNumeric(u1.Test.Users[k]));
        Assert.Equal(4, d.Ratings.ItemIds.ToRawNumeric(u1.Test.Items[k]));
        Assert.Equal(u1.Train.Count + u1.Test.Count, d.Ratings.Count);
    }

    [Fact]
    public void Loads_straight_from_the_official_zip_layout()
    {
        using var tmp = TestData.NewFolder();
        WriteRelease(tmp, "ml-100k/");
        var zipPath = Path.Combine(tmp.Path, "ml-100k.zip");
        ZipFile.CreateFromDirectory(Path.Combine(tmp.Path, "ml-100k"), zipPath, CompressionLevel.Fastest, includeBaseDirectory: true);
        var d = DatasetLoader.Load(zipPath, NoTmdb);
        Assert.Equal("ml-100k", d.Name);
        Assert.Equal(7, d.Ratings.Count);
        Assert.Equal("Les Misérables", d.Catalog[3]!.Title);
        Assert.Equal(2, d.PredefinedSplits.Count);
    }

    [Fact]
    public void A_bad_row_names_file_line_and_field_and_lenient_skips_it()
    {
        using var tmp = TestData.NewFolder();
        WriteRelease(tmp);
        tmp.Write("u.data", Data + "3\t1\t6\t889237500\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("u.data", e.File);
        Assert.Equal(8, e.Line);
        Assert.Equal("rating", e.Field);
        Assert.Contains("outside the rating scale", e.Message);

        var d = DatasetLoader.Load(tmp.Path, NoTmdb with { Lenient = true });
        Assert.Equal(7, d.Ratings.Count);
        Assert.Equal(1, d.Report.Skipped);
    }

    [Fact]
    public void A_short_u_item_row_is_reported()
    {
        using var tmp = TestData.NewFolder();
        WriteRelease(tmp);
        tmp.Write("u.item", Items + "5|Short (1996)|01-Jan-1996||url|0|1\n", Encoding.Latin1);
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("u.item", e.File);
        Assert.Equal(5, e.Line);
        Assert.Contains("expected 24 fields", e.Message);
    }
}
