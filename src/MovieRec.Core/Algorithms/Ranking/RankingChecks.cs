using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>The argument and state checks the ranking models share.</summary>
internal static class RankingChecks
{
    public static void Fitted(bool fitted, string name)
    {
        if (!fitted) throw new InvalidOperationException($"{name} must be fitted before it scores.");
    }

    public static void ScoreLength(Span<float> scores, int itemCount)
    {
        if (scores.Length != itemCount)
            throw new ArgumentException($"scores must have one entry per item ({itemCount}), not {scores.Length}.", nameof(scores));
    }

    /// <summary>Fold-in ratings sorted by item, later duplicates winning, ids checked against the catalogue.</summary>
    public static ItemRating[] Normalize(ReadOnlySpan<ItemRating> ratings, int itemCount)
    {
        var byItem = new SortedDictionary<int, float>();
        foreach (var r in ratings)
        {
            if ((uint)r.Item >= (uint)itemCount)
                throw new ArgumentException($"Item id {r.Item} is outside the trained catalogue (0..{itemCount - 1}).", nameof(ratings));
            if (!float.IsFinite(r.Rating)) throw new ArgumentException($"Rating for item {r.Item} is not a finite number.", nameof(ratings));
            byItem[r.Item] = r.Rating;
        }
        var result = new ItemRating[byItem.Count];
        int k = 0;
        foreach (var (item, rating) in byItem) result[k++] = new ItemRating(item, rating);
        return result;
    }

    /// <summary>Training ratings of a known user as fold-in ratings (so both paths share one scoring routine).</summary>
    public static ItemRating[] UserRatings(RatingDataset train, int user)
    {
        if ((uint)user >= (uint)train.UserCount) return [];
        var items = train.ByUser.RowColumns(user);
        var values = train.ByUser.RowValues(user);
        var result = new ItemRating[items.Length];
        for (int k = 0; k < items.Length; k++) result[k] = new ItemRating(items[k], values[k]);
        return result;
    }
}
