using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// A top-N model that folds in every rating and reads the low ones itself (as <see cref="Feedback.Disliked"/>), so
/// <see cref="NewUserRecommendations.Recommend"/> gives it all of them rather than the liked ones only.
/// </summary>
public interface IReadsDislikes : IRecommender;

/// <summary>
/// The one path from a new user's ratings to a top-N list, shared by the service and the new-user protocol, so what
/// is measured is what a person gets: fold the ratings into the model, score every movie, leave out the rated ones.
/// </summary>
public static class NewUserRecommendations
{
    /// <summary>
    /// What a top-N model (which reads a rating as "seen", not as "liked") should fold in: the ratings in the upper
    /// third of the scale (3.5 and up on 0.5-5 stars), or everything when nothing is rated that high. Rating
    /// predictors take every rating: a low one pushes similar movies down.
    /// </summary>
    public static ItemRating[] Liked(ItemRating[] ratings, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        float threshold = scale.Min + (scale.Max - scale.Min) * 2 / 3;
        var liked = Array.FindAll(ratings, r => r.Rating >= threshold);
        return liked.Length > 0 ? liked : ratings;
    }

    /// <summary>
    /// Folds a new user into <paramref name="model"/>: every rating for a rating predictor or a model that reads
    /// dislikes, the liked ones (<see cref="Liked"/>) for the other top-N models.
    /// </summary>
    public static FoldedUser FoldIn(IRecommender model, ItemRating[] ratings, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ratings);
        return model.FoldIn(model is IRatingPredictor or IReadsDislikes ? ratings : Liked(ratings, scale));
    }

    /// <summary>
    /// A search's taste (<see cref="Search.TasteScorer"/>) from <paramref name="model"/>: its score of each candidate for
    /// someone who rated <paramref name="ratings"/>; NaN for a movie <paramref name="itemOf"/> (movie id to the model's
    /// item, or -1) does not know. Every item is scored once, here.
    /// </summary>
    public static Search.TasteScorer Taste(IRecommender model, ItemRating[] ratings, RatingScale scale, Func<long, int> itemOf)
    {
        ArgumentNullException.ThrowIfNull(itemOf);
        var all = new float[model.ItemCount];
        model.Score(FoldIn(model, ratings, scale), all);
        return (candidates, scores) =>
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                int item = itemOf(candidates[i].Id);
                scores[i] = item >= 0 && item < all.Length ? all[item] : float.NaN;
            }
        };
    }

    /// <summary>
    /// The top <paramref name="k"/> items for someone who rated <paramref name="ratings"/>; equal scores are ordered by
    /// <paramref name="ties"/> (<see cref="TieBreak.ByTrainingRatings(RatingDataset)"/> of the model's training data).
    /// </summary>
    public static ScoredItem[] Recommend(IRecommender model, ItemRating[] ratings, RatingScale scale, int k, TieBreak ties, Func<int, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ratings);
        int items = model.ItemCount;
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(items);
        try
        {
            model.Score(FoldIn(model, ratings, scale), scores.AsSpan(0, items));
            var exclude = new int[ratings.Length];
            for (int r = 0; r < exclude.Length; r++) exclude[r] = ratings[r].Item;
            Array.Sort(exclude);
            return TopN.Select(scores.AsSpan(0, items), k, ties, exclude, filter);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
        }
    }
}
