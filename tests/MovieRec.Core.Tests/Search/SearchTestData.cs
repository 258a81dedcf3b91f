namespace MovieRec.Core.Tests.Search;

/// <summary>What the search tests share: ml-latest-small's rating counts per movie id (the popularity prior's input).</summary>
internal static class SearchTestData
{
    private static readonly Lazy<Dictionary<long, float>> Counts = new(() =>
    {
        var d = TestData.MovieLensSmall;
        var counts = new Dictionary<long, float>();
        for (int i = 0; i < d.Ratings.ItemCount; i++) counts[d.Ratings.ItemIds.ToRawNumeric(i)] = d.Ratings.ByItem.RowLength(i);
        return counts;
    });

    /// <summary>Ratings per movie id of ml-latest-small (0 for a movie nobody rated).</summary>
    public static Func<long, float> RatingCounts() => id => Counts.Value.GetValueOrDefault(id);
}
