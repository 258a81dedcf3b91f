using MovieRec.Core.IO;

namespace MovieRec.Core.Tests.IO;

/// <summary>
/// The lock file shared by the model manifest (ManifestLockTests in the web tests) and the embedding cache
/// (EmbeddingCacheTests): what those do not cover, a holder that keeps the lock longer than the stale age.
/// </summary>
public class LockFileTests
{
    [Fact]
    public void A_holder_with_a_heartbeat_keeps_its_lock_past_the_stale_age_and_one_without_loses_it()
    {
        using var tmp = TestData.NewFolder();
        string path = Path.Combine(tmp.Path, "cache.lock");
        var events = new System.Collections.Concurrent.ConcurrentQueue<LockFileEvent>();

        // The holder touches its lock every 300 ms: a waiter that would take over a lock unchanged for 2 s waits out
        // its 4 s and gives up naming the holder.
        using (var held = new LockFile(path) { StaleAfter = TimeSpan.FromSeconds(2), Heartbeat = TimeSpan.FromMilliseconds(300) }.Acquire())
        {
            var waiter = new LockFile(path) { StaleAfter = TimeSpan.FromSeconds(2), Wait = TimeSpan.FromSeconds(4), Purpose = "test", Events = events.Enqueue };
            var refused = Assert.Throws<IOException>(() => waiter.Acquire().Dispose());
            Assert.Contains("held by host=", refused.Message, StringComparison.Ordinal);
            Assert.True(held.IsHeld);
            Assert.Empty(events);
        }
        Assert.False(File.Exists(path));

        // Without a heartbeat the same lock is taken over once stale; its holder learns so and leaves the new one alone.
        var stalled = new LockFile(path) { Events = events.Enqueue }.Acquire();
        using (var taker = new LockFile(path) { StaleAfter = TimeSpan.FromMilliseconds(300), Events = events.Enqueue }.Acquire())
        {
            Assert.False(stalled.IsHeld);
            stalled.Dispose();
            Assert.True(taker.IsHeld);
            Assert.Equal(taker.Owner, File.ReadAllText(path));
        }
        Assert.Equal([LockFileEventKind.TakenOver, LockFileEventKind.LostWhileHeld], events.Select(e => e.Kind));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }
}
