using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Surprise's BaselineOnly: r̂_ui = μ + b_u + b_i (Koren 2010, see <see cref="BaselineEstimates"/>). An unknown
/// user or item drops its term (μ + b_i, μ + b_u or μ), so a prediction is never impossible.
/// </summary>
public sealed class BaselineOnly : RatingPredictorBase
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

    public override string ToString() => $"{Name}({Options})";
}
