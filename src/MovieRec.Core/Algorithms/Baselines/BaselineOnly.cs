using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Surprise's BaselineOnly: r̂_ui = μ + b_u + b_i (Koren 2010, see <see cref="BaselineEstimates"/>). An unknown
/// user or item drops its term (μ + b_i, μ + b_u or μ), so a prediction is never impossible.
/// Fold-in (<see cref="IFoldIn"/>): a new user's bias with the item biases held fixed. For ALS it is the closed-form
/// user step b_u = Σ(r_ui − μ − b_i) / (reg_u + n) over the user's n ratings (what training's last ALS user step
/// would give); for SGD, the configured epochs of SGD on b_u alone (<see cref="BaselineEstimates.FoldInUserBias"/>).
/// </summary>
public sealed class BaselineOnly : RatingPredictorBase, IFoldIn
{
    private BaselineEstimates? _baselines;

    public BaselineOnly(BaselineOptions? options = null)
    {
        Options = options ?? BaselineOptions.Als;
        Options.Validate();
    }

    public BaselineOptions Options { get; }

    public override string Name => Options.Method == BaselineMethod.Als ? "baseline" : "baseline-sgd";

    public BaselineEstimates Baselines => _baselines ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    protected override void FitCore(RatingDataset train, TrainingContext context) =>
        _baselines = BaselineEstimates.Compute(train, Options);

    protected override double Estimate(int user, int item)
    {
        var b = Baselines;
        double est = b.GlobalMean;
        if (IsUserKnown(user)) est += b.UserBias[user];
        if (IsItemKnown(item)) est += b.ItemBias[item];
        return est;
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it folds users in.");
        var copy = ratings.ToArray();
        return new BiasedUser(copy, Baselines.FoldInUserBias(copy));
    }

    public float Predict(FoldedUser user, int item)
    {
        var f = user as BiasedUser ?? throw new ArgumentException($"The user was folded in by another model than {Name}.", nameof(user));
        var b = Baselines;
        double est = b.GlobalMean + f.Bias;
        if (IsItemKnown(item)) est += b.ItemBias[item];
        return (float)Scale.Clip(est);
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        for (int i = 0; i < scores.Length; i++) scores[i] = Predict(user, i);
    }

    public override string ToString() => $"{Name}({Options})";

    private sealed class BiasedUser(ItemRating[] ratings, double bias) : FoldedUser(ratings)
    {
        public double Bias { get; } = bias;
    }
}
