using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>One parameter combination's cross-validated figures.</summary>
public sealed record SearchCandidate(AlgorithmParameters Parameters, EvaluationResult Result);

/// <summary>A search's table, best first by <see cref="Metric"/>, and the winner.</summary>
public sealed record SearchResult(string Algorithm, Metric Metric, IReadOnlyList<SearchCandidate> Candidates)
{
    public SearchCandidate Best => Candidates[0];
}

/// <summary>
/// Hyperparameter search with cross-validation, as Surprise's GridSearchCV and RandomizedSearchCV: every combination
/// (or a seeded random sample of them) is evaluated on the same splits, folds in parallel, and ranked by one metric
/// (lowest error, or highest for accuracy and ranking metrics; ties keep grid order).
/// </summary>
public static class GridSearch
{
    /// <summary>Parameter values by name, in the order given ("factors" -> 50, 100, 200).</summary>
    public static IReadOnlyList<AlgorithmParameters> Expand(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> grid, AlgorithmParameters? fixedParameters = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        IEnumerable<AlgorithmParameters> combos = [fixedParameters ?? AlgorithmParameters.Empty];
        foreach (var (name, values) in grid)
        {
            if (values.Count == 0) throw new ArgumentException($"Grid parameter '{name}' has no values.", nameof(grid));
            string n = name;
            combos = combos.SelectMany(c => values.Select(v => c.With(n, v))).ToArray();
        }
        return combos.ToArray();
    }

    /// <summary>Parses "name=v1,v2,v3" into a grid entry.</summary>
    public static KeyValuePair<string, IReadOnlyList<string>> ParseEntry(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
            throw new ArgumentException($"A grid entry looks like name=v1,v2,v3, not '{text}'.");
        var values = text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new(text[..eq].Trim(), values);
    }

    /// <summary>Evaluates every combination of the grid (<paramref name="catalog"/>: the movies, for content models; null when none).</summary>
    public static SearchResult Run(AlgorithmEntry algorithm, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> grid, IReadOnlyList<TrainTestSplit> splits,
        EvaluationSettings settings, Metric metric, MovieCatalog? catalog = null, AlgorithmParameters? fixedParameters = null, IProgress<FoldCompleted>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return Search(algorithm, Expand(grid, fixedParameters), splits, settings, metric, catalog, progress);
    }

    /// <summary>
    /// Evaluates <paramref name="iterations"/> combinations drawn from the grid uniformly without replacement
    /// (seeded); the whole grid when it is smaller.
    /// </summary>
    public static SearchResult RunRandomized(AlgorithmEntry algorithm, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> grid, int iterations, int seed,
        IReadOnlyList<TrainTestSplit> splits, EvaluationSettings settings, Metric metric, MovieCatalog? catalog = null, AlgorithmParameters? fixedParameters = null,
        IProgress<FoldCompleted>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        OptionChecks.Positive(iterations, nameof(iterations));
        var all = Expand(grid, fixedParameters);
        var order = Splits.Shuffled(all.Count, seed);
        var chosen = order.Take(Math.Min(iterations, all.Count)).Order().Select(i => all[i]).ToArray();
        return Search(algorithm, chosen, splits, settings, metric, catalog, progress);
    }

    private static SearchResult Search(AlgorithmEntry algorithm, IReadOnlyList<AlgorithmParameters> combos, IReadOnlyList<TrainTestSplit> splits,
        EvaluationSettings settings, Metric metric, MovieCatalog? catalog, IProgress<FoldCompleted>? progress)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Metrics.Contains(metric)) settings = settings with { Metrics = [metric, .. settings.Metrics] };
        var candidates = new List<SearchCandidate>(combos.Count);
        foreach (var parameters in combos)
        {
            var p = parameters;
            var result = CrossValidation.Run(algorithm.Name, () => algorithm.Create(p), splits, settings, catalog, progress);
            candidates.Add(new SearchCandidate(p, result));
        }
        // Stable sort: equal scores keep grid order; NaN (metric not applicable) goes last.
        var ranked = candidates
            .Select((c, index) => (c, index, score: c.Result.Mean[metric.Name]))
            .OrderBy(x => double.IsNaN(x.score) ? 1 : 0)
            .ThenBy(x => metric.LowerIsBetter ? x.score : -x.score)
            .ThenBy(x => x.index)
            .Select(x => x.c)
            .ToArray();
        return new SearchResult(algorithm.Name, metric, ranked);
    }
}
