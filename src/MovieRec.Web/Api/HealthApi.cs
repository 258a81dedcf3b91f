using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>GET /health/live (the process answers) and /health/ready (model loaded, database, Redis when configured).</summary>
public static class HealthApi
{
    public const string Ready = "ready";

    public static IHealthChecksBuilder AddMovieRecHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<ModelReadyCheck>("model", tags: [Ready])
            .AddCheck<RatingStoreCheck>("database", tags: [Ready])
            .AddCheck<MetadataCheck>("metadata", tags: [Ready]);
        if (redis) checks.AddCheck<RedisCheck>("redis", tags: [Ready]);
        return checks;
    }

    public static WebApplication MapHealthApi(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write }).ExcludeFromDescription();
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

internal sealed class ModelReadyCheck(ModelHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(host.Current is { } model
            ? HealthCheckResult.Healthy($"model {model.Version}")
            : host.StartupError is { } error ? HealthCheckResult.Unhealthy($"start-up failed: {error}") : HealthCheckResult.Unhealthy("loading the model"));
}

/// <summary>Informational: the service serves before TMDB metadata is joined; this says whether it is.</summary>
internal sealed class MetadataCheck(ModelHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(
            host.Started.IsCompletedSuccessfully ? $"joined ({host.CatalogOrNull?.Catalog.WithTmdbCount ?? 0} movies with TMDB metadata)"
            : host.StartupError is not null ? "not loaded (start-up failed, see model)"
            : "joining TMDB metadata in the background"));
}

internal sealed class RatingStoreCheck(IRatingStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.PingAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy(store.Kind)
            : HealthCheckResult.Unhealthy($"{store.Kind} does not answer");
}

internal sealed class RedisCheck(Caching.RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var multiplexer = await redis.GetAsync().ConfigureAwait(false);
            if (!multiplexer.IsConnected) return HealthCheckResult.Unhealthy("redis is not connected (serving from the in-memory cache)");
            await multiplexer.GetDatabase().PingAsync().ConfigureAwait(false);
            return HealthCheckResult.Healthy("redis");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"redis: {e.GetType().Name}");
        }
    }
}
