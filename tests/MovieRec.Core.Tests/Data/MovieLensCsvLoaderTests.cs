using System.IO.Compression;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

public class MovieLensCsvLoaderTests
{
    [Fact]
    public void Ml_latest_small_has_the_official_counts()
    {
        var d = TestData.MovieLensSmall;
        Assert.Equal("movielens-csv", d.Format);
        Assert.Equal(100836, d.Ratings.Count);
        Assert.Equal(610, d.Ratings.ActiveUserCount());
        Assert.Equal(9724, d.Ratings.ActiveItemCount());
        Assert.Equal(9742, d.Catalog.Count);
        Assert.Equal(3683, d.Tags.Count);
        Assert.Equal(9742, d.Catalog.Movies.Count(m => m.ImdbId is not null));
        Assert.Equal(0, d.Report.DuplicatesMerged);
        Assert.Equal(RatingScale.HalfStars, d.Ratings.Scale);
        Assert.Equal(3.5016, d.Ratings.GlobalMean, 3);
    }

    [Fact]
    public void Titles_are_displayed_with_the_article_in_front_and_the_year_parsed()
    {
        var catalog = TestData.MovieLensSmall.Catalog;
        var matrix = catalog[2571]!;
        Assert.Equal("Matrix, The (1999)", matrix.RawTitle);
        Assert.Equal("The Matrix", matrix.Title);
        Assert.Equal(1999, matrix.Year);
        Assert.Equal(["Action", "Sci-Fi", "Thriller"], matrix.Genres);
        Assert.Equal(133093, matrix.ImdbId);
        Assert.Equal("tt0133093", matrix.ImdbTconst);
        Assert.Equal(603, matrix.TmdbId);
        // A quoted title with a comma inside.
        var toyStory = catalog[1]!;
        Assert.Equal("Toy Story", toyStory.Title);
        Assert.Contains("pixar", toyStory.Tags);
    }

    [Fact]
    public void Csr_views_agree_with_the_coordinate_arrays()
    {
        var r = TestData.MovieLensSmall.Ratings;
        var byUser = r.ByUser;
        Assert.Equal(r.Count, byUser.NonZeros);
        long checksum = 0, csrChecksum = 0;
        for (int k = 0; k < r.Count; k++) checksum += (long)r.Users[k] * 31 + r.Items[k] + (long)(r.Values[k] * 2);
        for (int u = 0; u < byUser.Rows; u++)
        {
            var cols = byUser.RowColumns(u);
            var vals = byUser.RowValues(u);
            for (int j = 0; j < cols.Length; j++)
            {
                if (j > 0) Assert.True(cols[j] > cols[j - 1]);
                csrChecksum += (long)u * 31 + cols[j] + (long)(vals[j] * 2);
                Assert.Equal(r.Values[byUser.RatingIndex[byUser.Offsets[u] + j]], vals[j]);
            }
        }
        Assert.Equal(checksum, csrChecksum);
        Assert.Equal(r.Count, r.ByItem.NonZeros);
    }

    [Fact]
    public void Tmdb_metadata_is_joined_through_links()
    {
        var d = TestData.MovieLensSmall;
        var joined = d.Catalog.Movies.Count(m => m.Tmdb is not null);
        Assert.InRange(joined, 3000, 4803);
        var darkKnight = d.Catalog.FindByTitle("The Dark Knight").Single();
        Assert.NotNull(darkKnight.Tmdb);
        Assert.Equal("Christopher Nolan", darkKnight.Tmdb!.Directors.Single());
        Assert.Equal("Christian Bale", darkKnight.Tmdb.Cast[0]);
        Assert.Contains("dc comics", darkKnight.Tmdb.Keywords);
    }

    [Fact]
    public void Loads_straight_from_the_official_zip_layout()
    {
        using var tmp = TestData.NewFolder();
        var zipPath = Path.Combine(tmp.Path, "ml-latest-small.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "ratings.csv", "movies.csv", "tags.csv", "links.csv" })
                zip.CreateEntryFromFile(Path.Combine(TestData.MovieLensSmallPath, name), $"ml-latest-small/{name}");
        }
        var d = DatasetLoader.Load(zipPath, new LoadOptions { IncludeTmdb = false });
        Assert.Equal(100836, d.Ratings.Count);
        Assert.Equal(9742, d.Catalog.Count);
        Assert.Equal(3683, d.Tags.Count);
    }

    [Fact]
    public void Lf_and_crlf_line_endings_load_the_same()
    {
        using var tmp = TestData.NewFolder();
        const string movies = "movieId,title,genres\n1,\"American President, The (1995)\",Comedy|Drama|Romance\n2,Heat (1995),Action|Crime|Thriller\n";
        const string ratings = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,3.5,964981247\n2,2,5.0,964982224\n";
        tmp.Write("lf/movies.csv", movies);
        tmp.Write("lf/ratings.csv", ratings);
        tmp.Write("crlf/movies.csv", movies.Replace("\n", "\r\n"));
        tmp.Write("crlf/ratings.csv", ratings.Replace("\n", "\r\n"));
        var lf = DatasetLoader.Load(Path.Combine(tmp.Path, "lf"));
        var crlf = DatasetLoader.Load(Path.Combine(tmp.Path, "crlf"));
        Assert.Equal(lf.Ratings.Values, crlf.Ratings.Values);
        Assert.Equal(lf.Ratings.Timestamps, crlf.Ratings.Timestamps);
        Assert.Equal("The American President", crlf.Catalog[1]!.Title);
        Assert.Equal(["Action", "Crime", "Thriller"], crlf.Catalog[2]!.Genres);
    }

    [Fact]
    public void Duplicate_ratings_keep_the_latest_and_are_counted()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,2.0,300\n1,1,4.5,500\n1,2,3.0,100\n1,1,1.0,400\n");
        var d = DatasetLoader.Load(tmp.Path);
        Assert.Equal(2, d.Ratings.Count);
        Assert.Equal(2, d.Report.DuplicatesMerged);
        int k = Array.FindIndex(d.Ratings.Items, i => d.Ratings.ItemIds.ToRawNumeric(i) == 1);
        Assert.Equal(4.5f, d.Ratings.Values[k]);
        Assert.Equal(500, d.Ratings.Timestamps[k]);
    }
}
