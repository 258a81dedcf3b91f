using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>A feature matrix for clustering: row-major floats with named columns and the item each row stands for.</summary>
public sealed record FeatureMatrix(float[] Values, int Dimensions, IReadOnlyList<string> Columns, int[] Items)
{
    public int Rows => Items.Length;

    public ReadOnlySpan<float> Row(int r) => Values.AsSpan(r * Dimensions, Dimensions);
}

/// <summary>Builds the movie features the third seed clustered on.</summary>
public static class MovieFeatures
{
    public const string NoGenres = "(no genres listed)";

    /// <summary>
    /// For every rated movie: one-hot genre columns (MovieLens genres, with "(no genres listed)" as a column), the
    /// movie's mean rating and log(1 + rating count), every column min-max scaled to [0, 1]: the features of
    /// ../shared/reference's scikit-learn K-Means figure.
    /// </summary>
    public static FeatureMatrix GenresRatingPopularity(Dataset dataset)
    {
        var ratings = dataset.Ratings;
        var byItem = ratings.ByItem;
        var items = new List<int>();
        for (int i = 0; i < ratings.ItemCount; i++)
        {
            if (byItem.RowLength(i) > 0) items.Add(i);
        }
        var genres = new SortedSet<string>(StringComparer.Ordinal);
        foreach (int i in items)
        {
            var movie = dataset.MovieOf(i);
            if (movie is null || movie.Genres.Count == 0) genres.Add(NoGenres);
            else foreach (var g in movie.Genres) genres.Add(g);
        }
        var columns = genres.ToList();
        var genreIndex = columns.Select((g, k) => (g, k)).ToDictionary(p => p.g, p => p.k, StringComparer.Ordinal);
        columns.Add("mean rating");
        columns.Add("log(1 + rating count)");
        int d = columns.Count;
        var values = new float[items.Count * d];
        for (int r = 0; r < items.Count; r++)
        {
            int item = items[r];
            var row = values.AsSpan(r * d, d);
            var movie = dataset.MovieOf(item);
            if (movie is null || movie.Genres.Count == 0) row[genreIndex[NoGenres]] = 1;
            else foreach (var g in movie.Genres) row[genreIndex[g]] = 1;
            var rv = byItem.RowValues(item);
            float sum = 0;
            foreach (float v in rv) sum += v;
            row[d - 2] = sum / rv.Length;
            row[d - 1] = MathF.Log(1 + rv.Length);
        }
        MinMaxScale(values, d);
        return new FeatureMatrix(values, d, columns, [.. items]);
    }

    /// <summary>Scales each column to [0, 1]; a constant column becomes 0.</summary>
    public static void MinMaxScale(float[] values, int d)
    {
        int n = values.Length / d;
        for (int j = 0; j < d; j++)
        {
            float min = float.MaxValue, max = float.MinValue;
            for (int i = 0; i < n; i++)
            {
                float v = values[i * d + j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            float range = max - min;
            for (int i = 0; i < n; i++)
                values[i * d + j] = range > 0 ? (values[i * d + j] - min) / range : 0;
        }
    }
}
