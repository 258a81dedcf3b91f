using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.IO;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Algorithms.Semantic;

namespace MovieRec.Web.Tests;

/// <summary>
/// With an embedding model configured (the tiny random BERT the Core tests generate, in all-MiniLM-L6-v2's layout),
/// /search and /movies/{id}/similar?by=semantic use sentence embeddings (once built in the background) and say so.
/// </summary>
[LongRunning]
public sealed class SemanticSearchApiTests
{
    [ModelFact]
    public async Task Search_and_similar_are_semantic_when_a_model_is_configured()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:EmbeddingModel"] = TinyBertModel.Path });
        var client = await factory.ReadyClientAsync();
        await factory.WaitForSemanticAsync();
        var response = await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots&n=7");
        var search = await response.Json();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {search}");
        Assert.Equal("hybrid", search.GetProperty("mode").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, search.GetProperty("note").ValueKind);
        var scores = search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(7, scores.Count);
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        var similar = await (await client.GetAsync("/api/v1/movies/1/similar?by=semantic&n=5")).Json();
        Assert.Equal("semantic", similar.GetProperty("by").GetString());
        Assert.Equal(5, similar.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(similar.GetProperty("items").EnumerateArray(), i => i.GetProperty("movie").GetProperty("movieId").GetInt64() == 1);
        // Enter the Dragon has no overview and no tags: its embedding would be its title's (the real model's nearest were
        // Double Dragon, Dragonheart 3, Red Dragon), so the answer is content similarity, saying why.
        var dragon = await (await client.GetAsync("/api/v1/movies/7482/similar?by=semantic&n=5")).Json();
        Assert.Equal("content", dragon.GetProperty("by").GetString());
        Assert.Contains("no description of Enter the Dragon", dragon.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, dragon.GetProperty("items").GetArrayLength());
    }

    [ModelFact]
    public async Task Ratings_in_the_request_re_rank_by_taste_unless_turned_off()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        const string query = "/api/v1/search?q=space%20adventure%20with%20robots&n=10"; // a description: "space adventure" asks for adventure movies about space
        var plain = await (await client.GetAsync(query)).Json();
        Assert.False(plain.GetProperty("personalised").GetBoolean());
        // Someone who loves animated children's films and dislikes war films.
        const string rate = "&rate=1=5,2355=5,3114=5,4886=5,6377=5,1196=1,260=1,1210=1";
        var personal = await (await client.GetAsync(query + rate)).Json();
        Assert.True(personal.GetProperty("personalised").GetBoolean());
        static List<long> Ids(System.Text.Json.JsonElement answer) => [.. answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movie").GetProperty("movieId").GetInt64())];
        Assert.Equal(10, Ids(personal).Count);
        Assert.InRange(Ids(personal).IndexOf(Ids(plain)[0]), 0, 2); // relevance still leads
        var off = await (await client.GetAsync(query + rate + "&personalise=false")).Json();
        Assert.False(off.GetProperty("personalised").GetBoolean());
        Assert.Equal(Ids(plain), Ids(off));
        await (await client.GetAsync(query + "&rate=1=banana")).AssertProblem(400, "rate");
        await (await client.GetAsync(query + "&rate=999999999=4")).AssertProblem(400, "rate");
        await (await client.GetAsync(query + "&rate=1=9")).AssertProblem(400, "rate");
        await (await client.GetAsync("/api/v1/search?q=%21%21%21")).AssertProblem(400, "q"); // "!!!": no words
        await (await client.GetAsync("/api/v1/search?q=%E2%80%8B")).AssertProblem(400, "q"); // a zero-width space
    }

    /// <summary>
    /// "comedies" from a horror fan: a browse answer is all of what was asked, so the default recommender's taste
    /// reaches the first 300 best-known comedies; the horror comedies (Gremlins, Shaun of the Dead) come up, where
    /// without ratings the first ten are Ace Ventura, Ferris Bueller, Clerks and other comedies with no horror.
    /// </summary>
    [ModelFact]
    [Trait("Category", "Slow")] // its own service that trains taste, twice (before and after the TMDB join): 20 s of CPU
    public async Task A_browse_answer_is_re_ranked_by_the_searcher_s_taste()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = "taste" }); // the service's default
        var client = await factory.ReadyClientAsync();
        // The default algorithm, trained on the model that serves (warm-up is off in the tests, and the first model is
        // replaced once TMDB metadata is joined).
        for (int tries = 0; tries < 5; tries++)
        {
            var serving = factory.Host.Current!;
            await serving.GetAsync("taste");
            if (ReferenceEquals(serving, factory.Host.Current)) break;
        }
        Assert.True(factory.Host.Current!.IsReady("taste"));
        const string query = "/api/v1/search?q=comedies&n=10";
        static List<System.Text.Json.JsonElement> Movies(System.Text.Json.JsonElement answer) => [.. answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movie"))];
        static int Horror(List<System.Text.Json.JsonElement> movies) => movies.Count(m => m.GetProperty("genres").EnumerateArray().Any(g => g.GetString() == "Horror"));
        var plain = await (await client.GetAsync(query)).Json();
        var fan = await (await client.GetAsync(query + "&rate=1258=5,1219=5,1997=5,1982=5,1347=5")).Json();
        Assert.Equal("browse", fan.GetProperty("mode").GetString());
        Assert.True(fan.GetProperty("personalised").GetBoolean());
        Assert.Equal(10, Movies(fan).Count);
        Assert.All(Movies(fan), m => Assert.Contains("Comedy", m.GetProperty("genres").EnumerateArray().Select(g => g.GetString())));
        Assert.Equal(0, Horror(Movies(plain)));
        Assert.True(Horror(Movies(fan)) >= 2, string.Join(", ", Movies(fan).Select(m => m.GetProperty("title").GetString())));
    }

    [Fact]
    public async Task Search_is_lexical_and_says_why_when_semantic_search_is_off()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:EmbeddingModel"] = "off" });
        var client = await factory.ReadyClientAsync();
        var search = await (await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots")).Json();
        Assert.Equal("lexical", search.GetProperty("mode").GetString());
        Assert.Contains("turned off", search.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(Core.Search.SemanticState.Off, factory.Host.CatalogOrNull!.Search.Status.State);
    }

    /// <summary>The tiny model's cache file in <paramref name="folder"/> (the service's recipe: int8, as by default).</summary>
    private static string CacheFile(string folder)
    {
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        return EmbeddingCache.For(embedder, folder).FilePath;
    }

    private static Dictionary<string, string?> Settings(string cache) => new()
    {
        ["MovieRec:EmbeddingModel"] = TinyBertModel.Path,
        ["MovieRec:EmbeddingCache"] = cache,
    };

    /// <summary>The cache's lock held as a replica embedding holds it (its lock file, touched while it embeds).</summary>
    private static LockFileHandle HoldAsAnotherReplica(string cacheFile) =>
        new LockFile(cacheFile + ".lock") { Heartbeat = TimeSpan.FromSeconds(1) }.Acquire();

    /// <summary>
    /// Bytes of a cache file holding the distinct texts of the catalogue's described movies once (12-byte header, hash +
    /// vector per record): the others are not embedded.
    /// </summary>
    private static long ExpectedBytes(ServiceFactory factory) =>
        12 + factory.Host.CatalogOrNull!.Catalog.Movies.Where(m => m.IsDescribed).Select(SemanticSearch.MovieText).Distinct(StringComparer.Ordinal).LongCount() * (16 + 32 * sizeof(float));

    /// <summary>
    /// Until the catalogue's vectors are ready the service answers lexically and says how far embedding is. Another
    /// process's lock on the cache (a replica embedding) keeps this one in that state for as long as the test holds it.
    /// </summary>
    [ModelFact]
    public async Task Search_answers_lexically_and_says_so_until_the_vectors_are_ready()
    {
        using var cache = TestData.NewFolder();
        var file = CacheFile(cache.Path);
        var held = HoldAsAnotherReplica(file);
        await using var factory = new ServiceFactory(Settings(cache.Path));
        try
        {
            var client = await factory.ReadyClientAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (factory.Host.CatalogOrNull?.Search.Status.State != Core.Search.SemanticState.Building && clock.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(50);
            for (int i = 0; i < 3; i++)
            {
                var search = await (await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots&n=5")).Json();
                Assert.Equal("lexical", search.GetProperty("mode").GetString());
                var note = search.GetProperty("note").GetString()!;
                Assert.Contains("semantic search is starting", note, StringComparison.Ordinal);
                // Only the movies the embeddings rank are embedded: those with a description (an overview or tags).
                int described = factory.Host.CatalogOrNull!.Catalog.Movies.Count(m => m.IsDescribed);
                Assert.InRange(described, 4_000, 5_000);
                Assert.Contains($"0 of {described:N0} movies embedded", note, StringComparison.Ordinal);
                Assert.Contains("lexical matches", note, StringComparison.Ordinal);
                Assert.Equal(5, search.GetProperty("items").GetArrayLength()); // lexical answers are real answers
                await Task.Delay(300);
            }
            Assert.False(File.Exists(file), "nothing may be embedded while another process holds the cache's lock");
            held.Dispose();
            await factory.WaitForSemanticAsync();
            var ready = await (await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots&n=5")).Json();
            Assert.Equal("hybrid", ready.GetProperty("mode").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, ready.GetProperty("note").ValueKind);
            Assert.Equal(ExpectedBytes(factory), new FileInfo(file).Length);
        }
        finally
        {
            held.Dispose();
        }
    }

    /// <summary>
    /// A restarted service loads the vectors it kept (it becomes semantic even while the cache's lock is held, which
    /// it would need to embed anything), and two replicas starting together on one cache embed the catalogue once.
    /// </summary>
    [ModelFact]
    [Trait("Category", "Slow")] // a service scenario of seconds (four starts, one embedding): the slow tier
    public async Task A_restart_and_a_second_replica_load_the_vectors_instead_of_embedding_again()
    {
        using var cache = TestData.NewFolder();
        var file = CacheFile(cache.Path);
        long bytes;
        DateTime written;
        await using (var first = new ServiceFactory(Settings(cache.Path)))
        {
            await first.ReadyClientAsync();
            await first.WaitForSemanticAsync();
            bytes = new FileInfo(file).Length;
            written = File.GetLastWriteTimeUtc(file);
            Assert.Equal(ExpectedBytes(first), bytes);
        }
        using (HoldAsAnotherReplica(file))
        {
            await using var restarted = new ServiceFactory(Settings(cache.Path));
            var client = await restarted.ReadyClientAsync();
            await restarted.WaitForSemanticAsync();
            var search = await (await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots&n=5")).Json();
            Assert.Equal("hybrid", search.GetProperty("mode").GetString());
        }
        Assert.Equal(bytes, new FileInfo(file).Length);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));

        // Two replicas at once on an empty cache: one embeds, the other waits for its lock, re-reads and embeds nothing.
        using var shared = TestData.NewFolder();
        var sharedFile = CacheFile(shared.Path);
        await using var a = new ServiceFactory(Settings(shared.Path));
        await using var b = new ServiceFactory(Settings(shared.Path));
        await Task.WhenAll(a.ReadyClientAsync(), b.ReadyClientAsync());
        await Task.WhenAll(a.WaitForSemanticAsync(), b.WaitForSemanticAsync());
        Assert.Equal(ExpectedBytes(a), new FileInfo(sharedFile).Length); // each text once: nothing embedded twice
        var hitsA = await (await a.CreateClient().GetAsync("/api/v1/search?q=a%20giant%20shark&n=5")).Json();
        var hitsB = await (await b.CreateClient().GetAsync("/api/v1/search?q=a%20giant%20shark&n=5")).Json();
        Assert.Equal(hitsA.GetProperty("items").ToString(), hitsB.GetProperty("items").ToString());
    }
}
