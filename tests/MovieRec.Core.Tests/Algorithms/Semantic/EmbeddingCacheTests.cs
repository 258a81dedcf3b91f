using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.IO;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

public class EmbeddingCacheTests
{
    private static readonly string[] Texts = [.. Enumerable.Range(0, 40).Select(i => $"movie {i}: a story about {i % 7} friends and {i % 3} dogs")];

    [ModelFact]
    public void Vectors_are_kept_per_recipe_and_text_and_a_second_instance_loads_them()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        int reported = 0;
        var first = cache.GetOrEmbed(Texts, embedder, new SyncProgress(v => reported = v));
        Assert.Equal(Texts.Length, reported);
        Assert.Equal(Texts.Length, cache.Count);
        long size = new FileInfo(cache.FilePath).Length;

        // A restart (or a second replica) reads the file and embeds nothing: the file does not grow.
        var again = EmbeddingCache.For(embedder, tmp.Path);
        Assert.Equal(Texts.Length, again.Count);
        var second = again.GetOrEmbed(Texts, embedder);
        Assert.Equal(size, new FileInfo(cache.FilePath).Length);
        for (int i = 0; i < Texts.Length; i++) Assert.Equal(first[i], second[i]);

        // A changed text is a new key; another recipe (model, precision, truncation) another file.
        Assert.False(again.TryGet(Texts[0] + " (edited)", out _));
        using var fp32 = SentenceEmbedder.Load(TinyBertModel.Path, new EmbedderOptions { Quantize = false });
        var other = EmbeddingCache.For(fp32, tmp.Path);
        Assert.Equal(0, other.Count);
        Assert.NotEqual(cache.FilePath, other.FilePath);
        Assert.Throws<ArgumentException>(() => new EmbeddingCache(tmp.Path, "recipe", 16).GetOrEmbed(Texts, embedder));
    }

    [ModelFact]
    public void A_repeated_text_is_embedded_and_stored_once()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        string[] texts = [Texts[0], Texts[1], Texts[0], Texts[2], Texts[1], Texts[0]];
        var vectors = cache.GetOrEmbed(texts, embedder);
        Assert.Equal(3, cache.Count);
        Assert.Equal(12 + 3 * (16 + embedder.Dimensions * sizeof(float)), new FileInfo(cache.FilePath).Length);
        Assert.All(vectors, v => Assert.NotNull(v));
        Assert.Same(vectors[0], vectors[2]);
        Assert.Same(vectors[1], vectors[4]);
    }

    [ModelFact]
    public void A_torn_last_record_is_ignored_and_overwritten()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        cache.GetOrEmbed(Texts[..10], embedder);
        long size = new FileInfo(cache.FilePath).Length;
        // A crash in the middle of appending: half a record at the end.
        using (var stream = new FileStream(cache.FilePath, FileMode.Append)) stream.Write(new byte[50]);
        var reloaded = EmbeddingCache.For(embedder, tmp.Path);
        Assert.Equal(10, reloaded.Count);
        reloaded.GetOrEmbed(Texts[..20], embedder);
        long record = (size - 12) / 10;
        Assert.Equal(size + 10 * record, new FileInfo(cache.FilePath).Length);
        Assert.Equal(20, EmbeddingCache.For(embedder, tmp.Path).Count);
    }

    [ModelFact]
    public void Two_caches_embedding_at_once_write_each_vector_once()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var a = EmbeddingCache.For(embedder, tmp.Path);
        var b = EmbeddingCache.For(embedder, tmp.Path);
        Parallel.Invoke(() => a.GetOrEmbed(Texts, embedder), () => b.GetOrEmbed(Texts, embedder));
        long record = 16 + embedder.Dimensions * 4;
        // The one that waited for the lock found everything embedded and appended nothing.
        Assert.Equal(12 + Texts.Length * record, new FileInfo(a.FilePath).Length);
    }

    [ModelFact]
    public void Cancelling_keeps_the_chunks_already_written()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        var many = Enumerable.Range(0, 2500).Select(i => $"text number {i}").ToArray();
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => cache.GetOrEmbed(many, embedder, new SyncProgress(done =>
        {
            if (done >= 1100) cancel.Cancel();
        }), cancel.Token));
        int kept = EmbeddingCache.For(embedder, tmp.Path).Count;
        Assert.True(kept >= 1024 && kept < many.Length, $"{kept} vectors kept");
    }

    /// <summary>
    /// The cache's lock between processes embedding into one shared folder. It was an exclusive FileStream on a
    /// <c>.lock</c> file that stayed: flock(2) on Linux, which another host (or DOTNET_SYSTEM_IO_DISABLEFILELOCKING, or
    /// an NFS mount without locks) does not see, so two replicas appended at once. Now the lock is the file itself.
    /// </summary>
    [ModelFact]
    public async Task A_lock_file_held_without_any_flock_keeps_a_second_writer_waiting_until_it_is_removed()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var cache = EmbeddingCache.For(embedder, tmp.Path);
        // Another replica is embedding: its lock file exists, nobody here has it open.
        await File.WriteAllTextAsync(cache.LockPath, $"host=another-replica\npid=1\ntoken=0\nat={DateTimeOffset.UtcNow:O}\n");
        var embedding = Task.Run(() => cache.GetOrEmbed(Texts, embedder));
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        // Before the fix the writer took a flock nobody held and embedded and appended at once.
        Assert.False(embedding.IsCompleted, "the cache did not wait for the lock another replica holds");
        Assert.False(File.Exists(cache.FilePath), "nothing may be written while another process holds the cache's lock");

        File.Delete(cache.LockPath); // the other replica is done
        var vectors = await embedding.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(vectors, v => Assert.NotNull(v));
        Assert.Equal(12 + Texts.Length * (16 + embedder.Dimensions * sizeof(float)), new FileInfo(cache.FilePath).Length);
        Assert.False(File.Exists(cache.LockPath), "the lock is released (deleted) after embedding");
    }

    [ModelFact]
    public async Task A_lock_left_behind_is_taken_over_when_stale_or_at_once_when_its_process_is_gone()
    {
        using var tmp = TestData.NewFolder();
        using var embedder = SentenceEmbedder.Load(TinyBertModel.Path);
        var events = new System.Collections.Concurrent.ConcurrentQueue<LockFileEvent>();
        var cache = new EmbeddingCache(tmp.Path, embedder.Recipe, embedder.Dimensions) { LockStaleAfter = TimeSpan.FromMilliseconds(300), LockEvents = events.Enqueue };
        // Another host's replica died embedding: its lock stays unchanged, and after the stale age it is taken over.
        await File.WriteAllTextAsync(cache.LockPath, "host=crashed-replica\npid=1\ntoken=0\nat=2026-01-01T00:00:00Z\n");
        await Task.Run(() => cache.GetOrEmbed(Texts[..10], embedder)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(10, EmbeddingCache.For(embedder, tmp.Path).Count);
        Assert.False(File.Exists(cache.LockPath));
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.break"));
        var takeOver = Assert.Single(events);
        Assert.Equal(LockFileEventKind.TakenOver, takeOver.Kind);
        Assert.Contains("host=crashed-replica", takeOver.Holder, StringComparison.Ordinal);

        // A process of this host that no longer runs: taken over at once, though stale only after an hour.
        var patient = new EmbeddingCache(tmp.Path, embedder.Recipe, embedder.Dimensions) { LockStaleAfter = TimeSpan.FromHours(1) };
        using var gone = System.Diagnostics.Process.Start("true")!;
        await gone.WaitForExitAsync();
        await File.WriteAllTextAsync(patient.LockPath, $"host={Environment.MachineName}\npid={gone.Id}\ntoken=0\nat={DateTimeOffset.UtcNow:O}\n");
        await Task.Run(() => patient.GetOrEmbed(Texts[..20], embedder)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(20, EmbeddingCache.For(embedder, tmp.Path).Count);
        Assert.False(File.Exists(patient.LockPath));
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
