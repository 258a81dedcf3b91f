using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// What every rating predictor shares, as in Surprise's AlgoBase: it keeps the training set, knows which users and
/// items have training ratings, falls back to the global mean when an estimate is impossible (NaN), clips every
/// prediction to the rating scale, and scores (ranks) by the same estimates unclipped. A subclass supplies the fit, the
/// estimate for a known user (<see cref="Estimate(int, int)"/>) and for a folded-in one
/// (<see cref="Estimate(FoldedUser, int)"/>), and the fold-in itself.
/// </summary>
public abstract class RatingPredictorBase : IRatingPredictor
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

    /// <summary>Rating models learn from the ratings alone; the catalogue, if any, is not used.</summary>
    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var train = data.Ratings;
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
    /// The raw estimate for a known user, unclipped; <see cref="double.NaN"/> when the algorithm cannot predict
    /// (Surprise's PredictionImpossible), which falls back to the global mean. Must accept unknown or out-of-range ids.
    /// </summary>
    protected abstract double Estimate(int user, int item);

    /// <summary>The raw estimate for a user this model folded in, unclipped; NaN falls back to the global mean.</summary>
    protected abstract double Estimate(FoldedUser user, int item);

    public abstract FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings);

    public float Predict(int user, int item)
    {
        CheckFitted();
        return (float)Scale.Clip(Fallback(Estimate(user, item)));
    }

    public float Predict(FoldedUser user, int item)
    {
        ArgumentNullException.ThrowIfNull(user);
        CheckFitted();
        return (float)Scale.Clip(Fallback(Estimate(user, item)));
    }

    /// <summary>Whether the estimate for (user, item) was impossible and fell back (Surprise's was_impossible).</summary>
    public bool WasImpossible(int user, int item) => double.IsNaN(Estimate(user, item));

    /// <summary>Every item's estimate, unclipped (with the global-mean fallback); fast models override this with SIMD.</summary>
    public virtual void Score(int user, Span<float> scores)
    {
        CheckFitted();
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)Fallback(Estimate(user, i));
    }

    /// <summary>Every item's estimate for a folded-in user, unclipped (with the global-mean fallback).</summary>
    public virtual void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        CheckFitted();
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)Fallback(Estimate(user, i));
    }

    private double Fallback(double estimate) => double.IsNaN(estimate) ? GlobalMean : estimate;

    /// <summary>Throws when the model has not been fitted (or restored) yet.</summary>
    protected void CheckFitted()
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it predicts or scores.");
    }

    /// <summary>The folded user as the model's own type, or an error saying another model folded it in.</summary>
    protected T FoldedBy<T>(FoldedUser user)
        where T : FoldedUser =>
        user as T ?? throw new ArgumentException($"The user was folded in by another model than {Name}.", nameof(user));

    public override string ToString() => Name;
}
