using System.Runtime.CompilerServices;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

/// <summary>
/// The CSR views of a dataset keep their rows but not their rating index (one int per rating: 100 MB a view at 25
/// million ratings), which training reads and serving does not: it is dropped by the garbage collector when nobody uses
/// it and rebuilt, equal, on the next read.
/// </summary>
public sealed class RatingViewsTests
{
    [Fact]
    public void A_views_rating_index_is_not_held_and_comes_back_equal()
    {
        // Not sorted by user, items out of order within users: the views must sort both.
        var builder = new RatingDatasetBuilder();
        var rng = new Random(7);
        for (int k = 0; k < 5_000; k++) builder.Add((long)rng.Next(1, 200), (long)rng.Next(1, 400), 0.5f * rng.Next(1, 11), rng.Next(1_000_000));
        var data = builder.Build();
        var views = new Func<CsrMatrix>[] { () => data.ByUser, () => data.ByItem, () => data.ByUserChronological };
        foreach (var view in views)
        {
            var (copy, weak) = ReadIndex(view());
            Collect();
            Assert.False(weak.TryGetTarget(out _), "the view still holds its rating index");
            Assert.False(view().HoldsRatingIndex);
            Assert.Equal(copy, view().RatingIndex);
        }
        // And what it points to is each entry's rating.
        var byUser = data.ByUser;
        var index = byUser.RatingIndex;
        for (int u = 0; u < byUser.Rows; u++)
        {
            for (int p = byUser.Offsets[u]; p < byUser.Offsets[u + 1]; p++)
            {
                Assert.Equal(u, data.Users[index[p]]);
                Assert.Equal(byUser.Columns[p], data.Items[index[p]]);
                Assert.Equal(byUser.Values[p], data.Values[index[p]]);
            }
        }
    }

    [Fact]
    public void A_matrix_given_its_index_keeps_it()
    {
        var m = new CsrMatrix(1, 2, [0, 2], [0, 1], [1f, 2f], [1, 0]);
        Collect();
        Assert.True(m.HoldsRatingIndex);
        Assert.Equal([1, 0], m.RatingIndex);
    }

    // Not inlined, so no local of the caller keeps the array alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int[] Copy, WeakReference<int[]> Weak) ReadIndex(CsrMatrix view)
    {
        var index = view.RatingIndex;
        return (index.ToArray(), new WeakReference<int[]>(index));
    }

    private static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
    }
}
