using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MovieRec.Core.Data.IO;

/// <summary>
/// Decompresses a .gz file and, at its end, checks the gzip trailer (CRC-32 and length of the data), so that a file
/// cut short (an interrupted download) is an error instead of fewer rows: <see cref="GZipStream"/> ends quietly where
/// the compressed bytes stop, and a cut at a line break would drop every later row without a word.
/// </summary>
/// <remarks>
/// The trailer checked is the file's last 8 bytes, which describe the whole data only when the file is one gzip
/// member (gzip, pigz and IMDb's files are); a file of several members joined is refused with that said.
/// Costs one CRC-32 pass over each 1 MiB buffer the reader fills, nothing per row.
/// </remarks>
internal sealed class CheckedGZipStream : ForwardReadStream
{
    private const int TrailerSize = 8;
    private const int MinimumSize = 18; // a 10-byte header, an empty deflate block needs 2, the 8-byte trailer

    private readonly TailStream _compressed;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public CheckedGZipStream(Stream compressed)
        : this(new TailStream(compressed))
    {
    }

    private CheckedGZipStream(TailStream compressed)
        : base(new GZipStream(compressed, CompressionMode.Decompress)) => _compressed = compressed;

    public override int Read(Span<byte> buffer)
    {
        int read = Inner.Read(buffer);
        if (read > 0)
        {
            _crc.Append(buffer[..read]);
            _length += read;
        }
        else if (buffer.Length > 0 && !_checked)
        {
            _checked = true;
            CheckTrailer();
        }
        return read;
    }

    private void CheckTrailer()
    {
        _compressed.DrainToEnd();
        if (_compressed.Total < MinimumSize)
            throw new InvalidDataException($"the gzip file is {_compressed.Total} bytes long, too short to hold its header and trailer (cut short?)");
        var tail = _compressed.Tail;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        if (size != unchecked((uint)_length) || crc != _crc.GetCurrentHashAsUInt32())
        {
            throw new InvalidDataException(
                $"the gzip data ends after {_length} bytes but its trailer does not match them: the file was cut short (an interrupted download?) or "
                + "is damaged; or it is several gzip files joined, which must be decompressed first (gunzip)");
        }
    }

    /// <summary>Passes reads through, counting the bytes and keeping the last 8 (the gzip trailer at the end).</summary>
    private sealed class TailStream(Stream inner) : ForwardReadStream(inner)
    {
        private readonly byte[] _tail = new byte[TrailerSize];
        private readonly byte[] _window = new byte[TrailerSize * 2];

        public long Total { get; private set; }

        /// <summary>The last 8 bytes read (valid once <see cref="Total"/> is at least 8).</summary>
        public ReadOnlySpan<byte> Tail => _tail;

        public override int Read(Span<byte> buffer)
        {
            int read = Inner.Read(buffer);
            Keep(buffer[..read]);
            return read;
        }

        /// <summary>Reads what the decompressor left unread, so that the tail is the file's last bytes.</summary>
        public void DrainToEnd()
        {
            var scratch = new byte[1 << 14];
            while (Read(scratch) > 0) { }
        }

        private void Keep(ReadOnlySpan<byte> read)
        {
            if (read.IsEmpty) return;
            Total += read.Length;
            if (read.Length >= TrailerSize)
            {
                read[^TrailerSize..].CopyTo(_tail);
                return;
            }
            // Fewer than 8 new bytes: the tail is the end of the previous tail followed by them.
            _tail.CopyTo(_window, 0);
            read.CopyTo(_window.AsSpan(TrailerSize));
            _window.AsSpan(read.Length, TrailerSize).CopyTo(_tail);
        }
    }
}
