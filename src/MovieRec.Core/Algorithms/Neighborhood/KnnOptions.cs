using System.Globalization;
using MovieRec.Core.Algorithms.Baselines;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>
/// k-NN hyperparameters with Surprise's defaults: k = 40 neighbours at most, min_k = 1, msd similarity,
/// user-based, min_support 1; baselines (KNNBaseline and pearson_baseline) by ALS with Surprise's defaults.
/// </summary>
public sealed record KnnOptions
{
    /// <summary>The most neighbours a prediction aggregates (default 40).</summary>
    public int K { get; init; } = 40;

    /// <summary>Fewer neighbours than this: no neighbourhood term (default 1).</summary>
    public int MinK { get; init; } = 1;

    public SimilarityOptions Similarity { get; init; } = new();

    /// <summary>How the baselines of KNNBaseline and pearson_baseline are fitted (default ALS).</summary>
    public BaselineOptions Baseline { get; init; } = BaselineOptions.Als;

    public void Validate()
    {
        OptionChecks.Positive(K, nameof(K));
        OptionChecks.NonNegative(MinK, nameof(MinK));
        ArgumentNullException.ThrowIfNull(Similarity, nameof(Similarity));
        ArgumentNullException.ThrowIfNull(Baseline, nameof(Baseline));
        Similarity.Validate();
        Baseline.Validate();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"k={K}, min-k={MinK}, {Similarity}");
}
