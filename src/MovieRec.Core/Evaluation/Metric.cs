using System.Globalization;

namespace MovieRec.Core.Evaluation;

/// <summary>What a metric measures.</summary>
public enum MetricKind
{
    Rmse,
    Mae,
    Fcp,
    HitRate,
    Precision,
    Recall,
    Ndcg,
    Map,
    Mrr,
    Coverage,
    Novelty,
}

/// <summary>
/// A metric by name as the CLI and results use it: <c>rmse</c>, <c>mae</c>, <c>fcp</c>, or a ranking metric at a cut-off,
/// <c>hr@10</c>, <c>precision@10</c>, <c>recall@10</c>, <c>ndcg@10</c>, <c>map@10</c>, <c>mrr@10</c>, <c>coverage@10</c>,
/// <c>novelty@10</c> (the cut-off defaults to 10).
/// </summary>
public readonly record struct Metric(MetricKind Kind, int K = 0)
{
    private static readonly (string Name, MetricKind Kind)[] Names =
    [
        ("rmse", MetricKind.Rmse), ("mae", MetricKind.Mae), ("fcp", MetricKind.Fcp),
        ("hr", MetricKind.HitRate), ("hit", MetricKind.HitRate), ("precision", MetricKind.Precision), ("p", MetricKind.Precision),
        ("recall", MetricKind.Recall), ("r", MetricKind.Recall), ("ndcg", MetricKind.Ndcg), ("map", MetricKind.Map),
        ("mrr", MetricKind.Mrr), ("coverage", MetricKind.Coverage), ("novelty", MetricKind.Novelty),
    ];

    public static Metric Rmse => new(MetricKind.Rmse);
    public static Metric Mae => new(MetricKind.Mae);
    public static Metric Fcp => new(MetricKind.Fcp);

    /// <summary>Rating metrics compare predicted with actual ratings; the rest rank items.</summary>
    public bool IsRating => Kind is MetricKind.Rmse or MetricKind.Mae or MetricKind.Fcp;

    /// <summary>Errors shrink as models improve; everything else grows.</summary>
    public bool LowerIsBetter => Kind is MetricKind.Rmse or MetricKind.Mae;

    /// <summary>The canonical name: "rmse", "hr@10".</summary>
    public string Name => IsRating ? CanonicalName(Kind) : $"{CanonicalName(Kind)}@{K.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Name;

    private static string CanonicalName(MetricKind kind) => kind switch
    {
        MetricKind.HitRate => "hr",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses "rmse", "hr@10", "ndcg" (cut-off 10); an unknown name throws ArgumentException naming it.</summary>
    public static Metric Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim().ToLowerInvariant();
        int at = s.IndexOf('@', StringComparison.Ordinal);
        string name = at < 0 ? s : s[..at];
        MetricKind? kind = null;
        foreach (var (n, k) in Names)
        {
            if (n == name) kind = k;
        }
        if (kind is null)
            throw new ArgumentException($"Unknown metric '{text}'. Known: rmse, mae, fcp, hr@K, precision@K, recall@K, ndcg@K, map@K, mrr@K, coverage@K, novelty@K.");
        var metric = new Metric(kind.Value);
        if (metric.IsRating)
        {
            if (at >= 0) throw new ArgumentException($"Metric '{text}' takes no cut-off.");
            return metric;
        }
        int cutoff = 10;
        if (at >= 0 && (!int.TryParse(s[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out cutoff) || cutoff <= 0))
            throw new ArgumentException($"Metric '{text}' needs a positive integer cut-off, e.g. {name}@10.");
        return metric with { K = cutoff };
    }

    /// <summary>Parses a comma-separated list, keeping order and dropping duplicates.</summary>
    public static IReadOnlyList<Metric> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<Metric>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = Parse(part);
            if (!list.Contains(m)) list.Add(m);
        }
        if (list.Count == 0) throw new ArgumentException("No metrics given.");
        return list;
    }
}
