using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Surprise's NormalPredictor: every prediction is a random draw from N(μ̂, σ̂) of the training ratings, with
/// <c>μ̂ = Σr/n</c> and the maximum-likelihood <c>σ̂ = sqrt(Σ(r − μ̂)²/n)</c>, clipped to the scale. Draws come from a
/// generator seeded with <see cref="TrainingContext.Seed"/> (Surprise uses numpy's global generator), so a seeded
/// run is reproducible when predictions are asked in the same order. Thread-safe. No hyperparameters.
/// Fold-in ignores the user's ratings: every user, known or not, gets the same random draws.
/// </summary>
public sealed partial class NormalPredictor : RatingPredictorBase
{
    private readonly Lock _gate = new();
    private Random _rng = new(0);
    private int _seed;
    private long _draws;   // pairs drawn since the fit: a restored model continues the same sequence

    public override string Name => "normal";

    /// <summary>σ̂, the maximum-likelihood standard deviation of the training ratings.</summary>
    public double StdDev { get; private set; }

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        double mu = train.GlobalMean, sum = 0;
        foreach (float r in train.Values) sum += (r - mu) * (r - mu);
        StdDev = train.Count == 0 ? 0 : Math.Sqrt(sum / train.Count);
        _seed = context.Seed;
        _rng = new Random(_seed);
        _draws = 0;
        FitHistory(train);
    }

    protected override double Estimate(int user, int item)
    {
        double u1, u2;
        lock (_gate)
        {
            u1 = 1.0 - _rng.NextDouble();
            u2 = _rng.NextDouble();
            _draws++;
        }
        return GlobalMean + StdDev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        CheckFitted();
        return new AnyUser(ratings.ToArray());
    }

    protected override double Estimate(FoldedUser user, int item) => Estimate(-1, item);

    public override string ToString() => "normal()";

    private sealed class AnyUser(ItemRating[] ratings) : FoldedUser(ratings);
}
