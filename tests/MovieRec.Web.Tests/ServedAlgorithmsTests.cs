using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Tests;

/// <summary>
/// A deployment serves the algorithms MovieRec:ServedAlgorithms lists (issue 18: a 25M replica cannot train taste):
/// the API lists and accepts only those, a request naming another one gets a 400 saying so, the page's switcher offers
/// only those, and the warm-up, the readiness report and the dashboard train and report only those. Here item-knn
/// (named by its alias, in another case) and popularity, listed as one comma-separated value, with warm-up on.
/// </summary>
public sealed partial class ServedAlgorithmsTests(ServedAlgorithmsTests.Fixture fixture) : IClassFixture<ServedAlgorithmsTests.Fixture>
{
    /// <summary>Catalogue order: popularity, then item-knn.</summary>
    private static readonly string[] Served = ["popularity", "item-knn"];

    public sealed class Fixture : IAsyncLifetime
    {
        public ServiceFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            ["MovieRec:ServedAlgorithms"] = " KNN, popularity ",
            ["MovieRec:DefaultAlgorithm"] = "knn",
            ["MovieRec:WarmUp"] = "true",
        });

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync() => Client = await Factory.ReadyClientAsync();

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private static object Ratings(string? algorithm) =>
        new { ratings = new[] { new { movieId = 1, rating = 5f }, new { movieId = 2355, rating = 4.5f } }, n = 5, algorithm };

    [Fact]
    public async Task The_algorithms_endpoint_lists_only_the_served_ones()
    {
        var all = await fixture.Client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms");
        Assert.Equal(Served, all!.Keys);
        var offered = await fixture.Client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms?forNewUsers=true");
        Assert.Equal(["item-knn"], offered!.Keys);
        Assert.Equal(Served, fixture.Factory.Services.GetRequiredService<AlgorithmChoices>().Served.Select(a => a.Name));
    }

    [Fact]
    public async Task A_request_naming_an_algorithm_not_served_is_a_400_listing_the_served_ones()
    {
        var body = await (await fixture.Client.PostJson("/api/v1/recommendations", Ratings("taste"))).AssertProblem(400, "algorithm");
        string detail = body.GetProperty("errors").GetProperty("algorithm")[0].GetString()!;
        Assert.Equal("'taste' is not served by this deployment (MovieRec:ServedAlgorithms). Served: popularity, item-knn (knn).", detail);
        // The persisted SVD is loaded but not served unless listed: dataset users cannot ask for it either.
        var svd = await (await fixture.Client.GetAsync("/api/v1/users/1/recommendations?n=3&algorithm=svd")).AssertProblem(400, "algorithm");
        Assert.Contains("'svd' is not served by this deployment", svd.GetProperty("errors").GetProperty("algorithm")[0].GetString(), StringComparison.Ordinal);
        // A name that is no algorithm at all keeps its own error.
        var magic = await (await fixture.Client.PostJson("/api/v1/recommendations", Ratings("magic"))).AssertProblem(400, "algorithm");
        Assert.Contains("unknown algorithm 'magic'", magic.GetProperty("errors").GetProperty("algorithm")[0].GetString(), StringComparison.Ordinal);
        // ... listing only what this request could name (it listed the whole catalogue: baseline, svd, ..., which the
        // next request would be refused).
        var offered = fixture.Factory.Services.GetRequiredService<AlgorithmChoices>().OfferedNames;
        Assert.Equal($"unknown algorithm 'magic'. Offered: {offered}.", magic.GetProperty("errors").GetProperty("algorithm")[0].GetString());
        var forUser = await (await fixture.Client.GetAsync("/api/v1/users/1/recommendations?algorithm=magic")).AssertProblem(400, "algorithm");
        Assert.Equal("unknown algorithm 'magic'. Known: popularity, item-knn (knn).", forUser.GetProperty("errors").GetProperty("algorithm")[0].GetString());
        // Nothing trained it on the way: a path that skipped the check would fail, not train.
        var model = fixture.Factory.Host.Current!;
        Assert.False(model.IsReady("taste"));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => model.GetAsync("taste"));
        Assert.Contains("not served by this deployment", refused.Message, StringComparison.Ordinal);
        Assert.False(model.IsReady("taste"));
    }

    [Fact]
    public async Task The_default_and_the_served_ones_answer()
    {
        var list = await (await fixture.Client.PostJson("/api/v1/recommendations", Ratings(null))).Json();
        Assert.Equal("knn", list.GetProperty("algorithm").GetString());
        Assert.Equal(5, list.GetProperty("items").GetArrayLength());
        var alias = await fixture.Client.PostJson("/api/v1/recommendations", Ratings("Item-KNN"));
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        var popular = await (await fixture.Client.GetAsync("/api/v1/users/1/recommendations?n=3&algorithm=popularity")).Json();
        Assert.Equal("popularity", popular.GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task The_warm_up_trains_and_the_status_reports_only_the_served_ones()
    {
        using var admin = fixture.Factory.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        var status = await (await admin.GetAsync("/api/v1/admin/model")).Json();
        var ready = status.GetProperty("algorithmsReady").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetBoolean());
        Assert.Equal(Served, ready.Keys);
        Assert.All(ready.Values, Assert.True); // warmed before ready
        var model = fixture.Factory.Host.Current!;
        Assert.All(AlgorithmChoices.All.Select(a => a.Name).Except([.. Served, "svd"]), name => Assert.False(model.IsReady(name), name));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/health/ready")).StatusCode);

        // The dashboard's evaluation rows (each one trains its algorithm) are the served ones too.
        Assert.Equal(Served, fixture.Factory.Services.GetRequiredService<EvaluationReport>().Order);
        string html = await fixture.Client.GetStringAsync("/dashboard");
        Assert.Equal(Served, EvaluationRowRegex().Matches(html).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task The_page_switcher_offers_only_the_served_ones_and_a_url_naming_another_shows_the_default()
    {
        var client = fixture.Factory.CreateClient();
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        var token = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        foreach (long movie in new long[] { 1, 2355, 3114 })
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/me/ratings/{movie}") { Content = JsonContent.Create(new { rating = 4.5f }) };
            put.Headers.Authorization = token;
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(put)).StatusCode);
        }
        string html = await client.GetStringAsync("/recommendations");
        Assert.Equal(["item-knn"], SwitcherRegex().Matches(html).Select(m => m.Groups[1].Value));
        // Served but not from a handful of ratings: named with the reason; svd, not served here, is not.
        Assert.Contains("""<li data-algorithm="popularity">""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("""<li data-algorithm="svd">""", html, StringComparison.Ordinal);

        string other = WebUtility.HtmlDecode(await client.GetStringAsync("/recommendations?algorithm=taste"));
        Assert.Contains("Your taste is not served by this deployment; showing Item kNN.", other, StringComparison.Ordinal);
        Assert.Contains("""id="rec-list" class="grid" data-algorithm="knn" """.TrimEnd(), other, StringComparison.Ordinal); // the default, as configured
    }

    [GeneratedRegex("""<a href="/recommendations\?algorithm=[a-z-]+" data-algorithm="([a-z-]+)" """)]
    private static partial Regex SwitcherRegex();

    [GeneratedRegex("""<tr data-algorithm="([a-z-]+)" data-state=""")]
    private static partial Regex EvaluationRowRegex();
}

/// <summary>MovieRec:ServedAlgorithms is checked at start: a mistake stops start-up with a sentence naming the setting.</summary>
public sealed class ServedAlgorithmsValidationTests
{
    private static IReadOnlyList<string> StartFailures(Dictionary<string, string?> settings)
    {
        using var factory = new ServiceFactory(settings);
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        return [.. Assert.IsType<OptionsValidationException>(e).Failures];
    }

    [Fact]
    public void An_unknown_or_unservable_name_is_rejected_listing_the_known_ones()
    {
        var failures = StartFailures(new() { ["MovieRec:ServedAlgorithms"] = "item-knn,magic, slope-one" });
        Assert.Contains($"MovieRec:ServedAlgorithms names 'magic', which the service does not serve (no such algorithm); use names from {AlgorithmChoices.KnownNames}.", failures);
        Assert.Contains(failures, f => f.StartsWith("MovieRec:ServedAlgorithms names 'slope-one', which the service does not serve (not served: its dense item x item deviation matrix", StringComparison.Ordinal));
        Assert.Equal(2, failures.Count);
    }

    [Fact]
    public void A_default_outside_the_list_is_rejected()
    {
        // One entry per key (MovieRec__ServedAlgorithms__0=ease) binds as well as one comma-separated value.
        var failures = StartFailures(new()
        {
            ["MovieRec:ServedAlgorithms:0"] = "ease",
            ["MovieRec:ServedAlgorithms:1"] = "popularity",
            ["MovieRec:DefaultAlgorithm"] = "taste",
        });
        Assert.Equal(["MovieRec:DefaultAlgorithm is 'taste', which MovieRec:ServedAlgorithms does not list; add it there or use one of ease."], failures);
    }

    [Fact]
    public void A_list_with_nothing_for_new_users_is_rejected()
    {
        var failures = StartFailures(new() { ["MovieRec:ServedAlgorithms"] = "svd,popularity", ["MovieRec:DefaultAlgorithm"] = "item-knn" });
        Assert.Contains("MovieRec:ServedAlgorithms lists only svd, popularity, none of which is offered for recommendations from a handful of ratings (visitors and accounts); "
            + $"add one of {AlgorithmChoices.NewUserNames}.", failures);
        Assert.Contains(failures, f => f.StartsWith("MovieRec:DefaultAlgorithm is 'item-knn', which MovieRec:ServedAlgorithms does not list; add it there or use one of the algorithms listed there.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_of_an_algorithm_not_served_are_allowed()
    {
        // Replicas serving different sets may share one configuration.
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["MovieRec:ServedAlgorithms"] = "item-knn",
            ["MovieRec:Algorithms:taste:candidates"] = "100",
        });
        var client = await factory.ReadyClientAsync();
        var all = await client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms");
        Assert.Equal(["item-knn"], all!.Keys);
    }
}
