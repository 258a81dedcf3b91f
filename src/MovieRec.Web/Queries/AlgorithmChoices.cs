using Microsoft.Extensions.Options;
using MovieRec.Core.Algorithms;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>An algorithm a request may name, with a short label for people and what it is.</summary>
public sealed record AlgorithmInfo(string Name, string Label, string Description);

/// <summary>
/// The algorithms the service serves (the catalogue's servable entries, <see cref="ServingModel.Find"/>) and the
/// default one (setting <c>MovieRec:DefaultAlgorithm</c>): the one place the API, the pages and the options validation
/// learn them, so the page's switcher, the names a request may use and the start-up check always agree.
/// </summary>
public sealed class AlgorithmChoices
{
    public AlgorithmChoices(IOptions<MovieRecOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Default = Normalize(options.Value.DefaultAlgorithm);
        string first = ServingModel.Find(Default)?.Name ?? Default;
        var all = All;
        Ordered = [.. all.Where(a => a.Name == first), .. all.Where(a => a.Name != first)];
    }

    /// <summary>Every servable algorithm in catalogue order (what GET /algorithms returns), with its label.</summary>
    public static IReadOnlyList<AlgorithmInfo> All => [.. AlgorithmCatalog.Servable.Select(Info)];

    /// <summary>Whether <paramref name="name"/> (a catalogue name or alias, any case) is a servable algorithm.</summary>
    public static bool IsServable(string? name) => !string.IsNullOrWhiteSpace(name) && ServingModel.Find(Normalize(name)) is not null;

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string KnownNames => AlgorithmCatalog.KnownNames(AlgorithmCatalog.Servable);

    /// <summary>The algorithm used when a request names none.</summary>
    public string Default { get; }

    /// <summary>The algorithms in the order a person chooses from: the default first, then the catalogue's order.</summary>
    public IReadOnlyList<AlgorithmInfo> Ordered { get; }

    /// <summary>The servable algorithm called <paramref name="name"/> (or by one of its aliases).</summary>
    public static AlgorithmInfo Get(string name) =>
        Info(ServingModel.Find(name) ?? throw new ArgumentException($"'{name}' is not an algorithm the service serves.", nameof(name)));

    /// <summary>
    /// The algorithm a request named (the default when it named none), as the request spelt it (an alias such as
    /// "knn" stays "knn" in the response), or the "algorithm" field error.
    /// </summary>
    public QueryResult<string> Resolve(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return Default;
        string name = Normalize(requested);
        return IsServable(name) ? name : QueryError.Invalid("algorithm", $"unknown algorithm '{requested}'. Known: {KnownNames}.");
    }

    private static AlgorithmInfo Info(AlgorithmEntry entry) => new(entry.Name, entry.Label, entry.Description);

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
