using System.Diagnostics;
using System.Globalization;
using System.Net;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// PostgreSQL frozen (SIGSTOP: connections accepted, nothing answers): a request that needs the database gives up after
/// one wait of the connection string's Command Timeout and answers 503 (ProblemDetails for the API, the 503 page for a
/// browser). The driver's own waits added up past it: a command on a pooled connection waited its Command Timeout, then
/// twice the connect Timeout for the cancellation it sent; a request with a session cookie waited once for the session
/// lookup and again for its own query.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class PostgresFrozenTests : PostgresReplicaTests
{
    // A long connect timeout and a short command timeout: before the fix each request waited one to two connect
    // timeouts on top (23 s and 20 s here), so the bound below tells the two apart with room for a loaded machine.
    private const int CommandTimeoutSeconds = 3;
    private const int ConnectTimeoutSeconds = 10;
    private static readonly TimeSpan OneWait = TimeSpan.FromSeconds(3 * CommandTimeoutSeconds);

    protected override IReadOnlyDictionary<string, int> ConnectionSettings { get; } =
        new Dictionary<string, int> { ["Timeout"] = ConnectTimeoutSeconds, ["Command Timeout"] = CommandTimeoutSeconds };

    [Fact]
    public async Task A_request_gives_up_after_one_bounded_wait_with_a_503()
    {
        string token = await Clients.NewTokenAsync(Client);
        using var signedIn = Factory.CreateClient(new() { HandleCookies = false }).WithToken(token);
        // Pooled connections: the first request of the outage takes one of them, as in production.
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).StatusCode);
        using var browser = Factory.CreateClient(new() { HandleCookies = false });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        await Postgres.FreezeAsync();
        try
        {
            // A signed-in read on a pooled connection (it took 3 s + 2 x 10 s before).
            var (ratings, ratingsTook) = await Timed(() => signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative)));
            await ratings.AssertProblem(503);
            Assert.True(ratings.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "a 503 says when to retry");
            Assert.True(ratingsTook < OneWait, $"GET /me/ratings answered 503 after {ratingsTook.TotalSeconds:0.0} s");

            // An anonymous endpoint with a session cookie: the session lookup, then the endpoint's own query (2 x 10 s before).
            using var withCookie = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions");
            withCookie.Headers.Add("Cookie", $"movierec_session={token}");
            var (session, sessionTook) = await Timed(() => Client.SendAsync(withCookie));
            await session.AssertProblem(503);
            Assert.True(sessionTook < OneWait, $"POST /sessions with a session cookie answered 503 after {sessionTook.TotalSeconds:0.0} s");

            // A browser's account page: the 503 page.
            using var page = new HttpRequestMessage(HttpMethod.Get, "/recommendations");
            page.Headers.Add("Cookie", $"movierec_session={token}");
            var (html, pageTook) = await Timed(() => browser.SendAsync(page));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, html.StatusCode);
            Assert.StartsWith("text/html", html.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.True(pageTook < OneWait, $"the recommendations page answered 503 after {pageTook.TotalSeconds:0.0} s");
            // The model's state needs no database: 200 with what the replica knows, the store said to be unavailable (it was a 503).
            using var admin = Factory.CreateClient(new() { HandleCookies = false });
            admin.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
            var (model, modelTook) = await Timed(() => admin.GetAsync(new Uri("/api/v1/admin/model", UriKind.Relative)));
            var status = await model.Json();
            Assert.True(model.StatusCode == HttpStatusCode.OK, $"GET /admin/model: {(int)model.StatusCode} {status}");
            Assert.Equal(Factory.Host.Current!.Version, status.GetProperty("model").GetProperty("version").GetString());
            Assert.True(status.GetProperty("dataset").GetProperty("ratings").GetInt64() > 0);
            Assert.Equal("postgresql", status.GetProperty("ratingStore").GetString());
            Assert.False(status.GetProperty("ratingStoreAnswers").GetBoolean());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("storedRatings").ValueKind);
            Assert.Contains("does not answer", status.GetProperty("ratingStoreProblem").GetString(), StringComparison.Ordinal);
            Assert.True(modelTook < OneWait, $"GET /admin/model answered after {modelTook.TotalSeconds:0.0} s");
            Report.Write("postgres-frozen-request", string.Create(CultureInfo.InvariantCulture,
                $"commandTimeout={CommandTimeoutSeconds}s connectTimeout={ConnectTimeoutSeconds}s apiRead={ratingsTook.TotalMilliseconds:0}ms sessionWithCookie={sessionTook.TotalMilliseconds:0}ms page={pageTook.TotalMilliseconds:0}ms adminModel={modelTook.TotalMilliseconds:0}ms"));
        }
        finally
        {
            await Postgres.ThawAsync();
        }
        // Back: the same account reads its ratings again.
        await ServerBinaries.WaitUntilAsync(async () => (await signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90), "reads did not succeed again after PostgreSQL resumed");
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Took)> Timed(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call().WaitAsync(TimeSpan.FromSeconds(120));
        return (response, clock.Elapsed);
    }
}
