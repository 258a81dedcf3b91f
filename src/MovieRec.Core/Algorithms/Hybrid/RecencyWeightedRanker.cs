using System.Globalization;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Weights a user's history by recency when scoring: the base model (e.g. EASE with <c>input=rating</c>) is fitted on
/// binary data (who rated what), and a user's query vector is x_ui = 2^(−a_ui / h), where a_ui is the number of the
/// user's ratings newer than the one of i and h is the half-life in ratings. Recent taste then drives the ranking,
/// which is what predicting the next movie rewards (time-decay collaborative filtering: Ding and Li 2005,
/// "Time weight collaborative filtering"). The half-life counts ratings, not days, so it does not depend on the
/// dataset's time span. Fold-in takes the ratings in the order given, the last one as the newest.
/// </summary>
public sealed class RecencyWeightedRanker : IRankingModel
{
    private RatingDataset? _train;

    /// <param name="baseModel">A ranker that scores a user from the values of their ratings (EASE with input=rating).</param>
    /// <param name="halfLife">h in ratings, > 0.</param>
    /// <param name="floor">f in [0, 1): weights are f + (1 − f) · 2^(−a/h), so old ratings keep a share f.</param>
    public RecencyWeightedRanker(IRankingModel baseModel, double halfLife, double floor = 0)
    {
        OptionChecks.InRange(floor, 0, 0.99, nameof(floor));
        Floor = floor;
        ArgumentNullException.ThrowIfNull(baseModel);
        OptionChecks.Positive(halfLife, nameof(halfLife));
        Base = baseModel;
        HalfLife = halfLife;
    }

    public IRankingModel Base { get; }

    public double HalfLife { get; }

    public double Floor { get; }

    public string Name => Base.Name;

    public int ItemCount => Base.ItemCount;

    public void Fit(RatingDataset train, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        var ones = new float[train.Count];
        Array.Fill(ones, 1f);
        Base.Fit(new RatingDataset(train.UserIds, train.ItemIds, train.Users, train.Items, ones, train.Timestamps, train.Scale), context);
        _train = train;
    }

    public void Score(int user, Span<float> scores)
    {
        var train = _train ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        var byUser = train.ByUser;
        var items = byUser.RowColumns(user);
        int start = byUser.Offsets[user];
        var times = new long[items.Length];
        for (int k = 0; k < items.Length; k++) times[k] = train.Timestamps[byUser.RatingIndex[start + k]];
        var order = new int[items.Length];
        for (int k = 0; k < order.Length; k++) order[k] = k;
        // Oldest first; ties keep item order, so the result does not depend on the sort's stability.
        Array.Sort(order, (a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
        var ratings = new ItemRating[items.Length];
        for (int r = 0; r < order.Length; r++) ratings[r] = new ItemRating(items[order[r]], 1f);
        Base.Score(Weighted(ratings), scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => Weighted(ratings.ToArray());

    public void Score(FoldedUser user, Span<float> scores) => Base.Score(user, scores);

    public float Predict(FoldedUser user, int item) => Base.Predict(user, item);

    /// <summary>The base fold-in of <paramref name="chronological"/> (oldest first) with recency weights as values.</summary>
    private FoldedUser Weighted(ItemRating[] chronological)
    {
        int n = chronological.Length;
        var weighted = new ItemRating[n];
        for (int k = 0; k < n; k++)
            weighted[k] = new ItemRating(chronological[k].Item, (float)(Floor + (1 - Floor) * Math.Pow(2, -(n - 1 - k) / HalfLife)));
        return Base.FoldIn(weighted);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Base}+recency(half_life={HalfLife}, floor={Floor})");
}
