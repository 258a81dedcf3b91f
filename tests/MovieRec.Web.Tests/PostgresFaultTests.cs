using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// Issue 8, PostgreSQL stopped and restarted under a write load (in-process): writes and reads that need the database
/// answer 503 ProblemDetails with Retry-After (never 500, no stack trace), /health/ready names the database, writes
/// succeed again once it is back, and every rating acknowledged with 2xx is in the database.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class PostgresFaultTests : PostgresReplicaTests
{
    private const int Writers = 6;

    [Fact]
    public async Task Readiness_says_a_database_that_does_not_answer_is_down_within_seconds()
    {
        // A server that accepts connections but never answers (SIGSTOP: a hung server, a partition). /health/ready took
        // 15 to more than 60 s (the driver's connect and command timeouts), longer than any probe waits.
        using var signedIn = Factory.CreateClient(new() { HandleCookies = false }).WithToken(await Clients.NewTokenAsync(Client));
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).StatusCode); // a pooled connection
        using var probe = Factory.CreateClient(new() { HandleCookies = false }); // a probe sends no session cookie
        await Postgres.FreezeAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var (ready, checks) = await Clients.ReadinessAsync(probe).WaitAsync(TimeSpan.FromSeconds(90));
            double seconds = clock.Elapsed.TotalSeconds;
            Assert.Equal(200, ready); // Degraded: the replica stays in rotation for what needs no database
            Assert.Equal(("Degraded", "The postgresql ratings database does not answer; writes and account pages answer 503 until it is back."), checks["database"]);
            Assert.True(seconds < 10, $"/health/ready took {seconds:0.0} s to say the database does not answer");
            Report.Write("postgres-frozen", string.Create(CultureInfo.InvariantCulture, $"readinessAnsweredAfterMs={clock.ElapsedMilliseconds}"));
        }
        finally
        {
            await Postgres.ThawAsync();
        }
        await ServerBinaries.WaitUntilAsync(async () => (await Clients.ReadinessAsync(probe)).Checks["database"].Status == "Healthy", TimeSpan.FromSeconds(90),
            "the database check did not recover after PostgreSQL resumed");
    }

    [Fact]
    public async Task Writes_fail_with_503_whilePostgresql_is_down_and_no_acknowledged_rating_is_lost()
    {
        var movies = Clients.MovieLensIds(Writers * 400);
        var clients = new HttpClient[Writers];
        for (int w = 0; w < Writers; w++) clients[w] = Factory.CreateClient(new() { HandleCookies = false }).WithToken(await Clients.NewTokenAsync(Client));
        var acknowledged = new ConcurrentDictionary<(int Writer, long Movie), float>();
        var statuses = new ConcurrentDictionary<int, int>();
        var unexpected = new ConcurrentQueue<string>();
        int requests = 0;
        using var stop = new CancellationTokenSource();

        async Task Write(int w)
        {
            // A 503 retries the same movie: the outage must not use up a writer's movies before PostgreSQL is back.
            for (int i = 0; i < 400 && !stop.IsCancellationRequested;)
            {
                long movie = movies[w * 400 + i];
                float rating = 0.5f + (i % 10) * 0.5f;
                using var response = await clients[w].PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating }).WaitAsync(TimeSpan.FromSeconds(30));
                Interlocked.Increment(ref requests);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(20);
                    continue;
                }
                if (response.IsSuccessStatusCode) acknowledged[(w, movie)] = rating;
                else unexpected.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                i++;
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => Write(w))));
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 60), TimeSpan.FromSeconds(20), "the writers did not store 60 ratings");
        int beforeOutage = acknowledged.Count;

        await Postgres.StopAsync();
        var outage = Stopwatch.StartNew();
        // While it is down: a write is a 503 problem with Retry-After, without internals; reads that need the database too.
        var write = await clients[0].PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4 });
        var problem = await write.AssertProblem(503);
        Assert.True(write.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "a 503 says when to retry");
        string text = problem.ToString();
        foreach (string leak in new[] { " at ", "Npgsql", "Exception", "127.0.0.1", "Host=" })
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        await (await clients[1].GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).AssertProblem(503);
        await (await clients[1].GetAsync(new Uri("/api/v1/me/recommendations", UriKind.Relative))).AssertProblem(503);
        await (await Client.PostAsync(new Uri("/api/v1/sessions", UriKind.Relative), null)).AssertProblem(503);
        // Readiness stays 200, Degraded: the database is every replica's, and a 503 took them all out of rotation
        // (Kubernetes' readiness probe), so what needs no database (below) could not be reached either.
        var (ready, checks) = await Clients.ReadinessAsync(Client);
        Assert.Equal(200, ready);
        Assert.Equal("Degraded", checks["database"].Status);
        Assert.Contains("postgresql", checks["database"].Description, StringComparison.Ordinal);
        // Pages: a visitor whose session cookie cannot be checked is not shown as someone who has rated nothing. The
        // account page is a 503 page saying why (it was a 200 "Nothing rated yet"); catalogue pages answer with a notice.
        string token = clients[2].DefaultRequestHeaders.Authorization!.Parameter!;
        using var browser = Factory.CreateClient(new() { HandleCookies = false });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/recommendations");
        withCookie.Headers.Add("Cookie", $"movierec_session={token}");
        using var accountPage = await browser.SendAsync(withCookie);
        string accountHtml = await accountPage.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, accountPage.StatusCode);
        Assert.True(accountPage.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "the 503 page says when to retry");
        Assert.Contains("Your ratings cannot be read right now", accountHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing rated yet", accountHtml, StringComparison.Ordinal);
        using var movieWithCookie = new HttpRequestMessage(HttpMethod.Get, "/movies/1");
        movieWithCookie.Headers.Add("Cookie", $"movierec_session={token}");
        using var moviePage = await browser.SendAsync(movieWithCookie);
        Assert.Equal(HttpStatusCode.OK, moviePage.StatusCode);
        Assert.Contains("id=\"ratings-unavailable\"", await moviePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("ratings-unavailable", await browser.GetStringAsync(new Uri("/movies/1", UriKind.Relative)), StringComparison.Ordinal);
        // The dashboard (where an operator looks) keeps answering and says the store does not answer (it was a 503 page).
        string dashboard = await browser.GetStringAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Contains("postgresql, does not answer right now", dashboard, StringComparison.Ordinal);
        // The model's state needs no database (GET /admin/model was a 503): the store's one fact is said to be unavailable.
        using var admin = Factory.CreateClient(new() { HandleCookies = false });
        admin.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        using var model = await admin.GetAsync(new Uri("/api/v1/admin/model", UriKind.Relative));
        Assert.True(model.StatusCode == HttpStatusCode.OK, $"GET /admin/model: {(int)model.StatusCode} {await model.Content.ReadAsStringAsync()}");
        Assert.False((await model.Json()).GetProperty("ratingStoreAnswers").GetBoolean());
        // Recommendations that need no database keep answering.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1L, rating = 5.0 } }, n = 5 })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1));
        int during = acknowledged.Count;

        await Postgres.StartAsync();
        long outageMs = outage.ElapsedMilliseconds;
        var recovery = Stopwatch.StartNew();
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= during + 60), TimeSpan.FromSeconds(30),
            "writes did not succeed again after PostgreSQL restarted");
        long recoveredMs = recovery.ElapsedMilliseconds;
        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(unexpected.IsEmpty, "only 2xx and 503 are allowed: " + string.Join("; ", unexpected.Take(3)));
        Assert.Equal(200, (await Clients.ReadinessAsync(Client)).Status);
        // Every acknowledged rating is stored, with the acknowledged value (each writer rates distinct movies).
        int stored = 0;
        for (int w = 0; w < Writers; w++)
        {
            var mine = (await (await clients[w].GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).Json()).GetProperty("items").EnumerateArray()
                .ToDictionary(r => r.GetProperty("movieId").GetInt64(), r => r.GetProperty("rating").GetSingle());
            stored += mine.Count;
            foreach (var ((writer, movie), rating) in acknowledged.Where(a => a.Key.Writer == w))
                Assert.True(mine.TryGetValue(movie, out float value) && value == rating, $"writer {writer}: acknowledged rating of {movie} = {rating} is not stored");
        }
        long inDatabase = Convert.ToInt64(await Postgres.ScalarAsync("movierec", "SELECT COUNT(*) FROM ratings"), CultureInfo.InvariantCulture);
        Assert.True(inDatabase >= acknowledged.Count, $"{inDatabase} rows for {acknowledged.Count} acknowledged ratings");
        Assert.True(statuses.GetValueOrDefault(503) > 0, "the load saw the outage");
        Report.Write("postgres-restart", string.Create(CultureInfo.InvariantCulture,
            $"writers={Writers} requests={requests} acknowledged={acknowledged.Count} (before outage {beforeOutage}) status503={statuses.GetValueOrDefault(503)} other={unexpected.Count} storedRows={inDatabase} outageMs={outageMs} writesBackAfterMs={recoveredMs}"));
        foreach (var c in clients) c.Dispose();
    }
}
