using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Gives every item a score when the base ranker cannot (NaN, e.g. EASE's items below its minimum count):
/// such items rank strictly below every modelled item and among themselves by training popularity,
/// s(u, i) = min_j s_base(u, j) − 1 + ½ · pop(i) / max pop, so the base ranking is untouched and the long tail is
/// ordered the way a popularity recommender would order it (the popularity fallback of Cremonesi, Koren and Turrin
/// 2010, "Performance of recommender algorithms on top-N recommendation tasks").
/// </summary>
public sealed class FallbackRanker : IRankingModel, IPersistentModel, IUserHistory
{
    /// <summary>The algorithm name in model files.</summary>
    public const string AlgorithmName = "popularity-fallback";

    private float[] _popularity = [];

    public FallbackRanker(IRankingModel baseModel)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        Base = baseModel;
    }

    public IRankingModel Base { get; }

    public string Name => Base.Name;

    public int ItemCount => Base.ItemCount;

    public void Fit(RatingDataset train, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        Base.Fit(train, context);
        var byItem = train.ByItem;
        var counts = new float[train.ItemCount];
        float max = 1;
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = byItem.RowLength(i);
            max = Math.Max(max, counts[i]);
        }
        for (int i = 0; i < counts.Length; i++) counts[i] = 0.5f * counts[i] / max;
        _popularity = counts;
    }

    public void Score(int user, Span<float> scores)
    {
        Base.Score(user, scores);
        Fill(scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => Base.FoldIn(ratings);

    public void Score(FoldedUser user, Span<float> scores)
    {
        Base.Score(user, scores);
        Fill(scores);
    }

    public float Predict(FoldedUser user, int item)
    {
        var scores = new float[ItemCount];
        Score(user, scores);
        return scores[item];
    }

    private void Fill(Span<float> scores)
    {
        RankingChecks.Fitted(_popularity.Length > 0 || scores.Length == 0, nameof(FallbackRanker));
        float min = float.PositiveInfinity;
        foreach (float s in scores)
        {
            if (!float.IsNaN(s) && s < min) min = s;
        }
        if (float.IsPositiveInfinity(min)) min = 0;
        float floor = min - 1;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i])) scores[i] = floor + _popularity[i];
        }
    }

    // ---- persistence: the fallback popularity, and the base model's arrays under "base." ----

    private sealed record State(string BaseAlgorithm, string BaseOptions);

    public ModelHeader Header
    {
        get
        {
            var inner = PersistentModels.Inner(Base, AlgorithmName);
            var h = inner.Header;
            return PersistentModels.WrapperHeader(AlgorithmName, PersistentModels.ToJson(new State(h.Algorithm, h.OptionsJson)), inner);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => Base is IUserHistory history ? history.RatedBy(user) : default;

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_popularity.Length > 0, nameof(FallbackRanker));
        writer.Write("fallback_popularity", _popularity);
        PersistentModels.WriteInner(writer, PersistentModels.Inner(Base, AlgorithmName));
    }

    internal static FallbackRanker Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var model = new FallbackRanker(PersistentModels.RestoreInner<IRankingModel>(contents, state.BaseAlgorithm, state.BaseOptions));
        model._popularity = contents.Floats("fallback_popularity");
        PersistentModels.Check(contents, model._popularity.Length == contents.ItemIds.Count, "the fallback popularity does not match the item id map");
        return model;
    }

    public override string ToString() => $"{Base}+popularity-fallback";
}
