using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Options of <see cref="ContentRecommender"/>.</summary>
public sealed record ContentRecommenderOptions
{
    /// <summary>Content neighbours kept per movie. Default 50.</summary>
    public int Neighbours { get; init; } = 50;

    public void Validate() => OptionChecks.Positive(Neighbours, nameof(Neighbours));
}

/// <summary>
/// Pure content-based top-N: score(u, i) = Σⱼ w_uj · sim(j, i) over the user's rated movies j, with
/// w_uj = r_uj − r̄_u + 0.5 (liked movies pull, disliked ones push) and sim the <see cref="ContentSimilarity"/>
/// cosine (cast, director x3, genres, keywords; genres, tags and decade without TMDB). Needs the training set's
/// catalog (<see cref="RatingDataset.Catalog"/>); reaches movies nobody has rated yet (cold start).
/// </summary>
public sealed class ContentRecommender : IRankingModel
{
    private readonly ContentRecommenderOptions _options;
    private ContentSimilarity? _similarity;
    private RatingDataset? _train;

    public ContentRecommender(ContentRecommenderOptions? options = null)
    {
        _options = options ?? new ContentRecommenderOptions();
        _options.Validate();
    }

    public string Name => "content";

    public int ItemCount => _train?.ItemCount ?? 0;

    /// <summary>The item-aligned similarity index (row = dense item id).</summary>
    public ContentSimilarity Similarity => _similarity ?? throw new InvalidOperationException("content must be fitted first.");

    public void Fit(RatingDataset train, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(context);
        if (train.Catalog is null)
            throw new ArgumentException("The content recommender needs a dataset with a movie catalog.", nameof(train));
        _train = train;
        _similarity = ContentSimilarity.Build(ItemAlignedMovies(train), new ContentSimilarityOptions { Neighbours = _options.Neighbours, Threads = context.Threads });
    }

    /// <summary>One movie per dense item id (a featureless stand-in where the catalog lacks one).</summary>
    public static List<Movie> ItemAlignedMovies(RatingDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var movies = new List<Movie>(data.ItemCount);
        for (int i = 0; i < data.ItemCount; i++)
            movies.Add(data.MovieOf(i) ?? new Movie(-1 - i, "", []));
        return movies;
    }

    public void Score(int user, Span<float> scores)
    {
        var byUser = _train!.ByUser;
        var items = byUser.RowColumns(user);
        var values = byUser.RowValues(user);
        var ratings = new ItemRating[items.Length];
        for (int k = 0; k < items.Length; k++) ratings[k] = new ItemRating(items[k], values[k]);
        ScoreRatings(ratings, scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new RatingsFoldedUser(ratings.ToArray());

    public void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        ScoreRatings(user.Ratings, scores);
    }

    public float Predict(FoldedUser user, int item)
    {
        var scores = new float[ItemCount];
        Score(user, scores);
        return scores[item];
    }

    private void ScoreRatings(ReadOnlySpan<ItemRating> ratings, Span<float> scores)
    {
        scores.Clear();
        if (ratings.IsEmpty) return;
        float mean = 0;
        foreach (var r in ratings) mean += r.Rating;
        mean /= ratings.Length;
        var index = Similarity.Index;
        foreach (var r in ratings)
        {
            if ((uint)r.Item >= (uint)index.Rows) continue;
            float w = r.Rating - mean + 0.5f;
            var neighbours = index.Neighbours(r.Item);
            var sims = index.Similarities(r.Item);
            for (int k = 0; k < neighbours.Length; k++) scores[neighbours[k]] += w * sims[k];
        }
    }

    public override string ToString() => $"content(neighbours={_options.Neighbours})";
}
