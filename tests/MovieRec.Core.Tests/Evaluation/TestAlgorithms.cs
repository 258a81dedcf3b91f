using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Evaluation;

/// <summary>Test double: predicts μ, the mean training rating, for everyone.</summary>
public sealed class GlobalMeanPredictor : RatingPredictorBase
{
    public override string Name => "test-global-mean";

    protected override void FitCore(RatingDataset train, TrainingContext context) { }

    protected override double Estimate(int user, int item) => GlobalMean;

    protected override double Estimate(FoldedUser user, int item) => GlobalMean;

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new TestFoldedUser(ratings.ToArray());
}

/// <summary>A folded-in user of the test doubles: just the ratings.</summary>
public sealed class TestFoldedUser(ItemRating[] ratings) : FoldedUser(ratings);

/// <summary>
/// Test double: an item's mean training rating shrunk towards μ, (Σ r + β μ) / (n + β); NaN (so μ) for items
/// without training ratings. β is the "shrinkage" parameter, for grid search tests.
/// </summary>
public sealed class ItemMeanPredictor(double shrinkage = 0) : RatingPredictorBase
{
    private double[] _means = [];

    public override string Name => "test-item-mean";

    public double Shrinkage { get; } = shrinkage;

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        var byItem = train.ByItem;
        _means = new double[train.ItemCount];
        for (int i = 0; i < train.ItemCount; i++)
        {
            var values = byItem.RowValues(i);
            if (values.Length == 0)
            {
                _means[i] = double.NaN;
                continue;
            }
            double sum = 0;
            foreach (float v in values) sum += v;
            _means[i] = (sum + Shrinkage * GlobalMean) / (values.Length + Shrinkage);
        }
    }

    protected override double Estimate(int user, int item) => (uint)item < (uint)_means.Length ? _means[item] : double.NaN;

    protected override double Estimate(FoldedUser user, int item) => Estimate(-1, item);

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new TestFoldedUser(ratings.ToArray());

    public override string ToString() => $"{Name}(shrinkage={Shrinkage})";

    public static AlgorithmEntry Info { get; } = new("test-item-mean", AlgorithmKind.RatingPredictor, "Item mean (test double).",
        [AlgorithmOption.Number("shrinkage", 0.0, "β")], o => new ItemMeanPredictor(o.Number("shrinkage")), AlgorithmPersistence.NotSaved("a test double"));
}

/// <summary>Test double: a top-N-only model scoring items by their training rating count (most popular).</summary>
public sealed class PopularityScorer : IRecommender
{
    private float[] _counts = [];

    public string Name => "test-popularity";

    public int ItemCount => _counts.Length;

    public void Fit(TrainingData data, TrainingContext context)
    {
        var train = data.Ratings;
        _counts = new float[train.ItemCount];
        foreach (int i in train.Items) _counts[i]++;
    }

    public void Score(int user, Span<float> scores) => _counts.CopyTo(scores);

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new TestFoldedUser(ratings.ToArray());

    public void Score(FoldedUser user, Span<float> scores) => _counts.CopyTo(scores);

    public static AlgorithmEntry Info { get; } = new("test-popularity", AlgorithmKind.Ranker, "Most popular (test double).", [], _ => new PopularityScorer(),
        AlgorithmPersistence.NotSaved("a test double"));
}

/// <summary>Test double: fixed scores per item, whatever the user.</summary>
public sealed class FixedScorer(float[] scores) : IRecommender
{
    public string Name => "test-fixed";

    public int ItemCount => scores.Length;

    public void Fit(TrainingData data, TrainingContext context) { }

    public void Score(int user, Span<float> output) => scores.CopyTo(output);

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new TestFoldedUser(ratings.ToArray());

    public void Score(FoldedUser user, Span<float> output) => scores.CopyTo(output);
}
