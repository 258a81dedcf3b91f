using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MovieRec.Core.IO;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// Text embeddings kept on disk, so a catalogue is embedded once per (model, text): one file per embedding recipe
/// (<see cref="SentenceEmbedder.Recipe"/>: model hash, dimensions, truncation, pooling, precision) holding
/// (SHA-256 of text, vector) records. A changed model or recipe uses another file and a changed text another key, so
/// stale vectors are never served. The file is append-only: vectors are appended in chunks as they are computed, so
/// an interrupted first run keeps what it had done, and a torn last record (a crash mid-write) is ignored on load.
/// Processes sharing the folder (replicas, the CLI) hold the lock file <c>{file}.lock</c> (a <see cref="LockFile"/>:
/// created exclusively, no flock(2)) while embedding; one that waited re-reads the file and embeds only what is still
/// missing, so a second replica loads instead of re-embedding. The holder touches its lock every
/// <see cref="LockStaleAfter"/> / 6; a lock left behind by a process that died embedding is taken over (at once when
/// that process was of this host, else once unchanged for <see cref="LockStaleAfter"/>), and a holder whose lock was
/// taken over (it stalled that long) finishes its texts without writing the file.
/// </summary>
public sealed class EmbeddingCache
{
    private const uint Magic = 0x32424D45; // "EMB2"
    private const int HeaderBytes = 12;
    private const int ChunkTexts = 1024;
    private readonly Dictionary<Hash128, float[]> _vectors = [];
    private readonly object _gate = new();
    private long _loadedBytes;

    /// <param name="folder">The cache folder (created when missing).</param>
    /// <param name="recipe">What the vectors depend on besides the text (<see cref="SentenceEmbedder.Recipe"/>).</param>
    /// <param name="dimensions">Floats per vector.</param>
    public EmbeddingCache(string folder, string recipe, int dimensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipe);
        if (dimensions <= 0) throw new ArgumentOutOfRangeException(nameof(dimensions), "dimensions must be positive");
        Directory.CreateDirectory(folder);
        var safe = string.Concat(recipe.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        FilePath = Path.Combine(folder, $"embeddings-{safe}.bin");
        Dimensions = dimensions;
        lock (_gate) LoadNew();
    }

    /// <summary>The cache for <paramref name="embedder"/>'s recipe in <paramref name="folder"/>.</summary>
    public static EmbeddingCache For(SentenceEmbedder embedder, string folder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EmbeddingCache(folder, embedder.Recipe, embedder.Dimensions);
    }

    public int Dimensions { get; }

    public int Count
    {
        get
        {
            lock (_gate) return _vectors.Count;
        }
    }

    public string FilePath { get; }

    /// <summary>The lock file processes embedding into <see cref="FilePath"/> take turns by.</summary>
    public string LockPath => FilePath + ".lock";

    /// <summary>
    /// A lock seen unchanged this long (its holder touches it every sixth of this while embedding) is taken over as left
    /// behind by a process that died; a waiter otherwise waits as long as the holder embeds.
    /// </summary>
    public TimeSpan LockStaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives the cache lock's take-overs and problems on release (for a log).</summary>
    public Action<LockFileEvent>? LockEvents { get; init; }

    public static Hash128 Key(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return MemoryMarshal.Read<Hash128>(hash);
    }

    public bool TryGet(string text, out float[] vector)
    {
        lock (_gate) return _vectors.TryGetValue(Key(text), out vector!);
    }

    /// <summary>
    /// Every text's vector: from the cache, else embedded (in chunks, each appended to the file as it is done).
    /// <paramref name="progress"/> receives how many of <paramref name="texts"/> have a vector.
    /// </summary>
    public float[][] GetOrEmbed(IReadOnlyList<string> texts, SentenceEmbedder embedder, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(embedder);
        if (embedder.Dimensions != Dimensions) throw new ArgumentException($"the embedder has {embedder.Dimensions} dimensions, the cache {Dimensions}", nameof(embedder));
        var keys = new Hash128[texts.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = Key(texts[i]);
        var result = new float[texts.Count][];
        var missing = Missing(keys, result);
        if (missing.Count > 0)
        {
            using var fileLock = new LockFile(LockPath)
            {
                StaleAfter = LockStaleAfter,
                Heartbeat = LockStaleAfter / 6,
                Wait = null, // as long as another process embeds; the caller cancels
                Poll = TimeSpan.FromMilliseconds(250),
                Purpose = "embed texts into the cache",
                Events = LockEvents,
            }.Acquire(cancellation);
            lock (_gate) LoadNew(); // another process may have embedded them while this one waited
            missing = Missing(keys, result);
            int done = texts.Count - missing.Count;
            progress?.Report(done);
            for (int start = 0; start < missing.Count; start += ChunkTexts)
            {
                var chunk = missing.GetRange(start, Math.Min(ChunkTexts, missing.Count - start));
                var chunkTexts = new string[chunk.Count];
                for (int j = 0; j < chunk.Count; j++) chunkTexts[j] = texts[chunk[j]];
                int before = done;
                var vectors = embedder.Embed(chunkTexts, new Progress(progress, before), cancellation);
                var added = new List<(Hash128, float[])>(chunk.Count);
                for (int j = 0; j < chunk.Count; j++)
                {
                    result[chunk[j]] = vectors[j];
                    added.Add((keys[chunk[j]], vectors[j]));
                }
                // Not written once another process took the lock over (this one stalled past LockStaleAfter): it
                // embeds and appends now, and two appenders would cut each other's records.
                if (fileLock.IsHeld) Append(added);
                else Remember(added);
                done += chunk.Count;
                progress?.Report(done);
            }
            // Texts that repeat an embedded one (movies with identical texts) take its vector.
            Missing(keys, result);
            progress?.Report(texts.Count);
        }
        else
        {
            progress?.Report(texts.Count);
        }
        return result;
    }

    /// <summary>Fills the results the cache has; returns one index per missing text (a repeated text is embedded once).</summary>
    private List<int> Missing(Hash128[] keys, float[][] result)
    {
        var missing = new List<int>();
        var seen = new HashSet<Hash128>();
        lock (_gate)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (result[i] is not null) continue;
                if (_vectors.TryGetValue(keys[i], out var v)) result[i] = v;
                else if (seen.Add(keys[i])) missing.Add(i);
            }
        }
        return missing;
    }

    /// <summary>Reads the records appended since the last read (all of them the first time).</summary>
    private void LoadNew()
    {
        if (!File.Exists(FilePath)) return;
        try
        {
            using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new BinaryReader(stream);
            if (stream.Length < HeaderBytes) return;
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != 1 || reader.ReadInt32() != Dimensions)
            {
                _loadedBytes = -1; // another format: never appended to, rewritten on the next append
                return;
            }
            int recordBytes = RecordBytes;
            long start = Math.Max(HeaderBytes, _loadedBytes);
            long records = (stream.Length - start) / recordBytes; // a torn last record is left out
            stream.Position = start;
            for (long r = 0; r < records; r++)
            {
                var key = new Hash128(reader.ReadUInt64(), reader.ReadUInt64());
                var v = new float[Dimensions];
                stream.ReadExactly(MemoryMarshal.AsBytes(v.AsSpan()));
                _vectors[key] = v;
            }
            _loadedBytes = start + records * recordBytes;
        }
        catch (IOException)
        {
            // An unreadable cache is a cold cache: the vectors are computed again.
        }
    }

    private int RecordBytes => 16 + Dimensions * sizeof(float);

    private void Remember(List<(Hash128 Key, float[] Vector)> records)
    {
        lock (_gate)
        {
            foreach (var (key, v) in records) _vectors[key] = v;
        }
    }

    private void Append(List<(Hash128 Key, float[] Vector)> records)
    {
        lock (_gate)
        {
            foreach (var (key, v) in records) _vectors[key] = v;
            bool fresh = _loadedBytes <= 0 || !File.Exists(FilePath);
            using var stream = new FileStream(FilePath, fresh ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.Read);
            using var writer = new BinaryWriter(stream);
            if (fresh)
            {
                writer.Write(Magic);
                writer.Write(1);
                writer.Write(Dimensions);
                _loadedBytes = HeaderBytes;
                records = [.. _vectors.Select(p => (p.Key, p.Value))]; // a new file holds everything known
            }
            else
            {
                // Drop a torn tail before appending, so records stay aligned.
                stream.SetLength(_loadedBytes);
                stream.Position = _loadedBytes;
            }
            foreach (var (key, v) in records)
            {
                writer.Write(key.High);
                writer.Write(key.Low);
                writer.Write(MemoryMarshal.AsBytes(v.AsSpan()));
            }
            writer.Flush();
            stream.Flush(flushToDisk: true);
            _loadedBytes = stream.Length;
        }
    }

    /// <summary>Progress of one chunk reported as progress of the whole call.</summary>
    private sealed class Progress(IProgress<int>? outer, int offset) : IProgress<int>
    {
        public void Report(int value) => outer?.Report(offset + value);
    }

    /// <summary>The first 128 bits of a SHA-256.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Hash128(ulong High, ulong Low);
}
