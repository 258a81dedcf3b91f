using Microsoft.Extensions.Options;
using MovieRec.Core.Algorithms;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Checks <see cref="MovieRecOptions"/> at start (registered with ValidateOnStart): a setting the service cannot run
/// with stops start-up with a sentence naming it (MovieRec:DefaultAlgorithm, ...), instead of failing every request.
/// A value that is not a number at all fails earlier, in configuration binding, which names the setting too.
/// </summary>
public sealed class MovieRecOptionsValidator : IValidateOptions<MovieRecOptions>
{
    public ValidateOptionsResult Validate(string? name, MovieRecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string setting, string problem)
        {
            if (!ok) failures.Add($"{MovieRecOptions.Section}:{setting} {problem}");
        }

        var served = AlgorithmChoices.ServedEntries(options.ServedAlgorithms);
        string offered = AlgorithmCatalog.KnownNames(served.Where(e => e.ForNewUsers));
        Check(AlgorithmChoices.IsServable(options.DefaultAlgorithm), nameof(options.DefaultAlgorithm),
            $"is '{options.DefaultAlgorithm}', which the service does not serve; use one of {AlgorithmChoices.KnownNames}.");
        Check(!AlgorithmChoices.IsServable(options.DefaultAlgorithm) || AlgorithmChoices.IsForNewUsers(options.DefaultAlgorithm), nameof(options.DefaultAlgorithm),
            $"is '{options.DefaultAlgorithm}', which is not offered for recommendations from a handful of ratings; use one of {(offered.Length > 0 ? offered : AlgorithmChoices.NewUserNames)}.");
        Check(ServingModel.Find(options.DefaultAlgorithm) is not { } byDefault || !byDefault.ForNewUsers || served.Contains(byDefault), nameof(options.DefaultAlgorithm),
            $"is '{options.DefaultAlgorithm}', which {AlgorithmChoices.Setting} does not list; add it there or use one of {(offered.Length > 0 ? offered : "the algorithms listed there")}.");
        CheckServed(options, served, failures);
        CheckAlgorithms(options, failures);
        Check(!string.IsNullOrWhiteSpace(options.Dataset), nameof(options.Dataset), "is empty; name a dataset (ml-latest-small) or a path.");
        Check(!string.IsNullOrWhiteSpace(options.DataDirectory), nameof(options.DataDirectory), "is empty; name a folder for the ratings database and models.");
        Check(options.RateLimitPerMinute is >= 0 and <= MaxRateLimit, nameof(options.RateLimitPerMinute),
            $"is {options.RateLimitPerMinute}; use 0 (no limit) to {MaxRateLimit} requests per minute.");
        Check(options.CacheMegabytes is >= 1 and <= MaxCacheMegabytes, nameof(options.CacheMegabytes),
            $"is {options.CacheMegabytes}; use 1 to {MaxCacheMegabytes} MiB.");
        Check(double.IsFinite(options.PromotionTolerance) && options.PromotionTolerance >= 0, nameof(options.PromotionTolerance),
            $"is {options.PromotionTolerance}; use a finite RMSE margin of 0 or more (e.g. 0.005).");
        Check(options.TrainingThreads is >= 0 and <= MaxThreads, nameof(options.TrainingThreads),
            $"is {options.TrainingThreads}; use 0 (every core), 1 (deterministic) or up to {MaxThreads}.");
        Check(options.ModelWatchInterval >= TimeSpan.Zero, nameof(options.ModelWatchInterval),
            $"is {options.ModelWatchInterval}; use a duration such as 00:00:10, or 00:00:00 to stop watching.");
        Check(options.RetrainInterval is null || options.RetrainInterval >= TimeSpan.Zero, nameof(options.RetrainInterval),
            $"is {options.RetrainInterval}; use a duration such as 1.00:00:00, or leave it unset to retrain only on request.");
        Check(options.StoredRatingsReadTimeout >= TimeSpan.FromSeconds(1) && options.StoredRatingsReadTimeout <= TimeSpan.FromDays(1), nameof(options.StoredRatingsReadTimeout),
            $"is {options.StoredRatingsReadTimeout}; use a duration of 1 s to a day, such as 00:00:30.");
        Check(options.SessionLifetime > TimeSpan.Zero, nameof(options.SessionLifetime),
            $"is {options.SessionLifetime}; use a positive duration such as 90.00:00:00.");
        Check(options.PurgeUnusedAccountsAfter is null || options.PurgeUnusedAccountsAfter > TimeSpan.Zero, nameof(options.PurgeUnusedAccountsAfter),
            $"is {options.PurgeUnusedAccountsAfter}; use a positive duration such as 365.00:00:00, or leave it unset to keep accounts.");
        Check(options.PurgeInterval > TimeSpan.Zero, nameof(options.PurgeInterval),
            $"is {options.PurgeInterval}; use a positive duration such as 01:00:00.");
        Check(options.AdminWait >= TimeSpan.Zero, nameof(options.AdminWait),
            $"is {options.AdminWait}; use a duration such as 00:00:30.");
        Check(options.MetricsPort is null or (> 0 and <= 65535), nameof(options.MetricsPort),
            $"is {options.MetricsPort}; use a port from 1 to 65535 (e.g. 9090), or leave it unset to serve /metrics on the main port.");
        try
        {
            Security.ProxyTrust.Parse(options.TrustedProxies);
        }
        catch (FormatException e)
        {
            Check(false, nameof(options.TrustedProxies), $"is '{options.TrustedProxies}': {e.Message}; list addresses and networks separated by commas, e.g. 10.0.0.0/8, 127.0.0.1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Every name <c>MovieRec:ServedAlgorithms</c> lists is a servable algorithm, and at least one of them is offered for
    /// recommendations from a handful of ratings (visitors and accounts need one). Options sections
    /// (<c>MovieRec:Algorithms:{name}</c>) of algorithms not served are allowed: replicas serving different sets may share
    /// one configuration; they are checked all the same and used by nothing.
    /// </summary>
    private static void CheckServed(MovieRecOptions options, IReadOnlyList<AlgorithmEntry> served, List<string> failures)
    {
        var listed = AlgorithmChoices.Listed(options.ServedAlgorithms).ToList();
        if (listed.Count == 0) return; // every servable algorithm
        foreach (string algorithm in listed)
        {
            if (ServingModel.Find(algorithm) is not null) continue;
            string why = AlgorithmCatalog.Find(algorithm) is { } known ? $"not served: {known.NotServable}" : "no such algorithm";
            failures.Add($"{AlgorithmChoices.Setting} names '{algorithm}', which the service does not serve ({why}); use names from {AlgorithmChoices.KnownNames}.");
        }
        if (served.Count > 0 && !served.Any(e => e.ForNewUsers))
            failures.Add($"{AlgorithmChoices.Setting} lists only {AlgorithmCatalog.KnownNames(served)}, none of which is offered for recommendations from a handful of ratings (visitors and accounts); add one of {AlgorithmChoices.NewUserNames}.");
    }

    /// <summary>
    /// Every <c>MovieRec:Algorithms:{name}</c> section names an algorithm the service serves, and each of its options is
    /// one the catalogue declares for it, with a valid value (the entry creates the model to check).
    /// </summary>
    private static void CheckAlgorithms(MovieRecOptions options, List<string> failures)
    {
        // "knn" and "item-knn" name one model: two sections would leave one of them silently ignored.
        var sectionOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var algorithm in options.Algorithms.Keys)
        {
            if (ServingModel.Find(algorithm) is not { } served) continue;
            if (sectionOf.TryGetValue(served.Name, out string? other))
                failures.Add($"{MovieRecOptions.Section}:{nameof(options.Algorithms)}:{other} and :{algorithm} both configure {served.Name}; keep one section.");
            else sectionOf[served.Name] = algorithm;
        }
        foreach (var (algorithm, values) in options.Algorithms)
        {
            string setting = $"{MovieRecOptions.Section}:{nameof(options.Algorithms)}:{algorithm}";
            if (ServingModel.Find(algorithm) is not { } entry)
            {
                string why = AlgorithmCatalog.Find(algorithm) is { } known ? $"not served: {known.NotServable}" : "no such algorithm";
                failures.Add($"{setting} names '{algorithm}', which the service does not serve ({why}); use one of {AlgorithmChoices.KnownNames}.");
                continue;
            }
            try
            {
                entry.Create(new AlgorithmParameters(values));
            }
            catch (ArgumentException e)
            {
                failures.Add($"{setting}{(e.ParamName is { Length: > 0 } option ? ":" + option : "")}: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }
    }

    // Expensive endpoints allow ten times the limit, which must stay an int.
    private const int MaxRateLimit = int.MaxValue / 10;
    private const int MaxCacheMegabytes = 1 << 20;
    private const int MaxThreads = 1024;
}
