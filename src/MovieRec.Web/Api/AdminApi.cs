using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>
/// GET /admin/model: the serving model, its training figures, the data and the cache, none of which needs the database.
/// The one store fact, <see cref="StoredRatings"/>, is null while the ratings database does not answer
/// (<see cref="RatingStoreAnswers"/> false, <see cref="RatingStoreProblem"/> says so): the rest is still reported.
/// </summary>
public sealed record ModelStatus(ModelReport Model, RetrainOutcome? LastRetrain, DatasetStatistics Dataset, long? StoredRatings,
    IReadOnlyDictionary<string, bool> AlgorithmsReady, double CacheHits, double CacheMisses, string RatingStore, bool RatingStoreAnswers,
    string? RatingStoreProblem);

/// <summary>One part of the serving state and the managed memory it holds, in MiB.</summary>
public sealed record MemoryPart(string Part, double MiB, IReadOnlyList<string> LargeArrays);

/// <summary>
/// GET /admin/memory: the parts (managed bytes, each charged once) and the process: working set (resident), its
/// anonymous and file-backed shares (Linux), the GC heap after the last collection and what the GC has committed.
/// </summary>
public sealed record MemoryReport(IReadOnlyList<MemoryPart> Parts, double PartsMiB, double GcHeapMiB, double GcCommittedMiB, double GcFragmentedMiB,
    double WorkingSetMiB, double? ResidentAnonymousMiB, double? ResidentFileMiB)
{
    /// <summary>The process's memory now, without the parts.</summary>
    internal static MemoryReport Process()
    {
        var gc = GC.GetGCMemoryInfo();
        double? anon = null, file = null;
        if (File.Exists("/proc/self/status"))
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = KiB(line);
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) file = KiB(line);
            }
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new MemoryReport([], 0, MiB(gc.HeapSizeBytes), MiB(gc.TotalCommittedBytes), MiB(gc.FragmentedBytes),
            MiB(process.WorkingSet64), anon, file);

        static double KiB(string line) => Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0, 2);
    }

    private static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 2);
}

/// <summary>Admin endpoints behind the API key from configuration (Admin:ApiKey), sent as X-Api-Key.</summary>
public static class AdminApi
{
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The admin group under the API's base path (Program.cs maps the API at /api/v1).</summary>
    private const string Segment = "/admin";

    /// <summary>Every admin URL starts with this.</summary>
    public const string PathPrefix = "/api/v1" + Segment;

    /// <summary>
    /// Authentication first: a request under <see cref="PathPrefix"/> without the right key is 401 (403 while admin is
    /// disabled) whatever its parameters, method or path, before anything binds or validates them.
    /// </summary>
    public static IApplicationBuilder UseAdminKey(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase) && KeyProblem(context) is { } problem)
        {
            await problem.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    });

    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        // The key is checked by UseAdminKey (UseMovieRec) before routing binds any parameter: an endpoint filter runs
        // only after binding, so a request without the key but with ?wait=maybe got the 400 first.
        var admin = api.MapGroup(Segment).WithTags("Admin");
        admin.MapPost("/retrain", Retrain).WithSummary("Retrain with every stored rating; the candidate is promoted unless its holdout RMSE is worse.");
        admin.MapGet("/model", Model).WithSummary("The serving model: version, training metrics, per-epoch loss, data statistics.");
        admin.MapGet("/memory", Memory).WithSummary("What holds the memory: the managed bytes of every part of the serving model and catalogue, and the process's totals (a diagnostic walk: seconds).");
        return api;
    }

    /// <param name="http">The request.</param>
    /// <param name="host">The serving model and catalogue.</param>
    /// <param name="options">The service's options.</param>
    /// <param name="arrays">List each part's arrays of 1 MiB or more with the field that holds them.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    private static async Task<Results<Ok<MemoryReport>, ProblemHttpResult>> Memory(HttpContext http, ModelHost host, IOptions<MovieRecOptions> options, bool? arrays, CancellationToken cancellationToken)
    {
        if (await WaitForStartAsync(http, host, options.Value, cancellationToken).ConfigureAwait(false) is { } notReady) return notReady;
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        // The walk reads the model and catalogue while requests are served (both are immutable once built): one at a time.
        await MemoryWalk.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The process's figures first: the walk itself allocates (its set of visited objects).
            var process = MemoryReport.Process();
            var walk = new Core.Diagnostics.MemoryFootprint { ListArraysFrom = arrays == true ? 1 << 20 : 0 };
            // The movies first: every content model reaches them, and they are the catalogue's, not the first model's.
            var parts = new List<MemoryPart>();
            foreach (var (part, bytes) in new[] { ("movies (titles, genres, TMDB cast, directors, keywords, overviews)", walk.Measure(catalog.Catalog)) }.Concat(model.Footprint(walk)).Concat(catalog.Footprint(walk)))
            {
                if (bytes == 0) continue;
                parts.Add(new MemoryPart(part, Math.Round(bytes / 1048576.0, 2), [.. walk.Largest.OrderByDescending(a => a.Bytes).Select(a => $"{a.Holder} {a.Bytes / 1048576.0:0.00} MiB")]));
                walk.Largest.Clear();
            }
            return TypedResults.Ok(process with { Parts = parts, PartsMiB = Math.Round(parts.Sum(p => p.MiB), 2) });
        }
        finally
        {
            MemoryWalk.Release();
        }
    }

    private static readonly SemaphoreSlim MemoryWalk = new(1, 1);

    /// <summary>Null when the request carries the configured admin key; otherwise the 401 or 403 to answer.</summary>
    private static ProblemHttpResult? KeyProblem(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IConfiguration>()["Admin:ApiKey"];
        if (string.IsNullOrEmpty(configured))
            return TypedResults.Problem(statusCode: 403, title: ApiProblems.Title(403), detail: "Admin endpoints are disabled: no Admin:ApiKey is configured.");
        string given = http.Request.Headers[KeyHeader].ToString();
        // Fixed-time comparison of hashes: the time taken says nothing about the key.
        bool ok = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
        return ok ? null : TypedResults.Problem(statusCode: 401, title: ApiProblems.Title(401), detail: $"Send the admin key in the {KeyHeader} header.");
    }

    private static async Task<Results<Ok<RetrainOutcome>, Accepted, ProblemHttpResult>> Retrain(
        HttpContext http, ModelLifecycleService lifecycle, ModelHost host, IOptions<MovieRecOptions> options, bool? wait,
        CancellationToken cancellationToken)
    {
        if (await WaitForStartAsync(http, host, options.Value, cancellationToken).ConfigureAwait(false) is { } notReady) return notReady;
        var retrain = lifecycle.RequestRetrainAsync();
        if (wait == false) return TypedResults.Accepted("/api/v1/admin/model");
        RetrainOutcome outcome;
        try
        {
            outcome = await retrain.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The current model keeps serving; the caller learns why (the lifecycle service logged the details).
            return Unavailable(http, e is StartupFailedException ? e.Message : $"The retrain failed ({e.GetType().Name}: {e.Message}); the current model keeps serving.", retry: false);
        }
        return TypedResults.Ok(outcome);
    }

    private static async Task<Results<Ok<ModelStatus>, ProblemHttpResult>> Model(
        HttpContext http, ModelHost host, IRatingStore store, ServiceMetrics metrics, IOptions<MovieRecOptions> options, AlgorithmChoices algorithms, CancellationToken cancellationToken)
    {
        if (await WaitForStartAsync(http, host, options.Value, cancellationToken).ConfigureAwait(false) is { } notReady) return notReady;
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        long? stored;
        string? storeProblem = null;
        try
        {
            stored = await store.CountRatingsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // The model's state needs no database: an outage of the store is reported, not answered with a 503 (it was).
            stored = null;
            storeProblem = $"The {store.Kind} ratings database does not answer: stored ratings are not counted; everything else here needs no database.";
        }
        var ready = algorithms.Served.ToDictionary(a => a.Name, a => model.IsReady(a.Name));
        return TypedResults.Ok(new ModelStatus(model.Report, host.LastRetrain, DatasetStatistics.Compute(catalog.Dataset), stored, ready,
            metrics.CacheHits, metrics.CacheMisses, store.Kind, storeProblem is null, storeProblem));
    }

    /// <summary>
    /// Admin calls never hang: until a model serves they wait at most MovieRec:AdminWait, then answer 503 with the
    /// reason (still starting; or start-up failed, with what to fix). Null once a model serves.
    /// </summary>
    private static async Task<ProblemHttpResult?> WaitForStartAsync(HttpContext http, ModelHost host, MovieRecOptions options, CancellationToken cancellationToken)
    {
        if (host.StartupError is { } failed) return Unavailable(http, failed, retry: false);
        if (host.IsReady) return null;
        try
        {
            await host.CurrentAsync(cancellationToken).AsTask().WaitAsync(options.AdminWait, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return Unavailable(http, $"The service is still starting (loading the dataset and the first model) after waiting {options.AdminWait.TotalSeconds:0} s; "
                + "retry once /health/ready answers 200.", retry: true);
        }
        catch (StartupFailedException e)
        {
            return Unavailable(http, e.Message, retry: false);
        }
    }

    private static ProblemHttpResult Unavailable(HttpContext http, string reason, bool retry)
    {
        if (retry) http.Response.Headers.RetryAfter = ApiExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: ApiProblems.Title(StatusCodes.Status503ServiceUnavailable), detail: reason);
    }
}
