using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>
/// GET /health/live (the process answers and start-up has not failed: a start-up that cannot succeed fails liveness,
/// so the orchestrator restarts the process) and /health/ready (503 until the model serves; the database and Redis, when
/// configured, are Degraded when they do not answer: still 200, the body says which). Every description is a sentence
/// for people.
/// </summary>
public static class HealthApi
{
    public const string Ready = "ready";
    public const string Live = "live";

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static IHealthChecksBuilder AddMovieRecHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<StartupCheck>("startup", tags: [Live])
            .AddCheck<ModelReadyCheck>("model", tags: [Ready])
            .AddCheck<RatingStoreCheck>("database", tags: [Ready])
            .AddCheck<MetadataCheck>("metadata", tags: [Ready]);
        if (redis) checks.AddCheck<RedisCheck>("redis", tags: [Ready]);
        return checks;
    }

    public static WebApplication MapHealthApi(this WebApplication app)
    {
        // GET and HEAD only, like the pages: MapHealthChecks answers every method, so POST /health/ready was a 200;
        // routing now answers any other method with 405 naming GET, HEAD (Allow and the problem's detail).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Live), ResponseWriter = Write })
            .WithMetadata(new HttpMethodMetadata(Methods)).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write })
            .WithMetadata(new HttpMethodMetadata(Methods)).ExcludeFromDescription();
        return app;
    }

    private static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

/// <summary>Liveness: unhealthy once start-up has failed (it will not succeed in this process), so the orchestrator restarts it.</summary>
internal sealed class StartupCheck(ModelHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.StartupError is { } error
            ? HealthCheckResult.Unhealthy(error)
            : HealthCheckResult.Healthy(host.IsReady ? "The process is up and serving." : "The process is up and starting."));
}

/// <summary>
/// Readiness of the model: with warm-up on (MovieRec:WarmUp, the default) ready only once start-up has finished, the
/// metadata joined and every served algorithm trained and tried (<see cref="ModelWarmer"/>), so the first request of each is
/// fast; with warm-up off, as soon as a model serves (the other algorithms train on their first request).
/// </summary>
internal sealed class ModelReadyCheck(ModelHost host, Microsoft.Extensions.Options.IOptions<MovieRecOptions> options, Queries.AlgorithmChoices algorithms) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (host.StartupError is { } error) return Task.FromResult(HealthCheckResult.Unhealthy(error));
        if (host.Current is not { } model) return Task.FromResult(HealthCheckResult.Unhealthy("Loading the dataset and the model."));
        if (options.Value.WarmUp && !host.Started.IsCompletedSuccessfully)
        {
            var names = algorithms.Served.Select(a => a.Name).ToList();
            int trained = names.Count(model.IsReady);
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Warming up model {model.Version}: {trained} of {names.Count} algorithms trained; ready once every one has answered a first request."));
        }
        return Task.FromResult(HealthCheckResult.Healthy($"Serving model {model.Version}."));
    }
}

/// <summary>Informational: the service serves before TMDB metadata is joined; this says whether it is.</summary>
internal sealed class MetadataCheck(ModelHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(
            host.Started.IsCompletedSuccessfully ? $"Joined: {host.CatalogOrNull?.Catalog.WithTmdbCount ?? 0} movies have TMDB metadata."
            : host.StartupError is not null ? "Not loaded: start-up failed (see model)."
            : "Joining TMDB metadata in the background."));
}

/// <summary>
/// Whether the ratings database answers, within <see cref="Limit"/>: a server that accepts connections but does not
/// answer (stopped, a network partition) held /health/ready for the driver's timeouts (15 s to connect, 30 s a
/// command, and more), so the probe itself hung instead of saying the database is down.
/// Degraded, not Unhealthy, when it does not: /health/ready stays 200 (its body says Degraded) because the replica still
/// serves the catalogue, the pages and anonymous recommendations. The database is shared by every replica, so an
/// Unhealthy answer took them all out of the orchestrator's rotation at once and turned the outage of the account
/// features into an outage of everything.
/// </summary>
internal sealed class RatingStoreCheck(IRatingStore store) : IHealthCheck
{
    /// <summary>Well inside the readiness probe's timeout (deploy/k8s: timeoutSeconds 3), so a slow database answers Degraded, not a timed-out probe.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(1.5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        bool answers;
        try
        {
            answers = await store.PingAsync(cancellationToken).WaitAsync(Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The ping goes on in the background until the driver's own timeouts end it.
            answers = false;
        }
        return answers
            ? HealthCheckResult.Healthy($"The {store.Kind} ratings database answers.")
            : HealthCheckResult.Degraded($"The {store.Kind} ratings database does not answer; writes and account pages answer 503 until it is back.");
    }
}

/// <summary>
/// Whether Redis answers. Degraded, not Unhealthy, when it does not: every request still answers from the in-memory
/// tier, and Redis is shared by every replica, so Unhealthy took them all out of rotation for a cache outage.
/// </summary>
internal sealed class RedisCheck(Caching.RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var multiplexer = await redis.GetAsync().ConfigureAwait(false);
            if (!multiplexer.IsConnected) return HealthCheckResult.Degraded("Redis is not connected; serving from the in-memory cache.");
            await multiplexer.GetDatabase().PingAsync().ConfigureAwait(false);
            return HealthCheckResult.Healthy("Redis answers.");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded(e is TimeoutException
                ? "Redis does not answer in time; serving from the in-memory cache."
                : "Redis refused or dropped the connection; serving from the in-memory cache.");
        }
    }
}
