using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace MovieRec.Core.Data.IO;

/// <summary>
/// The same reader contract on the Sep library (MIT): the bytes are decoded to UTF-16 by a <see cref="StreamReader"/>
/// and Sep splits rows and columns (vectorised, LF/CRLF/CR aware). Sep accepts malformed quoting silently, so rows
/// holding a quote are checked here, and quoted fields are unquoted here, with the same errors and the same "\n" for
/// a quoted line break as <see cref="ByteDelimitedReader"/>.
/// </summary>
internal sealed class SepDelimitedReader : DelimitedReader
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly SepReader _reader;
    private readonly Encoding _encoding;
    private readonly bool _quotes;
    private readonly char _delimiter;
    private int _fieldCount;

    public SepDelimitedReader(Stream stream, string file, char delimiter, bool quotes, Encoding encoding) : base(file)
    {
        _encoding = encoding;
        _quotes = quotes;
        _delimiter = delimiter;
        var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: false);
        try
        {
            _reader = Sep.New(delimiter).Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                DisableQuotesParsing = !quotes,
                Unescape = false,
                CultureInfo = Invariant,
            }).From(text);
        }
        catch (DecoderFallbackException)
        {
            text.Dispose();
            Line = 1;
            throw BadEncoding(null, encoding);
        }
    }

    public override int FieldCount => _fieldCount;

    public override bool Read()
    {
        while (true)
        {
            bool more;
            try
            {
                more = _reader.MoveNext();
            }
            catch (DecoderFallbackException)
            {
                // The decoder runs ahead of the rows, so the bad bytes are at or after the line that follows.
                throw new DataFormatException(File, Line + 1, null, $"at or after this line: the file is not valid {_encoding.WebName} text (is it in another encoding, such as Latin-1?)");
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(File, Line + 1, null, $"the file cannot be read past this line (truncated or corrupt archive): {e.Message}", e);
            }
            if (!more) return false;
            var row = _reader.Current;
            Line = row.LineNumberFrom;
            if (row.Span.IsEmpty) continue; // blank line
            _fieldCount = row.ColCount;
            if (_quotes && row.Span.Contains('"')) CheckQuotes(row);
            return true;
        }
    }

    /// <summary>Every field that starts with a quote must end at its closing quote (Sep itself does not say).</summary>
    private void CheckQuotes(SepReader.Row row)
    {
        for (int i = 0; i < row.ColCount; i++)
        {
            var span = row[i].Span;
            if (span.IsEmpty || span[0] != '"') continue;
            int close = ClosingQuote(span);
            if (close < 0) throw new DataFormatException(File, Line, null, "a quoted field is not closed");
            if (close != span.Length - 1) throw new DataFormatException(File, Line, null, $"unexpected text after the closing quote of field {i + 1}");
        }
    }

    /// <summary>Index of the quote that closes the field opened at 0 (doubled quotes skipped), or -1.</summary>
    private static int ClosingQuote(ReadOnlySpan<char> span)
    {
        int i = 1;
        while (true)
        {
            int q = span[i..].IndexOf('"');
            if (q < 0) return -1;
            i += q;
            if (i + 1 < span.Length && span[i + 1] == '"')
            {
                i += 2;
                if (i >= span.Length) return -1;
                continue;
            }
            return i;
        }
    }

    /// <summary>The field without its enclosing quotes (doubled quotes still doubled).</summary>
    private ReadOnlySpan<char> Field(int index, string field)
    {
        if (index >= _fieldCount) throw Missing(field);
        var span = _reader.Current[index].Span;
        return _quotes && span.Length >= 2 && span[0] == '"' ? span[1..^1] : span;
    }

    public override string Text(int index, string field)
    {
        if (index >= _fieldCount) throw Missing(field);
        var span = _reader.Current[index].Span;
        if (!_quotes || span.IsEmpty || span[0] != '"') return new string(span);
        var inner = span[1..^1];
        var s = inner.Contains('"') ? inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : new string(inner);
        return s.Contains('\r') ? s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : s;
    }

    public override int Int(int index, string field)
    {
        var span = Trim(Field(index, field));
        if (int.TryParse(span, IntegerStyle, Invariant, out int value)) return value;
        throw NotInteger(field, span);
    }

    public override long Long(int index, string field)
    {
        var span = Trim(Field(index, field));
        if (long.TryParse(span, IntegerStyle, Invariant, out long value)) return value;
        throw NotInteger(field, span);
    }

    public override float Float(int index, string field)
    {
        if (index < _fieldCount)
        {
            // Sep's own parser (csFastFloat) when the field needs no trimming or unquoting.
            var col = _reader.Current[index];
            var raw = col.Span;
            if (raw.Length > 0 && raw[0] is not (' ' or '\t' or '"') && raw[^1] is not (' ' or '\t')
                && col.TryParse(out float fast) && float.IsFinite(fast))
                return fast;
        }
        var span = Trim(Field(index, field));
        if (float.TryParse(span, FloatStyle, Invariant, out float value) && float.IsFinite(value)) return value;
        throw NotNumber(field, span);
    }

    public override double? OptionalDouble(int index, string field)
    {
        var span = Trim(Field(index, field));
        if (span.IsEmpty) return null;
        if (double.TryParse(span, FloatStyle, Invariant, out double value) && double.IsFinite(value)) return value;
        throw NotNumber(field, span);
    }

    public override long? OptionalLong(int index, string field)
    {
        var span = Trim(Field(index, field));
        if (span.IsEmpty) return null;
        if (long.TryParse(span, IntegerStyle, Invariant, out long value)) return value;
        throw NotInteger(field, span);
    }

    public override int? OptionalInt(int index, string field)
    {
        var span = Trim(Field(index, field));
        if (span.IsEmpty) return null;
        if (int.TryParse(span, IntegerStyle, Invariant, out int value)) return value;
        if (long.TryParse(span, IntegerStyle, Invariant, out _)) throw OutOfRange(field, span);
        throw NotInteger(field, span);
    }

    public override bool IsEmpty(int index) => index >= _fieldCount || Trim(Field(index, "")).IsEmpty;

    public override bool FieldIs(int index, string ascii) => index < _fieldCount && _reader.Current[index].Span.SequenceEqual(ascii);

    public override bool TryLong(int index, out long value)
    {
        value = 0;
        return index < _fieldCount && long.TryParse(Trim(Field(index, "")), IntegerStyle, Invariant, out value);
    }

    public override bool TryPrefixedInt(int index, string prefix, out int value)
    {
        value = 0;
        if (index >= _fieldCount) return false;
        var raw = _reader.Current[index].Span;
        if (raw.Length <= prefix.Length || !raw.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var digits = raw[prefix.Length..];
        return char.IsAsciiDigit(digits[0]) && int.TryParse(digits, NumberStyles.None, Invariant, out value);
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> span) => span.Trim(" \t");

    public override string ToString() => $"Sep reader of {File} ('{_delimiter}')";

    protected override void Dispose(bool disposing)
    {
        if (disposing) _reader.Dispose();
    }
}
