using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>
/// The compaction once the service is quiet again: after a load that grew the heap, once; never while requests arrive,
/// never for a small growth, never for an idle service.
/// </summary>
public sealed class IdleCompactionTests
{
    [Fact]
    public async Task A_service_quiet_after_a_load_that_grew_its_heap_compacts_once()
    {
        var clock = new FakeTimeProvider();
        long committed = 100L << 20;
        using var idle = new IdleCompaction(clock, NullLogger<IdleCompaction>.Instance)
        {
            CommittedBytes = () => Interlocked.Read(ref committed),
            Compact = () => Interlocked.Exchange(ref committed, 101L << 20),
        };
        await idle.StartAsync(CancellationToken.None);
        await Tick(clock, idle); // quiet, nothing served: the baseline
        Assert.Equal(0, idle.Compactions);

        // A load: requests in this interval and the next, the heap grows by 30 MiB.
        for (int i = 0; i < 1000; i++) idle.RequestSeen();
        Interlocked.Add(ref committed, 30L << 20);
        await Tick(clock, idle);
        idle.RequestSeen();
        await Tick(clock, idle);
        Assert.Equal(0, idle.Compactions);
        await Tick(clock, idle); // a whole interval without a request
        Assert.Equal(1, idle.Compactions);
        await Tick(clock, idle);
        await Tick(clock, idle);
        Assert.Equal(1, idle.Compactions); // quiet, nothing served since

        // A small load (8 MiB of growth) is not worth a pause.
        idle.RequestSeen();
        Interlocked.Add(ref committed, 8L << 20);
        await Tick(clock, idle);
        await Tick(clock, idle);
        Assert.Equal(1, idle.Compactions);
        await idle.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(0, true, 16L << 20, true)]
    [InlineData(1, true, 64L << 20, false)]   // requests still arriving
    [InlineData(0, false, 64L << 20, false)]  // nothing served since the last compaction
    [InlineData(0, true, (16L << 20) - 1, false)]
    public void Compacts_only_when_quiet_after_serving_and_grown(long servedInInterval, bool servedSince, long growth, bool expected) =>
        Assert.Equal(expected, IdleCompaction.ShouldCompact(servedInInterval, servedSince, growth));

    [Theory]
    [InlineData("/health/ready", false)]
    [InlineData("/health/live", false)]
    [InlineData("/metrics", false)]
    [InlineData("/api/v1/recommendations", true)]
    [InlineData("/search", true)]
    [InlineData("/healthy-movies", true)]
    public void Probes_and_scrapes_are_not_serving(string path, bool counts) =>
        Assert.Equal(counts, IdleCompaction.Counts(new PathString(path)));

    /// <summary>Advances one interval and waits for the service's check of it.</summary>
    private static async Task Tick(FakeTimeProvider clock, IdleCompaction idle)
    {
        int before = idle.Checks;
        clock.Advance(IdleCompaction.Interval);
        await ServiceFactory.WaitFor(() => idle.Checks > before);
    }
}
