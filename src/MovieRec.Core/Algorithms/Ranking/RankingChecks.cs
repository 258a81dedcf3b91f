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
        // Sorted by item, then position: the last rating of each item is the one kept (no tree per request).
        var keys = ratings.Length <= 128 ? stackalloc long[ratings.Length] : new long[ratings.Length];
        for (int k = 0; k < ratings.Length; k++)
        {
            var r = ratings[k];
            if ((uint)r.Item >= (uint)itemCount)
                throw new ArgumentException($"Item id {r.Item} is outside the trained catalogue (0..{itemCount - 1}).", nameof(ratings));
            if (!float.IsFinite(r.Rating)) throw new ArgumentException($"Rating for item {r.Item} is not a finite number.", nameof(ratings));
            keys[k] = ((long)r.Item << 32) | (uint)k;
        }
        keys.Sort();
        int distinct = 0;
        for (int k = 0; k < keys.Length; k++)
        {
            if (k + 1 == keys.Length || keys[k + 1] >> 32 != keys[k] >> 32) distinct++;
        }
        var result = new ItemRating[distinct];
        int at = 0;
        for (int k = 0; k < keys.Length; k++)
        {
            if (k + 1 < keys.Length && keys[k + 1] >> 32 == keys[k] >> 32) continue;
            result[at++] = ratings[(int)(uint)keys[k]];
        }
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
