using System.Globalization;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// An entry's option values, checked: every given value under its option's canonical name, parsed by its type, the
/// default for the rest. A catalogue entry's factory reads them by canonical name; asking for a name the entry does not
/// declare is a programming error (<see cref="InvalidOperationException"/>), so factories and declarations stay in step.
/// </summary>
public sealed class OptionValues
{
    private readonly AlgorithmEntry _entry;
    private readonly Dictionary<string, string> _given;

    internal OptionValues(AlgorithmEntry entry, Dictionary<string, string> given)
    {
        _entry = entry;
        _given = given;
    }

    /// <summary>Whether the option was given (rather than left at its default).</summary>
    public bool IsSet(string name)
    {
        Option(name);
        return _given.ContainsKey(name);
    }

    public int Int(string name) => int.Parse(Value(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>The value, or null when the option has no default and was not given.</summary>
    public int? OptionalInt(string name) => Raw(name) is { } v ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public double Number(string name) => double.Parse(Value(name), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The value, or null when the option has no default and was not given.</summary>
    public double? OptionalNumber(string name) => Raw(name) is { } v ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public bool Bool(string name) => Value(name) == "true";

    /// <summary>The chosen word, spelt as in the option's choices.</summary>
    public string Choice(string name) => Value(name);

    /// <summary>The chosen word as an enum member (case and dashes ignored: "mean-centred" is MeanCentred).</summary>
    public TEnum Choice<TEnum>(string name)
        where TEnum : struct, Enum =>
        Enum.Parse<TEnum>(Value(name).Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public string Text(string name) => Value(name);

    /// <summary>The given values among <paramref name="names"/>, by canonical name (to pass them on to another entry).</summary>
    public AlgorithmParameters Given(params string[] names)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            Option(name);
            if (_given.TryGetValue(name, out var v)) values[name] = v;
        }
        return new AlgorithmParameters(values);
    }

    private string Value(string name) =>
        Raw(name) ?? throw new InvalidOperationException($"{_entry.Name}'s option {name} has no default; read it with an Optional getter.");

    private string? Raw(string name) => _given.TryGetValue(name, out var v) ? v : Option(name).Default;

    private AlgorithmOption Option(string name) =>
        _entry.Options.FirstOrDefault(o => o.Name == name)
            ?? throw new InvalidOperationException($"{_entry.Name} declares no option '{name}'.");
}
