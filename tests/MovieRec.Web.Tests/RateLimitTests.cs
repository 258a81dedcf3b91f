using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MovieRec.Web.Tests;

/// <summary>One rate limiter for pages and API, and a Retry-After that says when the window really reopens (issue 16).</summary>
public sealed class RateLimitTests
{
    private static ServiceFactory Limited(int perMinute, TimeProvider? clock = null) =>
        new(new Dictionary<string, string?> { ["MovieRec:RateLimitPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            TestServices = clock is null ? null : s => s.AddSingleton(clock),
        };

    [Fact]
    public async Task Retry_after_says_when_the_window_reopens()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var factory = Limited(3, clock);
        var client = await factory.ReadyClientAsync();
        for (int k = 0; k < 3; k++) Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(42));
        var limited = await client.PostAsync("/api/v1/sessions", null);
        await limited.AssertProblem(429);
        Assert.Equal(TimeSpan.FromSeconds(18), limited.Headers.RetryAfter?.Delta);
        clock.Advance(TimeSpan.FromSeconds(17));
        Assert.Equal(TimeSpan.FromSeconds(1), (await client.PostAsync("/api/v1/sessions", null)).Headers.RetryAfter?.Delta);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
    }

    [Fact]
    public async Task Pages_and_the_api_count_against_one_limit()
    {
        // 1 write a minute: expensive reads (search, recommendations, similar; every page) get 10.
        await using var factory = Limited(1);
        var client = await factory.ReadyClientAsync();
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/search?q=toy{k}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Page(client, $"/search?q=story{k}")).StatusCode);
        }
        var page = await Page(client, "/search?describe=a+heist+in+space");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Too many requests", html, StringComparison.Ordinal);
        Assert.True(page.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 });
        var api = await client.GetAsync("/api/v1/search?q=alien");
        await api.AssertProblem(429);
    }

    private static Task<HttpResponseMessage> Page(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        return client.SendAsync(request);
    }
}
