using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>GET /admin/model: the serving model, its training figures, the data and the cache.</summary>
public sealed record ModelStatus(ModelReport Model, RetrainOutcome? LastRetrain, DatasetStatistics Dataset, long StoredRatings,
    IReadOnlyDictionary<string, bool> AlgorithmsReady, double CacheHits, double CacheMisses, string RatingStore);

/// <summary>Admin endpoints behind the API key from configuration (Admin:ApiKey), sent as X-Api-Key.</summary>
public static class AdminApi
{
    public const string KeyHeader = "X-Api-Key";

    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").AddEndpointFilter(RequireKey);
        admin.MapPost("/retrain", Retrain).WithSummary("Retrain with every stored rating; the candidate is promoted unless its holdout RMSE is worse.");
        admin.MapGet("/model", Model).WithSummary("The serving model: version, training metrics, per-epoch loss, data statistics.");
        return api;
    }

    private static async ValueTask<object?> RequireKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var configured = context.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Admin:ApiKey"];
        if (string.IsNullOrEmpty(configured))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Admin endpoints are disabled: no Admin:ApiKey is configured.");
        string given = context.HttpContext.Request.Headers[KeyHeader].ToString();
        // Fixed-time comparison of hashes: the time taken says nothing about the key.
        bool ok = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
        if (!ok)
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: $"Send the admin key in the {KeyHeader} header.");
        return await next(context).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<RetrainOutcome>, Accepted>> Retrain(ModelLifecycleService lifecycle, ServiceMetrics metrics, bool? wait, CancellationToken cancellationToken)
    {
        var retrain = lifecycle.RequestRetrainAsync();
        if (wait == false) return TypedResults.Accepted("/api/v1/admin/model");
        var outcome = await retrain.WaitAsync(cancellationToken).ConfigureAwait(false);
        metrics.Retrained(outcome.Promoted);
        return TypedResults.Ok(outcome);
    }

    private static async Task<Ok<ModelStatus>> Model(ModelHost host, IRatingStore store, ServiceMetrics metrics, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        long stored = await store.CountRatingsAsync(cancellationToken).ConfigureAwait(false);
        var ready = AlgorithmChoices.All.ToDictionary(a => a.Name, a => model.IsReady(a.Name));
        return TypedResults.Ok(new ModelStatus(model.Report, host.LastRetrain, DatasetStatistics.Compute(catalog.Dataset), stored, ready,
            metrics.CacheHits, metrics.CacheMisses, store.Kind));
    }
}
