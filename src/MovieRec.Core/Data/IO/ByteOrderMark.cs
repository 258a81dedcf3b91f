namespace MovieRec.Core.Data.IO;

/// <summary>
/// Byte order marks at the start of a data file: a UTF-8 one (Excel and Notepad write it) is skipped, so the first
/// header name or id reads as typed; a UTF-16 or UTF-32 one is an error saying how to fix the file.
/// </summary>
internal static class ByteOrderMark
{
    /// <summary>Returns a stream that starts after any UTF-8 byte order mark of <paramref name="stream"/>.</summary>
    public static Stream Skip(Stream stream, string file)
    {
        Span<byte> head = stackalloc byte[4];
        int read;
        try
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new DataFormatException(file, 1, null, $"the file cannot be read (truncated or corrupt archive): {e.Message}", e);
        }
        var bytes = head[..read];
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            stream.Dispose();
            throw new DataFormatException(file, 1, null, "is UTF-16 or UTF-32 text (it starts with that byte order mark); save it as UTF-8");
        }
        int skip = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (stream.CanSeek)
        {
            stream.Seek(skip - read, SeekOrigin.Current);
            return stream;
        }
        return read == skip ? stream : new PrefixedStream(bytes[skip..].ToArray(), stream);
    }

    /// <summary>A read-only stream that yields <c>prefix</c>, then the rest of <c>inner</c>: the bytes peeked at, put back.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : ForwardReadStream(inner)
    {
        private int _offset;

        public override int Read(Span<byte> buffer)
        {
            if (_offset < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _offset);
                prefix.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            return Inner.Read(buffer);
        }
    }
}
