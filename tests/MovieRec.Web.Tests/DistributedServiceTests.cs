using System.Net;
using System.Net.Http.Json;
using MovieRec.Web.Tests.Servers;
using StackExchange.Redis;

namespace MovieRec.Web.Tests;

/// <summary>Two replicas sharing a PostgreSQL server the tests start and a Redis server (the shared cache tier).</summary>
public sealed class DistributedFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public ReplicaFactory A { get; private set; } = null!;
    public ReplicaFactory B { get; private set; } = null!;
    public HttpClient ClientA { get; private set; } = null!;
    public HttpClient ClientB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(Task.Run(async () => (object)await PostgresServer.StartNewAsync()), Task.Run(async () => (object)await RedisServer.StartNewAsync()));
        Postgres = (PostgresServer)servers[0];
        Redis = (RedisServer)servers[1];
        string ratings = await Postgres.CreateDatabaseAsync("movierec");
        var settings = ReplicaFactory.Settings(ratings, Redis.Configuration);
        A = new ReplicaFactory(settings);
        ClientA = await A.ReadyClientAsync();
        // B shares A's model directory: it loads the model A trained and published (same version, same cache keys).
        B = new ReplicaFactory(settings, A.DataDirectory);
        ClientB = await B.ReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        if (B is not null) await B.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}

/// <summary>The service on PostgreSQL and Redis: readiness, a cache shared by replicas, ratings shared by replicas.</summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class DistributedServiceTests(DistributedFixture fixture) : IClassFixture<DistributedFixture>
{
    [Fact]
    public async Task Both_replicas_serve_the_same_model_and_are_ready_on_postgresql_and_redis()
    {
        Assert.Equal(fixture.A.Host.Current!.Version, fixture.B.Host.Current!.Version);
        foreach (var client in new[] { fixture.ClientA, fixture.ClientB })
        {
            var (status, checks) = await Clients.ReadinessAsync(client);
            Assert.Equal(200, status);
            Assert.Equal(("Healthy", "The postgresql ratings database answers."), checks["database"]);
            Assert.Equal("Healthy", checks["redis"].Status);
            Assert.Equal("Healthy", checks["model"].Status);
        }
    }

    [Fact]
    public async Task A_list_computed_by_one_replica_is_served_from_redis_by_the_other()
    {
        // A profile no other test uses, so the key is new to both replicas.
        var request = new { ratings = new[] { new { movieId = 260L, rating = 5.0 }, new { movieId = 1196L, rating = 4.5 }, new { movieId = 2628L, rating = 1.5 } }, n = 7, algorithm = "sequential" };
        // Both replicas on the catalogue with TMDB joined, under one cache key: with warm-up off the join lands after
        // start-up, and a list computed before it is stored under the first catalogue's key (seen once under load:
        // the key looked for was the joined one's, ".2", the list stored under ".1").
        static bool Joined(ReplicaFactory f) => f.Host.CatalogOrNull?.Generation == 2 && f.Host.Current!.CacheKey.EndsWith(".2", StringComparison.Ordinal);
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(Joined(fixture.A) && Joined(fixture.B) && fixture.A.Host.Current!.CacheKey == fixture.B.Host.Current!.CacheKey),
            TimeSpan.FromMinutes(2), "the replicas never served the joined catalogue under one cache key");
        string cacheKey = fixture.A.Host.Current!.CacheKey;
        var first = await Clients.MovieIds(await fixture.ClientA.PostAsJsonAsync("/api/v1/recommendations", request));
        Assert.Equal(7, first.Count);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        string pattern = $"movierec:rec:{cacheKey}:sequential:7:*";
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(server.Keys(pattern: pattern).Any()), TimeSpan.FromSeconds(10),
            $"no key {pattern} in Redis after replica A computed the list");

        double hits = fixture.B.Metrics.CacheHits, misses = fixture.B.Metrics.CacheMisses;
        var second = await Clients.MovieIds(await fixture.ClientB.PostAsJsonAsync("/api/v1/recommendations", request));
        Assert.Equal(first, second);
        Assert.Equal(hits + 1, fixture.B.Metrics.CacheHits);
        Assert.Equal(misses, fixture.B.Metrics.CacheMisses);
    }

    [Fact]
    public async Task A_rating_stored_through_one_replica_changes_recommendations_on_the_other()
    {
        string token = await Clients.NewTokenAsync(fixture.ClientA);
        using var a = fixture.A.CreateClient(new() { HandleCookies = false }).WithToken(token);
        using var b = fixture.B.CreateClient(new() { HandleCookies = false }).WithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 5 })).StatusCode);
        var before = await Clients.MovieIds(await b.GetAsync("/api/v1/me/recommendations?n=10&algorithm=ease"));
        foreach (long id in RecommendationApiTests.AnimatedFamily[1..])
            Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        var after = await Clients.MovieIds(await b.GetAsync("/api/v1/me/recommendations?n=10&algorithm=ease"));
        Assert.NotEqual(before, after);
        Assert.DoesNotContain(after, RecommendationApiTests.AnimatedFamily.Contains);
        var mine = (await (await b.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("movieId").GetInt64()).Order();
        Assert.Equal(RecommendationApiTests.AnimatedFamily.Order(), mine);
        // Deleting through B changes A's next list too.
        Assert.Equal(HttpStatusCode.NoContent, (await b.DeleteAsync("/api/v1/me/ratings/78499")).StatusCode);
        var afterDelete = await Clients.MovieIds(await a.GetAsync("/api/v1/me/recommendations?n=10&algorithm=ease"));
        Assert.NotEqual(after, afterDelete);
    }
}
