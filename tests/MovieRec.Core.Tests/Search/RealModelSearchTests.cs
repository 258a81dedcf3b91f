using System.Globalization;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>
/// The whole of ml-latest-small embedded with the bundled all-MiniLM-L6-v2 once per test run (about a minute of CPU;
/// reused from /tmp/movierec-tests/embeddings when an earlier run left it), shared by the slow search tests.
/// </summary>
public sealed class RealModelCatalog : IDisposable
{
    public RealModelCatalog()
    {
        var d = TestData.MovieLensSmall;
        var counts = new Dictionary<long, float>();
        for (int i = 0; i < d.Ratings.ItemCount; i++) counts[d.Ratings.ItemIds.ToRawNumeric(i)] = d.Ratings.ByItem.RowLength(i);
        Search = new HybridSearch(d.Catalog.Movies, id => counts.GetValueOrDefault(id));
        Embedder = SentenceEmbedder.Load(null);
        Search.BuildSemantic(Embedder, Path.Combine(Path.GetTempPath(), "movierec-tests", "embeddings"));
    }

    public HybridSearch Search { get; }

    public SentenceEmbedder Embedder { get; }

    public void Dispose()
    {
        Search.Dispose();
        Embedder.Dispose();
    }
}

/// <summary>Relevance with the real model (slow: the catalogue is embedded once, see <see cref="RealModelCatalog"/>).</summary>
[Trait("Category", "Slow")]
public sealed class RealModelSearchTests(RealModelCatalog catalog) : IClassFixture<RealModelCatalog>
{
    private const long Jaws = 1387;

    [Fact]
    public void A_giant_shark_terrorising_a_beach_town_is_jaws()
    {
        const string query = "a giant shark terrorises a beach town";
        var semantic = catalog.Search.Semantic!.Search(query, 3);
        Assert.Contains(semantic, h => h.Movie.Id == Jaws);
        var hybrid = catalog.Search.Search(query, new HybridSearchRequest { Count = 3 });
        Assert.Equal("hybrid", hybrid.Mode);
        Assert.Contains(hybrid.Hits, h => h.Movie.Id == Jaws);
    }

    [Fact]
    public void Semantic_similar_movies_share_the_theme()
    {
        var similar = catalog.Search.SimilarSemantic(Jaws, 10)!;
        Assert.Contains(similar, h => h.Movie.Title.StartsWith("Jaws", StringComparison.Ordinal) && h.Movie.Id != Jaws);
    }

    /// <summary>The description set: fused beats each signal alone, and stays near the measured figures (docs/search.md).</summary>
    [Fact]
    public void Fused_search_finds_the_described_movies()
    {
        var set = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Search", "movie-descriptions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.True(set.Count >= 100);
        double Top5(SearchSignals signals, params string[] splits)
        {
            var rows = set.Where(r => splits.Contains(r[0])).ToList();
            int hits = rows.Count(r => catalog.Search.Search(r[3], new HybridSearchRequest { Count = 5, Signals = signals }).Hits
                .Any(h => h.Movie.Id == long.Parse(r[1], CultureInfo.InvariantCulture)));
            return hits / (double)rows.Count;
        }
        // Over the whole set (tuning, old and fresh held-out) fused is at least as good as each half of the engine
        // (measured 91 of 104 against 87 lexical and 86 embeddings, all with the popularity prior: docs/benchmarks.md).
        string[] all = ["tune", "holdout", "fresh"];
        double fused = Top5(SearchSignals.All, all);
        Assert.True(fused >= Top5(SearchSignals.Lexical | SearchSignals.Title, all), "fused below lexical");
        Assert.True(fused >= Top5(SearchSignals.Semantic, all), "fused below embeddings");
        Assert.True(Top5(SearchSignals.All, "tune") >= 0.95, "tuning half below 95 %");
        // Measured 87 % (old held-out) and 80 % (fresh held-out): issue 15's 95 % is not met on either.
        Assert.True(Top5(SearchSignals.All, "holdout") >= 0.8, "old held-out half below 80 %");
        Assert.True(Top5(SearchSignals.All, "fresh") >= 0.75, "fresh held-out set below 75 %");
    }
}

/// <summary>Topic queries with the real model: the fused search's precision@10 on the topic set (docs/search.md).</summary>
[Trait("Category", "Slow")]
public sealed class RealModelTopicTests(RealModelCatalog catalog) : IClassFixture<RealModelCatalog>
{
    [Fact]
    public void Fused_search_lists_movies_on_the_topic()
    {
        var set = TopicQuery.Load(TopicQueryTests.TopicFile);
        double Precision(string split) => set.Where(q => q.Split == split)
            .Average(q => TopicMetrics.Precision(q, catalog.Search.Search(q.Text, new HybridSearchRequest { Count = 10 }).Hits.Select(h => h.Movie).ToList()));
        // Measured (bench semantic topics): tune 0.550 before the embeddings left out undescribed movies and BM25's b
        // fell to 0.5, 0.700 after, 0.729 once short queries that are not a title got a smaller popularity prior
        // (HybridSearchOptions.PopularityFullWords; 0.700 with the full prior for every query).
        Assert.True(Precision("tune") >= 0.715, "topic tune half: fused precision@10 below 0.715");
    }
}
