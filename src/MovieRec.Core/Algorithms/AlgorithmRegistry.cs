using System.Globalization;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// Hyperparameters by name as the CLI and grid search give them ("factors=100"); typed getters with defaults
/// and errors that name the parameter.
/// </summary>
public sealed class AlgorithmParameters
{
    private readonly Dictionary<string, string> _values;

    // Names an algorithm asked for; only set on the private copy the registry makes per Create, so shared
    // instances (Empty) are never mutated from several threads.
    private readonly HashSet<string>? _read;

    public AlgorithmParameters(IReadOnlyDictionary<string, string>? values = null) =>
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    private AlgorithmParameters(IReadOnlyDictionary<string, string> values, bool track)
        : this(values) => _read = track ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;

    /// <summary>A copy that records which names are read, so unknown names can be reported.</summary>
    internal AlgorithmParameters Tracked() => new(_values, track: true);

    /// <summary>Names read so far (tracked copies only).</summary>
    internal IReadOnlyCollection<string> ReadNames => (IReadOnlyCollection<string>?)_read ?? [];

    /// <summary>Whether the parameter was given (counts as reading the name).</summary>
    public bool Has(string name)
    {
        _read?.Add(name);
        return _values.ContainsKey(name);
    }

    private bool TryGet(string name, out string value)
    {
        _read?.Add(name);
        return _values.TryGetValue(name, out value!);
    }

    public static AlgorithmParameters Empty { get; } = new();

    public IReadOnlyDictionary<string, string> Values => _values;

    public int Int(string name, int fallback) =>
        TryGet(name, out var s)
            ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{name} must be an integer, not '{s}'.", name)
            : fallback;

    public double Double(string name, double fallback) =>
        TryGet(name, out var s)
            ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"{name} must be a number, not '{s}'.", name)
            : fallback;

    public bool Bool(string name, bool fallback) =>
        TryGet(name, out var s)
            ? bool.TryParse(s, out bool v) ? v : throw new ArgumentException($"{name} must be true or false, not '{s}'.", name)
            : fallback;

    public string String(string name, string fallback) => TryGet(name, out var s) ? s : fallback;

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
                all.Add(info.Name, info with { Create = Strict(info) });
        }
        return all;
    });

    // Each algorithm family contributes one line here.
    private static IEnumerable<IEnumerable<AlgorithmInfo>> Families()
    {
        yield return Neighborhood.NeighborhoodAlgorithms.All;
        yield return Ranking.TopNAlgorithms.All;
        yield return MatrixFactorization.MatrixFactorizationAlgorithms.All;
        yield return Content.ContentAlgorithms.All;
        yield return Hybrid.HybridAlgorithms.All;
    }

    /// <summary>
    /// Wraps a family's factory so a parameter name the algorithm never reads (a typo such as "factor") throws
    /// instead of being silently ignored. The known names are those read when creating with no parameters, plus
    /// those read this time (names only consulted when another is given).
    /// </summary>
    private static Func<AlgorithmParameters, IRecommenderModel> Strict(AlgorithmInfo info) => parameters =>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var tracked = parameters.Tracked();
        var model = info.Create(tracked);
        foreach (var name in parameters.Values.Keys)
        {
            if (tracked.ReadNames.Contains(name)) continue;
            var defaults = AlgorithmParameters.Empty.Tracked();
            info.Create(defaults);
            var known = defaults.ReadNames.Concat(tracked.ReadNames).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
            throw new ArgumentException($"Unknown parameter '{name}' for {info.Name}. Known: {string.Join(", ", known)}.", name);
        }
        return model;
    };

    public static IReadOnlyCollection<AlgorithmInfo> Algorithms => All.Value.Values;

    public static AlgorithmInfo Get(string name) =>
        All.Value.TryGetValue(name, out var info)
            ? info
            : throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", All.Value.Keys.Order())}.", nameof(name));

    public static IRecommenderModel Create(string name, AlgorithmParameters? parameters = null) =>
        Get(name).Create(parameters ?? AlgorithmParameters.Empty);
}
