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
public sealed class FallbackRanker : IRecommender, IPersistentModel, IUserHistory
{
    /// <summary>The algorithm name in model files.</summary>
    public const string AlgorithmName = "popularity-fallback";

    private float[] _popularity = [];

    /// <param name="baseModel">The ranker whose NaN scores are filled.</param>
    /// <param name="name">The catalogue name of the whole (e.g. "ease-recency"); default the base model's.</param>
    public FallbackRanker(IRecommender baseModel, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        Base = baseModel;
        Name = name ?? baseModel.Name;
    }

    public IRecommender Base { get; }

    public string Name { get; }

    public int ItemCount => Base.ItemCount;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        Base.Fit(data, context);
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

    // Name: the catalogue name of the whole (absent in files written before it was recorded: the base model's then).
    private sealed record State(string BaseAlgorithm, string BaseOptions, string? Name = null);

    public ModelHeader Header
    {
        get
        {
            var inner = PersistentModels.Inner(Base, AlgorithmName);
            var h = inner.Header;
            return PersistentModels.WrapperHeader(AlgorithmName, PersistentModels.ToJson(new State(h.Algorithm, h.OptionsJson, Name)), inner);
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
        var model = new FallbackRanker(PersistentModels.RestoreInner<IRecommender>(contents, state.BaseAlgorithm, state.BaseOptions), state.Name);
        model._popularity = contents.Floats("fallback_popularity");
        PersistentModels.Check(contents, model._popularity.Length == contents.ItemIds.Count, "the fallback popularity does not match the item id map");
        return model;
    }

    public override string ToString() => Name == Base.Name ? $"{Base}+popularity-fallback" : $"{Name}({Base}+popularity-fallback)";
}
