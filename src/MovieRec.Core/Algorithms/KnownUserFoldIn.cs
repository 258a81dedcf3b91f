using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// New ratings of a user who is in the training set, for any <see cref="IFoldIn"/> model: the user's training ratings
/// merged with the new ones (a new rating of the same item replaces the old) are folded in, so the change shows at
/// once without retraining. Models with a cheap in-place update (<see cref="IIncrementalUserUpdate"/>, the factor
/// models) can use that instead and keep scoring the user by id; the service folds in the full list for the others.
/// </summary>
public static class KnownUserFoldIn
{
    /// <summary>The user's training ratings with <paramref name="newRatings"/> applied, by item ascending.</summary>
    public static ItemRating[] Merge(RatingDataset train, int user, ReadOnlySpan<ItemRating> newRatings)
    {
        ArgumentNullException.ThrowIfNull(train);
        var byItem = new SortedDictionary<int, float>();
        if ((uint)user < (uint)train.UserCount)
        {
            var items = train.ByUser.RowColumns(user);
            var values = train.ByUser.RowValues(user);
            for (int k = 0; k < items.Length; k++) byItem[items[k]] = values[k];
        }
        foreach (var r in newRatings) byItem[r.Item] = r.Rating;
        var merged = new ItemRating[byItem.Count];
        int n = 0;
        foreach (var (item, rating) in byItem) merged[n++] = new ItemRating(item, rating);
        return merged;
    }

    /// <summary>Folds the known <paramref name="user"/> in again with their new ratings applied.</summary>
    public static FoldedUser FoldInUpdated(this IFoldIn model, RatingDataset train, int user, ReadOnlySpan<ItemRating> newRatings)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.FoldIn(Merge(train, user, newRatings));
    }
}
