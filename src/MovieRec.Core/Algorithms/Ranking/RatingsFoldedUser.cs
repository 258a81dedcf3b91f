namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>A folded-in user whose state is just their ratings (models that score from the ratings directly).</summary>
public sealed class RatingsFoldedUser : FoldedUser
{
    public RatingsFoldedUser(ItemRating[] ratings)
        : base(ratings)
    {
    }

    /// <summary>The rated item ids, ascending (ratings are sorted by item at fold-in).</summary>
    public int[] ItemIds => Array.ConvertAll(Ratings, r => r.Item);
}
