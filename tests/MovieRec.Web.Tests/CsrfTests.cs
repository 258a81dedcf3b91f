using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// Cross-site request forgery (issue 16): session creation and every cookie-authenticated write need a same-origin
/// request (Sec-Fetch-Site, else Origin); requests with a bearer token and non-browser clients are unaffected.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CsrfTests(ServiceFixture fixture)
{
    private const string Evil = "https://evil.example";

    private HttpClient Browser() => fixture.Factory.CreateClient(new() { HandleCookies = false });

    private static HttpRequestMessage Request(HttpMethod method, string url, string? origin = null, string? site = null, string? cookie = null, object? json = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (site is not null) request.Headers.Add("Sec-Fetch-Site", site);
        if (cookie is not null) request.Headers.Add("Cookie", $"movierec_session={cookie}");
        if (json is not null) request.Content = JsonContent.Create(json);
        return request;
    }

    private async Task<string> NewToken()
    {
        var created = await Browser().SendAsync(Request(HttpMethod.Post, "/api/v1/sessions", site: "same-origin"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Json()).GetProperty("token").GetString()!;
    }

    [Theory]
    [InlineData(Evil, null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData("http://localhost", "cross-site")] // Sec-Fetch-Site wins over a matching Origin
    public async Task A_cross_site_session_creation_is_refused_and_sets_no_cookie(string? origin, string? site)
    {
        var response = await Browser().SendAsync(Request(HttpMethod.Post, "/api/v1/sessions", origin, site));
        var problem = await response.AssertProblem(403);
        Assert.Equal("Forbidden", problem.GetProperty("title").GetString());
        Assert.StartsWith("Cross-site request refused", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("http://localhost", null)]
    [InlineData(null, "same-origin")]
    [InlineData(null, null)] // not a browser: curl, an app
    public async Task A_same_origin_or_non_browser_session_creation_is_accepted(string? origin, string? site)
    {
        var response = await Browser().SendAsync(Request(HttpMethod.Post, "/api/v1/sessions", origin, site));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Cookie_authenticated_writes_from_another_site_are_refused_and_change_nothing()
    {
        string token = await NewToken();
        var client = Browser();
        await (await client.SendAsync(Request(HttpMethod.Put, "/api/v1/me/ratings/1", origin: Evil, cookie: token, json: new { rating = 1 }))).AssertProblem(403);
        await (await client.SendAsync(Request(HttpMethod.Put, "/api/v1/me/ratings/1", site: "cross-site", cookie: token, json: new { rating = 1 }))).AssertProblem(403);
        await (await client.SendAsync(Request(HttpMethod.Delete, "/api/v1/me", site: "cross-site", cookie: token))).AssertProblem(403);
        var store = fixture.Factory.Services.GetRequiredService<IRatingStore>();
        long account = (await store.FindAccountAsync(Accounts.SessionTokens.Hash(token), DateTimeOffset.UtcNow))!.Value;
        Assert.Empty(await store.GetRatingsAsync(account));

        // The same writes from our own pages go through.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/api/v1/me/ratings/1", site: "same-origin", cookie: token, json: new { rating = 4 }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/api/v1/me/ratings/2", origin: "http://localhost", cookie: token, json: new { rating = 4 }))).StatusCode);
        Assert.Equal(2, (await store.GetRatingsAsync(account)).Count);
        // Reads are not writes: a cross-site GET (a link) still works.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Get, "/api/v1/me/ratings", site: "cross-site", cookie: token))).StatusCode);
    }

    [Fact]
    public async Task The_api_with_a_bearer_token_is_unaffected()
    {
        string token = await NewToken();
        var client = Browser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/api/v1/me/ratings/1", origin: Evil, site: "cross-site", json: new { rating = 3 }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Request(HttpMethod.Delete, "/api/v1/me/ratings/1", origin: Evil))).StatusCode);
    }
}
