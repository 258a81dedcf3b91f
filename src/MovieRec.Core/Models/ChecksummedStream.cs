using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Models;

/// <summary>A read-only view of the next <c>length</c> bytes of a stream that hashes what is read and counts it.</summary>
internal sealed class ChecksummedStream(Stream inner, long length) : Stream
{
    private WordHash _hash;

    public long Consumed { get; private set; }

    public long Remaining => length - Consumed;

    public ulong Checksum => _hash.Finish();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length > Remaining) buffer = buffer[..(int)Remaining];
        int n = inner.Read(buffer);
        _hash.Append(buffer[..n]);
        Consumed += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Reads (and hashes) whatever the parser left.</summary>
    public void SkipToEnd()
    {
        var scratch = new byte[1 << 16];
        while (Remaining > 0 && Read(scratch) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
