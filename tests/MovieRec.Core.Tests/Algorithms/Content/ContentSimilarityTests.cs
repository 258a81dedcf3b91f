using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Content;

public class ContentSimilarityTests
{
    private static readonly Lazy<Dataset> Tmdb = new(() => DatasetLoader.Load(TestData.TmdbPath));

    private static List<string> SimilarTitles(ContentSimilarity similarity, MovieCatalog catalog, string title, int n = 10)
    {
        var movie = catalog.FindByTitle(title)[0];
        return [.. similarity.Similar(movie.Id, n).Select(p => p.Movie.Title)];
    }

    [Fact]
    public void Dark_knight_rises_is_like_the_dark_knight_and_batman_begins()
    {
        var catalog = Tmdb.Value.Catalog;
        var similarity = ContentSimilarity.Build(catalog.Movies);
        var titles = SimilarTitles(similarity, catalog, "The Dark Knight Rises");
        Assert.Contains("The Dark Knight", titles.Take(3));
        Assert.Contains("Batman Begins", titles.Take(3));
    }

    [Fact]
    public void Avengers_is_like_age_of_ultron()
    {
        var catalog = Tmdb.Value.Catalog;
        var similarity = ContentSimilarity.Build(catalog.Movies);
        var titles = SimilarTitles(similarity, catalog, "The Avengers");
        Assert.Equal("Avengers: Age of Ultron", titles[0]);
    }

    [Fact]
    public void Works_on_the_joined_movielens_catalog_and_for_movies_without_tmdb()
    {
        var d = TestData.MovieLensSmall;
        var similarity = ContentSimilarity.Build(d.Catalog.Movies);
        var titles = SimilarTitles(similarity, d.Catalog, "The Dark Knight Rises");
        Assert.Contains("The Dark Knight", titles);
        // Toy Story without TMDB metadata (not in TMDB 5000? then genres and tags carry it) still has neighbours.
        Assert.NotEmpty(similarity.Similar(1, 10));
    }

    [Fact]
    public void Names_are_joined_so_different_people_do_not_match()
    {
        Assert.Equal("johnnydepp", MovieSoup.Normalize("Johnny Depp"));
        Assert.NotEqual(MovieSoup.Normalize("Johnny Depp"), MovieSoup.Normalize("Johnny Cash"));
    }

    [Fact]
    public void Index_matches_brute_force_cosine_on_random_documents()
    {
        var rng = new Random(5);
        var docs = new List<IReadOnlyList<string>>();
        for (int d = 0; d < 200; d++)
            docs.Add([.. Enumerable.Range(0, rng.Next(1, 8)).Select(_ => "t" + rng.Next(40))]);
        var vectors = SparseVectors.Build(docs, SparseVectors.Weighting.TfIdf);
        var index = SimilarityIndex.Build(vectors, 5, threads: 2);
        for (int row = 0; row < vectors.Rows; row++)
        {
            var expected = Enumerable.Range(0, vectors.Rows).Where(o => o != row)
                .Select(o => (o, s: Dot(vectors, row, o))).Where(p => p.s > 0)
                .OrderByDescending(p => p.s).ThenBy(p => p.o).Take(5).ToList();
            var got = index.Similarities(row).ToArray();
            Assert.Equal(expected.Count, got.Length);
            for (int j = 0; j < got.Length; j++) Assert.Equal(expected[j].s, got[j], 4);
        }
    }

    private static float Dot(SparseVectors v, int a, int b)
    {
        float s = 0;
        var ta = v.RowTerms(a);
        var wa = v.RowWeights(a);
        var tb = v.RowTerms(b);
        var wb = v.RowWeights(b);
        for (int i = 0; i < ta.Length; i++)
        {
            int j = tb.IndexOf(ta[i]);
            if (j >= 0) s += wa[i] * wb[j];
        }
        return s;
    }
}

public class QualityRerankTests
{
    [Fact]
    public void Weight_zero_keeps_similarity_order_and_weight_one_sorts_by_weighted_rating()
    {
        var d = DatasetLoader.Load(TestData.TmdbPath);
        var sim = ContentSimilarity.Build(d.Catalog.Movies, new ContentSimilarityOptions { Neighbours = 30 });
        var wr = WeightedRating.Compute(d);
        var movie = d.Catalog.FindByTitle("Avatar")[0];
        var plain = sim.Similar(movie.Id, 10).Select(p => p.Movie.Id).ToList();
        Assert.Equal(plain, sim.Similar(movie.Id, 10, wr, 0).Select(p => p.Movie.Id).ToList());
        var byQuality = sim.Similar(movie.Id, 10, wr, 1).Select(p => wr[p.Movie.Id]).ToList();
        Assert.Equal(byQuality.OrderByDescending(x => x).ToList(), byQuality);
        var blended = sim.Similar(movie.Id, 10, wr, 0.3).Select(p => p.Movie.Id).ToList();
        Assert.Equal(10, blended.Distinct().Count());
        Assert.True(blended.Average(id => wr[id]) >= plain.Average(id => wr[id]));
        Assert.Throws<ArgumentException>(() => sim.Similar(movie.Id, 10, wr, 1.5));
    }
}
