using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Evaluation;

/// <summary>
/// Resolves a comma-separated algorithm list ("svd,knn-baseline") against the registered algorithms, with the
/// aliases <c>all</c> (every registered algorithm), <c>best</c> (the entry registered as "best": our most accurate
/// rating model) and <c>best-ranking</c> (the entry registered as "best-ranking": our best top-N model).
/// </summary>
public static class AlgorithmAliases
{
    public const string All = "all";
    public const string Best = "best";
    public const string BestRanking = "best-ranking";

    /// <summary>The algorithms named, in order, without duplicates; an unknown name lists the known ones.</summary>
    public static IReadOnlyList<AlgorithmInfo> Resolve(string names, IReadOnlyCollection<AlgorithmInfo> known)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(known);
        var byName = new Dictionary<string, AlgorithmInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var info in known) byName.TryAdd(info.Name, info);
        var result = new List<AlgorithmInfo>();
        void Add(AlgorithmInfo info)
        {
            if (!result.Contains(info)) result.Add(info);
        }
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (byName.TryGetValue(name, out var info))
            {
                Add(info);
            }
            else if (name.Equals(All, StringComparison.OrdinalIgnoreCase))
            {
                if (known.Count == 0) throw new ArgumentException("No algorithms are registered.");
                foreach (var k in known) Add(k);
            }
            else if (name.Equals(Best, StringComparison.OrdinalIgnoreCase) || name.Equals(BestRanking, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"No algorithm is registered as '{name.ToLowerInvariant()}'. {KnownList(byName)}");
            }
            else
            {
                throw new ArgumentException($"Unknown algorithm '{name}'. {KnownList(byName)}");
            }
        }
        if (result.Count == 0) throw new ArgumentException($"No algorithm given. {KnownList(byName)}");
        return result;
    }

    private static string KnownList(Dictionary<string, AlgorithmInfo> byName) =>
        byName.Count == 0
            ? "No algorithms are registered yet."
            : $"Known: {string.Join(", ", byName.Keys.Order(StringComparer.OrdinalIgnoreCase))} (or {All}, {Best}, {BestRanking}).";
}
