namespace MovieRec.Web.Hosting;

/// <summary>
/// Gives back what a burst of requests left in the heap once the service goes quiet. Under load, objects still in
/// flight when a young collection runs are promoted and then die in the oldest generation; the GC reuses that space
/// but keeps it, so a replica stayed 25-30 MiB above its idle size after a load was over (docs/benchmarks.md, memory).
/// When requests were served since the last compaction but none for a whole <see cref="Interval"/>, and the memory the
/// GC holds grew by at least <see cref="MinGrowthBytes"/> over the least it held at any check, one compacting
/// collection (<see cref="HeapCompaction.Now"/>, tens of milliseconds) returns it to the OS. (The free space the last
/// collection reports is no guide: after a load the last one is a young collection, which reports almost none.) Never while requests are arriving:
/// a busy service pays nothing but one interlocked increment a request.
/// </summary>
public sealed class IdleCompaction(TimeProvider clock, ILogger<IdleCompaction> log) : BackgroundService
{
    // Made with the service, so its intervals count from then (ExecuteAsync starts later, on the thread pool).
    private readonly PeriodicTimer _timer = new(Interval, clock);
    private long _requests;
    private int _compactions;
    private int _checks;

    /// <summary>How long without a request counts as quiet (and how often the count is read).</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Growth of the GC's committed memory below which a compaction is not worth its pause.</summary>
    public const long MinGrowthBytes = 16L << 20;

    /// <summary>The GC's committed bytes now (replaceable in tests).</summary>
    public Func<long> CommittedBytes { get; init; } = () => GC.GetGCMemoryInfo().TotalCommittedBytes;

    /// <summary>The compaction (replaceable in tests).</summary>
    public Action Compact { get; init; } = HeapCompaction.Now;

    /// <summary>Compactions run so far.</summary>
    public int Compactions => Volatile.Read(ref _compactions);

    /// <summary>Checks done so far (one an interval).</summary>
    public int Checks => Volatile.Read(ref _checks);

    /// <summary>Counts a request (the middleware of <see cref="ServiceSetup"/>).</summary>
    public void RequestSeen() => Interlocked.Increment(ref _requests);

    /// <summary>
    /// Whether a request to <paramref name="path"/> counts as serving: health probes and metrics scrapes do not (a
    /// Kubernetes probe every few seconds would otherwise keep a replica from ever being quiet, and they leave
    /// nothing in the heap worth compacting).
    /// </summary>
    public static bool Counts(PathString path) =>
        !path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether to compact now: nothing served in the last interval, something served since the last compaction
    /// (an idle service's heap has nothing new to give back), and the GC's committed memory grew enough since then.
    /// </summary>
    public static bool ShouldCompact(long servedInInterval, bool servedSinceCompaction, long committedGrowthBytes) =>
        servedInInterval == 0 && servedSinceCompaction && committedGrowthBytes >= MinGrowthBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long seen = Interlocked.Read(ref _requests);
        long baseline = long.MaxValue; // the least the GC held at any check (start-up's temporaries are gone by then)
        bool served = false;
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long now = Interlocked.Read(ref _requests);
                long inInterval = now - seen;
                seen = now;
                served |= inInterval > 0;
                long committed = CommittedBytes();
                baseline = Math.Min(baseline, committed);
                if (ShouldCompact(inInterval, served, committed - baseline))
                {
                    long started = clock.GetTimestamp();
                    Compact();
                    var took = clock.GetElapsedTime(started);
                    Interlocked.Increment(ref _compactions);
                    served = false;
                    long after = CommittedBytes();
                    log.LogInformation("Quiet for {Seconds} s after serving: compacted the heap in {Milliseconds:0} ms, {Before:0.0} -> {After:0.0} MiB committed.",
                        Interval.TotalSeconds, took.TotalMilliseconds, committed / 1048576.0, after / 1048576.0);
                    baseline = Math.Min(baseline, after);
                }
                Interlocked.Increment(ref _checks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
