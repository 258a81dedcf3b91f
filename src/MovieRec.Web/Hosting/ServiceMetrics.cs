using Prometheus;

namespace MovieRec.Web.Hosting;

/// <summary>
/// The service's own Prometheus metrics beside prometheus-net's HTTP ones (request latency histograms per endpoint):
/// recommendation cache hits and misses, the serving model version, stored ratings, models the watcher refused.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly CollectorRegistry _registry;
    private readonly Counter _cache;
    private readonly Gauge _model;
    private readonly Gauge _ratings;
    private readonly Counter _retrains;
    private readonly Gauge _hitRatio;
    private readonly Counter _refused;
    private readonly Counter _watchErrors;
    private readonly Counter _purged;
    private string? _version;

    public ServiceMetrics(CollectorRegistry registry)
    {
        _registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        _cache = factory.CreateCounter("movierec_recommendation_cache_lookups_total", "Recommendation list lookups by result.", "result");
        _model = factory.CreateGauge("movierec_model_info", "The serving model: 1 for the current version.", "version");
        _ratings = factory.CreateGauge("movierec_stored_ratings", "Ratings stored by the service's accounts.");
        _retrains = factory.CreateCounter("movierec_retrains_total",
            "Retrains run (on request or on schedule), by outcome: promoted (its candidate serves), kept (the current model, or one another replica published, serves), failed.", "outcome");
        foreach (var outcome in RetrainOutcomes) _retrains.WithLabels(outcome); // each series from 0, so a first failure is an increase
        _hitRatio = factory.CreateGauge("movierec_recommendation_cache_hit_ratio", "Share of recommendation lookups answered from the cache since start.");
        _refused = factory.CreateCounter("movierec_models_refused_total",
            "Published manifests and incoming model files the model watcher refused (logged and moved aside), by source.", "source");
        _watchErrors = factory.CreateCounter("movierec_model_watch_errors_total",
            "Ticks of the model watcher that failed (the shared folder or the database unavailable, or an unforeseen error); it goes on.");
        _purged = factory.CreateCounter("movierec_accounts_purged_total", "Accounts deleted with their ratings because nobody used them for MovieRec:PurgeUnusedAccountsAfter.");
    }

    public CollectorRegistry Registry => _registry;

    public void CacheLookup(bool hit) => _cache.WithLabels(hit ? "hit" : "miss").Inc();

    public double CacheHits => _cache.WithLabels("hit").Value;

    public double CacheMisses => _cache.WithLabels("miss").Value;

    /// <summary>A manifest ("manifest") or incoming file ("incoming") the watcher refused.</summary>
    public void ModelRefused(string source) => _refused.WithLabels(source).Inc();

    public double ModelsRefused(string source) => _refused.WithLabels(source).Value;

    public void WatchError() => _watchErrors.Inc();

    public void AccountsPurged(int count) => _purged.Inc(count);

    /// <summary>The values of movierec_retrains_total's outcome label.</summary>
    public static IReadOnlyList<string> RetrainOutcomes { get; } = ["promoted", "kept", "failed"];

    /// <summary>A retrain that finished: promoted or kept.</summary>
    public void Retrained(RetrainOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _retrains.WithLabels(outcome.Promoted ? "promoted" : "kept").Inc();
    }

    /// <summary>A retrain that failed (the ratings store unavailable, the model folder unwritable...); the current model serves on.</summary>
    public void RetrainFailed() => _retrains.WithLabels("failed").Inc();

    /// <summary>Retrains counted with <paramref name="outcome"/> (promoted, kept, failed) since start.</summary>
    public double Retrains(string outcome) => _retrains.WithLabels(outcome).Value;

    public void SetModel(string version)
    {
        if (version == _version) return;
        if (_version is not null) _model.RemoveLabelled(_version);
        _model.WithLabels(version).Set(1);
        _version = version;
    }

    public void SetStoredRatings(long count) => _ratings.Set(count);

    /// <summary>Updates the hit-ratio gauge from the counters (called before each scrape).</summary>
    public void UpdateHitRatio()
    {
        double hits = CacheHits, total = hits + CacheMisses;
        _hitRatio.Set(total == 0 ? 0 : hits / total);
    }
}
