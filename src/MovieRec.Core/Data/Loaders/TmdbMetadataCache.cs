using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// Parsed TMDB 5000 metadata kept on disk between processes. tmdb_5000_credits.csv is 40 MB of JSON inside CSV: parsing
/// it takes about 0.5 s of CPU warm and 0.9 s in a fresh process, which every CLI command that loads a dataset beside
/// it paid; reading this binary copy takes a few milliseconds.
/// </summary>
/// <remarks>
/// An entry (one per TMDB folder or zip) is used only when every file it was made from still has the same path, size,
/// modification time and XxHash128 of its bytes; otherwise, or when the entry is damaged or of another
/// <see cref="FormatVersion"/>, the files are parsed again and the entry rewritten (to a temporary file, then renamed,
/// so a concurrent reader sees the old entry or the new one). A parse that skipped rows (lenient mode) is not kept, so a
/// hit is the same metadata a strict parse returns. Strings are written once in a table, so repeated names, keywords and
/// genres are shared between movies after a read (as after a parse, <see cref="TmdbLoader"/>).
/// </remarks>
public static class TmdbMetadataCache
{
    /// <summary>Bump when what is written changes (a new <see cref="TmdbMetadata"/> property, another encoding).</summary>
    internal const int FormatVersion = 3; // 2: no crew list (only the directors are kept, issue #18); 3: production companies

    private const string Magic = "movierec-tmdb-metadata";

    /// <summary>
    /// Throws on a lone surrogate instead of writing U+FFFD: a string that would not come back as it went in is not
    /// kept (the parse stays the answer), and a damaged entry fails its read.
    /// </summary>
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The metadata of <paramref name="source"/>, from the entry in <paramref name="folder"/> when it is current.</summary>
    public static Dictionary<int, TmdbMetadata> Load(DataSource source, LoadOptions options, LoadReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(report);
        var inputs = Inputs(source);
        var entry = EntryPath(folder, source.Location);
        if (TryRead(entry, inputs) is { } hit)
        {
            Touch(entry);
            report.Files.AddRange(hit.Files);
            return hit.Metadata;
        }
        var hashes = inputs.Select(i => HashFile(i.Path)).ToArray();
        int skipped = report.Skipped, files = report.Files.Count;
        var metadata = TmdbLoader.LoadMetadata(source, options, report);
        // Kept only when nothing was skipped and the files did not change while they were read.
        if (report.Skipped == skipped && inputs.SequenceEqual(Inputs(source)))
            TryWrite(entry, inputs, hashes, report.Files.GetRange(files, report.Files.Count - files), metadata);
        return metadata;
    }

    /// <summary>Entries kept in a folder: the most recently used; a folder of temporary test copies stays small.</summary>
    internal const int MaxEntries = 8;

    /// <summary>Where the entry of a TMDB folder or zip lives.</summary>
    public static string EntryPath(string folder, string location)
    {
        var full = Path.GetFullPath(location).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return Path.Combine(folder, $"tmdb-{XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(full)):x16}.bin");
    }

    private sealed record Input(string Path, long Length, long WriteTicks);

    /// <summary>Marks an entry as used (its modification time orders <see cref="Prune"/>; the check never reads it).</summary>
    private static void Touch(string entry)
    {
        try
        {
            File.SetLastWriteTimeUtc(entry, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves its entries.
        }
    }

    /// <summary>
    /// Keeps the <see cref="MaxEntries"/> most recently used entries (the one just written among them) and drops
    /// temporary files a killed writer left over an hour ago.
    /// </summary>
    private static void Prune(string folder, string writtenName)
    {
        try
        {
            var files = new DirectoryInfo(folder).GetFiles("tmdb-*");
            var entries = files.Where(f => f.Name.EndsWith(".bin", StringComparison.Ordinal) && f.Name != writtenName)
                .OrderByDescending(f => f.LastWriteTimeUtc).Skip(MaxEntries - 1);
            var leftovers = files.Where(f => f.Name.EndsWith(".tmp", StringComparison.Ordinal) && f.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1));
            foreach (var file in entries.Concat(leftovers)) file.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process pruning at the same time, or a read-only folder: the next write tries again.
        }
    }

    /// <summary>The files a parse reads: the zip, or the two CSVs of a folder.</summary>
    private static List<Input> Inputs(DataSource source)
    {
        var paths = new List<string>();
        if (File.Exists(source.Location))
            paths.Add(Path.GetFullPath(source.Location));
        else
        {
            foreach (var name in new[] { TmdbLoader.CreditsFile, TmdbLoader.MoviesFile })
            {
                if (source.Find(name) is string relative) paths.Add(Path.GetFullPath(source.Display(relative)));
            }
        }
        return paths.Select(p =>
        {
            var info = new FileInfo(p);
            return new Input(p, info.Length, info.LastWriteTimeUtc.Ticks);
        }).ToList();
    }

    /// <summary>XxHash128 of the file's bytes (as two halves: methods using UInt128 are not precompiled by ReadyToRun).</summary>
    private static (ulong High, ulong Low) HashFile(string path)
    {
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16); // below the large object heap's threshold
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                hash.Append(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Span<byte> digest = stackalloc byte[16];
        hash.GetCurrentHash(digest);
        return (BinaryPrimitives.ReadUInt64BigEndian(digest), BinaryPrimitives.ReadUInt64BigEndian(digest[8..]));
    }

    private sealed record Hit(List<string> Files, Dictionary<int, TmdbMetadata> Metadata);

    private static Hit? TryRead(string entry, List<Input> inputs)
    {
        try
        {
            if (!File.Exists(entry)) return null;
            // Streamed through a small buffer: one array of the whole entry would land on the large object heap and
            // bring on a full collection in a process that has just loaded the ratings.
            using var stream = new FileStream(entry, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            var r = new Reader(stream);
            if (r.String() != Magic || r.Int() != FormatVersion) return null;
            int count = r.Count();
            if (count != inputs.Count) return null;
            var stored = new (ulong High, ulong Low)[count];
            for (int i = 0; i < count; i++)
            {
                if (r.String() != inputs[i].Path || r.Long() != inputs[i].Length || r.Long() != inputs[i].WriteTicks) return null;
                stored[i] = ((ulong)r.Long(), (ulong)r.Long());
            }
            // Same size and time: the bytes must be the same too (a copy that kept the time, an edit within the clock's tick).
            for (int i = 0; i < count; i++)
            {
                if (HashFile(inputs[i].Path) != stored[i]) return null;
            }
            var files = new List<string>();
            for (int i = r.Count(); i > 0; i--) files.Add(r.String());
            var table = new string[r.Count()];
            for (int i = 0; i < table.Length; i++) table[i] = r.String();
            int movies = r.Count();
            var metadata = new Dictionary<int, TmdbMetadata>(movies);
            for (int m = 0; m < movies; m++)
            {
                var meta = ReadMovie(r, table);
                metadata.Add(meta.TmdbId, meta);
            }
            ulong checksum = r.Checksum();
            return (ulong)r.Long() == checksum && r.AtEnd ? new Hit(files, metadata) : null;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Unreadable, torn or foreign: parse again and replace it.
            return null;
        }
    }

    private static TmdbMetadata ReadMovie(Reader r, string[] table) => new()
    {
        TmdbId = r.Int(),
        Title = table[r.Int()],
        OriginalTitle = r.Optional(table),
        Overview = r.Optional(table),
        Tagline = r.Optional(table),
        Genres = r.Strings(table),
        Cast = r.Strings(table),
        Directors = r.Strings(table),
        Keywords = r.Strings(table),
        Companies = r.Strings(table),
        OriginalLanguage = r.Optional(table),
        VoteAverage = r.Double(),
        VoteCount = r.Int(),
        Popularity = r.Double(),
        ReleaseDate = r.Int() is int day and >= 0 ? DateOnly.FromDayNumber(day) : null,
        Runtime = r.Bool() ? r.Int() : null,
        PosterPath = r.Optional(table),
    };

    private static void TryWrite(string entry, List<Input> inputs, (ulong High, ulong Low)[] hashes, List<string> files, Dictionary<int, TmdbMetadata> metadata)
    {
        string? temporary = null;
        try
        {
            var table = new Dictionary<string, int>(StringComparer.Ordinal);
            var body = Body(metadata, table);
            var whole = new MemoryStream((int)body.Length + (1 << 20));
            using (var w = new BinaryWriter(whole, Strict, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                w.Write(inputs.Count);
                for (int i = 0; i < inputs.Count; i++)
                {
                    w.Write(inputs[i].Path);
                    w.Write(inputs[i].Length);
                    w.Write(inputs[i].WriteTicks);
                    w.Write((long)hashes[i].High);
                    w.Write((long)hashes[i].Low);
                }
                w.Write(files.Count);
                foreach (var f in files) w.Write(f);
                w.Write(table.Count);
                foreach (var s in table.Keys) w.Write(s); // insertion order is index order: nothing is removed
                w.Flush();
                body.Position = 0;
                body.CopyTo(whole);
                // Last, a checksum of everything before it: a damaged entry that still parses is not used.
                w.Write(XxHash64.HashToUInt64(whole.GetBuffer().AsSpan(0, (int)whole.Length)));
            }
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            temporary = $"{entry}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                file.Write(whole.GetBuffer(), 0, (int)whole.Length);
            File.Move(temporary, entry, overwrite: true);
            temporary = null;
            Touch(entry);
            Prune(Path.GetDirectoryName(entry)!, Path.GetFileName(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EncoderFallbackException)
        {
            // A read-only or full cache, or a string UTF-8 cannot carry: the next process parses the files again.
        }
        finally
        {
            if (temporary is not null)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for the next writer's rename to ignore.
                }
            }
        }
    }

    /// <summary>The movies, each string as an index into <paramref name="table"/> (filled here).</summary>
    private static MemoryStream Body(Dictionary<int, TmdbMetadata> metadata, Dictionary<string, int> table)
    {
        var body = new MemoryStream();
        using var w = new BinaryWriter(body, Strict, leaveOpen: true);
        int Index(string s)
        {
            if (!table.TryGetValue(s, out int i)) table.Add(s, i = table.Count);
            return i;
        }
        void Optional(string? s) => w.Write(s is null ? -1 : Index(s));
        void Strings(IReadOnlyList<string> list)
        {
            w.Write(list.Count);
            foreach (var s in list) w.Write(Index(s));
        }
        w.Write(metadata.Count);
        foreach (var m in metadata.Values)
        {
            w.Write(m.TmdbId);
            w.Write(Index(m.Title));
            Optional(m.OriginalTitle);
            Optional(m.Overview);
            Optional(m.Tagline);
            Strings(m.Genres);
            Strings(m.Cast);
            Strings(m.Directors);
            Strings(m.Keywords);
            Strings(m.Companies);
            Optional(m.OriginalLanguage);
            w.Write(m.VoteAverage);
            w.Write(m.VoteCount);
            w.Write(m.Popularity);
            w.Write(m.ReleaseDate is DateOnly d ? d.DayNumber : -1);
            w.Write(m.Runtime.HasValue);
            if (m.Runtime is int runtime) w.Write(runtime);
            Optional(m.PosterPath);
        }
        w.Flush();
        return body;
    }

    /// <summary>
    /// Reads what <see cref="BinaryWriter"/> wrote (little-endian, 7-bit length-prefixed UTF-8 strings) through a
    /// 64 KiB buffer; a short file ends in <see cref="EndOfStreamException"/>, a damaged one in an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    private sealed class Reader(Stream stream)
    {
        private readonly long _length = stream.Length;
        private readonly XxHash64 _checksum = new();
        private byte[] _buffer = new byte[1 << 16];
        private int _at, _end;
        private int _checked; // bytes of _buffer already in _checksum
        private long _consumed; // bytes of the stream before _buffer[0]

        public bool AtEnd => _consumed + _at == _length;

        /// <summary>XxHash64 of every byte read so far.</summary>
        public ulong Checksum()
        {
            _checksum.Append(_buffer.AsSpan(_checked, _at - _checked));
            _checked = _at;
            return _checksum.GetCurrentHashAsUInt64();
        }

        /// <summary>Makes <paramref name="n"/> bytes available at <see cref="_at"/>.</summary>
        private void Need(int n)
        {
            if (_end - _at >= n) return;
            if (n > _length - _consumed - _at) throw new EndOfStreamException();
            if (n > _buffer.Length) Array.Resize(ref _buffer, n); // only a string longer than the buffer
            _checksum.Append(_buffer.AsSpan(_checked, _at - _checked));
            _checked = 0;
            Buffer.BlockCopy(_buffer, _at, _buffer, 0, _end - _at);
            _consumed += _at;
            _end -= _at;
            _at = 0;
            while (_end < n)
            {
                int read = stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0) throw new EndOfStreamException();
                _end += read;
            }
        }

        public int Int()
        {
            Need(4);
            int v = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_at, 4));
            _at += 4;
            return v;
        }

        public long Long()
        {
            Need(8);
            long v = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_at, 8));
            _at += 8;
            return v;
        }

        public double Double() => BitConverter.Int64BitsToDouble(Long());

        public bool Bool()
        {
            Need(1);
            return _buffer[_at++] != 0;
        }

        /// <summary>A count of items that follow: a damaged file cannot make a read allocate more than it holds.</summary>
        public int Count()
        {
            int n = Int();
            if (n < 0 || n > _length - _consumed - _at) throw new ArgumentException("bad count");
            return n;
        }

        public string String()
        {
            int length = 0, shift = 0;
            byte b;
            do
            {
                if (shift > 28) throw new ArgumentException("bad string length");
                Need(1);
                b = _buffer[_at++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            if (length < 0) throw new ArgumentException("bad string length");
            Need(length);
            var s = Strict.GetString(_buffer, _at, length);
            _at += length;
            return s;
        }

        public string? Optional(string[] table) => Int() is int i and >= 0 ? table[i] : null;

        public string[] Strings(string[] table)
        {
            int n = Count();
            if (n == 0) return [];
            var list = new string[n];
            for (int i = 0; i < n; i++) list[i] = table[Int()];
            return list;
        }
    }
}
