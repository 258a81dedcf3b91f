using System.Buffers.Text;
using System.Text;

namespace MovieRec.Core.Data.IO;

/// <summary>
/// MovieRec's delimited reader over raw bytes: records are slices of a 1 MiB read buffer (copied only when a record
/// straddles two reads or holds a quoted line break), fields are byte ranges, numbers are parsed from the bytes with
/// <see cref="Utf8Parser"/> and only text fields are decoded. Any delimiter of one or more ASCII characters.
/// </summary>
internal sealed class ByteDelimitedReader : DelimitedReader
{
    private const int MaxRecordBytes = 16 << 20;
    private const int MaxFields = 1 << 14;

    private readonly Stream _stream;
    private readonly byte[] _delimiter;
    private readonly bool _quotes;
    private readonly Encoding _encoding;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
    // The previous record ended with CR at the end of the buffer: an LF that starts the next read belongs to it.
    private bool _pendingLf;
    // Index in _buffer of the next quote at or after _start (or _end when none); stale when below _start.
    private int _nextQuote = -1;
    private long _nextLine = 1;
    private Field[] _fields = new Field[32];
    private int _fieldCount;
    private byte[] _record = [];
    // The current record is _recordBase[_recordOffset.._recordOffset+_recordLength]: a slice of the read buffer when
    // the line lies inside it (no copy, the common case), else _record, where a line split across reads is assembled.
    private byte[] _recordBase = [];
    private int _recordOffset;
    private int _recordLength;

    private readonly record struct Field(int Start, int Length, bool Quoted);

    public ByteDelimitedReader(Stream stream, string file, string delimiter, bool quotes, Encoding encoding) : base(file)
    {
        _stream = stream;
        _delimiter = Encoding.ASCII.GetBytes(delimiter);
        _quotes = quotes;
        _encoding = encoding;
    }

    public override int FieldCount => _fieldCount;

    public override bool Read()
    {
        while (true)
        {
            if (!ReadRecordBytes())
                return false;
            if (_recordLength == 0)
                continue; // blank line (e.g. a trailing newline pair, or "\r\r\n")
            SplitFields();
            return true;
        }
    }

    /// <summary>The raw bytes of field <paramref name="index"/> (quotes removed, doubled quotes kept).</summary>
    private ReadOnlySpan<byte> Raw(int index)
    {
        var field = _fields[index];
        return _recordBase.AsSpan(_recordOffset + field.Start, field.Length);
    }

    public override string Text(int index, string field)
    {
        RequireField(index, field);
        var (start, length, quoted) = _fields[index];
        string s;
        try
        {
            s = _encoding.GetString(_recordBase, _recordOffset + start, length);
        }
        catch (DecoderFallbackException)
        {
            throw BadEncoding(field, _encoding);
        }
        return quoted && s.Contains("\"\"", StringComparison.Ordinal) ? s.Replace("\"\"", "\"", StringComparison.Ordinal) : s;
    }

    public override int Int(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out int value, out int consumed) && consumed == span.Length)
            return value;
        throw NotInteger(field, Chars(span));
    }

    public override long Long(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out long value, out int consumed) && consumed == span.Length)
            return value;
        throw NotInteger(field, Chars(span));
    }

    public override float Float(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out float value, out int consumed) && consumed == span.Length && float.IsFinite(value))
            return value;
        throw NotNumber(field, Chars(span));
    }

    public override double? OptionalDouble(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out double value, out int consumed) && consumed == span.Length && double.IsFinite(value))
            return value;
        throw NotNumber(field, Chars(span));
    }

    public override long? OptionalLong(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out long value, out int consumed) && consumed == span.Length)
            return value;
        throw NotInteger(field, Chars(span));
    }

    public override int? OptionalInt(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out int value, out int consumed) && consumed == span.Length)
            return value;
        if (Utf8Parser.TryParse(span, out long _, out consumed) && consumed == span.Length)
            throw OutOfRange(field, Chars(span));
        throw NotInteger(field, Chars(span));
    }

    public override bool IsEmpty(int index) => index >= _fieldCount || Trim(Raw(index)).IsEmpty;

    public override bool FieldIs(int index, string ascii)
    {
        if (index >= _fieldCount) return false;
        var raw = Raw(index);
        if (raw.Length != ascii.Length) return false;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != ascii[i]) return false;
        }
        return true;
    }

    public override bool TryLong(int index, out long value)
    {
        value = 0;
        if (index >= _fieldCount) return false;
        var span = Trim(Raw(index));
        return Utf8Parser.TryParse(span, out value, out int consumed) && consumed == span.Length;
    }

    public override bool TryPrefixedInt(int index, string prefix, out int value)
    {
        value = 0;
        if (index >= _fieldCount) return false;
        var raw = Raw(index);
        if (raw.Length <= prefix.Length) return false;
        for (int i = 0; i < prefix.Length; i++)
        {
            if (raw[i] != prefix[i]) return false;
        }
        var digits = raw[prefix.Length..];
        // Digits only: Utf8Parser would also take a sign.
        if (digits[0] is < (byte)'0' or > (byte)'9') return false;
        return Utf8Parser.TryParse(digits, out value, out int consumed) && consumed == digits.Length;
    }

    private void RequireField(int index, string field)
    {
        if (index >= _fieldCount) throw Missing(field);
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        while (!span.IsEmpty && (span[0] == ' ' || span[0] == '\t')) span = span[1..];
        while (!span.IsEmpty && (span[^1] == ' ' || span[^1] == '\t')) span = span[..^1];
        return span;
    }

    /// <summary>Bytes shown in an error, one character each (Latin-1): a message must never fail to decode.</summary>
    private static string Chars(ReadOnlySpan<byte> span) => Encoding.Latin1.GetString(span.Length > 41 ? span[..41] : span);

    /// <summary>Finds the next logical record (one line, or several while a quote is open).</summary>
    private bool ReadRecordBytes()
    {
        Line = _nextLine;
        if (_pendingLf)
        {
            if (_start == _end && !Fill()) return false;
            _pendingLf = false;
            if (_buffer[_start] == '\n') _start++;
        }
        if (_start < _end)
        {
            // Fast path: the whole line is in the buffer and no quote stays open, so the record is that slice.
            var available = _buffer.AsSpan(_start, _end - _start);
            int t = available.IndexOfAny((byte)'\n', (byte)'\r');
            if (t >= 0 && (!_quotes || QuotesEven(t)))
            {
                int next = t + 1;
                // A CR as the last byte read may be the first half of a CRLF: only the next read can tell.
                if (available[t] == '\r' && (next < available.Length || _eof))
                {
                    if (next < available.Length && available[next] == '\n') next++;
                }
                else if (available[t] == '\r')
                {
                    goto Slow;
                }
                _recordBase = _buffer;
                _recordOffset = _start;
                _recordLength = t;
                _start += next;
                _nextLine++;
                return true;
            }
        }
    Slow:
        _recordBase = _record;
        _recordOffset = 0;
        _recordLength = 0;
        bool inQuotes = false;
        bool any = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                if (!any) return false;
                if (inQuotes) throw new DataFormatException(File, Line, null, "a quoted field is not closed before the end of the file");
                return true;
            }
            if (_pendingLf)
            {
                _pendingLf = false;
                if (_buffer[_start] == '\n')
                {
                    _start++;
                    continue;
                }
            }
            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            int t = span.IndexOfAny((byte)'\n', (byte)'\r');
            var piece = t >= 0 ? span[..t] : span;
            if (_quotes)
                inQuotes ^= (piece.Count((byte)'"') & 1) == 1;
            Append(piece);
            if (t < 0)
            {
                _start = _end;
                continue;
            }
            _start += t + 1;
            _nextLine++;
            if (span[t] == '\r')
            {
                if (_start < _end)
                {
                    if (_buffer[_start] == '\n') _start++;
                }
                else
                {
                    _pendingLf = true;
                }
            }
            if (!inQuotes)
                return true;
            Append("\n"u8); // a line break inside quotes reads as LF whatever the file used
        }
    }

    /// <summary>
    /// Whether the next <paramref name="length"/> bytes hold an even number of quotes. The position of the next quote
    /// in the buffer is remembered, so a line without quotes (every line of a ratings file) costs one comparison.
    /// </summary>
    private bool QuotesEven(int length)
    {
        if (_nextQuote < _start)
        {
            int q = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'"');
            _nextQuote = q < 0 ? _end : _start + q;
        }
        return _nextQuote >= _start + length || (_buffer.AsSpan(_start, length).Count((byte)'"') & 1) == 0;
    }

    private void Append(ReadOnlySpan<byte> piece)
    {
        int need = _recordLength + piece.Length;
        if (need > MaxRecordBytes)
            throw new DataFormatException(File, Line, null, $"a record is longer than {MaxRecordBytes >> 20} MiB (a binary file, or a quote that is never closed?)");
        if (need > _record.Length)
        {
            Array.Resize(ref _record, Math.Max(need, Math.Max(256, _record.Length * 2)));
            _recordBase = _record;
        }
        piece.CopyTo(_record.AsSpan(_recordLength));
        _recordLength = need;
    }

    private bool Fill()
    {
        if (_eof) return false;
        _start = 0;
        _nextQuote = -1;
        try
        {
            _end = _stream.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(File, _nextLine, null, $"the file cannot be read past this line (truncated or corrupt archive): {e.Message}", e);
        }
        if (_end < _buffer.Length) _eof = true;
        return _end > 0;
    }

    private void SplitFields()
    {
        _fieldCount = 0;
        var rec = _recordBase.AsSpan(_recordOffset, _recordLength);
        int pos = 0;
        while (true)
        {
            if (_quotes && pos < rec.Length && rec[pos] == '"')
            {
                // Quoted field: find the closing quote that is not doubled.
                int i = pos + 1;
                while (true)
                {
                    int q = rec[i..].IndexOf((byte)'"');
                    if (q < 0) throw new DataFormatException(File, Line, null, "a quoted field is not closed");
                    i += q;
                    if (i + 1 < rec.Length && rec[i + 1] == '"')
                    {
                        i += 2;
                        continue;
                    }
                    break;
                }
                AddField(pos + 1, i - pos - 1, true);
                pos = i + 1;
                if (pos >= rec.Length) return;
                if (!rec[pos..].StartsWith(_delimiter))
                    throw new DataFormatException(File, Line, null, $"unexpected text after the closing quote of field {_fieldCount}");
                pos += _delimiter.Length;
                if (pos == rec.Length)
                {
                    AddField(pos, 0, false);
                    return;
                }
                continue;
            }
            int d = _delimiter.Length == 1 ? rec[pos..].IndexOf(_delimiter[0]) : rec[pos..].IndexOf(_delimiter);
            if (d < 0)
            {
                AddField(pos, rec.Length - pos, false);
                return;
            }
            AddField(pos, d, false);
            pos += d + _delimiter.Length;
        }
    }

    private void AddField(int start, int length, bool quoted)
    {
        if (_fieldCount == _fields.Length)
        {
            // Checked only when the array grows, so ordinary rows pay nothing for it.
            if (_fields.Length >= MaxFields)
                throw new DataFormatException(File, Line, null, $"a record has more than {MaxFields} fields (a binary file, or the wrong delimiter?)");
            Array.Resize(ref _fields, _fields.Length * 2);
        }
        _fields[_fieldCount++] = new Field(start, length, quoted);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stream.Dispose();
    }
}
