using System.Globalization;

namespace MovieRec.Core.Algorithms;

/// <summary>What kind of value an <see cref="AlgorithmOption"/> takes.</summary>
public enum OptionType
{
    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A real number (invariant culture: "0.005", "1e-5").</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of a fixed list of words (<see cref="AlgorithmOption.Choices"/>).</summary>
    Choice,

    /// <summary>Free text (an algorithm name, for instance).</summary>
    Text,
}

/// <summary>
/// One typed option of a catalogue entry. Names are kebab-case ("init-std", "max-neighbors"); the same name with
/// underscores ("init_std") and the <see cref="Aliases"/> (Surprise's names: "n_factors", "init_std_dev") are accepted
/// too, case-insensitively. <see cref="Default"/> is the value used when the option is not given, as invariant text
/// (null: not set, and the description says what applies then).
/// </summary>
public sealed record AlgorithmOption
{
    private AlgorithmOption(string name, OptionType type, string? @default, string description, IReadOnlyList<string> aliases, IReadOnlyList<string> choices)
    {
        Name = name;
        Type = type;
        Default = @default;
        Description = description;
        Aliases = aliases;
        Choices = choices;
    }

    public string Name { get; }

    public OptionType Type { get; }

    public string? Default { get; }

    /// <summary>What the option does (one line).</summary>
    public string Description { get; }

    /// <summary>Other accepted names (Surprise's, or earlier ones).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The accepted words of a <see cref="OptionType.Choice"/> option.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>
    /// The property of the algorithm's options record the value ends up in, when its name differs from the option's
    /// ("MinItemCount" for "min-count"): validation errors that name the property are reported under the option's name.
    /// </summary>
    public string? Property { get; init; }

    public static AlgorithmOption Int(string name, int @default, string description, params string[] aliases) =>
        new(name, OptionType.Integer, @default.ToString(CultureInfo.InvariantCulture), description, aliases, []);

    /// <summary>An integer option that is not set unless given (the description says what applies then).</summary>
    public static AlgorithmOption OptionalInt(string name, string description, params string[] aliases) =>
        new(name, OptionType.Integer, null, description, aliases, []);

    public static AlgorithmOption Number(string name, double @default, string description, params string[] aliases) =>
        new(name, OptionType.Number, @default.ToString("R", CultureInfo.InvariantCulture), description, aliases, []);

    /// <summary>A number option with an optional default (null: not set unless given).</summary>
    public static AlgorithmOption Number(string name, double? @default, string description, params string[] aliases) =>
        new(name, OptionType.Number, @default?.ToString("R", CultureInfo.InvariantCulture), description, aliases, []);

    public static AlgorithmOption Bool(string name, bool @default, string description, params string[] aliases) =>
        new(name, OptionType.Boolean, @default ? "true" : "false", description, aliases, []);

    public static AlgorithmOption Choice(string name, string @default, IReadOnlyList<string> choices, string description, params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return new(name, OptionType.Choice, @default, description, aliases, choices);
    }

    public static AlgorithmOption Text(string name, string @default, string description, params string[] aliases) =>
        new(name, OptionType.Text, @default, description, aliases, []);

    /// <summary>Whether <paramref name="given"/> names this option: its name, with underscores, or an alias.</summary>
    public bool Matches(string given)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given.Equals(Name, StringComparison.OrdinalIgnoreCase) || given.Equals(Name.Replace('-', '_'), StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var alias in Aliases)
        {
            if (given.Equals(alias, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Whether a validation error's parameter name (a property such as "MinItemCount", or "lr_all") means this option.</summary>
    internal bool Names(string parameter)
    {
        string key = Normalize(parameter);
        if (key == Normalize(Name) || (Property is not null && key == Normalize(Property))) return true;
        foreach (var alias in Aliases)
        {
            if (key == Normalize(alias)) return true;
        }
        return false;
    }

    internal static string Normalize(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The name with its aliases, as error messages and help list it: "factors (n_factors)".</summary>
    public string Spellings => Aliases.Count == 0 ? Name : $"{Name} ({string.Join(", ", Aliases)})";

    /// <summary>The canonical form of <paramref name="text"/> for this option, or an <see cref="ArgumentException"/> naming it.</summary>
    internal string Check(string text, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        switch (Type)
        {
            case OptionType.Integer:
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i.ToString(CultureInfo.InvariantCulture);
                throw Error(algorithm, $"must be an integer, not '{text}'");
            case OptionType.Number:
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return d.ToString("R", CultureInfo.InvariantCulture);
                throw Error(algorithm, $"must be a number, not '{text}'");
            case OptionType.Boolean:
                if (bool.TryParse(value, out bool b)) return b ? "true" : "false";
                throw Error(algorithm, $"must be true or false, not '{text}'");
            case OptionType.Choice:
                foreach (var choice in Choices)
                {
                    if (Normalize(choice) == Normalize(value)) return choice;
                }
                throw Error(algorithm, $"must be one of {string.Join(", ", Choices)}, not '{text}'");
            default:
                if (value.Length == 0) throw Error(algorithm, "must not be empty");
                return value;
        }
    }

    private ArgumentException Error(string algorithm, string problem) => new($"{algorithm}: {Name} {problem}.", Name);
}
