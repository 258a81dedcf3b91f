using System.Globalization;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// The hybrid family for <see cref="AlgorithmRegistry"/>: <c>best</c>, our most accurate rating model (a stacked
/// blend), and <c>best-ranking</c>, our best top-N model. The <c>evaluate --algorithms best|best-ranking</c> aliases
/// resolve to these entries.
/// </summary>
public static class HybridAlgorithms
{
    /// <summary>
    /// The members of <c>best</c>: diverse, individually strong rating models whose errors are only partly
    /// correlated (factor models, item and user neighbourhoods on baseline residuals, Slope One, the baseline).
    /// Every setting is a size-independent default, so the blend carries over to other MovieLens sizes.
    /// </summary>
    public static IReadOnlyList<(string Algorithm, AlgorithmParameters Parameters)> BestMembers { get; } =
    [
        ("svd-tuned", AlgorithmParameters.Empty),
        ("svdpp", AlgorithmParameters.Empty),
        ("knn-baseline", Params(("sim", "pearson_baseline"), ("user_based", "false"), ("k", "40"))),
        ("knn-baseline", Params(("sim", "pearson_baseline"), ("user_based", "true"), ("k", "40"))),
        ("slope-one", AlgorithmParameters.Empty),
        ("baseline", AlgorithmParameters.Empty),
    ];

    public static IEnumerable<AlgorithmInfo> All { get; } =
    [
        new("best", "Our most accurate rating model: ridge-stacked blend of svd-tuned, svdpp, item and user knn-baseline, slope-one and baseline (Töscher, Jahrer & Bell 2009)",
            p => new RatingBlend(new RatingBlendOptions
            {
                Members = BestMembers,
                HoldoutFraction = p.Double("holdout", new RatingBlendOptions { Members = BestMembers }.HoldoutFraction),
                Ridge = p.Double("ridge", new RatingBlendOptions { Members = BestMembers }.Ridge),
                Folds = p.Int("folds", DefaultFolds),
                SupportFeatures = p.Bool("support-features", new RatingBlendOptions { Members = BestMembers }.SupportFeatures),
            }), PredictsRatings: true),
        new("best-ranking", "Our best top-N model for the next movie (leave-latest-out): a learnt stack (pairwise logistic regression on each user's next rating) of ease-recency, item-knn, ials and four sequential members, with popularity, trending, release-age and genre features",
            BestRanking, PredictsRatings: false),
        new("ease-recency", "EASE (Steck 2019) on a recency-weighted history (half-life=" + DefaultHalfLife.ToString(CultureInfo.InvariantCulture) + " ratings, 0 = off; floor=" + DefaultFloor.ToString(CultureInfo.InvariantCulture) + ") with a popularity fallback for items outside its model",
            EaseRecency, PredictsRatings: false),
    ];

    /// <summary>
    /// <c>best</c> fits its blend weights on 5-fold out-of-fold predictions (0.8304 vs 0.8318 5-fold RMSE with a 10 %
    /// holdout on ml-latest-small); folds=0 falls back to the holdout.
    /// </summary>
    public const int DefaultFolds = 5;

    /// <summary>
    /// Default recency half-life of <c>ease-recency</c>, in ratings. With <see cref="DefaultFloor"/> it lifts
    /// ml-latest-small leave-latest-out HR@10 from EASE's 0.090 to 0.116 and sampled HR@10 from 0.720 to 0.723
    /// (half-life 10 without a floor: 0.116 and 0.685; half-life 5, floor 0.05: 0.125 and 0.708).
    /// </summary>
    public const double DefaultHalfLife = 5;

    /// <summary>Default share of weight every rating keeps however old (so long-term taste still counts).</summary>
    public const double DefaultFloor = 0.1;

    /// <summary>
    /// The sequence members of <c>best-ranking</c>: (window, decay, backward, history) from the immediate successor to
    /// the last 20 ratings; each captures a different reach of "what comes next".
    /// </summary>
    public static IReadOnlyList<SequentialOptions> BestRankingSequences { get; } =
    [
        new() { Window = 5, Decay = 0.8, Backward = 1, History = 5 },
        new() { Window = 2, Decay = 0.8, Backward = 0, History = 3 },
        new() { Window = 20, Decay = 0.9, Backward = 1, History = 10 },
        new() { Window = 50, Decay = 0.95, Backward = 1, History = 20 },
    ];

    private static StackedRanker BestRanking(AlgorithmParameters p)
    {
        var d = new StackedRankerOptions();
        var options = new StackedRankerOptions
        {
            Levels = p.Int("levels", d.Levels),
            Negatives = p.Int("negatives", d.Negatives),
            L2 = p.Double("l2", d.L2),
            TrendingDays = p.Double("trending-days", d.TrendingDays),
        };
        Func<IRankingModel>[] collaborative =
        [
            () => EaseRecency(AlgorithmParameters.Empty),
            () => (IRankingModel)AlgorithmRegistry.Create("item-knn"),
            () => (IRankingModel)AlgorithmRegistry.Create("ials"),
        ];
        var sequential = BestRankingSequences.Select(o => (Func<IRankingModel>)(() => new SequentialCooccurrence(o))).ToArray();
        return new StackedRanker(collaborative, sequential, options);
    }

    private static FallbackRanker EaseRecency(AlgorithmParameters p)
    {
        double halfLife = p.Double("half-life", DefaultHalfLife);
        double floor = p.Double("floor", DefaultFloor);
        OptionChecks.NonNegative(halfLife, "half-life");
        // EASE's own parameters only (its strict factory refuses half-life and floor).
        var easeParameters = new AlgorithmParameters(p.Values.Where(v => !v.Key.Equals("half-life", StringComparison.OrdinalIgnoreCase)
            && !v.Key.Equals("floor", StringComparison.OrdinalIgnoreCase)).ToDictionary(StringComparer.OrdinalIgnoreCase));
        // Passed on to EASE, whose strict factory refuses a name it does not know.
        foreach (var name in easeParameters.Values.Keys) p.Has(name);
        if (halfLife == 0) return new FallbackRanker((IRankingModel)AlgorithmRegistry.Create("ease", easeParameters));
        var ease = (IRankingModel)AlgorithmRegistry.Create("ease", easeParameters.With("input", "rating"));
        return new FallbackRanker(new RecencyWeightedRanker(ease, halfLife, floor));
    }

    private static AlgorithmParameters Params(params (string Name, string Value)[] values)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values) d[name] = value.ToString(CultureInfo.InvariantCulture);
        return new AlgorithmParameters(d);
    }
}
