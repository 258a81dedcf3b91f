using System.Globalization;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// Hyperparameters by name as the CLI and grid search give them ("factors=100"); typed getters with defaults
/// and errors that name the parameter.
/// </summary>
public sealed class AlgorithmParameters
{
    private readonly Dictionary<string, string> _values;

    public AlgorithmParameters(IReadOnlyDictionary<string, string>? values = null) =>
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    public static AlgorithmParameters Empty { get; } = new();

    public IReadOnlyDictionary<string, string> Values => _values;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var s)
            ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{name} must be an integer, not '{s}'.", name)
            : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var s)
            ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"{name} must be a number, not '{s}'.", name)
            : fallback;

    public bool Bool(string name, bool fallback) =>
        _values.TryGetValue(name, out var s)
            ? bool.TryParse(s, out bool v) ? v : throw new ArgumentException($"{name} must be true or false, not '{s}'.", name)
            : fallback;

    public string String(string name, string fallback) => _values.TryGetValue(name, out var s) ? s : fallback;

    public AlgorithmParameters With(string name, string value)
    {
        var copy = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return new AlgorithmParameters(copy);
    }

    public override string ToString() => string.Join(", ", _values.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>An algorithm the CLI, evaluation and service can create by name.</summary>
/// <param name="Name">CLI name, e.g. "svd", "knn-baseline".</param>
/// <param name="Description">One line: what it is, with its paper.</param>
/// <param name="Create">A new untrained model from parameters (unknown parameter values give ArgumentException).</param>
/// <param name="PredictsRatings">True for rating predictors (RMSE applies); false for top-N-only models.</param>
public sealed record AlgorithmInfo(string Name, string Description, Func<AlgorithmParameters, IRecommenderModel> Create, bool PredictsRatings);

/// <summary>Every algorithm by name. Each family lists its own algorithms; this joins the lists.</summary>
public static class AlgorithmRegistry
{
    private static readonly Lazy<Dictionary<string, AlgorithmInfo>> All = new(() =>
    {
        var all = new Dictionary<string, AlgorithmInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var family in Families())
        {
            foreach (var info in family)
                all.Add(info.Name, info);
        }
        return all;
    });

    // Each algorithm family contributes one line here.
    private static IEnumerable<IEnumerable<AlgorithmInfo>> Families()
    {
        yield return Neighborhood.NeighborhoodAlgorithms.All;
        yield return Ranking.TopNAlgorithms.All;
        yield return MatrixFactorization.MatrixFactorizationAlgorithms.All;
        yield return Hybrid.HybridAlgorithms.All;
    }

    public static IReadOnlyCollection<AlgorithmInfo> Algorithms => All.Value.Values;

    public static AlgorithmInfo Get(string name) =>
        All.Value.TryGetValue(name, out var info)
            ? info
            : throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", All.Value.Keys.Order())}.", nameof(name));

    public static IRecommenderModel Create(string name, AlgorithmParameters? parameters = null) =>
        Get(name).Create(parameters ?? AlgorithmParameters.Empty);
}
