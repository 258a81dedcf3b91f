using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Which ratings read as "liked": the upper third of the scale (3.5 and up on 0.5-5 stars), the same line as
/// <see cref="NewUserRecommendations.Liked"/> draws for a new user. The taste models (kmeans, content) and the
/// explanations count likes with it, so a training user and a new user are read alike.
/// </summary>
public static class Likes
{
    /// <summary>The lowest liked rating: min + 2/3 of the range.</summary>
    public static float Threshold(RatingScale scale) => scale.Min + (scale.Max - scale.Min) * 2 / 3;

    /// <summary>How many training users liked each item.</summary>
    public static int[] PerItem(RatingDataset ratings)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        float threshold = Threshold(ratings.Scale);
        var counts = new int[ratings.ItemCount];
        for (int k = 0; k < ratings.Count; k++)
        {
            if (ratings.Values[k] >= threshold) counts[ratings.Items[k]]++;
        }
        return counts;
    }

    /// <summary>
    /// The items a training user liked (ascending), or every item they rated when they liked none (as a new user's
    /// fold-in falls back to all their ratings).
    /// </summary>
    public static int[] OfUser(RatingDataset ratings, int user)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if ((uint)user >= (uint)ratings.UserCount) return [];
        var items = ratings.ByUser.RowColumns(user);
        var values = ratings.ByUser.RowValues(user);
        float threshold = Threshold(ratings.Scale);
        int liked = 0;
        foreach (float v in values)
        {
            if (v >= threshold) liked++;
        }
        if (liked == 0) return items.ToArray();
        var result = new int[liked];
        int n = 0;
        for (int k = 0; k < items.Length; k++)
        {
            if (values[k] >= threshold) result[n++] = items[k];
        }
        return result;
    }

    /// <summary>The item ids of fold-in ratings that are liked, or all of them when none is (ascending, distinct).</summary>
    public static int[] OfRatings(ReadOnlySpan<ItemRating> ratings, RatingScale scale)
    {
        float threshold = Threshold(scale);
        var liked = new List<int>(ratings.Length);
        foreach (var r in ratings)
        {
            if (r.Rating >= threshold) liked.Add(r.Item);
        }
        if (liked.Count == 0)
        {
            foreach (var r in ratings) liked.Add(r.Item);
        }
        liked.Sort();
        int n = 0;
        for (int k = 0; k < liked.Count; k++)
        {
            if (k == 0 || liked[k] != liked[k - 1]) liked[n++] = liked[k];
        }
        return [.. liked.Take(n)];
    }
}
