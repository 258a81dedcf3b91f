using MovieRec.Core.Algorithms;

namespace MovieRec.Web.Hosting;

/// <summary>The service's settings, bound from the "MovieRec" configuration section (environment: MovieRec__Name).</summary>
public sealed class MovieRecOptions
{
    public const string Section = "MovieRec";

    /// <summary>A dataset name (looked up under MOVIEREC_DATA, then the download cache) or a path. Default ml-latest-small.</summary>
    public string Dataset { get; set; } = "ml-latest-small";

    /// <summary>Where the SQLite ratings database and, unless <see cref="ModelDirectory"/> is set, the models live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Where trained models are saved and watched for; shared by replicas. Default {DataDirectory}/models.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>
    /// The algorithm used when a request or the recommendations page names none (API and pages alike); must be one
    /// the service serves and offers for recommendations from a handful of ratings. "taste" is learnt for exactly that
    /// journey and was the best on the new-user protocol (docs/evaluation.md, docs/benchmarks.md).
    /// </summary>
    public string DefaultAlgorithm { get; set; } = "taste";

    /// <summary>
    /// The algorithms this deployment serves, by catalogue name or alias in any case ("knn" is item-knn); empty (the
    /// default): every servable algorithm. Nothing else is trained, warmed, listed or accepted by a request; the
    /// persisted SVD is loaded all the same (every version is evaluated and promoted by it) but answers requests only
    /// when "svd" is listed. Environment: <c>MovieRec__ServedAlgorithms=ease,popularity</c> (one value, commas) or
    /// <c>MovieRec__ServedAlgorithms__0=ease</c>, <c>__1=popularity</c> (one entry each); checked at start
    /// (<see cref="MovieRecOptionsValidator"/>), read through <see cref="Queries.AlgorithmChoices"/>.
    /// </summary>
    public List<string> ServedAlgorithms { get; set; } = [];

    /// <summary>
    /// Options of the algorithms the service trains, by catalogue name and option name, as in
    /// <c>MovieRec:Algorithms:svd:factors=50</c> (environment: <c>MovieRec__Algorithms__svd__factors=50</c>); an algorithm
    /// not listed runs at its catalogue defaults. Checked at start (<see cref="MovieRecOptionsValidator"/>).
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Algorithms { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured options of <paramref name="entry"/> (under its name or an alias), empty when none.</summary>
    public AlgorithmParameters ParametersOf(AlgorithmEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var (name, values) in Algorithms)
        {
            if (entry.IsCalled(name)) return new AlgorithmParameters(values);
        }
        return AlgorithmParameters.Empty;
    }

    /// <summary>Retrain with every stored rating this often; null or zero turns scheduled retraining off.</summary>
    public TimeSpan? RetrainInterval { get; set; }

    /// <summary>
    /// How long reading every stored rating (a retrain, start-up, picking up a published model) waits for the database
    /// to send more of a page before the read fails and gives its connection back; the read is paged, so a large
    /// healthy store takes as long as it needs. It was 600 s on one pooled connection while the database was frozen.
    /// </summary>
    public TimeSpan StoredRatingsReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often replicas look for a newer model in <see cref="ModelDirectory"/>; zero turns watching off.</summary>
    public TimeSpan ModelWatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A candidate model is promoted when its holdout RMSE is at most the current one's plus this.</summary>
    public double PromotionTolerance { get; set; } = 0.005;

    /// <summary>Training threads: 0 = every core, 1 = deterministic.</summary>
    public int TrainingThreads { get; set; }

    /// <summary>Seed of training and of the holdout split.</summary>
    public int Seed { get; set; }

    /// <summary>Session tokens expire after this long without use (each use moves the expiry on: sliding expiry).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Accounts (and their ratings) not used for this long are deleted by a background purge; null (the default)
    /// keeps them. Checked every <see cref="PurgeInterval"/>.
    /// </summary>
    public TimeSpan? PurgeUnusedAccountsAfter { get; set; }

    /// <summary>How often the purge of unused accounts runs when <see cref="PurgeUnusedAccountsAfter"/> is set.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: IP addresses and CIDR networks, separated
    /// by commas ("10.0.0.0/8, 127.0.0.1"). Empty (the default): no proxy, the connection's peer is the client. Behind
    /// a trusted hop, rate limits are per real client and cookies are Secure when the proxy terminated TLS.
    /// </summary>
    public string? TrustedProxies { get; set; }

    /// <summary>
    /// A port of its own for /metrics (Prometheus): the service also listens on it, and /metrics answers only there,
    /// so an ingress that routes the main port never exposes it. Null: /metrics on the main port (development).
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>How long an admin call waits for start-up to finish before answering 503 with the reason.</summary>
    public TimeSpan AdminWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per minute and client on writes and expensive endpoints; 0 turns rate limiting off.</summary>
    public int RateLimitPerMinute { get; set; } = 600;

    /// <summary>Train every algorithm in the background right after start (otherwise each on its first request).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Memory for the in-memory tier of the recommendation cache, in MiB (HybridCache sizes each entry by its
    /// serialized bytes). Bounded: anonymous requests with ever-new ratings would otherwise fill memory until expiry.
    /// Default 16: the cached lists take about twice their serialized size on the heap; at 64 the GC heap held 120 MB
    /// more after a minute of all-miss traffic (docs/benchmarks.md, memory).
    /// </summary>
    public int CacheMegabytes { get; set; } = 16;

    /// <summary>
    /// A sentence-transformer folder (model.onnx plus vocab.txt or tokenizer.json: all-MiniLM-L6-v2 or
    /// all-mpnet-base-v2 layout) for semantic search; default the MOVIEREC_EMBEDDING_MODEL environment variable, else
    /// the bundled all-MiniLM-L6-v2; "off" means lexical search only.
    /// </summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>
    /// Where the catalogue's sentence embeddings are kept (one file per model recipe; replicas may share it, and a
    /// restart loads them instead of embedding again); default {XDG_CACHE_HOME or ~/.cache}/movierec/embeddings.
    /// </summary>
    public string? EmbeddingCache { get; set; }

    /// <summary>
    /// How many searches run at once (each embeds its query and ranks the catalogue: CPU-bound); the others wait
    /// their turn in order. 0: one per core; negative: no limit.
    /// </summary>
    public int SearchConcurrency { get; set; }

    public string ResolvedModelDirectory => ModelDirectory is { Length: > 0 } dir ? dir : Path.Combine(DataDirectory, "models");
}
