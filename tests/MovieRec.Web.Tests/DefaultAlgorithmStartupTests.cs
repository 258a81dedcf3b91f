using System.Net;
using System.Net.Http.Json;

namespace MovieRec.Web.Tests;

/// <summary>
/// A fresh start serves its first model at once, before the default algorithm (the product's, taste, takes seconds to
/// train) is trained on it: a request naming no algorithm does not wait for it but gets a quick algorithm's list that
/// says so; a request naming the default waits for it, and from then on the default's list is its own. The
/// recommendations page does the same: without an algorithm picked in its switcher it shows the quick list at once
/// with a notice (it waited for the default).
/// </summary>
[LongRunning]
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class DefaultAlgorithmStartupTests
{
    // The path is the same for any default that is not a quick algorithm; iALS trains in seconds where taste (a
    // stack of six models) took a minute and a half of the test run's CPU on a loaded 2-core machine.
    private const string Default = "ials";

    [Fact]
    public async Task While_the_default_trains_a_request_naming_none_gets_a_quick_list_that_says_so()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = Default });
        var client = await factory.ReadyClientAsync();
        // What start-up does with its first model, served while the next one warms (MovieRec:WarmUp is off in the tests).
        var model = factory.Host.Current!;
        model.Interim = true;
        var body = new { ratings = RecommendationApiTests.AnimatedFamily[..5].Select(id => new { movieId = id, rating = 5 }), n = 10 };

        var quick = await (await client.PostAsJsonAsync("/api/v1/recommendations", body)).Json();
        Assert.False(model.IsReady(Default), "the interim model trained the default for a request that named none");
        Assert.Equal("ease", quick.GetProperty("algorithm").GetString());
        string notice = quick.GetProperty("notice").GetString()!;
        Assert.Contains(Default, notice, StringComparison.Ordinal);
        Assert.Contains("still being trained", notice, StringComparison.Ordinal);
        Assert.Equal(10, quick.GetProperty("items").GetArrayLength());
        var user = await (await client.GetAsync("/api/v1/users/1/recommendations")).Json();
        Assert.Equal("ease", user.GetProperty("algorithm").GetString());
        Assert.Contains(Default, user.GetProperty("notice").GetString()!, StringComparison.Ordinal);

        // Named, it is waited for; once trained, it is the default's list again, without a notice.
        var named = await (await client.PostAsJsonAsync("/api/v1/recommendations", new { body.ratings, body.n, algorithm = Default })).Json();
        Assert.Equal(Default, named.GetProperty("algorithm").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, named.GetProperty("notice").ValueKind);
        var later = await (await client.PostAsJsonAsync("/api/v1/recommendations", body)).Json();
        Assert.Equal(Default, later.GetProperty("algorithm").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, later.GetProperty("notice").ValueKind);
    }

    [Fact]
    public async Task While_the_default_trains_the_recommendations_page_shows_a_quick_list_at_once_unless_an_algorithm_is_picked()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = Default });
        await factory.ReadyClientAsync();
        var model = factory.Host.Current!;
        model.Interim = true;
        var browser = factory.CreateClient(); // keeps the session cookie, as a browser does
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsync(new Uri("/api/v1/sessions", UriKind.Relative), null)).StatusCode);
        foreach (long movie in RecommendationApiTests.AnimatedFamily[..5])
            Assert.True((await browser.PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating = 5 })).IsSuccessStatusCode);

        // No algorithm picked: the quick list at once, saying the default is still training and reloading gives its list.
        string page = await Page(browser, "/recommendations");
        Assert.False(model.IsReady(Default), "the page trained the default on the interim model (it waited for it)");
        Assert.Contains("data-algorithm=\"ease\"", page, StringComparison.Ordinal);
        Assert.Matches("<li class=\"card\"", page);
        var notice = System.Text.RegularExpressions.Regex.Match(page, "<p id=\"interim-notice\"[^>]*>(.*?)</p>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(notice.Success, "no notice that the list is not the default's");
        string text = System.Text.RegularExpressions.Regex.Replace(notice.Groups[1].Value, "\\s+", " ");
        Assert.Contains("still being trained", text, StringComparison.Ordinal);
        Assert.Contains($"“{Queries.AlgorithmChoices.Get(Default).Label}”", text, StringComparison.Ordinal);
        Assert.Contains($"“{Queries.AlgorithmChoices.Get("ease").Label}”", text, StringComparison.Ordinal);
        Assert.Contains("Reload", text, StringComparison.Ordinal);

        // Picked in the switcher: that algorithm, waited for, without the notice; then the default's list is its own.
        string picked = await Page(browser, $"/recommendations?algorithm={Default}");
        Assert.Contains($"data-algorithm=\"{Default}\"", picked, StringComparison.Ordinal);
        Assert.DoesNotContain("interim-notice", picked, StringComparison.Ordinal);
        string later = await Page(browser, "/recommendations");
        Assert.Contains($"data-algorithm=\"{Default}\"", later, StringComparison.Ordinal);
        Assert.DoesNotContain("interim-notice", later, StringComparison.Ordinal);
    }

    private static async Task<string> Page(HttpClient browser, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await browser.SendAsync(request);
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return html;
    }
}
