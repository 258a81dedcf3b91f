using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data.Fuzz;

/// <summary>A loaded dataset broke an invariant the rest of MovieRec relies on.</summary>
public sealed class InvariantException(string message) : Exception(message);

/// <summary>What must hold of any dataset a loader returns, however odd its input was.</summary>
public static class Invariants
{
    public static void Check(Dataset dataset, bool lenient)
    {
        Check(dataset.Ratings, "ratings");
        foreach (var split in dataset.PredefinedSplits)
        {
            Require(split.Train.UserIds == dataset.Ratings.UserIds && split.Test.ItemIds == dataset.Ratings.ItemIds, $"split {split.Name} does not share the id maps");
            Check(split.Train, split.Name + ".base");
            Check(split.Test, split.Name + ".test");
        }
        if (!lenient) Require(dataset.Report.Skipped == 0, $"a strict load skipped {dataset.Report.Skipped} rows");
        Require(dataset.Report.Skipped >= 0 && dataset.Report.DuplicatesMerged >= 0, "negative report counts");
        Require(dataset.Report.SkippedByReason.Values.Sum() == dataset.Report.Skipped, "skips by reason do not add up");
        var ids = new HashSet<long>();
        foreach (var movie in dataset.Catalog.Movies)
        {
            Require(ids.Add(movie.Id), $"movie {movie.Id} is in the catalog twice");
            Require(movie.Title is not null && movie.RawTitle is not null && movie.Genres is not null, $"movie {movie.Id} lacks a title or genres");
            Require(dataset.Catalog[movie.Id] == movie, $"catalog lookup of {movie.Id} fails");
            if (movie.Tmdb is { } t) Require(double.IsFinite(t.VoteAverage) && t.VoteCount >= 0, $"movie {movie.Id} has TMDB votes {t.VoteAverage}/{t.VoteCount}");
            if (movie.Imdb is { } i) Require(i.NumVotes is null or >= 0, $"movie {movie.Id} has {i.NumVotes} IMDb votes");
        }
        Require(dataset.Catalog.Count == ids.Count, "catalog count differs from its movies");
        foreach (var tag in dataset.Tags) Require(tag.Tag is not null, "a tag without text");
    }

    public static void Check(RatingDataset ratings, string name)
    {
        int n = ratings.Count, users = ratings.UserCount, items = ratings.ItemCount;
        var scale = ratings.Scale;
        Require(float.IsFinite(scale.Min) && float.IsFinite(scale.Max) && scale.Min <= scale.Max, $"{name}: scale {scale} is not a finite range");
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            Require((uint)ratings.Users[k] < (uint)users && (uint)ratings.Items[k] < (uint)items, $"{name}: rating {k} has ids out of range");
            float v = ratings.Values[k];
            Require(scale.Check(v) is null, $"{name}: rating {k} = {v} is off the scale {scale}");
            sum += v;
        }
        Require(n == 0 ? ratings.GlobalMean == 0 : Math.Abs(ratings.GlobalMean - (sum / n)) < 1e-6, $"{name}: global mean is wrong");
        CheckCsr(ratings.ByUser, users, items, n, ratings.Values, ratings.Items, name + " by user");
        CheckCsr(ratings.ByItem, items, users, n, ratings.Values, ratings.Users, name + " by item");
        Require(ratings.ActiveUserCount() <= users && ratings.ActiveItemCount() <= items, $"{name}: more active users or items than ids");
    }

    private static void CheckCsr(CsrMatrix m, int rows, int columns, int n, float[] values, int[] columnOf, string name)
    {
        Require(m.Rows == rows && m.ColumnCount == columns && m.NonZeros == n, $"{name}: shape {m.Rows}x{m.ColumnCount}/{m.NonZeros}");
        Require(m.Offsets.Length == rows + 1 && m.Offsets[0] == 0 && m.Offsets[rows] == n, $"{name}: offsets do not span the ratings");
        var seen = new bool[n];
        for (int r = 0; r < rows; r++)
        {
            Require(m.Offsets[r] <= m.Offsets[r + 1], $"{name}: offsets decrease at row {r}");
            for (int p = m.Offsets[r]; p < m.Offsets[r + 1]; p++)
            {
                Require((uint)m.Columns[p] < (uint)columns, $"{name}: column out of range in row {r}");
                // Strictly increasing: sorted, and duplicates (user, item) were merged.
                Require(p == m.Offsets[r] || m.Columns[p] > m.Columns[p - 1], $"{name}: row {r} is unsorted or holds a duplicate");
                int k = m.RatingIndex[p];
                Require((uint)k < (uint)n && !seen[k], $"{name}: rating index is not a permutation");
                seen[k] = true;
                Require(columnOf[k] == m.Columns[p] && values[k] == m.Values[p], $"{name}: entry {p} disagrees with rating {k}");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new InvariantException(message);
    }
}
