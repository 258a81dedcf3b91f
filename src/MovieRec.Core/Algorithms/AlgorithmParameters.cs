namespace MovieRec.Core.Algorithms;

/// <summary>
/// Option values by name as the CLI, configuration and grid search give them ("factors" = "100"), not yet checked:
/// <see cref="AlgorithmEntry.Create"/> matches each name to one of the entry's options (strictly) and parses its value.
/// Names are case-insensitive.
/// </summary>
public sealed class AlgorithmParameters
{
    private readonly Dictionary<string, string> _values;

    public AlgorithmParameters(IReadOnlyDictionary<string, string>? values = null) =>
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    public static AlgorithmParameters Empty { get; } = new();

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public AlgorithmParameters With(string name, string value)
    {
        var copy = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return new AlgorithmParameters(copy);
    }

    /// <summary>Parses "name=value" pairs, each possibly a comma-separated list of pairs ("k=10,sim=cosine").</summary>
    public static AlgorithmParameters Parse(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            foreach (var part in pair.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new ArgumentException($"An option is given as name=value, not '{part}'.", nameof(pairs));
                values[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }
        return new AlgorithmParameters(values);
    }

    public override string ToString() => string.Join(", ", _values.Select(p => $"{p.Key}={p.Value}"));
}
