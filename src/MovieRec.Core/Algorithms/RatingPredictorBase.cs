using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// What every rating predictor shares, as in Surprise's AlgoBase: it keeps the training set, knows which users and
/// items have training ratings, falls back to the global mean when <see cref="Estimate"/> says a prediction is
/// impossible (returns NaN), and clips every prediction to the rating scale.
/// </summary>
public abstract class RatingPredictorBase : IRatingPredictor, IItemScorer
{
    private bool[] _knownUsers = [];
    private bool[] _knownItems = [];

    public abstract string Name { get; }

    /// <summary>The training set of the last <see cref="Fit"/>.</summary>
    protected RatingDataset Trainset { get; private set; } = null!;

    public RatingScale Scale { get; private set; }

    /// <summary>μ: the mean training rating.</summary>
    public double GlobalMean { get; private set; }

    public int ItemCount => _knownItems.Length;

    public int UserCount => _knownUsers.Length;

    public bool IsFitted { get; private set; }

    public void Fit(RatingDataset train, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(context);
        Trainset = train;
        Scale = train.Scale;
        GlobalMean = train.GlobalMean;
        _knownUsers = new bool[train.UserCount];
        _knownItems = new bool[train.ItemCount];
        foreach (int u in train.Users) _knownUsers[u] = true;
        foreach (int i in train.Items) _knownItems[i] = true;
        FitCore(train, context);
        IsFitted = true;
    }

    protected abstract void FitCore(RatingDataset train, TrainingContext context);

    /// <summary>Restores the fitted state of a model read from a file, which has no training set.</summary>
    protected void RestoreFitted(RatingScale scale, double globalMean, bool[] knownUsers, bool[] knownItems)
    {
        Scale = scale;
        GlobalMean = globalMean;
        _knownUsers = knownUsers;
        _knownItems = knownItems;
        IsFitted = true;
    }

    /// <summary>Restores the fitted state of a model read from a file that carries its whole training set.</summary>
    protected void RestoreFitted(RatingDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var knownUsers = new bool[train.UserCount];
        var knownItems = new bool[train.ItemCount];
        foreach (int u in train.Users) knownUsers[u] = true;
        foreach (int i in train.Items) knownItems[i] = true;
        Trainset = train;
        RestoreFitted(train.Scale, train.GlobalMean, knownUsers, knownItems);
    }

    /// <summary>A user with at least one training rating (Surprise's knows_user).</summary>
    public bool IsUserKnown(int user) => (uint)user < (uint)_knownUsers.Length && _knownUsers[user];

    public bool IsItemKnown(int item) => (uint)item < (uint)_knownItems.Length && _knownItems[item];

    /// <summary>
    /// The raw estimate, unclipped; <see cref="double.NaN"/> when the algorithm cannot predict (Surprise's
    /// PredictionImpossible), which falls back to the global mean. Must accept unknown or out-of-range ids.
    /// </summary>
    protected abstract double Estimate(int user, int item);

    public float Predict(int user, int item)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it predicts.");
        double est = Estimate(user, item);
        if (double.IsNaN(est)) est = GlobalMean;
        return (float)Scale.Clip(est);
    }

    /// <summary>Whether the estimate for (user, item) was impossible and fell back (Surprise's was_impossible).</summary>
    public bool WasImpossible(int user, int item) => double.IsNaN(Estimate(user, item));

    /// <summary>Scores every item by its predicted rating; fast models override this with SIMD.</summary>
    public virtual void Score(int user, Span<float> scores)
    {
        for (int i = 0; i < scores.Length; i++)
            scores[i] = Predict(user, i);
    }

    public override string ToString() => Name;
}
