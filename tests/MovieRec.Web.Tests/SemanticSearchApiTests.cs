using MovieRec.Core.Tests.Algorithms.Semantic;

namespace MovieRec.Web.Tests;

/// <summary>
/// With an embedding model configured (the tiny random BERT the Core tests generate, in all-MiniLM-L6-v2's layout),
/// /search and /movies/{id}/similar?by=semantic use sentence embeddings (once built in the background) and say so.
/// </summary>
public sealed class SemanticSearchApiTests
{
    [Fact]
    public async Task Search_and_similar_are_semantic_when_a_model_is_configured()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:EmbeddingModel"] = TinyBertModel.Path });
        var client = await factory.ReadyClientAsync();
        await factory.WaitForSemanticAsync();
        var search = await (await client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots&n=7")).Json();
        Assert.Equal("hybrid", search.GetProperty("mode").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, search.GetProperty("note").ValueKind);
        var scores = search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(7, scores.Count);
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        var similar = await (await client.GetAsync("/api/v1/movies/1/similar?by=semantic&n=5")).Json();
        Assert.Equal("semantic", similar.GetProperty("by").GetString());
        Assert.Equal(5, similar.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(similar.GetProperty("items").EnumerateArray(), i => i.GetProperty("movie").GetProperty("movieId").GetInt64() == 1);
    }

    [Fact]
    public async Task Ratings_in_the_request_re_rank_by_taste_unless_turned_off()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        const string query = "/api/v1/search?q=space%20adventure&n=10";
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
}
