using System.Globalization;
using System.Text;

namespace MovieRec.Core.Data.IO;

/// <summary>Which parser splits a delimited file into records and fields.</summary>
public enum DelimitedEngine
{
    /// <summary>The measured choice for the delimiter: see docs/benchmarks.md ("Which CSV reader").</summary>
    Auto,

    /// <summary>MovieRec's byte-level reader (<see cref="ByteDelimitedReader"/>): any delimiter, including "::".</summary>
    Bytes,

    /// <summary>The Sep library (MIT) over decoded text where the delimiter is one character; <see cref="Bytes"/> for "::".</summary>
    Sep,
}

/// <summary>
/// Reads delimited text (CSV, TSV, <c>|</c>, <c>::</c>) record by record for every loader, so that every format
/// treats line endings, byte order marks, quoting and delimiters the same way:
/// <list type="bullet">
/// <item>a record ends at LF, CRLF or a lone CR (files written on any system, and CSV written twice through a
/// text-mode writer, "\r\r\n", which leaves blank lines that are skipped);</item>
/// <item>a UTF-8 byte order mark at the start of the file is skipped; a UTF-16 one is an error that says so;</item>
/// <item>with quoting on, a field that starts with a double quote runs to the matching quote (RFC 4180: doubled
/// quotes inside, delimiters and line breaks allowed; a line break inside reads as "\n" whatever the file used),
/// and a quote that is never closed or text after a closing quote is an error;</item>
/// <item>blank lines are skipped; numbers may be padded with spaces or tabs.</item>
/// </list>
/// Every problem names the file, the 1-based line the record starts on and the field.
/// </summary>
public abstract class DelimitedReader : IDisposable
{
    /// <param name="file">How the file is named in errors.</param>
    protected DelimitedReader(string file) => File = file;

    /// <summary>
    /// Opens a reader over <paramref name="stream"/> (which it disposes).
    /// </summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="file">How the file is named in errors.</param>
    /// <param name="delimiter">One or more characters between fields, e.g. "," "\t" "|" "::".</param>
    /// <param name="quotes">Whether fields may be quoted (CSV); false for formats without quoting.</param>
    /// <param name="encoding">UTF-8 (strict: bad bytes are an error) unless the format says Latin-1.</param>
    /// <param name="engine">The parser; <see cref="DelimitedEngine.Auto"/> takes the measured choice.</param>
    public static DelimitedReader Open(Stream stream, string file, string delimiter = ",", bool quotes = true, Encoding? encoding = null,
        DelimitedEngine engine = DelimitedEngine.Auto)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(delimiter);
        encoding ??= StrictUtf8;
        stream = ByteOrderMark.Skip(stream, file);
        bool sepCan = delimiter.Length == 1 && delimiter[0] is not ('"' or '\r' or '\n');
        return engine switch
        {
            DelimitedEngine.Sep when sepCan => new SepDelimitedReader(stream, file, delimiter[0], quotes, encoding),
            _ => new ByteDelimitedReader(stream, file, delimiter, quotes, encoding),
        };
    }

    /// <summary>UTF-8 that throws on invalid bytes, so a mis-encoded file is reported, not silently mangled.</summary>
    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file as errors name it.</summary>
    public string File { get; }

    /// <summary>1-based line on which the current record starts.</summary>
    public long Line { get; protected set; }

    /// <summary>Fields in the current record.</summary>
    public abstract int FieldCount { get; }

    /// <summary>Reads the next non-empty record; false at the end of the file.</summary>
    public abstract bool Read();

    /// <summary>Field <paramref name="index"/> decoded as text (quotes removed, doubled quotes undoubled).</summary>
    public abstract string Text(int index, string field);

    /// <summary>A 32-bit integer.</summary>
    public abstract int Int(int index, string field);

    /// <summary>A 64-bit integer.</summary>
    public abstract long Long(int index, string field);

    /// <summary>A finite number.</summary>
    public abstract float Float(int index, string field);

    /// <summary>A number, or null when the field is empty.</summary>
    public abstract double? OptionalDouble(int index, string field);

    /// <summary>An integer, or null when the field is empty.</summary>
    public abstract long? OptionalLong(int index, string field);

    /// <summary>A 32-bit integer, or null when the field is empty; a larger integer is out of range, not wrapped.</summary>
    public abstract int? OptionalInt(int index, string field);

    /// <summary>True when the field is absent or holds only spaces and tabs.</summary>
    public abstract bool IsEmpty(int index);

    /// <summary>Whether field <paramref name="index"/> is exactly <paramref name="ascii"/> (no trimming), without decoding it.</summary>
    public abstract bool FieldIs(int index, string ascii);

    /// <summary>The field as a 64-bit integer when it is one (spaces and tabs around it allowed); no error otherwise.</summary>
    public abstract bool TryLong(int index, out long value);

    /// <summary>
    /// The integer after <paramref name="prefix"/> ("tt0133093" with prefix "tt" is 133093) when the field is exactly
    /// that prefix followed by digits; no error otherwise.
    /// </summary>
    public abstract bool TryPrefixedInt(int index, string prefix, out int value);

    /// <summary>Requires exactly <paramref name="count"/> fields (or at least, with <paramref name="orMore"/>).</summary>
    public void ExpectFields(int count, string columns, bool orMore = false)
    {
        int have = FieldCount;
        if (have == count || (orMore && have > count)) return;
        throw new DataFormatException(File, Line, null, $"expected {count} fields ({columns}) but found {have}");
    }

    /// <summary>An error at the current record.</summary>
    public DataFormatException Error(string? field, string problem) => new(File, Line, field, problem);

    /// <summary>The error for a field that is not there.</summary>
    protected DataFormatException Missing(string field) => Error(field, $"is missing (the row has {FieldCount} fields)");

    /// <summary>The error for a field that is not an integer, showing invisible characters (a stray "\r") escaped.</summary>
    protected DataFormatException NotInteger(string field, ReadOnlySpan<char> text) => Error(field, $"'{Show(text)}' is not an integer");

    /// <summary>The error for a field that is not a finite number.</summary>
    protected DataFormatException NotNumber(string field, ReadOnlySpan<char> text) => Error(field, $"'{Show(text)}' is not a number");

    /// <summary>The error for an integer too large for 32 bits.</summary>
    protected DataFormatException OutOfRange(string field, ReadOnlySpan<char> text) =>
        Error(field, $"{Show(text)} is out of range (at most {int.MaxValue})");

    /// <summary>The error for bytes that are not valid in the file's encoding.</summary>
    protected DataFormatException BadEncoding(string? field, Encoding encoding) =>
        Error(field, $"is not valid {encoding.WebName} text (is the file in another encoding, such as Latin-1?)");

    /// <summary>At most 40 characters of a bad value, control characters escaped so that a hidden "\r" shows.</summary>
    protected static string Show(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, 40) + 8);
        foreach (char c in text.Length > 40 ? text[..40] : text)
        {
            switch (c)
            {
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    else sb.Append(c);
                    break;
            }
        }
        if (text.Length > 40) sb.Append("...");
        return sb.ToString();
    }

    /// <summary>Releases the stream.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the stream when <paramref name="disposing"/>.</summary>
    protected abstract void Dispose(bool disposing);
}
