using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Core.Tests.Data;

public class TmdbLoaderTests
{
    [Fact]
    public void Tmdb_5000_has_4803_movies_with_cast_directors_and_keywords()
    {
        var d = DatasetLoader.Load(TestData.TmdbPath);
        Assert.Equal("tmdb-5000", d.Format);
        Assert.Equal(4803, d.Catalog.Count);
        var movies = d.Catalog.Movies;
        Assert.True(movies.Count(m => m.Tmdb!.Cast.Count > 0) > 4700);
        Assert.True(movies.Count(m => m.Tmdb!.Directors.Count > 0) > 4700);
        Assert.True(movies.Count(m => m.Tmdb!.Keywords.Count > 0) > 4300);
        Assert.True(movies.Count(m => m.Tmdb!.Companies.Count > 0) > 4400);
        var avatar = d.Catalog[19995]!;
        Assert.Contains("Twentieth Century Fox Film Corporation", avatar.Tmdb!.Companies);
        Assert.Equal("Avatar", avatar.Title);
        Assert.Equal(2009, avatar.Year);
        Assert.Equal("James Cameron", avatar.Tmdb!.Directors[0]);
        Assert.Equal("Sam Worthington", avatar.Tmdb.Cast[0]);
        Assert.Equal(11800, avatar.Tmdb.VoteCount);
        Assert.Equal(162, avatar.Tmdb.Runtime);
        Assert.Equal("en", avatar.Tmdb.OriginalLanguage);
        Assert.Contains("Science Fiction", avatar.Genres);
    }

    [Fact]
    public void The_ml_latest_small_catalogue_with_tmdb_takes_at_most_16_MiB()
    {
        // 36.5 MiB with the whole crew (113,314 credits) and a string per name, keyword and genre (issue #18); about 12
        // with the directors only and repeated strings shared.
        var catalog = TestData.MovieLensSmall.Catalog;
        Assert.True(catalog.WithTmdbCount > 3000);
        long bytes = new Core.Diagnostics.MemoryFootprint().Measure(catalog);
        Assert.InRange(bytes, 4L << 20, 16L << 20);
    }

    [Fact]
    public void A_parse_keeps_one_instance_of_each_repeated_name_keyword_and_genre()
    {
        var movies = DatasetLoader.Load(TestData.TmdbPath).Catalog.Movies.Select(m => m.Tmdb!).ToList();
        void Shared(string what, IEnumerable<string> values, string value)
        {
            var found = values.Where(v => v == value).Take(2).ToList();
            Assert.True(found.Count == 2, $"{value} should occur twice among the {what}");
            Assert.True(ReferenceEquals(found[0], found[1]), $"{what}: two instances of {value}");
        }
        Shared("cast", movies.SelectMany(m => m.Cast), "Samuel L. Jackson");
        Shared("directors", movies.SelectMany(m => m.Directors), "Steven Spielberg");
        Shared("keywords", movies.SelectMany(m => m.Keywords), "based on novel");
        Shared("genres", movies.SelectMany(m => m.Genres), "Drama");
        Shared("languages", movies.Select(m => m.OriginalLanguage ?? ""), "fr");
        // A cast member who also directs is one instance too.
        var eastwood = movies.SelectMany(m => m.Cast).First(n => n == "Clint Eastwood");
        Assert.Same(eastwood, movies.SelectMany(m => m.Directors).First(n => n == "Clint Eastwood"));
    }

    [Fact]
    public void Join_with_ml_latest_small_counts_the_linked_movies()
    {
        var report = new LoadReport();
        using var source = DataSource.Open(TestData.TmdbPath);
        var metadata = TmdbLoader.LoadMetadata(source, LoadOptions.Default, report);
        var small = DatasetLoader.Load(TestData.MovieLensSmallPath, new LoadOptions { IncludeTmdb = false });
        int linked = small.Catalog.Movies.Count(m => m.TmdbId is int t && metadata.ContainsKey(t));
        int joined = TmdbLoader.Join(small.Catalog, metadata);
        Assert.Equal(linked, joined);
        Assert.Equal(TestData.MovieLensSmall.Catalog.Movies.Count(m => m.Tmdb is not null), joined);
        Assert.InRange(joined, 3000, 4803);
    }

    [Fact]
    public void Whether_a_load_would_join_TMDB_is_known_without_reading_the_ratings()
    {
        // ml-latest-small has tmdb-5000 beside it; a copy of its links elsewhere has none, so loading it with TMDB on
        // gives the same dataset as without (the service then does not read the ratings a second time).
        Assert.True(DatasetLoader.HasTmdbToJoin(TestData.MovieLensSmallPath));
        Assert.False(DatasetLoader.HasTmdbToJoin(TestData.MovieLensSmallPath, new LoadOptions { IncludeTmdb = false }));
        using var folder = TestData.NewFolder();
        string lonely = Path.Combine(folder.Path, "lonely");
        Directory.CreateDirectory(lonely);
        foreach (string file in new[] { "ratings.csv", "movies.csv", "links.csv" })
            File.Copy(Path.Combine(TestData.MovieLensSmallPath, file), Path.Combine(lonely, file));
        Assert.False(DatasetLoader.HasTmdbToJoin(lonely));
        Assert.Equal(0, DatasetLoader.Load(lonely).Catalog.WithTmdbCount);
        Assert.True(DatasetLoader.HasTmdbToJoin(lonely, new LoadOptions { TmdbPath = TestData.TmdbPath }));
    }
}
