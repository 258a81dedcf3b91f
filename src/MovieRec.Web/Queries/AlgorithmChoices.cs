using Microsoft.Extensions.Options;
using MovieRec.Core.Algorithms;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>
/// An algorithm a request may name, with a short label for people, what it is, and why it is not offered for
/// recommendations from a handful of ratings (null when it is).
/// </summary>
public sealed record AlgorithmInfo(string Name, string Label, string Description, string? NotForNewUsers = null)
{
    /// <summary>Whether it is offered to someone who rates a handful of movies (visitors, accounts).</summary>
    public bool ForNewUsers => NotForNewUsers is null;
}

/// <summary>
/// The algorithms this deployment serves (setting <c>MovieRec:ServedAlgorithms</c>; every servable catalogue entry,
/// <see cref="ServingModel.Find"/>, when it lists none) and the default one (setting <c>MovieRec:DefaultAlgorithm</c>):
/// the one place the API, the pages, the warm-up, the dashboard and the options validation learn them, so the page's
/// switcher, the names a request may use, what is trained and the start-up check always agree. The static members are
/// about the catalogue (what any deployment could serve); the instance ones about this deployment.
/// </summary>
public sealed class AlgorithmChoices
{
    /// <summary>The setting that lists the served algorithms, as messages name it.</summary>
    public const string Setting = $"{MovieRecOptions.Section}:{nameof(MovieRecOptions.ServedAlgorithms)}";

    private readonly HashSet<string> _served;

    public AlgorithmChoices(IOptions<MovieRecOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var served = ServedEntries(options.Value.ServedAlgorithms);
        _served = served.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        Served = [.. served.Select(Info)];
        ServedNames = AlgorithmCatalog.KnownNames(served);
        OfferedNames = AlgorithmCatalog.KnownNames(served.Where(e => e.ForNewUsers));
        NotOfferedForNewUsers = [.. Served.Where(a => !a.ForNewUsers)];
        Default = Normalize(options.Value.DefaultAlgorithm);
        string first = ServingModel.Find(Default)?.Name ?? Default;
        var offered = Served.Where(a => a.ForNewUsers).ToArray();
        Ordered = [.. offered.Where(a => a.Name == first), .. offered.Where(a => a.Name != first)];
    }

    /// <summary>Every servable algorithm in catalogue order (what any deployment could serve), with its label.</summary>
    public static IReadOnlyList<AlgorithmInfo> All => [.. AlgorithmCatalog.Servable.Select(Info)];

    /// <summary>Whether <paramref name="name"/> (a catalogue name or alias, any case) is a servable algorithm.</summary>
    public static bool IsServable(string? name) => !string.IsNullOrWhiteSpace(name) && ServingModel.Find(Normalize(name)) is not null;

    /// <summary>Whether <paramref name="name"/> is servable and offered for recommendations from a handful of ratings.</summary>
    public static bool IsForNewUsers(string? name) =>
        !string.IsNullOrWhiteSpace(name) && ServingModel.Find(Normalize(name)) is { ForNewUsers: true };

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string KnownNames => AlgorithmCatalog.KnownNames(AlgorithmCatalog.Servable);

    /// <summary>The names offered for recommendations from a handful of ratings, comma-separated.</summary>
    public static string NewUserNames => AlgorithmCatalog.KnownNames(AlgorithmCatalog.Servable.Where(e => e.ForNewUsers));

    /// <summary>
    /// The names a <c>MovieRec:ServedAlgorithms</c> value lists: each entry may hold several, separated by commas
    /// (<c>MovieRec__ServedAlgorithms=ease,popularity</c>), trimmed, empty ones left out.
    /// </summary>
    public static IEnumerable<string> Listed(IEnumerable<string>? configured) =>
        (configured ?? []).SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The servable entries <paramref name="configured"/> names (<see cref="Listed"/>), in catalogue order, each once;
    /// every servable entry when it names none. Names that are not servable are left out (the validator reports them).
    /// </summary>
    public static IReadOnlyList<AlgorithmEntry> ServedEntries(IEnumerable<string>? configured)
    {
        var listed = Listed(configured).ToList();
        if (listed.Count == 0) return [.. AlgorithmCatalog.Servable];
        var named = listed.Select(ServingModel.Find).OfType<AlgorithmEntry>().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return [.. AlgorithmCatalog.Servable.Where(e => named.Contains(e.Name))];
    }

    /// <summary>The algorithms this deployment serves, in catalogue order (what GET /algorithms returns), with their labels.</summary>
    public IReadOnlyList<AlgorithmInfo> Served { get; }

    /// <summary>The served names (with aliases), comma-separated, for messages.</summary>
    public string ServedNames { get; }

    /// <summary>The served names offered for recommendations from a handful of ratings, comma-separated.</summary>
    public string OfferedNames { get; }

    /// <summary>The served algorithms that are not offered from a handful of ratings, each with the reason.</summary>
    public IReadOnlyList<AlgorithmInfo> NotOfferedForNewUsers { get; }

    /// <summary>Whether <paramref name="name"/> (a catalogue name or alias, any case) is served by this deployment.</summary>
    public bool IsServed(string? name) => !string.IsNullOrWhiteSpace(name) && ServingModel.Find(Normalize(name)) is { } entry && _served.Contains(entry.Name);

    /// <summary>The algorithm used when a request names none.</summary>
    public string Default { get; }

    /// <summary>
    /// The algorithms a person chooses from for recommendations from their ratings: the served ones offered for new
    /// users, the default first, then the catalogue's order.
    /// </summary>
    public IReadOnlyList<AlgorithmInfo> Ordered { get; }

    /// <summary>The servable algorithm called <paramref name="name"/> (or by one of its aliases).</summary>
    public static AlgorithmInfo Get(string name) =>
        Info(ServingModel.Find(name) ?? throw new ArgumentException($"'{name}' is not an algorithm the service serves.", nameof(name)));

    /// <summary>
    /// The algorithm a request named (the default when it named none), as the request spelt it (an alias such as
    /// "knn" stays "knn" in the response), or the "algorithm" field error: unknown, not served by this deployment, or
    /// not offered from a handful of ratings.
    /// </summary>
    /// <param name="requested">The name the request gave, or null.</param>
    /// <param name="forNewUsers">
    /// Whether the list is made from a handful of ratings (a visitor's, an account's): then only the algorithms offered
    /// for new users are accepted, and the error says why another one is not.
    /// </param>
    public QueryResult<string> Resolve(string? requested, bool forNewUsers = false)
    {
        if (string.IsNullOrWhiteSpace(requested)) return Default;
        string name = Normalize(requested);
        // The names listed are those this request could use: served here, and offered when the list is made from a
        // handful of ratings (listing the whole catalogue named algorithms the next request would be refused).
        if (ServingModel.Find(name) is not { } entry)
            return QueryError.Invalid("algorithm", forNewUsers ? $"unknown algorithm '{QueryError.Echo(requested)}'. Offered: {OfferedNames}." : $"unknown algorithm '{QueryError.Echo(requested)}'. Known: {ServedNames}.");
        if (!_served.Contains(entry.Name))
            return QueryError.Invalid("algorithm", $"'{QueryError.Echo(requested)}' is not served by this deployment ({Setting}). Served: {ServedNames}.");
        if (forNewUsers && !entry.ForNewUsers)
            return QueryError.Invalid("algorithm", $"'{QueryError.Echo(requested)}' is not offered for recommendations from your ratings: {entry.NotForNewUsers}. Offered: {OfferedNames}.");
        return name;
    }

    private static AlgorithmInfo Info(AlgorithmEntry entry) => new(entry.Name, entry.Label, entry.Description, entry.NotForNewUsers);

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
