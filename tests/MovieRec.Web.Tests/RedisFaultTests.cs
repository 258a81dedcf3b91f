using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Tests.Servers;
using StackExchange.Redis;

namespace MovieRec.Web.Tests;

/// <summary>
/// Issue 8, Redis stopped mid-run (in-process): the service keeps answering from its in-memory tier, /health/ready
/// is 503 naming redis, and once Redis is back it is ready again and writes lists to Redis without a restart.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class RedisFaultTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ReplicaFactory _factory = null!;
    private HttpClient _client = null!;
    private readonly ErrorLog _log = new();

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _factory = new ReplicaFactory(ReplicaFactory.Settings(null, _redis.Configuration))
        {
            TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_log),
        };
        _client = await _factory.ReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }

    private static object Profile(int k) => new
    {
        ratings = new[] { new { movieId = Clients.MovieLensIds(200)[k % 200], rating = 5.0 }, new { movieId = 296L, rating = 0.5 + (k % 10) * 0.5 } },
        n = 5,
        algorithm = "sequential",
    };

    [Fact]
    public async Task Requests_keep_answering_while_redis_is_down_and_readiness_recovers_without_a_restart()
    {
        var (status, checks) = await Clients.ReadinessAsync(_client);
        Assert.Equal(200, status);
        Assert.Equal("Healthy", checks["redis"].Status);
        using var signedIn = _factory.CreateClient(new() { HandleCookies = false }).WithToken(await Clients.NewTokenAsync(_client));
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync("/api/v1/recommendations", Profile(0))).StatusCode);

        await _redis.StopAsync();
        await ServerBinaries.WaitUntilAsync(async () => (await Clients.ReadinessAsync(_client)).Checks["redis"].Status != "Healthy", TimeSpan.FromSeconds(15),
            "/health/ready did not say Redis is down");
        (status, checks) = await Clients.ReadinessAsync(_client);
        // Degraded, still 200: Redis is every replica's, and a 503 took them all out of rotation while they served fine.
        Assert.Equal(200, status);
        Assert.Equal("Degraded", checks["redis"].Status);
        Assert.Contains("redis", checks["redis"].Description, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Healthy", checks["database"].Status);

        int errorsBefore = _log.Errors.Count;

        // Every kind of request still answers 200: cached lists (L1), new lists, dataset users, account writes and lists.
        var outcomes = new List<(string What, HttpStatusCode Status, double Ms)>();
        async Task Record(string what, Func<Task<HttpResponseMessage>> request)
        {
            var clock = Stopwatch.StartNew();
            using var response = await request().WaitAsync(TimeSpan.FromSeconds(30));
            outcomes.Add((what, response.StatusCode, clock.Elapsed.TotalMilliseconds));
        }
        for (int k = 0; k < 10; k++)
        {
            await Record("cached list", () => _client.PostAsJsonAsync("/api/v1/recommendations", Profile(0)));
            await Record("new list", () => _client.PostAsJsonAsync("/api/v1/recommendations", Profile(k + 1)));
            await Record("dataset user", () => _client.GetAsync(new Uri($"/api/v1/users/{k + 1}/recommendations?n=5&algorithm=sequential", UriKind.Relative)));
            await Record("rating", () => signedIn.PutAsJsonAsync($"/api/v1/me/ratings/{Clients.MovieLensIds(20)[k]}", new { rating = 4 }));
            await Record("my list", () => signedIn.GetAsync(new Uri("/api/v1/me/recommendations?n=5&algorithm=sequential", UriKind.Relative)));
        }
        var failed = outcomes.Where(o => o.Status != HttpStatusCode.OK).ToList();
        Assert.True(failed.Count == 0, "while Redis was down: " + string.Join("; ", failed.Select(f => $"{f.What} {(int)f.Status}")));
        // A known outage is not an error per request: HybridCache used to log each failed read and write of the shared
        // tier (two 2 KB entries with a stack per request that missed memory, 40 here).
        var errors = _log.Errors.Skip(errorsBefore).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} error entries while Redis was down, the first: {errors.FirstOrDefault()}");
        Assert.Equal(10, (await (await signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).Json()).GetProperty("items").GetArrayLength());
        Report.Write("redis-down", $"requests={outcomes.Count} ok={outcomes.Count - failed.Count} maxMs={outcomes.Max(o => o.Ms):0} medianMs={outcomes.Select(o => o.Ms).Order().ElementAt(outcomes.Count / 2):0}");

        await _redis.StartAsync();
        var back = Stopwatch.StartNew();
        await ServerBinaries.WaitUntilAsync(async () => (await Clients.ReadinessAsync(_client)).Checks["redis"].Status == "Healthy", TimeSpan.FromSeconds(30),
            "/health/ready did not recover after Redis came back");
        Report.Write("redis-back", $"readyAgainAfterMs={back.ElapsedMilliseconds}");
        Assert.Equal("Healthy", (await Clients.ReadinessAsync(_client)).Checks["redis"].Status);

        // Lists go to Redis again.
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync("/api/v1/recommendations", Profile(150))).StatusCode);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(server.Keys(pattern: "movierec:rec:*").Any()), TimeSpan.FromSeconds(10),
            "no recommendation list reached Redis after it came back");
    }
}

/// <summary>Figures the fault tests measure, printed to the test output (copied into docs/reliability.md).</summary>
internal static class Report
{
    public static void Write(string scenario, string figures) => Console.WriteLine($"[reliability] {scenario}: {figures}");
}
