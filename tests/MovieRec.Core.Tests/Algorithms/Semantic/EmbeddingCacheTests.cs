using MovieRec.Core.Algorithms.Semantic;

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

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
