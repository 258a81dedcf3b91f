using System.Net.Http.Json;

namespace MovieRec.Web.Tests;

/// <summary>
/// A fresh start serves its first model at once, before the default algorithm (taste, seconds to train) is trained on
/// it: a request naming no algorithm does not wait for it but gets a quick algorithm's list that says so; a request
/// naming taste waits for taste, and from then on the default's list is taste's.
/// </summary>
public sealed class DefaultAlgorithmStartupTests
{
    [Fact]
    public async Task While_the_default_trains_a_request_naming_none_gets_a_quick_list_that_says_so()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = "taste" });
        var client = await factory.ReadyClientAsync();
        // What start-up does with its first model, served while the next one warms (MovieRec:WarmUp is off in the tests).
        var model = factory.Host.Current!;
        model.Interim = true;
        var body = new { ratings = RecommendationApiTests.AnimatedFamily[..5].Select(id => new { movieId = id, rating = 5 }), n = 10 };

        var quick = await (await client.PostAsJsonAsync("/api/v1/recommendations", body)).Json();
        Assert.False(model.IsReady("taste"), "the interim model trained the default for a request that named none");
        Assert.Equal("item-knn", quick.GetProperty("algorithm").GetString());
        string notice = quick.GetProperty("notice").GetString()!;
        Assert.Contains("taste", notice, StringComparison.Ordinal);
        Assert.Contains("still being trained", notice, StringComparison.Ordinal);
        Assert.Equal(10, quick.GetProperty("items").GetArrayLength());
        var user = await (await client.GetAsync("/api/v1/users/1/recommendations")).Json();
        Assert.Equal("item-knn", user.GetProperty("algorithm").GetString());
        Assert.Contains("taste", user.GetProperty("notice").GetString()!, StringComparison.Ordinal);

        // Named, it is waited for; once trained, it is the default's list again, without a notice.
        var named = await (await client.PostAsJsonAsync("/api/v1/recommendations", new { body.ratings, body.n, algorithm = "taste" })).Json();
        Assert.Equal("taste", named.GetProperty("algorithm").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, named.GetProperty("notice").ValueKind);
        var later = await (await client.PostAsJsonAsync("/api/v1/recommendations", body)).Json();
        Assert.Equal("taste", later.GetProperty("algorithm").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, later.GetProperty("notice").ValueKind);
    }
}
