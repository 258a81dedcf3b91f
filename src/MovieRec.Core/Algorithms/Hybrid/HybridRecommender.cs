using System.Numerics.Tensors;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="HybridRecommender"/>.</summary>
public sealed record HybridOptions
{
    /// <summary>The collaborative model by registry name. Default "ease".</summary>
    public string Collaborative { get; init; } = "ease";

    public AlgorithmParameters CollaborativeParameters { get; init; } = AlgorithmParameters.Empty;

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

/// <summary>Why a movie is recommended: the rated movie behind it and what they share.</summary>
public sealed record Explanation(int? BecauseOf, string Text, IReadOnlyList<string> SharedFeatures);

/// <summary>
/// The hybrid: a collaborative scorer, content similarity to the user's rated movies (<see cref="ContentRecommender"/>)
/// and popularity, each standardised per user (z-scores over the items it can score) and blended linearly
/// (Burke 2002, "Hybrid recommender systems: survey and experiments": a weighted hybrid). Items the collaborative model
/// cannot score (never rated, outside its model) are still reached through content: cold start. Every recommendation
/// can be explained from the rated movie that contributes most: shared director, cast, genres or keywords, else
/// co-ratings.
/// </summary>
public sealed class HybridRecommender : IRankingModel
{
    private readonly HybridOptions _options;
    private IRecommenderModel? _collaborative;
    private readonly ContentRecommender _content = new();
    private float[] _popularity = [];
    private RatingDataset? _train;

    public HybridRecommender(HybridOptions? options = null)
    {
        _options = options ?? new HybridOptions();
        _options.Validate();
    }

    public string Name => "hybrid";

    public int ItemCount => _train?.ItemCount ?? 0;

    public void Fit(RatingDataset train, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        _train = train;
        _collaborative = AlgorithmRegistry.Create(_options.Collaborative, _options.CollaborativeParameters);
        switch (_collaborative)
        {
            case IRankingModel ranking:
                ranking.Fit(train, context);
                break;
            case IRatingPredictor predictor:
                predictor.Fit(train, context);
                break;
            default:
                throw new ArgumentException($"{_options.Collaborative} cannot be trained as the hybrid's collaborative part.", nameof(HybridOptions.Collaborative));
        }
        if (_collaborative is not IFoldIn)
            throw new ArgumentException($"{_options.Collaborative} cannot fold in users.", nameof(HybridOptions.Collaborative));
        _content.Fit(train, context);
        _popularity = new float[train.ItemCount];
        for (int i = 0; i < train.ItemCount; i++) _popularity[i] = MathF.Log(1 + train.ByItem.RowLength(i));
        Standardize(_popularity);
    }

    public void Score(int user, Span<float> scores)
    {
        var cf = new float[scores.Length];
        ((IItemScorer)_collaborative!).Score(user, cf);
        var content = new float[scores.Length];
        _content.Score(user, content);
        Blend(cf, content, scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        var ratingsArray = ratings.ToArray();
        return new HybridUser(ratingsArray, ((IFoldIn)_collaborative!).FoldIn(ratingsArray));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        var hybridUser = (HybridUser)user;
        var cf = new float[scores.Length];
        ((IFoldIn)_collaborative!).Score(hybridUser.Collaborative, cf);
        var content = new float[scores.Length];
        _content.Score(user, content);
        Blend(cf, content, scores);
    }

    public float Predict(FoldedUser user, int item)
    {
        var scores = new float[ItemCount];
        Score(user, scores);
        return scores[item];
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
    public Explanation Explain(ReadOnlySpan<ItemRating> ratings, int item) =>
        new Explainer(_train ?? throw new InvalidOperationException("hybrid must be fitted first."), _content.Similarity.Vectors).Explain(ratings, item);

    /// <summary>"same director (Michael Mann)", "also starring Al Pacino", "crime", keyword matches.</summary>
    public static List<string> SharedFeatures(Movie a, Movie b) => Explainer.SharedFeatures(a, b);

    private sealed class HybridUser(ItemRating[] ratings, FoldedUser collaborative) : FoldedUser(ratings)
    {
        public FoldedUser Collaborative { get; } = collaborative;
    }

    public override string ToString() =>
        System.FormattableString.Invariant($"hybrid(collaborative={_options.Collaborative}, weights cf={_options.CollaborativeWeight} content={_options.ContentWeight} popularity={_options.PopularityWeight})");
}
