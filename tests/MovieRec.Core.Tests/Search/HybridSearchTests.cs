using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;
using MovieRec.Core.Search;
using MovieRec.Core.Tests.Algorithms.Semantic;

namespace MovieRec.Core.Tests.Search;

/// <summary>
/// Fusion, the lexical fallback while embeddings are built, and the taste re-rank, over ml-latest-small's first
/// movies with the tiny model (its vectors mean nothing; <see cref="RealModelSearchTests"/> checks relevance).
/// </summary>
public sealed class HybridSearchTests : IDisposable
{
    private static readonly Lazy<List<Movie>> Movies = new(() => [.. TestData.MovieLensSmall.Catalog.Movies.Where(m => m.Id <= 3000)]);
    private readonly TempFolder _cache = TestData.NewFolder();

    public void Dispose() => _cache.Dispose();

    private static Func<long, float> Counts() => SearchTestData.RatingCounts();

    private HybridSearch Ready()
    {
        var search = new HybridSearch(Movies.Value, Counts());
        search.StartSemantic(() => SentenceEmbedder.Load(TinyBertModel.Path), _cache.Path).Wait();
        Assert.Equal(SemanticState.Ready, search.Status.State);
        return search;
    }

    /// <summary>
    /// An index built elsewhere with every movie (UseSemantic): the embeddings still rank only described movies, unless
    /// SemanticDescribedOnly is off; the service's own index (BuildSemantic) has no vector for the others at all.
    /// </summary>
    [ModelFact]
    public void The_embeddings_rank_only_described_movies_whatever_the_index_holds()
    {
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var everyMovie = SemanticSearch.Build(Movies.Value, embedder, EmbeddingCache.For(embedder, _cache.Path));
        Assert.Equal(Movies.Value.Count, everyMovie.EmbeddedCount);
        using var describedOnly = new HybridSearch(Movies.Value, Counts());
        describedOnly.UseSemantic(everyMovie);
        using var all = new HybridSearch(Movies.Value, Counts(), new HybridSearchOptions { SemanticDescribedOnly = false });
        all.UseSemantic(everyMovie);
        var request = new HybridSearchRequest { Count = 200, Signals = SearchSignals.Semantic };
        var hits = describedOnly.Search("a story about friendship", request).Hits;
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.True(h.Movie.IsDescribed, $"{h.Movie} has no description"));
        Assert.Contains(all.Search("a story about friendship", request).Hits, h => !h.Movie.IsDescribed);

        using var built = new HybridSearch(Movies.Value, Counts());
        built.BuildSemantic(embedder, _cache.Path);
        Assert.Equal(Movies.Value.Count(m => m.IsDescribed), built.Semantic!.EmbeddedCount);
    }

    [ModelFact]
    public async Task Searches_are_lexical_and_say_so_until_the_embeddings_are_ready()
    {
        using var search = new HybridSearch(Movies.Value, Counts());
        var before = search.Search("toys come to life");
        Assert.Equal("lexical", before.Mode);
        Assert.Contains("not been started", before.Note);
        Assert.Contains(before.Hits, h => h.Movie.Id == 1);
        Assert.All(before.Hits, h => Assert.Null(h.SemanticRank));
        Assert.Null(search.SimilarSemantic(1));

        using var gate = new ManualResetEventSlim();
        var task = search.StartSemantic(() =>
        {
            gate.Wait();
            return SentenceEmbedder.Load(TinyBertModel.Path);
        }, _cache.Path);
        var building = search.Search("toys come to life");
        Assert.Equal("lexical", building.Mode);
        Assert.Equal(SemanticState.Building, building.Semantic.State);
        // Only described movies (an overview or tags) are embedded: the others' vectors would be their titles'.
        int described = Movies.Value.Count(m => m.IsDescribed);
        Assert.InRange(described, 1, Movies.Value.Count - 1);
        Assert.Contains($"0 of {described:N0} movies embedded", building.Note);
        gate.Set();
        await task;

        var after = search.Search("toys come to life");
        Assert.Equal("hybrid", after.Mode);
        Assert.Null(after.Note);
        Assert.Equal(new SemanticStatus(SemanticState.Ready, described, described, null), search.Status);
        Assert.Contains(after.Hits, h => h.SemanticRank is not null);
        var similar = search.SimilarSemantic(1, 5);
        Assert.NotNull(similar);
        Assert.Equal(5, similar.Count);
    }

    [ModelFact]
    public async Task A_model_that_fails_to_load_leaves_search_lexical_with_the_reason()
    {
        using var search = new HybridSearch(Movies.Value, Counts());
        await search.StartSemantic(() => SentenceEmbedder.Load("/nonexistent/model"), _cache.Path);
        Assert.Equal(SemanticState.Failed, search.Status.State);
        var result = search.Search("a pig who wants to be a sheepdog");
        Assert.Equal("lexical", result.Mode);
        Assert.Contains("does not exist", result.Note);
        Assert.NotEmpty(result.Hits);
        search.DisableSemantic("turned off for this test");
        Assert.Contains("turned off for this test", search.Search("pig").Note);
    }

    [ModelFact]
    public void A_query_no_word_of_which_matches_says_the_results_are_only_near_in_meaning()
    {
        // The embeddings rank every movie for any text; gibberish must not look like a match.
        using var search = Ready();
        var gibberish = search.Search("xqzvk wrpflt");
        Assert.Equal("hybrid", gibberish.Mode);
        Assert.NotEmpty(gibberish.Hits);
        Assert.All(gibberish.Hits, h => Assert.True(h.LexicalRank is null && h.TitleRank is null));
        Assert.Equal(HybridSearch.NoWordMatchNote, gibberish.Note);
        Assert.Null(search.Search("a pig who wants to be a sheepdog").Note);
        Assert.Null(search.Search("jumanji").Note);
    }

    [ModelFact]
    public void A_title_query_puts_the_title_first()
    {
        using var search = Ready();
        Assert.Equal(2571, search.Search("the matrix").Hits[0].Movie.Id);
        Assert.Equal(1, search.Search("toy story").Hits[0].Movie.Id);
        var hit = search.Search("jumanji").Hits[0];
        Assert.Equal(2, hit.Movie.Id);
        Assert.Equal(1, hit.TitleRank);
        Assert.Empty(search.Search("   ").Hits);
    }

    /// <summary>
    /// A word no title, overview, keyword or tag has, within a few edits of a title word, is a misspelt title: the
    /// titles answer, not the embeddings of an unknown word (with the real model xXx came first for "matrx").
    /// </summary>
    [ModelFact]
    public void A_misspelt_title_is_answered_by_the_titles_alone()
    {
        using var search = Ready();
        var typo = search.Search("matrx");
        Assert.Equal(2571, typo.Hits[0].Movie.Id);
        Assert.All(typo.Hits, h => Assert.True(h.TitleRank is not null && h.SemanticRank is null, h.Movie.Title));
        Assert.Null(typo.Note);
        // A word the catalogue has keeps the embeddings.
        Assert.Contains(search.Search("matrix").Hits, h => h.SemanticRank is not null);
    }

    [Fact]
    public void A_short_query_gets_a_smaller_popularity_prior_unless_it_names_a_title()
    {
        // Lexical mode (no model): the prior multiplies the fused score by 1 + w · log(1 + ratings) / log(1 + most).
        var counts = Counts();
        using var search = new HybridSearch(Movies.Value, counts);
        using var plain = new HybridSearch(Movies.Value, counts, HybridSearchOptions.Default with { PopularityWeight = 0 });
        double most = Movies.Value.Max(m => Math.Log(1 + counts(m.Id)));
        void AssertWeight(string query, double weight)
        {
            var hit = search.Search(query).Hits[0];
            var without = plain.Search(query, new HybridSearchRequest { Count = 100 }).Hits.Single(h => h.Movie.Id == hit.Movie.Id);
            double expected = 1 + weight * Math.Log(1 + counts(hit.Movie.Id)) / most;
            Assert.Equal(expected, hit.Score / without.Score, 3);
        }
        // A kind of movie in three words: 1.5 · 3/8.
        AssertWeight("pig sheepdog farm", 1.5 * 3 / 8);
        // A title, however short, and a description of eight words or more: the full weight.
        AssertWeight("jumanji", 1.5);
        AssertWeight("a pig who wants to be a sheepdog on a farm", 1.5);
        var o = HybridSearchOptions.Default;
        Assert.Equal((1.5f, 8, 30f), (o.PopularityWeight, o.PopularityFullWords, o.PopularityTitleMatch));
    }

    [Fact]
    public void A_popularity_depth_reorders_only_the_head_of_the_fused_list()
    {
        var counts = Counts();
        using var plain = new HybridSearch(Movies.Value, counts, HybridSearchOptions.Default with { PopularityWeight = 0 });
        using var head = new HybridSearch(Movies.Value, counts, HybridSearchOptions.Default with { PopularityDepth = 3, PopularityFullWords = 0 });
        var a = plain.Search("a pig who wants to be a sheepdog on a farm", new HybridSearchRequest { Count = 20 }).Hits.Select(h => h.Movie.Id).ToList();
        var b = head.Search("a pig who wants to be a sheepdog on a farm", new HybridSearchRequest { Count = 20 }).Hits.Select(h => h.Movie.Id).ToList();
        Assert.Equal(a.Take(3).Order(), b.Take(3).Order());
        Assert.Equal(a.Skip(3), b.Skip(3));
    }

    [ModelFact]
    public void Taste_reorders_the_fused_results_and_the_flag_turns_it_off()
    {
        using var search = Ready();
        const string query = "space adventure";
        var plain = search.Search(query, new HybridSearchRequest { Count = 10 });
        Assert.False(plain.Personalised);
        var favourite = plain.Hits[6].Movie.Id;
        TasteScorer taste = (candidates, scores) =>
        {
            for (int i = 0; i < candidates.Count; i++) scores[i] = candidates[i].Id == favourite ? 5 : 1 + i % 3 * 0.1f;
        };
        var personal = search.Search(query, new HybridSearchRequest { Count = 10, Taste = taste });
        Assert.True(personal.Personalised);
        int before = plain.Hits.ToList().FindIndex(h => h.Movie.Id == favourite);
        int after = personal.Hits.ToList().FindIndex(h => h.Movie.Id == favourite);
        Assert.True(after < before, $"the user's favourite moved from {before} to {after}");
        Assert.Equal(5f, personal.Hits[after].Taste);
        // Relevance still leads: the first fused result stays in the top 3.
        Assert.InRange(personal.Hits.ToList().FindIndex(h => h.Movie.Id == plain.Hits[0].Movie.Id), 0, 2);

        var off = search.Search(query, new HybridSearchRequest { Count = 10, Taste = taste, Personalise = false });
        Assert.False(off.Personalised);
        Assert.Equal(plain.Hits.Select(h => h.Movie.Id), off.Hits.Select(h => h.Movie.Id));

        // No taste known for any candidate: the order is the fused one.
        var unknown = search.Search(query, new HybridSearchRequest { Count = 10, Taste = (_, _) => { } });
        Assert.Equal(plain.Hits.Select(h => h.Movie.Id), unknown.Hits.Select(h => h.Movie.Id));
    }

    [ModelFact]
    public void Each_signal_can_be_used_alone()
    {
        using var search = Ready();
        var lexical = search.Search("wizard", new HybridSearchRequest { Signals = SearchSignals.Lexical });
        Assert.All(lexical.Hits, h => Assert.NotNull(h.LexicalRank));
        Assert.All(lexical.Hits, h => Assert.Null(h.SemanticRank));
        var semantic = search.Search("wizard", new HybridSearchRequest { Signals = SearchSignals.Semantic });
        Assert.All(semantic.Hits, h => Assert.NotNull(h.SemanticRank));
        Assert.All(semantic.Hits, h => Assert.Null(h.LexicalRank));
        Assert.Throws<ArgumentOutOfRangeException>(() => search.Search("wizard", new HybridSearchRequest { Count = 0 }));
    }

    [ModelFact]
    public async Task Disposing_during_a_build_stops_it()
    {
        var search = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, Counts());
        using var loaded = new ManualResetEventSlim();
        var task = search.StartSemantic(() =>
        {
            var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
            loaded.Set();
            return embedder;
        }, _cache.Path);
        loaded.Wait();
        search.Dispose();
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(SemanticState.Failed, search.Status.State);
    }
}
