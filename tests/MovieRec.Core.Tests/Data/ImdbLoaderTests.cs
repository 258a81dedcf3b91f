using System.IO.Compression;
using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

/// <summary>IMDb non-commercial TSV fixtures, gzipped, as IMDb documents them: tab separated, \N for null, no quoting.</summary>
public class ImdbLoaderTests
{
    private const string BasicsHeader = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";

    private const string Basics = BasicsHeader
        + "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short\n"
        + "tt0114709\tmovie\tToy Story\tToy Story\t0\t1995\t\\N\t81\tAdventure,Animation,Comedy\n"
        + "tt0133093\tmovie\tThe Matrix\tThe Matrix\t0\t1999\t\\N\t136\tAction,Sci-Fi\n"
        + "tt0903747\ttvSeries\tBreaking Bad\tBreaking Bad\t0\t2008\t2013\t49\tCrime,Drama,Thriller\n"
        + "tt0113228\tmovie\t\"Grumpier\" Old Men\tGrumpier Old Men\t0\t1995\t\\N\t\\N\t\\N\n"
        + "tt0120338\tmovie\tTitanic\tTitanic\t0\t1997\t\\N\t194\tDrama,Romance\n";

    private const string Ratings = "tconst\taverageRating\tnumVotes\n"
        + "tt0000001\t5.7\t2100\ntt0114709\t8.3\t1100000\ntt0133093\t8.7\t2100000\ntt0903747\t9.5\t2200000\n";

    private static void WriteGz(TempFolder tmp, string relative, string content)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(new UTF8Encoding(false).GetBytes(content));
        tmp.WriteBytes(relative, ms.ToArray());
    }

    private static LoadOptions NoTmdb => new() { IncludeTmdb = false };

    [Fact]
    public void Imdb_files_alone_give_a_catalog_of_feature_films()
    {
        using var tmp = TestData.NewFolder();
        WriteGz(tmp, "title.basics.tsv.gz", Basics);
        WriteGz(tmp, "title.ratings.tsv.gz", Ratings);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("imdb", d.Format);
        Assert.Equal(0, d.Ratings.Count);
        Assert.Equal([113228L, 114709, 120338, 133093], d.Catalog.Movies.Select(m => m.Id));
        var matrix = d.Catalog[133093]!;
        Assert.Equal("The Matrix", matrix.Title);
        Assert.Equal(1999, matrix.Year);
        Assert.Equal("tt0133093", matrix.ImdbTconst);
        Assert.Equal(["Action", "Sci-Fi"], matrix.Genres);
        Assert.Equal(8.7, matrix.Imdb!.AverageRating);
        Assert.Equal(2100000, matrix.Imdb.NumVotes);
        Assert.Equal(136, matrix.Imdb.RuntimeMinutes);
        // Quotes are literal characters; \N is null; a title without a ratings row has no rating.
        var grumpier = d.Catalog[113228]!;
        Assert.Equal("\"Grumpier\" Old Men", grumpier.Title);
        Assert.Null(grumpier.Imdb!.RuntimeMinutes);
        Assert.Empty(grumpier.Genres);
        Assert.Null(d.Catalog[120338]!.Imdb!.AverageRating);
    }

    [Fact]
    public void Imdb_joins_into_a_movielens_catalog_through_links_imdb_id()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n2571,\"Matrix, The (1999)\",Action|Sci-Fi|Thriller\n3,Grumpier Old Men (1995),Comedy|Romance\n99,Unlinked (2000),Drama\n");
        tmp.Write("links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n2571,0133093,603\n3,0113228,15602\n99,,\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2571,5.0,964981247\n");
        WriteGz(tmp, "imdb/title.basics.tsv.gz", Basics);
        WriteGz(tmp, "imdb/title.ratings.tsv.gz", Ratings);
        var d = DatasetLoader.Load(tmp.Path, NoTmdb);
        Assert.Equal("movielens-csv", d.Format);
        var matrix = d.Catalog[2571]!;
        Assert.Equal("tt0133093", matrix.Imdb!.Tconst);
        Assert.Equal(8.7, matrix.Imdb.AverageRating);
        Assert.Equal(136, matrix.Imdb.RuntimeMinutes);
        Assert.Equal(["Action", "Sci-Fi"], matrix.Imdb.Genres);
        // MovieLens genres stay; IMDb's sit beside them.
        Assert.Equal(["Action", "Sci-Fi", "Thriller"], matrix.Genres);
        Assert.Equal(81, d.Catalog[1]!.Imdb!.RuntimeMinutes);
        Assert.NotNull(d.Catalog[3]!.Imdb);
        Assert.Null(d.Catalog[99]!.Imdb);
        Assert.Equal(3, d.Catalog.Movies.Count(m => m.Imdb is not null));
    }

    [Fact]
    public void An_imdb_folder_beside_the_dataset_is_joined_too()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("ml/movies.csv", "movieId,title,genres\n2571,\"Matrix, The (1999)\",Action|Sci-Fi|Thriller\n");
        tmp.Write("ml/links.csv", "movieId,imdbId,tmdbId\n2571,0133093,603\n");
        tmp.Write("ml/ratings.csv", "userId,movieId,rating,timestamp\n1,2571,5.0,964981247\n");
        WriteGz(tmp, "imdb/title.basics.tsv.gz", Basics);
        var d = DatasetLoader.Load(Path.Combine(tmp.Path, "ml"), NoTmdb);
        Assert.Equal("The Matrix", d.Catalog[2571]!.Imdb!.PrimaryTitle);
        // No title.ratings file: metadata without a rating.
        Assert.Null(d.Catalog[2571]!.Imdb!.AverageRating);
    }

    [Fact]
    public void A_bad_row_names_file_line_and_field_and_lenient_skips_it()
    {
        using var tmp = TestData.NewFolder();
        WriteGz(tmp, "title.basics.tsv.gz", Basics + "tt0000099\tmovie\tBroken\tBroken\t0\tnineteen\t\\N\t90\tDrama\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.EndsWith("title.basics.tsv.gz", e.File);
        Assert.Equal(8, e.Line);
        Assert.Equal("startYear", e.Field);

        var d = DatasetLoader.Load(tmp.Path, NoTmdb with { Lenient = true });
        Assert.Equal(4, d.Catalog.Count);
        Assert.Equal(1, d.Report.Skipped);
    }

    [Fact]
    public void A_row_with_a_missing_field_is_reported_even_for_a_skipped_title_type()
    {
        using var tmp = TestData.NewFolder();
        WriteGz(tmp, "title.basics.tsv.gz", BasicsHeader + "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path, NoTmdb));
        Assert.Equal(2, e.Line);
        Assert.Contains("expected 9 fields", e.Message);
    }

    /// <summary>ml-style data with IMDb beside it: Toy Story and The Matrix linked, a movie without MovieLens genres.</summary>
    private static Dataset LoadJoined(TempFolder tmp)
    {
        tmp.Write("ml/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
            + "2571,\"Matrix, The (1999)\",Action|Sci-Fi|Thriller\n3,Grumpier Old Men,(no genres listed)\n4,Unlinked (2000),Drama\n");
        tmp.Write("ml/links.csv", "movieId,imdbId,tmdbId\n1,0114709,\n2571,0133093,\n3,0120338,\n4,,\n");
        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= 6; u++)
        {
            // Unlinked (2000) is the best rated here; IMDb's millions of votes decide for the linked movies.
            ratings.Append(System.Globalization.CultureInfo.InvariantCulture, $"{u},1,3.0,{964982700 + u}\n{u},2571,3.5,{964982800 + u}\n{u},3,2.0,{964982900 + u}\n{u},4,5.0,{964983000 + u}\n");
        }
        tmp.Write("ml/ratings.csv", ratings.ToString());
        WriteGz(tmp, "imdb/title.basics.tsv.gz", Basics);
        WriteGz(tmp, "imdb/title.ratings.tsv.gz", Ratings + "tt0120338\t7.9\t1300000\n");
        return DatasetLoader.Load(Path.Combine(tmp.Path, "ml"), NoTmdb);
    }

    [Fact]
    public void Imdb_fills_runtime_genres_and_year_the_dataset_lacks()
    {
        using var tmp = TestData.NewFolder();
        var d = LoadJoined(tmp);
        Assert.Equal(81, d.Catalog[1]!.RuntimeMinutes); // the API's runtime was null here: TMDB alone was read
        Assert.Equal(8.3, d.Catalog[1]!.ImdbRating);
        Assert.Equal(1100000, d.Catalog[1]!.ImdbVotes);
        var titanic = d.Catalog[3]!; // "(no genres listed)" and no year in movies.csv
        Assert.Equal(["Drama", "Romance"], titanic.Genres);
        Assert.Equal(1997, titanic.Year);
        Assert.Equal(194, titanic.RuntimeMinutes);
        Assert.Null(d.Catalog[4]!.RuntimeMinutes);
        var stats = DatasetStatistics.Compute(d);
        Assert.Equal((3, 3, 3, 3, 3), (stats.MoviesWithImdb, stats.MoviesWithImdbRating, stats.MoviesWithImdbRuntime, stats.MoviesWithImdbGenres, stats.MoviesWithRuntime));
    }

    [Fact]
    public void The_weighted_rating_takes_imdb_votes_first()
    {
        using var tmp = TestData.NewFolder();
        var d = LoadJoined(tmp);
        var wr = MovieRec.Core.Algorithms.Content.WeightedRating.Compute(d);
        // Votes: 1.1M (8.3), 2.1M (8.7), 1.3M (7.9) from IMDb; Unlinked's six ratings of 5 stars as 10/10.
        Assert.Equal((8.3 + 8.7 + 7.9 + 10.0) / 4, wr.MeanVote, 9);
        Assert.True(wr[2571] > wr[1] && wr[1] > wr[3], $"IMDb order: {wr[2571]} {wr[1]} {wr[3]}");
        // Six 5-star ratings barely move a movie from C; millions of votes keep IMDb's own average.
        Assert.InRange(wr[4], wr.MeanVote, wr.MeanVote + 0.001);
        Assert.Equal(8.7, wr[2571], 1);
    }

    [Fact]
    public void Kmeans_features_use_imdb_genres_year_and_votes()
    {
        using var tmp = TestData.NewFolder();
        var d = LoadJoined(tmp);
        var wr = MovieRec.Core.Algorithms.Content.WeightedRating.Compute(d);
        var f = MovieRec.Core.Algorithms.Clustering.MovieClusters.BuildFeatures(d, wr);
        int Col(string name) => f.Columns.ToList().IndexOf(name);
        float Value(long movieId, string column) => f.Row(Array.IndexOf(f.Items, d.Ratings.ItemIds.ToDense(movieId)))[Col(column)];
        // Titanic's genres came from IMDb (Romance is in no MovieLens genre list here); Toy Story's IMDb genres join
        // its MovieLens ones.
        Assert.Equal(1f, Value(3, "Romance"));
        Assert.Equal(1f, Value(3, "Drama"));
        Assert.Equal(1f, Value(1, "Animation"));
        Assert.DoesNotContain("(no genres listed)", f.Columns);
        // Min-max scaled: WR in IMDb's order, the lowest year Toy Story (1995), the most votes The Matrix.
        Assert.True(Value(2571, "weighted rating") > Value(1, "weighted rating") && Value(1, "weighted rating") > Value(3, "weighted rating"));
        Assert.Equal(0f, Value(3, "weighted rating"));
        Assert.Equal(0f, Value(1, "year"));
        Assert.Equal(1f, Value(2571, "log(1 + votes)"));
        Assert.Equal(0f, Value(4, "log(1 + votes)")); // six ratings, the fewest votes
        Assert.All(f.Values, v => Assert.InRange(v, 0f, 1f));
    }
}
