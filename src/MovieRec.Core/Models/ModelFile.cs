using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Models;

/// <summary>
/// The versioned binary model format (".mrec"). Layout, all little-endian:
/// <code>
/// "MREC" | u32 format version | u64 payload length | u64 payload checksum (64-bit FNV-1a over 8-byte words) | payload
/// payload: algorithm, options JSON, dataset fingerprint (length-prefixed UTF-8) | i64 creation time (Unix ms)
///          | scale (f32 min, max, step) | f64 global mean | user id map | item id map
///          | i32 array count | per array: name, u8 type (1 f32, 2 i32, 3 u8, 4 f16), i64 length, padding to 8 bytes, raw bytes
/// id map:  u8 kind (0 numeric, 1 string) | i32 count | i64[] raw ids, or length-prefixed UTF-8 strings
/// </code>
/// Version 2 added the f16 type (EASE's weight matrix in half precision). A file is written as version 1 unless it
/// holds an f16 array, so files without one still load in builds that read only version 1 (a replica on the previous
/// build during a rolling deploy reads the persisted SVD); such a build refuses a version 2 file by its version.
/// Arrays are copied straight from the file bytes (<see cref="MemoryMarshal"/>), never parsed element by element,
/// so a 25M-rating model loads in a fraction of a second (a synthetic model of ml-25m's shape, 162,541 users ×
/// 59,047 items × 100 factors plus the 25M rated entries, 292 MB: 0.46-0.82 s to read, verify and restore on a
/// contended 2-core machine). A wrong magic, an unknown version, a short file or a
/// checksum mismatch is refused with a <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class ModelFile
{
    /// <summary>The newest format version this build reads and writes (2: f16 arrays); it reads every version from 1.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The version a file without f16 arrays is written as: the layout of version 1, which older builds read.</summary>
    public const int FirstVersion = 1;

    internal const byte FloatType = 1, IntType = 2, ByteType = 3, HalfType = 4;
    private static readonly byte[] Magic = "MREC"u8.ToArray();
    private const int HeaderSize = 4 + 4 + 8 + 8;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, IPersistentModel model, string datasetFingerprint = "")
    {
        ArgumentNullException.ThrowIfNull(model);
        var header = model.Header;
        var writer = new ModelWriter();
        model.WriteArrays(writer);
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(header.Algorithm);
            w.Write(header.OptionsJson);
            w.Write(datasetFingerprint);
            w.Write(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.Write(header.Scale.Min);
            w.Write(header.Scale.Max);
            w.Write(header.Scale.Step);
            w.Write(header.GlobalMean);
            WriteIdMap(w, header.UserIds);
            WriteIdMap(w, header.ItemIds);
            w.Write(writer.Arrays.Count);
            foreach (var (name, type, data) in writer.Arrays)
            {
                w.Write(name);
                w.Write(type);
                w.Write((long)data.Length);
                w.Flush();
                while (payload.Position % 8 != 0) w.Write((byte)0);
                w.Flush();
                ReadOnlySpan<byte> bytes = type switch
                {
                    FloatType => MemoryMarshal.AsBytes(((float[])data).AsSpan()),
                    IntType => MemoryMarshal.AsBytes(((int[])data).AsSpan()),
                    HalfType => MemoryMarshal.AsBytes(((Half[])data).AsSpan()),
                    _ => ((byte[])data).AsSpan(),
                };
                payload.Write(bytes);
            }
        }
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> head = stackalloc byte[HeaderSize];
        Magic.CopyTo(head);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)VersionFor(writer));
        BinaryPrimitives.WriteUInt64LittleEndian(head[8..], (ulong)body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(head[16..], Checksum(body));
        // Written beside the target, flushed to disk, then renamed over it: a reader (a replica watching the model
        // directory) sees the old file or the whole new one, and a crash cannot leave a manifest naming a torn file.
        // Unique to this call: two writers (replicas in containers often share process id 1) never share a temp file.
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                file.Write(head);
                file.Write(body);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The oldest version that can hold the writer's arrays: 2 with an f16 array, else 1.</summary>
    internal static int VersionFor(ModelWriter writer)
    {
        foreach (var (_, type, _) in writer.Arrays)
        {
            if (type == HalfType) return CurrentVersion;
        }
        return FirstVersion;
    }

    /// <summary>Reads and verifies a model file (any algorithm).</summary>
    public static ModelContents Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file not found: {path}", path);
        // Streamed straight into the model's arrays (no copy of the whole file in memory), checksummed as it goes.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> head = stackalloc byte[HeaderSize];
        if (file.Length < HeaderSize || file.ReadAtLeast(head, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !head[..4].SequenceEqual(Magic))
            throw ModelFileError.Create(path, "it does not start with the MREC magic bytes");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (version is < FirstVersion or > CurrentVersion)
            throw ModelFileError.Create(path, $"format version {version} is not supported (this build reads versions {FirstVersion} to {CurrentVersion})");
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
        ulong checksum = BinaryPrimitives.ReadUInt64LittleEndian(head[16..]);
        if (length != (ulong)(file.Length - HeaderSize))
            throw ModelFileError.Create(path, $"the payload should be {length} bytes but the file holds {file.Length - HeaderSize} (truncated?)");
        using var body = new ChecksummedStream(file, (long)length);
        ModelContents? contents = null;
        Exception? malformed = null;
        try
        {
            contents = Parse(path, body, (int)version);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or DecoderFallbackException or OverflowException or IndexOutOfRangeException or InvalidDataException)
        {
            malformed = e;
        }
        // A corrupt file is reported as such even when the damage also made it unparsable.
        body.SkipToEnd();
        if (body.Checksum != checksum)
            throw ModelFileError.Create(path, "the checksum does not match (the file is corrupt)");
        if (malformed is InvalidDataException invalid && invalid.Message.StartsWith(path, StringComparison.Ordinal)) throw invalid;
        if (malformed is not null) throw ModelFileError.Create(path, malformed);
        return contents!;
    }

    private static ModelContents Parse(string path, ChecksummedStream stream, int version)
    {
        using var r = new BinaryReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
        string algorithm = r.ReadString();
        string options = r.ReadString();
        string fingerprint = r.ReadString();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
        var scale = new RatingScale(r.ReadSingle(), r.ReadSingle(), r.ReadSingle());
        double mean = r.ReadDouble();
        var users = ReadIdMap(r, stream, path);
        var items = ReadIdMap(r, stream, path);
        var contents = new ModelContents
        {
            Path = path,
            FormatVersion = version,
            Algorithm = algorithm,
            OptionsJson = options,
            DatasetFingerprint = fingerprint,
            Created = created,
            UserIds = users,
            ItemIds = items,
            Scale = scale,
            GlobalMean = mean,
        };
        int count = r.ReadInt32();
        for (int a = 0; a < count; a++)
        {
            string name = r.ReadString();
            byte type = r.ReadByte();
            long length = r.ReadInt64();
            while (stream.Consumed % 8 != 0) r.ReadByte();
            int size = type switch
            {
                FloatType => 4,
                IntType => 4,
                ByteType => 1,
                HalfType when version >= 2 => 2,
                _ => throw ModelFileError.Create(path, $"array '{name}' has unknown type {type}"),
            };
            if (length < 0 || length > int.MaxValue || length * size > stream.Remaining)
                throw ModelFileError.Create(path, $"array '{name}' runs past the end of the file");
            Array data;
            switch (type)
            {
                case FloatType:
                    var floats = GC.AllocateUninitializedArray<float>((int)length);
                    stream.ReadExactly(MemoryMarshal.AsBytes(floats.AsSpan()));
                    data = floats;
                    break;
                case IntType:
                    var ints = GC.AllocateUninitializedArray<int>((int)length);
                    stream.ReadExactly(MemoryMarshal.AsBytes(ints.AsSpan()));
                    data = ints;
                    break;
                case HalfType:
                    var halves = GC.AllocateUninitializedArray<Half>((int)length);
                    stream.ReadExactly(MemoryMarshal.AsBytes(halves.AsSpan()));
                    data = halves;
                    break;
                default:
                    var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                    stream.ReadExactly(bytes);
                    data = bytes;
                    break;
            }
            contents.Arrays[name] = data;
        }
        return contents;
    }

    private static void WriteIdMap(BinaryWriter w, IdMap map)
    {
        w.Write(map.IsNumeric ? (byte)0 : (byte)1);
        w.Write(map.Count);
        if (map.IsNumeric)
        {
            w.Flush();
            w.BaseStream.Write(MemoryMarshal.AsBytes(map.NumericIds));
        }
        else
        {
            foreach (var s in map.StringIds) w.Write(s);
        }
    }

    private static IdMap ReadIdMap(BinaryReader r, ChecksummedStream stream, string path)
    {
        byte kind = r.ReadByte();
        int count = r.ReadInt32();
        if (count < 0) throw ModelFileError.Create(path, "negative id count");
        if (kind == 0)
        {
            if (stream.Remaining < count * 8L) throw ModelFileError.Create(path, "the id map runs past the end of the file");
            var ids = new long[count];
            stream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
            return IdMap.FromNumeric(ids);
        }
        if (kind != 1) throw ModelFileError.Create(path, $"unknown id map kind {kind}");
        // Every string takes at least its length byte: a count beyond the bytes left is refused before allocating
        // (a crafted count of 0x7FFFFFFF would otherwise ask for a 16 GiB array).
        if (count > stream.Remaining) throw ModelFileError.Create(path, $"the id map declares {count} ids but only {stream.Remaining} bytes follow");
        var strings = new string[count];
        for (int k = 0; k < count; k++) strings[k] = r.ReadString();
        return IdMap.FromStrings(strings);
    }

    /// <summary>64-bit FNV-1a over 8-byte little-endian words (then the tail bytes): fast and order-sensitive.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> data)
    {
        var hash = new WordHash();
        hash.Append(data);
        return hash.Finish();
    }

    /// <summary>Identifies the ratings a model was trained on: counts and a checksum of the rating arrays.</summary>
    public static string Fingerprint(RatingDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ulong h = Checksum(MemoryMarshal.AsBytes(data.Users.AsSpan())) ^ (Checksum(MemoryMarshal.AsBytes(data.Items.AsSpan())) * 31)
            ^ (Checksum(MemoryMarshal.AsBytes(data.Values.AsSpan())) * 1_000_003);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ratings={data.Count};users={data.UserCount};items={data.ItemCount};hash={h:x16}");
    }
}

/// <summary>
/// <see cref="ModelFile.Checksum"/> computed over data that arrives in pieces: bytes that do not yet fill a word wait
/// for the next piece, so any split gives the hash of the whole.
/// </summary>
internal struct WordHash
{
    private const ulong Prime = 0x100000001b3UL;
    private ulong _hash;
    private ulong _pending;
    private int _pendingBytes;
    private bool _started;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (!_started)
        {
            _hash = 0xcbf29ce484222325UL;
            _started = true;
        }
        while (_pendingBytes > 0 && !data.IsEmpty)
        {
            _pending |= (ulong)data[0] << (8 * _pendingBytes);
            data = data[1..];
            if (++_pendingBytes == 8)
            {
                Mix(_pending);
                _pending = 0;
                _pendingBytes = 0;
            }
        }
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        ulong h = _hash;
        foreach (ulong w in words)
        {
            h ^= BitConverter.IsLittleEndian ? w : BinaryPrimitives.ReverseEndianness(w);
            h *= Prime;
            h ^= h >> 29;
        }
        _hash = h;
        for (int k = words.Length * 8; k < data.Length; k++) _pending |= (ulong)data[k] << (8 * _pendingBytes++);
    }

    public ulong Finish()
    {
        if (!_started) Append([]);
        ulong h = _hash;
        for (int k = 0; k < _pendingBytes; k++)
        {
            h ^= (byte)(_pending >> (8 * k));
            h *= Prime;
        }
        return h;
    }

    private void Mix(ulong word)
    {
        _hash ^= word;
        _hash *= Prime;
        _hash ^= _hash >> 29;
    }
}
