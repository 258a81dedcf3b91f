using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// Text embeddings cached on disk, one file per model (named by the model's hash) holding (SHA-256 of text, vector)
/// entries: a changed model uses another file, a changed text another key, so stale vectors are never served.
/// </summary>
public sealed class EmbeddingCache
{
    private const uint Magic = 0x4D424D45; // "EMBM"
    private readonly string _path;
    private readonly Dictionary<Hash128, float[]> _vectors = [];

    public EmbeddingCache(string folder, string modelHash, int dimensions)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"embeddings-{modelHash[..Math.Min(16, modelHash.Length)]}-{dimensions}.bin");
        Dimensions = dimensions;
        Load();
    }

    public int Dimensions { get; }

    public int Count => _vectors.Count;

    public string FilePath => _path;

    public static Hash128 Key(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return MemoryMarshal.Read<Hash128>(hash);
    }

    public bool TryGet(string text, out float[] vector) => _vectors.TryGetValue(Key(text), out vector!);

    /// <summary>Embeds what is missing (in batches) and returns every text's vector; saves when anything was added.</summary>
    public float[][] GetOrEmbed(IReadOnlyList<string> texts, SentenceEmbedder embedder, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(embedder);
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (int i = 0; i < texts.Count; i++)
        {
            if (TryGet(texts[i], out var v)) result[i] = v;
            else missing.Add(i);
        }
        if (missing.Count > 0)
        {
            var embedded = embedder.Embed(missing.Select(i => texts[i]).ToList(), progress: progress);
            for (int j = 0; j < missing.Count; j++)
            {
                result[missing[j]] = embedded[j];
                _vectors[Key(texts[missing[j]])] = embedded[j];
            }
            Save();
        }
        return result;
    }

    private void Load()
    {
        if (!File.Exists(_path)) return;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(_path));
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Dimensions) return;
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                var key = new Hash128(reader.ReadUInt64(), reader.ReadUInt64());
                var v = new float[Dimensions];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(v.AsSpan()));
                _vectors[key] = v;
            }
        }
        catch (EndOfStreamException)
        {
            // A cache cut short (crash while writing) is just a colder cache.
            _vectors.Clear();
        }
    }

    private void Save()
    {
        var temp = _path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(Magic);
            writer.Write(Dimensions);
            writer.Write(_vectors.Count);
            foreach (var (key, v) in _vectors)
            {
                writer.Write(key.High);
                writer.Write(key.Low);
                writer.Write(MemoryMarshal.AsBytes(v.AsSpan()));
            }
        }
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>The first 128 bits of a SHA-256.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Hash128(ulong High, ulong Low);
}
