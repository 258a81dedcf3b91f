using System.Globalization;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Weights a user's history by recency when scoring: the base model (e.g. EASE with <c>input=rating</c>) is fitted on
/// binary data (who rated what), and a user's query vector is x_ui = 2^(−a_ui / h), where a_ui is the number of the
/// user's ratings newer than the one of i and h is the half-life in ratings. Recent taste then drives the ranking,
/// which is what predicting the next movie rewards (time-decay collaborative filtering: Ding and Li 2005,
/// "Time weight collaborative filtering"). The half-life counts ratings, not days, so it does not depend on the
/// dataset's time span. Fold-in takes the ratings in the order given, the last one as the newest.
/// </summary>
public sealed class RecencyWeightedRanker : IRecommender, IPersistentModel, IUserHistory
{
    /// <summary>The algorithm name in model files.</summary>
    public const string AlgorithmName = "recency-weighted";

    private bool _fitted;
    private int[] _historyOffsets = [];
    private int[] _histories = [];

    /// <param name="baseModel">A ranker that scores a user from the values of their ratings (EASE with input=rating).</param>
    /// <param name="halfLife">h in ratings, > 0.</param>
    /// <param name="floor">f in [0, 1): weights are f + (1 − f) · 2^(−a/h), so old ratings keep a share f.</param>
    public RecencyWeightedRanker(IRecommender baseModel, double halfLife, double floor = 0)
    {
        OptionChecks.InRange(floor, 0, 0.99, nameof(floor));
        Floor = floor;
        ArgumentNullException.ThrowIfNull(baseModel);
        OptionChecks.Positive(halfLife, nameof(halfLife));
        Base = baseModel;
        HalfLife = halfLife;
    }

    public IRecommender Base { get; }

    public double HalfLife { get; }

    public double Floor { get; }

    public string Name => Base.Name;

    public int ItemCount => Base.ItemCount;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        var ones = new float[train.Count];
        Array.Fill(ones, 1f);
        Base.Fit(data.WithRatings(new RatingDataset(train.UserIds, train.ItemIds, train.Users, train.Items, ones, train.Timestamps, train.Scale)), context);
        _fitted = true;
        var histories = train.ByUserChronological;
        (_historyOffsets, _histories) = (histories.Offsets, histories.Columns);
    }

    public void Score(int user, Span<float> scores)
    {
        if (!_fitted) throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        var items = (uint)user + 1 < (uint)_historyOffsets.Length
            ? _histories.AsSpan(_historyOffsets[user], _historyOffsets[user + 1] - _historyOffsets[user])
            : [];
        var ratings = new ItemRating[items.Length];
        for (int r = 0; r < items.Length; r++) ratings[r] = new ItemRating(items[r], 1f);
        Base.Score(Weighted(ratings), scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => Weighted(ratings.ToArray());

    public void Score(FoldedUser user, Span<float> scores) => Base.Score(user, scores);

    /// <summary>The base fold-in of <paramref name="chronological"/> (oldest first) with recency weights as values.</summary>
    private FoldedUser Weighted(ItemRating[] chronological)
    {
        int n = chronological.Length;
        var weighted = new ItemRating[n];
        for (int k = 0; k < n; k++)
            weighted[k] = new ItemRating(chronological[k].Item, (float)(Floor + (1 - Floor) * Math.Pow(2, -(n - 1 - k) / HalfLife)));
        return Base.FoldIn(weighted);
    }

    // ---- persistence: the chronological histories (the scoring input), and the base model's arrays under "base." ----

    private sealed record State(double HalfLife, double Floor, string BaseAlgorithm, string BaseOptions);

    public ModelHeader Header
    {
        get
        {
            var inner = PersistentModels.Inner(Base, AlgorithmName);
            var h = inner.Header;
            return PersistentModels.WrapperHeader(AlgorithmName, PersistentModels.ToJson(new State(HalfLife, Floor, h.Algorithm, h.OptionsJson)), inner);
        }
    }

    /// <summary>The user's training items, oldest first.</summary>
    public ReadOnlySpan<int> RatedBy(int user) =>
        (uint)user + 1 < (uint)_historyOffsets.Length ? _histories.AsSpan(_historyOffsets[user], _historyOffsets[user + 1] - _historyOffsets[user]) : default;

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!_fitted) throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
        writer.Write("history_offsets", _historyOffsets);
        writer.Write("history_items", _histories);
        PersistentModels.WriteInner(writer, PersistentModels.Inner(Base, AlgorithmName));
    }

    internal static RecencyWeightedRanker Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var model = new RecencyWeightedRanker(PersistentModels.RestoreInner<IRecommender>(contents, state.BaseAlgorithm, state.BaseOptions), state.HalfLife, state.Floor);
        var histories = PersistentModels.ReadRated(contents, withValues: false, name: "history");
        (model._historyOffsets, model._histories) = (histories.Offsets, histories.Columns);
        model._fitted = true;
        return model;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Base}+recency(half-life={HalfLife}, floor={Floor})");
}
