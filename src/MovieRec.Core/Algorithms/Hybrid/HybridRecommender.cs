using System.Numerics.Tensors;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="HybridRecommender"/>.</summary>
public sealed record HybridOptions
{
    /// <summary>Weight of the collaborative z-score. Default 1.</summary>
    public double CollaborativeWeight { get; init; } = 1.0;

    /// <summary>
    /// Weight of the content z-score. Default 0.05, tuned on ml-latest-small leave-latest-out NDCG@10
    /// (0.05 and 0.1 tried with popularity 0 and 0.05; larger content weights lowered NDCG).
    /// </summary>
    public double ContentWeight { get; init; } = 0.05;

    /// <summary>Weight of the popularity z-score (log rating count). Default 0.05.</summary>
    public double PopularityWeight { get; init; } = 0.05;

    public void Validate()
    {
        OptionChecks.NonNegative(CollaborativeWeight, nameof(CollaborativeWeight));
        OptionChecks.NonNegative(ContentWeight, nameof(ContentWeight));
        OptionChecks.NonNegative(PopularityWeight, nameof(PopularityWeight));
    }
}

/// <summary>
/// The hybrid: a collaborative scorer, content similarity to the user's rated movies (<see cref="ContentRecommender"/>)
/// and popularity, each standardised per user (z-scores over the items it can score) and blended linearly
/// (Burke 2002, "Hybrid recommender systems: survey and experiments": a weighted hybrid). Items the collaborative model
/// cannot score (never rated, outside its model) are still reached through content: cold start. Every recommendation
/// can be explained by <see cref="Explainer"/>: a liked movie and a link that holds (director, top-billed actors,
/// a distinctive keyword, or measured co-liking).
/// </summary>
public sealed partial class HybridRecommender : IRecommender
{
    private readonly HybridOptions _options;
    private readonly IRecommender _collaborative;
    private readonly ContentNeighbourScorer _content = new();
    private float[] _popularity = [];
    private TrainingData? _data;

    /// <param name="collaborative">The collaborative part (unfitted; the catalogue's default is EASE): fitted with the hybrid.</param>
    /// <param name="options">The blend weights.</param>
    public HybridRecommender(IRecommender collaborative, HybridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(collaborative);
        _collaborative = collaborative;
        _options = options ?? new HybridOptions();
        _options.Validate();
    }

    /// <summary>The collaborative part.</summary>
    public IRecommender Collaborative => _collaborative;

    public string Name => "hybrid";

    public int ItemCount => _data?.Ratings.ItemCount ?? 0;

    /// <summary>Fits the collaborative part, the content part (which needs the catalogue) and the popularity.</summary>
    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        data.RequireCatalog(Name);
        var train = data.Ratings;
        _collaborative.Fit(data, context);
        _content.Fit(data, context);
        _data = data;
        _popularity = new float[train.ItemCount];
        for (int i = 0; i < train.ItemCount; i++) _popularity[i] = MathF.Log(1 + train.ByItem.RowLength(i));
        Standardize(_popularity);
    }

    public void Score(int user, Span<float> scores)
    {
        Fitted();
        var cf = new float[scores.Length];
        _collaborative.Score(user, cf);
        var content = new float[scores.Length];
        _content.Score(user, content);
        Blend(cf, content, scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        Fitted();
        var ratingsArray = RankingChecks.Normalize(ratings, ItemCount);
        return new HybridUser(ratingsArray, _collaborative.FoldIn(ratingsArray));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        Fitted();
        var hybridUser = user as HybridUser ?? throw new ArgumentException($"{Name} scores users it folded in itself.", nameof(user));
        var cf = new float[scores.Length];
        _collaborative.Score(hybridUser.Collaborative, cf);
        var content = new float[scores.Length];
        _content.Score(user, content);
        Blend(cf, content, scores);
    }

    private void Blend(float[] cf, float[] content, Span<float> scores)
    {
        float cfFloor = Standardize(cf);
        Standardize(content);
        for (int i = 0; i < scores.Length; i++)
        {
            float c = float.IsNaN(cf[i]) ? cfFloor : cf[i];
            scores[i] = (float)(_options.CollaborativeWeight * c + _options.ContentWeight * content[i] + _options.PopularityWeight * _popularity[i]);
        }
    }

    /// <summary>In-place z-scores over the finite values; returns the lowest z (NaNs stay NaN).</summary>
    private static float Standardize(float[] values)
    {
        double sum = 0, sq = 0;
        int n = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v)) continue;
            sum += v;
            sq += (double)v * v;
            n++;
        }
        if (n == 0) return 0;
        double mean = sum / n, std = Math.Sqrt(Math.Max(1e-12, sq / n - mean * mean));
        TensorPrimitives.Subtract(values, (float)mean, values);
        TensorPrimitives.Divide(values, (float)std, values);
        float min = float.MaxValue;
        foreach (float v in values)
        {
            if (!float.IsNaN(v) && v < min) min = v;
        }
        return min;
    }

    /// <summary>
    /// Why <paramref name="item"/> suits someone with <paramref name="ratings"/> (see <see cref="Explainer"/>).
    /// </summary>
    public Explanation Explain(ReadOnlySpan<ItemRating> ratings, int item)
    {
        var data = Fitted();
        var explainer = _explainer;
        if (explainer is null || !ReferenceEquals(explainer.Data, data)) _explainer = explainer = new Explainer(data);
        return explainer.Explain(ratings, item);
    }

    private Explainer? _explainer;

    private TrainingData Fitted() => _data ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    private sealed class HybridUser(ItemRating[] ratings, FoldedUser collaborative) : FoldedUser(ratings)
    {
        public FoldedUser Collaborative { get; } = collaborative;
    }

    public override string ToString() =>
        System.FormattableString.Invariant($"hybrid(collaborative={_collaborative}, cf-weight={_options.CollaborativeWeight}, content-weight={_options.ContentWeight}, popularity-weight={_options.PopularityWeight})");
}
