namespace MovieRec.Core.Data.IO;

/// <summary>
/// A stream that can only be read forwards, over an inner stream it owns (disposed with it): what the readers' wrappers
/// (a byte-order-mark prefix, a gzip trailer check) have in common, so each only says how it reads.
/// </summary>
internal abstract class ForwardReadStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
