using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms;

/// <summary>What an algorithm's scores mean.</summary>
public enum AlgorithmKind
{
    /// <summary>Predicts ratings (an <see cref="IRatingPredictor"/>): RMSE applies, and it ranks by its estimates.</summary>
    RatingPredictor,

    /// <summary>Only ranks items (top-N): its scores order items and are not ratings.</summary>
    Ranker,
}

/// <summary>How a catalogue entry's trained models are saved to a model file, or why they cannot be.</summary>
public sealed record AlgorithmPersistence
{
    private AlgorithmPersistence(bool canSave, string description, Func<ModelContents, IRecommender>? restore)
    {
        CanSave = canSave;
        Description = description;
        Restore = restore;
    }

    /// <summary>Whether the entry's models (at their defaults) can be written to a model file.</summary>
    public bool CanSave { get; }

    /// <summary>What a file holds, or the reason the models cannot be saved.</summary>
    public string Description { get; }

    /// <summary>
    /// Restores a file that records this entry's name; null when the entry's files record the names of the building
    /// blocks it is made of (restored through <see cref="PersistentModels"/>) or when it cannot be saved.
    /// </summary>
    public Func<ModelContents, IRecommender>? Restore { get; }

    /// <summary>Saved under the entry's own name, restored by <paramref name="restore"/>.</summary>
    public static AlgorithmPersistence Saved(Func<ModelContents, IRecommender> restore, string arrays)
    {
        ArgumentNullException.ThrowIfNull(restore);
        return new(true, arrays, restore);
    }

    /// <summary>Saved as the building blocks it is made of (a wrapper over a persistent model), each under its own name.</summary>
    public static AlgorithmPersistence SavedAsParts(string layout) => new(true, layout, null);

    /// <summary>Cannot be saved, for <paramref name="reason"/>.</summary>
    public static AlgorithmPersistence NotSaved(string reason) => new(false, reason, null);
}

/// <summary>
/// One algorithm in the <see cref="AlgorithmCatalog"/>: its name and aliases, kind, description with the paper, typed
/// options (strict: an unknown name is an error listing the known ones), how it is saved and restored, whether the
/// service may serve it, and whether it needs the movie catalogue.
/// </summary>
public sealed class AlgorithmEntry
{
    private readonly Func<OptionValues, IRecommender> _create;

    public AlgorithmEntry(string name, AlgorithmKind kind, string description, IReadOnlyList<AlgorithmOption> options, Func<OptionValues, IRecommender> create,
        AlgorithmPersistence persistence, string? notServable = null, bool needsCatalog = false, IReadOnlyList<string>? aliases = null, string? label = null,
        string? notForNewUsers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(persistence);
        Name = name;
        Kind = kind;
        Description = description;
        Options = options;
        _create = create;
        Persistence = persistence;
        NotServable = notServable;
        NeedsCatalog = needsCatalog;
        Aliases = aliases ?? [];
        Label = label ?? name;
        NotForNewUsers = notServable is null ? notForNewUsers : notServable;
    }

    /// <summary>The name the CLI, configuration, API and model files use, e.g. "svd", "item-knn".</summary>
    public string Name { get; }

    /// <summary>A short name for people (the web page's algorithm switcher): "SVD++", "Item kNN".</summary>
    public string Label { get; }

    /// <summary>Other names that mean this entry ("knn" for item-knn, as the service called it).</summary>
    public IReadOnlyList<string> Aliases { get; }

    public AlgorithmKind Kind { get; }

    public bool PredictsRatings => Kind == AlgorithmKind.RatingPredictor;

    /// <summary>One paragraph: what it is, with its paper.</summary>
    public string Description { get; }

    public IReadOnlyList<AlgorithmOption> Options { get; }

    public AlgorithmPersistence Persistence { get; }

    /// <summary>Why the service does not serve this algorithm; null when it does.</summary>
    public string? NotServable { get; }

    public bool Servable => NotServable is null;

    /// <summary>
    /// Why the service does not offer this algorithm to someone who rates a handful of movies (anonymous visitors and
    /// accounts: the rate-to-recommend journey); null when it does. Such an algorithm may still serve the dataset's own
    /// users. Measured on the new-user protocol (<see cref="Evaluation.NewUserProtocol"/>, docs/evaluation.md).
    /// </summary>
    public string? NotForNewUsers { get; }

    /// <summary>Whether the service offers it for recommendations from a handful of ratings.</summary>
    public bool ForNewUsers => NotForNewUsers is null;

    /// <summary>Whether fitting needs <see cref="TrainingData.Catalog"/> (content features, genres).</summary>
    public bool NeedsCatalog { get; }

    /// <summary>Whether <paramref name="name"/> is this entry's name or one of its aliases (case-insensitive).</summary>
    public bool IsCalled(string name)
    {
        if (Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
        var aliases = Aliases;
        for (int k = 0; k < aliases.Count; k++)
        {
            if (aliases[k].Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>
    /// A new unfitted model with <paramref name="parameters"/> (the defaults for options not given). An unknown option
    /// name, an option given twice under two spellings, or an invalid value is an <see cref="ArgumentException"/> whose
    /// message names the algorithm and the option (and lists the known options) and whose ParamName is the option.
    /// </summary>
    public IRecommender Create(AlgorithmParameters? parameters = null)
    {
        var values = Check(parameters ?? AlgorithmParameters.Empty);
        try
        {
            return _create(values);
        }
        catch (ArgumentException e) when (e.ParamName is { } param && Options.FirstOrDefault(o => o.Names(param)) is { } option && option.Name != param)
        {
            // Options records name their properties; the user wrote the option's name, so the error names that instead.
            string message = e.Message.Split(" (Parameter", 2)[0].Replace(param, option.Name, StringComparison.Ordinal);
            throw new ArgumentException($"{Name}: {message}", option.Name, e);
        }
    }

    /// <summary>Every given value under its option's canonical name, checked against the option's type.</summary>
    internal OptionValues Check(AlgorithmParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var spelt = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters.Values)
        {
            var option = Options.FirstOrDefault(o => o.Matches(key))
                ?? throw new ArgumentException(
                    Options.Count == 0
                        ? $"Unknown option '{key}' for {Name}: it has no options."
                        : $"Unknown option '{key}' for {Name}. Known: {string.Join(", ", Options.Select(o => o.Spellings))}.", key);
            if (spelt.TryGetValue(option.Name, out var first))
                throw new ArgumentException($"{Name}: option {option.Name} is given twice, as '{first}' and as '{key}'.", option.Name);
            spelt[option.Name] = key;
            given[option.Name] = option.Check(value, Name);
        }
        return new OptionValues(this, given);
    }

    public override string ToString() => Name;
}
