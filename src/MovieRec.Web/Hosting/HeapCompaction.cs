using System.Runtime;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Gives memory back after a model version is replaced. Training allocates large temporaries (EASE's float64 Gram
/// matrix and its inverse, 107 MB each on ml-latest-small) and a replaced version leaves its arrays behind; all of them
/// sit in the large object heap, which the GC sweeps but does not compact by default. Measured on ml-latest-small with
/// every algorithm warm: 452 MB of the 869 MB large object heap was free space the process still held
/// (docs/benchmarks.md, memory). One aggressive, compacting collection (large object heap included) after the swap
/// returns it to the OS.
/// </summary>
public static class HeapCompaction
{
    private static int _scheduled;
    private static int _started;

    /// <summary>
    /// Marks that a service in this process finished start-up: from then on a model trained on its first request
    /// (<see cref="AfterTraining"/>) compacts once it is done.
    /// </summary>
    public static void MarkStarted() => Volatile.Write(ref _started, 1);

    /// <summary>
    /// After a model was trained on its first request (warm-up off, or an algorithm not warmed): its temporaries are
    /// garbage in the large object heap (at 25 million ratings item-knn's per-rating vectors and rating indexes, 500 MB),
    /// which nothing else compacts. Before start-up completes the compaction at its end covers them.
    /// </summary>
    public static void AfterTraining()
    {
        if (Volatile.Read(ref _started) == 1) Schedule(TimeSpan.FromSeconds(1));
    }

    /// <summary>Compacts now, on the calling thread (a pause of tens of milliseconds: only when nothing is served yet).</summary>
    public static void Now()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // What training freed outside the managed heap (the GC's own bookkeeping for a heap that grew, native buffers)
        // glibc keeps unless trimmed.
        Core.Algorithms.Semantic.NativeHeap.Trim();
    }

    /// <summary>
    /// Compacts once, <paramref name="delay"/> from now: long enough for the requests still holding the replaced version
    /// to finish, so its arrays are garbage by then. Several promotions in that window share one compaction.
    /// </summary>
    public static void Schedule(TimeSpan delay)
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1) return;
        _ = Task.Delay(delay).ContinueWith(_ =>
        {
            Volatile.Write(ref _scheduled, 0);
            Now();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}
