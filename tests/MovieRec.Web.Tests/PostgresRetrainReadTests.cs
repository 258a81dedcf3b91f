using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Storage;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// PostgreSQL freezes (SIGSTOP) while a retrain reads every stored rating. The read used the maintenance commands'
/// 600 s timeout on one pooled connection: the admin's retrain hung for ten minutes and the pool (small in the Lambda
/// and replica configurations) was a connection short all that time. Now the read fails after
/// MovieRec:StoredRatingsReadTimeout plus the driver's attempt to cancel, gives its connection back to the pool, the
/// retrain is recorded as failed with the reason, the current model keeps serving, and requests are answered.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class PostgresRetrainReadTests : PostgresReplicaTests
{
    private const int ReadTimeoutSeconds = 2;
    private const int ConnectTimeoutSeconds = 2;
    private const int PoolSize = 2;

    // The read's timeout, then Npgsql's cancellation: a connection to the frozen server (connect Timeout) and its wait
    // for the answer (Cancellation Timeout, 2 s). Room for a loaded machine; before the fix nothing came for 600 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3 * (ReadTimeoutSeconds + ConnectTimeoutSeconds + 2));

    private readonly TaskCompletionSource _readStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PostgresRatingStore? _store;
    private volatile bool _freezeOnRead;

    protected override IReadOnlyDictionary<string, int> ConnectionSettings { get; } = new Dictionary<string, int>
    {
        ["Timeout"] = ConnectTimeoutSeconds,
        ["Command Timeout"] = 3,
        ["Maximum Pool Size"] = PoolSize,
    };

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>
    {
        ["MovieRec:StoredRatingsReadTimeout"] = $"00:00:0{ReadTimeoutSeconds}",
    };

    // The service's own store (built by its registration, so with the setting above), frozen under the retrain's read
    // as it begins: the read's command is then outstanding on a pooled connection when nothing answers any more.
    protected override Action<IServiceCollection>? TestServices => services =>
    {
        var registered = services.Last(d => d.ServiceType == typeof(IRatingStore));
        services.AddSingleton(sp =>
        {
            _store = (PostgresRatingStore)registered.ImplementationFactory!(sp);
            return InterceptingStore.Wrap(_store, (store, method, args) =>
                method.Name == nameof(IRatingStore.GetAllRatingsAsync) && _freezeOnRead ? FrozenReadAsync(store, (CancellationToken)args[0]!) : null);
        });
    };

    private async Task<IReadOnlyList<AccountRating>> FrozenReadAsync(IRatingStore store, CancellationToken cancellationToken)
    {
        _freezeOnRead = false;
        await Postgres.FreezeAsync();
        _readStarted.TrySetResult();
        return await store.GetAllRatingsAsync(cancellationToken);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _store?.Dispose();
    }

    [Fact]
    public async Task A_retrain_whose_read_of_every_rating_finds_postgresql_frozen_fails_in_bounded_time_and_gives_its_connection_back()
    {
        string token = await Clients.NewTokenAsync(Client);
        using var signedIn = Factory.CreateClient(new() { HandleCookies = false }).WithToken(token);
        foreach (long movie in Clients.MovieLensIds(5))
            Assert.True((await signedIn.PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating = 4.5 })).IsSuccessStatusCode);
        using var admin = Factory.CreateClient(new() { HandleCookies = false });
        admin.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        string serving = Factory.Host.Current!.Version;
        using var connections = new PoolGauge(Postgres.Port);
        Assert.True(connections.Count("idle") > 0, "the gauge sees none of the pool's connections"); // it counts this pool

        _freezeOnRead = true;
        var clock = Stopwatch.StartNew();
        var retrain = admin.PostAsync(new Uri("/api/v1/admin/retrain", UriKind.Relative), null);
        try
        {
            await _readStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
            // Before the fix the retrain answered nothing for 600 s (then twice the connect timeout): the wait fails here.
            var response = await retrain.WaitAsync(Bound + TimeSpan.FromSeconds(10));
            var took = clock.Elapsed;
            string detail = (await response.AssertProblem(503)).GetProperty("detail").GetString()!;
            Assert.Contains("Reading every stored rating from the postgresql ratings database failed", detail, StringComparison.Ordinal);
            Assert.Contains("the current model keeps serving", detail, StringComparison.Ordinal);
            Assert.True(took < Bound, $"the retrain failed after {took.TotalSeconds:0.0} s");

            // Still frozen: the read's connection is back (discarded), not held for the rest of the outage.
            int used = connections.Count("used");
            Assert.True(used == 0, $"{used} pooled connections still in use after the retrain failed");
            // The admin status says why; the model that served before still serves, and answers requests.
            var status = await (await admin.GetAsync(new Uri("/api/v1/admin/model", UriKind.Relative))).Json();
            var last = status.GetProperty("lastRetrain");
            Assert.False(last.GetProperty("promoted").GetBoolean());
            Assert.StartsWith("failed: Reading every stored rating", last.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("MovieRec:StoredRatingsReadTimeout", last.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(serving, status.GetProperty("model").GetProperty("version").GetString());
            var recommend = await Client.PostAsJsonAsync("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5.0 } }, n = 5 });
            Assert.Equal(HttpStatusCode.OK, recommend.StatusCode);
            Assert.Equal(serving, recommend.Headers.GetValues("X-Model-Version").Single());
            Report.Write("postgres-frozen-retrain-read", string.Create(CultureInfo.InvariantCulture,
                $"storedRatingsReadTimeout={ReadTimeoutSeconds}s connectTimeout={ConnectTimeoutSeconds}s pool={PoolSize} retrainFailedAfter={took.TotalMilliseconds:0}ms usedConnectionsAfter={used}"));
        }
        finally
        {
            await Postgres.ThawAsync();
        }

        // Resumed: requests read the database again at once, and the next retrain reads every rating.
        var again = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative))).StatusCode);
        Assert.True(again.Elapsed < TimeSpan.FromSeconds(3), $"the first read after PostgreSQL resumed took {again.Elapsed.TotalSeconds:0.0} s");
        var outcome = await (await admin.PostAsync(new Uri("/api/v1/admin/retrain", UriKind.Relative), null)).Json();
        Assert.DoesNotContain("failed", outcome.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Npgsql's count of pooled connections in use (db.client.connection.count, state "used") for the test's server.</summary>
    private sealed class PoolGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _port;
        private string _state = "";
        private int _count;

        public PoolGauge(int port)
        {
            _port = string.Create(CultureInfo.InvariantCulture, $"Port={port}");
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.connection.count") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<int>(Record);
            _listener.SetMeasurementEventCallback<long>((i, m, t, s) => Record(i, (int)m, t, s));
            _listener.Start();
        }

        /// <summary>How many of the pool's connections are in <paramref name="state"/> ("used" or "idle") now.</summary>
        public int Count(string state)
        {
            _state = state;
            _count = 0;
            _listener.RecordObservableInstruments();
            return _count;
        }

        private void Record(Instrument instrument, int measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            bool inState = false, ours = false;
            foreach (var (key, value) in tags)
            {
                if (key == "db.client.connection.state") inState = value as string == _state;
                if (key == "db.client.connection.pool.name") ours = (value as string)?.Contains(_port, StringComparison.Ordinal) == true;
            }
            if (inState && ours) _count += measurement;
        }

        public void Dispose() => _listener.Dispose();
    }
}
