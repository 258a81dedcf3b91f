using System.Buffers.Text;
using System.Text;

namespace MovieRec.Core.Data.IO;

/// <summary>
/// A fast reader of delimited text (CSV, TSV, <c>|</c>, <c>::</c>) over raw bytes: fields are byte spans, numbers
/// are parsed without allocating strings, and only text fields are decoded. Handles LF and CRLF, RFC 4180 quotes
/// (doubled quotes inside, a quoted field may span lines) and reports every problem with file, line and field.
/// </summary>
public sealed class DelimitedReader : IDisposable
{
    private const int MaxRecordBytes = 16 << 20;
    private const int MaxFields = 1 << 14;

    private readonly Stream _stream;
    private readonly byte[] _delimiter;
    private readonly bool _quotes;
    private readonly Encoding _encoding;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
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

    /// <param name="stream">The file's bytes.</param>
    /// <param name="file">How the file is named in errors.</param>
    /// <param name="delimiter">One or more bytes between fields, e.g. "," "\t" "|" "::".</param>
    /// <param name="quotes">Whether fields may be quoted (CSV); false for formats without quoting.</param>
    /// <param name="encoding">UTF-8 (strict: bad bytes are an error) unless the format says Latin-1.</param>
    public DelimitedReader(Stream stream, string file, string delimiter = ",", bool quotes = true, Encoding? encoding = null)
    {
        _stream = stream;
        File = file;
        _delimiter = Encoding.ASCII.GetBytes(delimiter);
        _quotes = quotes;
        _encoding = encoding ?? StrictUtf8;
    }

    /// <summary>UTF-8 that throws on invalid bytes, so a mis-encoded file is reported, not silently mangled.</summary>
    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string File { get; }

    /// <summary>1-based line on which the current record starts.</summary>
    public long Line { get; private set; }

    public int FieldCount => _fieldCount;

    /// <summary>Reads the next non-empty record; false at the end of the file.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!ReadRecordBytes())
                return false;
            if (_recordLength == 0)
                continue; // blank line (e.g. a trailing newline pair)
            SplitFields();
            return true;
        }
    }

    /// <summary>The raw bytes of field <paramref name="index"/> (quotes removed, doubled quotes kept).</summary>
    public ReadOnlySpan<byte> Raw(int index)
    {
        if ((uint)index >= (uint)_fieldCount) throw new ArgumentOutOfRangeException(nameof(index));
        var field = _fields[index];
        return _recordBase.AsSpan(_recordOffset + field.Start, field.Length);
    }

    /// <summary>Field <paramref name="index"/> decoded as text.</summary>
    public string Text(int index, string field)
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
            throw Error(field, $"is not valid {_encoding.WebName} text (is the file in another encoding, such as Latin-1?)");
        }
        return quoted && s.Contains("\"\"", StringComparison.Ordinal) ? s.Replace("\"\"", "\"", StringComparison.Ordinal) : s;
    }

    public int Int(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out int value, out int consumed) && consumed == span.Length)
            return value;
        throw Error(field, $"'{Show(span)}' is not an integer");
    }

    public long Long(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out long value, out int consumed) && consumed == span.Length)
            return value;
        throw Error(field, $"'{Show(span)}' is not an integer");
    }

    public float Float(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (Utf8Parser.TryParse(span, out float value, out int consumed) && consumed == span.Length && float.IsFinite(value))
            return value;
        throw Error(field, $"'{Show(span)}' is not a number");
    }

    /// <summary>A number, or null when the field is empty.</summary>
    public double? OptionalDouble(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out double value, out int consumed) && consumed == span.Length && double.IsFinite(value))
            return value;
        throw Error(field, $"'{Show(span)}' is not a number");
    }

    /// <summary>An integer, or null when the field is empty.</summary>
    public long? OptionalLong(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out long value, out int consumed) && consumed == span.Length)
            return value;
        throw Error(field, $"'{Show(span)}' is not an integer");
    }

    /// <summary>A 32-bit integer, or null when the field is empty; a larger integer is out of range, not wrapped.</summary>
    public int? OptionalInt(int index, string field)
    {
        RequireField(index, field);
        var span = Trim(Raw(index));
        if (span.IsEmpty) return null;
        if (Utf8Parser.TryParse(span, out int value, out int consumed) && consumed == span.Length)
            return value;
        if (Utf8Parser.TryParse(span, out long _, out consumed) && consumed == span.Length)
            throw Error(field, $"{Show(span)} is out of range (at most {int.MaxValue})");
        throw Error(field, $"'{Show(span)}' is not an integer");
    }

    public bool IsEmpty(int index) => index >= _fieldCount || Trim(Raw(index)).IsEmpty;

    /// <summary>Requires exactly <paramref name="count"/> fields (or at least, with <paramref name="orMore"/>).</summary>
    public void ExpectFields(int count, string columns, bool orMore = false)
    {
        if (_fieldCount == count || (orMore && _fieldCount > count)) return;
        throw new DataFormatException(File, Line, null,
            $"expected {count} fields ({columns}) but found {_fieldCount}");
    }

    public DataFormatException Error(string? field, string problem) => new(File, Line, field, problem);

    private void RequireField(int index, string field)
    {
        if (index >= _fieldCount)
            throw Error(field, $"is missing (the row has {_fieldCount} fields)");
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        while (!span.IsEmpty && (span[0] == ' ' || span[0] == '\t')) span = span[1..];
        while (!span.IsEmpty && (span[^1] == ' ' || span[^1] == '\t')) span = span[..^1];
        return span;
    }

    private static string Show(ReadOnlySpan<byte> span)
    {
        var s = Encoding.Latin1.GetString(span.Length > 40 ? span[..40] : span);
        return span.Length > 40 ? s + "..." : s;
    }

    /// <summary>Copies the next logical record (one line, or several while a quote is open) into _record.</summary>
    private bool ReadRecordBytes()
    {
        Line = _nextLine;
        if (_start < _end)
        {
            // Fast path: the whole line is in the buffer and no quote stays open, so the record is that slice.
            var available = _buffer.AsSpan(_start, _end - _start);
            int lf = available.IndexOf((byte)'\n');
            if (lf >= 0 && (!_quotes || (available[..lf].Count((byte)'"') & 1) == 0))
            {
                _recordBase = _buffer;
                _recordOffset = _start;
                _recordLength = lf > 0 && available[lf - 1] == '\r' ? lf - 1 : lf;
                _start += lf + 1;
                _nextLine++;
                return true;
            }
        }
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
            any = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            int nl = span.IndexOf((byte)'\n');
            var piece = nl >= 0 ? span[..nl] : span;
            if (_quotes)
                inQuotes ^= (piece.Count((byte)'"') & 1) == 1;
            Append(piece);
            if (nl < 0)
            {
                _start = _end;
                continue;
            }
            _start += nl + 1;
            _nextLine++;
            if (!inQuotes)
            {
                if (_recordLength > 0 && _record[_recordLength - 1] == '\r') _recordLength--;
                return true;
            }
            Append("\n"u8);
        }
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

    public void Dispose() => _stream.Dispose();
}
