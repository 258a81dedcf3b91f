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
/// cosine (cast, director x3, genres, keywords; genres, tags and decade without TMDB). Needs the movie catalogue
/// (<see cref="TrainingData.Catalog"/>); reaches movies nobody has rated yet (cold start).
/// </summary>
public sealed class ContentRecommender : IRecommender
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

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        data.RequireCatalog(Name);
        _train = data.Ratings;
        _similarity = ContentSimilarity.Build(ItemAlignedMovies(data), new ContentSimilarityOptions { Neighbours = _options.Neighbours, Threads = context.Threads });
    }

    /// <summary>One movie per dense item id (a featureless stand-in where the catalogue lacks one).</summary>
    public static List<Movie> ItemAlignedMovies(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int items = data.Ratings.ItemCount;
        var movies = new List<Movie>(items);
        for (int i = 0; i < items; i++)
            movies.Add(data.MovieOf(i) ?? new Movie(-1 - i, "", []));
        return movies;
    }

    public void Score(int user, Span<float> scores)
    {
        var train = _train ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        RankingChecks.ScoreLength(scores, ItemCount);
        var byUser = train.ByUser;
        var items = byUser.RowColumns(user);
        var values = byUser.RowValues(user);
        var ratings = new ItemRating[items.Length];
        for (int k = 0; k < items.Length; k++) ratings[k] = new ItemRating(items[k], values[k]);
        ScoreRatings(ratings, scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_train is not null, Name);
        return new RatingsFoldedUser(RankingChecks.Normalize(ratings, ItemCount));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        RankingChecks.Fitted(_train is not null, Name);
        RankingChecks.ScoreLength(scores, ItemCount);
        ScoreRatings(user.Ratings, scores);
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

    public override string ToString() => $"content(neighbors={_options.Neighbours})";
}
