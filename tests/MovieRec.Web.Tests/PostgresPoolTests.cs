using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// PostgreSQL frozen (SIGSTOP) with a small connection pool: more requests than the pool holds give up with 503 while it
/// is frozen, each leaving the operation it gave up on to the driver. Once the server resumes (SIGCONT), requests must
/// succeed again at once: no pooled connection held by an abandoned operation, no "The connection pool has been
/// exhausted", no wait for a pool slot. Measured: they do (each abandoned operation ends by the driver's own timeouts,
/// or at once when the server resumes, and its connection goes back to the pool or is discarded); the test keeps it so.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class PostgresPoolTests : PostgresReplicaTests
{
    private const int PoolSize = 3;
    private const int CommandTimeoutSeconds = 3;
    private const int ConnectTimeoutSeconds = 2;
    private const int DuringFreeze = 3 * PoolSize;
    private readonly ErrorLog _log = new(Microsoft.Extensions.Logging.LogLevel.Warning);

    protected override IReadOnlyDictionary<string, int> ConnectionSettings { get; } = new Dictionary<string, int>
    {
        ["Timeout"] = ConnectTimeoutSeconds,
        ["Command Timeout"] = CommandTimeoutSeconds,
        ["Maximum Pool Size"] = PoolSize,
    };

    protected override Action<IServiceCollection>? TestServices =>
        services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_log);

    [Theory]
    [InlineData(0)] // resumed while the abandoned operations still wait for the server
    [InlineData(9)] // resumed after the driver gave the first ones up (Command Timeout 3 s, then the cancellation: 7 s)
    public async Task Requests_abandoned_during_a_freeze_leave_the_pool_usable_oncePostgresql_resumes(int freezeSeconds)
    {
        string token = await Clients.NewTokenAsync(Client);
        using var signedIn = Factory.CreateClient(new() { HandleCookies = false }).WithToken(token);
        var me = new Uri("/api/v1/me/ratings", UriKind.Relative);
        // The pool's connections open and idle, as in production before an outage.
        await Task.WhenAll(Enumerable.Range(0, PoolSize).Select(async _ => Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync(me)).StatusCode)));

        int logged = _log.Errors.Count;
        var frozen = Stopwatch.StartNew();
        await Postgres.FreezeAsync();
        var during = new List<int>();
        try
        {
            // Three times the pool: every pooled connection is taken by an operation the request gives up on, and
            // later requests wait for a slot or open new connections that the frozen server never answers.
            during.AddRange(await Task.WhenAll(Enumerable.Range(0, DuringFreeze).Select(_ => Get(signedIn, me))));
            while (frozen.Elapsed < TimeSpan.FromSeconds(freezeSeconds))
                during.AddRange(await Task.WhenAll(Enumerable.Range(0, PoolSize).Select(_ => Get(signedIn, me))));
        }
        finally
        {
            await Postgres.ThawAsync();
        }
        double frozenSeconds = frozen.Elapsed.TotalSeconds;
        Assert.All(during, status => Assert.Equal(503, status));
        // The pool was used up while frozen (what the recovery below must survive): the 503s logged say so.
        int exhausted = _log.Errors.Skip(logged).Count(e => e.Contains("connection pool has been exhausted", StringComparison.Ordinal));
        Assert.True(exhausted > 0, $"no request found the pool exhausted: {string.Join(" | ", _log.Errors.Skip(logged).Take(3))}");

        // Resumed: the next requests succeed, each within a small fraction of the driver's timeouts.
        var recovery = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        var statuses = new List<string>();
        for (int i = 0; i < 2 * PoolSize; i++)
        {
            var clock = Stopwatch.StartNew();
            var responses = await Task.WhenAll(Enumerable.Range(0, PoolSize).Select(_ => signedIn.GetAsync(me)));
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
            foreach (var response in responses)
                statuses.Add(response.StatusCode == HttpStatusCode.OK ? "200" : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Report.Write("postgres-pool-after-freeze", string.Create(CultureInfo.InvariantCulture,
            $"pool={PoolSize} requestsDuringFreeze={during.Count} poolExhausted={exhausted} frozenFor={frozenSeconds:0.0}s recoveryBatches={2 * PoolSize}x{PoolSize} took={recovery.Elapsed.TotalMilliseconds:0}ms slowestBatch={slowest.TotalMilliseconds:0}ms statuses={string.Join(",", statuses.GroupBy(s => s).Select(g => $"{g.Count()}x {g.Key}"))}"));
        Assert.All(statuses, s => Assert.Equal("200", s));
        Assert.True(slowest < TimeSpan.FromSeconds(CommandTimeoutSeconds), $"a batch of {PoolSize} requests took {slowest.TotalSeconds:0.0} s after PostgreSQL resumed");
    }

    private static async Task<int> Get(HttpClient client, Uri uri)
    {
        using var response = await client.GetAsync(uri);
        return (int)response.StatusCode;
    }
}
