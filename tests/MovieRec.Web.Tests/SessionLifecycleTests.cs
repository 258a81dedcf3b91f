using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// Accounts over weeks (issue 16), on a fake clock: a session expires after its lifetime without use, not after its
/// creation (sliding, as MovieRec:SessionLifetime says); DELETE /api/v1/me deletes the account and its ratings; the
/// purge of accounts unused for N days deletes only those, and is off unless configured.
/// </summary>
public sealed class SessionLifecycleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static ServiceFactory Factory(FakeTimeProvider clock, Dictionary<string, string?>? settings = null) =>
        new(settings) { TestServices = s => s.AddSingleton<TimeProvider>(clock) };

    private static async Task<(HttpClient Client, string Token)> NewAccount(ServiceFactory factory)
    {
        var client = factory.CreateClient(new() { HandleCookies = false });
        var created = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        string token = created.GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, token);
    }

    [Fact]
    public async Task A_session_in_use_does_not_expire_and_one_unused_for_its_lifetime_does()
    {
        var clock = new FakeTimeProvider(Start);
        await using var factory = Factory(clock, new() { ["MovieRec:SessionLifetime"] = "10.00:00:00" });
        await factory.ReadyClientAsync();
        var (client, token) = await NewAccount(factory);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4 })).StatusCode);

        // Used on day 6 and day 12: past the creation's expiry (day 10), still signed in.
        clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me/ratings")).StatusCode);
        clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me/ratings")).StatusCode);

        // The cookie moves with it: a cookie-authenticated use re-issues the cookie with the new expiry.
        clock.Advance(TimeSpan.FromDays(2));
        using var browser = factory.CreateClient(new() { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/ratings");
        request.Headers.Add("Cookie", $"movierec_session={token}");
        var viaCookie = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
        var cookie = viaCookie.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("movierec_session=", StringComparison.Ordinal));
        Assert.Contains($"expires={(Start + TimeSpan.FromDays(24)):ddd, dd MMM yyyy HH:mm:ss} GMT", cookie, StringComparison.OrdinalIgnoreCase);

        // Ten days without use: expired.
        clock.Advance(TimeSpan.FromDays(10));
        await (await client.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
    }

    [Fact]
    public async Task Deleting_the_account_deletes_it_and_its_ratings()
    {
        var clock = new FakeTimeProvider(Start);
        await using var factory = Factory(clock);
        await factory.ReadyClientAsync();
        var (alice, _) = await NewAccount(factory);
        var (bob, _) = await NewAccount(factory);
        foreach (long movie in new long[] { 1, 2, 3 }) await alice.PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating = 4 });
        await bob.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 2 });
        var store = factory.Services.GetRequiredService<IRatingStore>();
        Assert.Equal(4, await store.CountRatingsAsync());

        var deleted = await alice.DeleteAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains(deleted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("movierec_session=;", StringComparison.Ordinal));
        await (await alice.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
        Assert.Equal(1, await store.CountRatingsAsync());
        Assert.Single((await (await bob.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray());

        // The purge is off by default: 1,000 days without use delete nothing (the same service: one start fewer).
        for (int k = 0; k < 10; k++)
        {
            clock.Advance(TimeSpan.FromDays(100));
            await Task.Delay(50);
        }
        Assert.Equal(1, await store.CountRatingsAsync());
    }

    [Fact]
    public async Task Accounts_unused_for_the_configured_days_are_purged_with_their_ratings()
    {
        var clock = new FakeTimeProvider(Start);
        await using var factory = Factory(clock, new()
        {
            ["MovieRec:PurgeUnusedAccountsAfter"] = "30.00:00:00",
            ["MovieRec:PurgeInterval"] = "01:00:00",
        });
        await factory.ReadyClientAsync();
        var store = factory.Services.GetRequiredService<IRatingStore>();
        var (idle, _) = await NewAccount(factory);
        var (active, _) = await NewAccount(factory);
        await idle.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 5 });
        await active.PutAsJsonAsync("/api/v1/me/ratings/2", new { rating = 3 });

        clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(HttpStatusCode.OK, (await active.GetAsync("/api/v1/me/ratings")).StatusCode); // used on day 20
        clock.Advance(TimeSpan.FromDays(11)); // day 31: idle unused for 31 days, active for 11
        for (int hour = 0; hour < 40 && await store.CountRatingsAsync() > 1; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(100);
        }
        Assert.Equal(1, await store.CountRatingsAsync());
        await (await idle.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
        var kept = (await (await active.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(2, kept.GetProperty("movieId").GetInt64());
        Assert.Contains("movierec_accounts_purged_total 1", await factory.CreateClient().GetStringAsync("/metrics"), StringComparison.Ordinal);
    }
}
