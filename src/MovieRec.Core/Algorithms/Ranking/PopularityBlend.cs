using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>Options of <see cref="PopularityBlend"/>.</summary>
public sealed record PopularityBlendOptions
{
    /// <summary>
    /// w, the weight of the popularity rank (default 0.1: MovieLens blends 10 % popularity rank into its
    /// recommendation lists; Harper and Konstan 2015, "The MovieLens Datasets: History and Context").
    /// </summary>
    public double Weight { get; init; } = 0.1;

    /// <summary>How popularity is measured (default: training rating count).</summary>
    public PopularityOptions Popularity { get; init; } = new();

    public void Validate()
    {
        OptionChecks.InRange(Weight, 0, 1, nameof(Weight));
        ArgumentNullException.ThrowIfNull(Popularity, nameof(Popularity));
        Popularity.Validate();
    }
}

/// <summary>
/// Blends a popularity rank into any scorer's ranking:
/// final(u, i) = (1 − w) · nrank_base(u, i) + w · nrank_pop(i), where nrank(i) = 1 − pos(i) / (m − 1) is the item's
/// normalised rank among the m items the scorer can score (pos 0 = best, so the best item gets 1 and the worst 0;
/// tied scores share the better position). Ranks rather than raw scores make the blend scale-free. Items the base
/// scorer cannot score (NaN) stay NaN. A known user and a folded-in user are scored by the base model, then blended.
/// </summary>
public sealed class PopularityBlend : IRecommender, IPersistentModel, IUserHistory
{
    /// <summary>The algorithm name in model files.</summary>
    public const string AlgorithmName = "popularity-blend";

    private float[] _popularityRank = [];
    private bool _fitted;

    /// <param name="baseModel">The recommender to blend; <see cref="Fit"/> fits it.</param>
    /// <param name="options">The blend weight and popularity measure (defaults: 10 %, rating count).</param>
    public PopularityBlend(IRecommender baseModel, PopularityBlendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        Base = baseModel;
        Options = options ?? new PopularityBlendOptions();
        Options.Validate();
    }

    public IRecommender Base { get; }

    public PopularityBlendOptions Options { get; }

    public string Name => Base.Name;

    public int ItemCount => _popularityRank.Length;

    /// <summary>Fits the base model and computes the popularity ranks from the training ratings.</summary>
    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        Base.Fit(data, context);
        UsePopularity(data.Ratings);
    }

    /// <summary>Computes the popularity ranks from <paramref name="train"/> without refitting an already fitted base.</summary>
    public void UsePopularity(RatingDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var popularity = PopularityRanker.ComputeScores(train, Options.Popularity);
        _popularityRank = new float[popularity.Length];
        NormalizedRanks(popularity, _popularityRank);
        _fitted = true;
    }

    public void Score(int user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, nameof(PopularityBlend));
        RankingChecks.ScoreLength(scores, ItemCount);
        Base.Score(user, scores);
        Blend(scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => Base.FoldIn(ratings);

    public void Score(FoldedUser user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, nameof(PopularityBlend));
        RankingChecks.ScoreLength(scores, ItemCount);
        Base.Score(user, scores);
        Blend(scores);
    }

    private void Blend(Span<float> scores)
    {
        float w = (float)Options.Weight;
        if (w == 0) return;
        var ranks = new float[scores.Length];
        NormalizedRanks(scores, ranks);
        for (int i = 0; i < scores.Length; i++)
            scores[i] = float.IsNaN(ranks[i]) ? float.NaN : (1 - w) * ranks[i] + w * _popularityRank[i];
    }

    /// <summary>nrank(i) = 1 − pos(i) / (m − 1) over the m non-NaN scores; ties share the better position; NaN stays NaN.</summary>
    internal static void NormalizedRanks(ReadOnlySpan<float> scores, Span<float> ranks)
    {
        int n = scores.Length, m = 0;
        var order = new int[n];
        var keys = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (float.IsNaN(scores[i])) { ranks[i] = float.NaN; continue; }
            order[m] = i;
            keys[m] = -scores[i];
            m++;
        }
        Array.Sort(keys, order, 0, m);
        float denominator = m > 1 ? m - 1 : 1;
        int position = 0;
        for (int p = 0; p < m; p++)
        {
            if (p > 0 && keys[p] != keys[p - 1]) position = p;
            ranks[order[p]] = 1 - position / denominator;
        }
    }

    // ---- persistence: the popularity ranks, and the base model's arrays under "base." ----

    private sealed record State(PopularityBlendOptions Options, string BaseAlgorithm, string BaseOptions);

    public ModelHeader Header
    {
        get
        {
            var inner = PersistentModels.Inner(Base, AlgorithmName);
            var h = inner.Header;
            return PersistentModels.WrapperHeader(AlgorithmName, PersistentModels.ToJson(new State(Options, h.Algorithm, h.OptionsJson)), inner);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => Base is IUserHistory history ? history.RatedBy(user) : default;

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_fitted, nameof(PopularityBlend));
        writer.Write("popularity_rank", _popularityRank);
        PersistentModels.WriteInner(writer, PersistentModels.Inner(Base, AlgorithmName));
    }

    internal static PopularityBlend Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var model = new PopularityBlend(PersistentModels.RestoreInner<IRecommender>(contents, state.BaseAlgorithm, state.BaseOptions), state.Options);
        model._popularityRank = contents.Floats("popularity_rank");
        PersistentModels.Check(contents, model._popularityRank.Length == contents.ItemIds.Count, "the popularity ranks do not match the item id map");
        model._fitted = true;
        return model;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Base} + popularity blend(weight={Options.Weight}, {Options.Popularity.Measure})");
}
