using System.Text;
using CsCheck;

namespace MovieRec.Core.Tests.Data.Fuzz;

public enum MutationKind
{
    FlipByte,
    Truncate,
    InsertDelimiter,
    DeleteDelimiter,
    InsertQuote,
    DeleteByte,
    InvalidUtf8,
    Bom,
    CrLf,
    CrOnly,
    HugeField,
    LongLine,
    Nul,
    OddNumber,
    DropField,
    ExtraField,
    DuplicateHeader,
    DuplicateLine,
    Empty,
    Unicode,
}

/// <summary>One edit of a file's bytes; <see cref="Where"/> in [0, 1] places it, <see cref="Pick"/> chooses a payload or size.</summary>
public readonly record struct Mutation(MutationKind Kind, double Where, int Pick)
{
    public override string ToString() => $"{Kind}@{Where:0.000}#{Pick}";
}

/// <summary>
/// How a case packs its files: a folder, a zip of the (mutated) files, or a zip/gzip whose own bytes are then
/// corrupted (flipped or truncated) rather than the text inside.
/// </summary>
public enum Container
{
    Folder,
    Zip,
    CorruptZip,
}

/// <summary>A fuzz case: which seed, which of its files, the edits, the container and strict or lenient loading.</summary>
public sealed record FuzzCase(int Seed, int File, Mutation[] Mutations, Container Container, bool Lenient, int CorruptAt)
{
    public override string ToString() =>
        $"seed #{Seed}, file #{File}, [{string.Join(", ", Mutations)}], {Container}{(Container == Container.CorruptZip ? "@" + CorruptAt : "")}, {(Lenient ? "lenient" : "strict")}";
}

/// <summary>CsCheck generators of fuzz cases, and the byte-level edits they describe.</summary>
public static class Mutations
{
    public static readonly Gen<Mutation> Mutation =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.Double[0, 1], Gen.Int[0, 1 << 20], (k, w, p) => new Mutation(k, w, p));

    public static Gen<FuzzCase> Case(int seeds) =>
        Gen.Select(Gen.Int[0, seeds - 1], Gen.Int[0, 15], Mutation.Array[1, 4],
            Gen.Frequency((14, Gen.Const(Container.Folder)), (4, Gen.Const(Container.Zip)), (2, Gen.Const(Container.CorruptZip))),
            Gen.Int[0, 3], Gen.Int[0, 1 << 20],
            (s, f, m, c, lenient, at) => new FuzzCase(s, f, m, c, lenient == 0, at));

    /// <summary>Values that break naive number parsing: NaN, overflow, negative zero, huge ids, locale commas, non-ASCII digits.</summary>
    private static readonly string[] OddNumbers =
    [
        "NaN", "nan", "Infinity", "-Infinity", "1e400", "-1e400", "4.9e-400", "-0", "-0.0", "+5", "99999999999999999999",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "2147483647", "2147483648", "-2147483649",
        "4294967296", "-1", "0", "", " ", "0x1F", "1,5", "3.", ".5", "1_000", "\u0661\u0669\u0669\u0669", "\uff15", "1e9", "5e-1",
        "00000000000000000000000001", "1.0000000001", "4.5 ", " 4.5", "\t3", "١٢",
    ];

    /// <summary>Text that is valid UTF-8 but unusual: Arabic-Indic and full-width digits in a year, separators, emoji, RTL marks.</summary>
    private static readonly string[] UnicodeTexts =
    [
        " (\u0661\u0669\u0669\u0669)", " (\uff11\uff19\uff19\uff19)", "\u2028", "\u2029", "\U0001F3AC", "\u200F", "\uFEFF", "\u00e9",
        ", The", " (1999-)", " (99999)", ", L'", "\"\"", "[{\"name\": 1}]", "[{\"order\": \"x\", \"name\": null}]", "{}", "[[[[[[",
    ];

    public static byte[] Apply(byte[] data, Mutation m, byte delimiter)
    {
        int at = (int)(m.Where * data.Length);
        at = Math.Clamp(at, 0, data.Length);
        switch (m.Kind)
        {
            case MutationKind.FlipByte:
                if (data.Length == 0) return data;
                var flipped = (byte[])data.Clone();
                flipped[Math.Min(at, data.Length - 1)] ^= (byte)(1 << (m.Pick % 8));
                return flipped;
            case MutationKind.Truncate:
                return data[..at];
            case MutationKind.InsertDelimiter:
                return Insert(data, at, [delimiter]);
            case MutationKind.DeleteDelimiter:
                return DeleteNext(data, at, delimiter);
            case MutationKind.InsertQuote:
                return Insert(data, at, m.Pick % 2 == 0 ? "\""u8.ToArray() : "\"\"\""u8.ToArray());
            case MutationKind.DeleteByte:
                return data.Length == 0 ? data : [.. data[..Math.Min(at, data.Length - 1)], .. data[(Math.Min(at, data.Length - 1) + 1)..]];
            case MutationKind.InvalidUtf8:
                byte[][] bad = [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]];
                return Insert(data, at, bad[m.Pick % bad.Length]);
            case MutationKind.Bom:
                return m.Pick % 3 == 0 ? Insert(data, at, [0xEF, 0xBB, 0xBF]) : [0xEF, 0xBB, 0xBF, .. data];
            case MutationKind.CrLf:
                return Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(data).Replace("\n", "\r\n", StringComparison.Ordinal));
            case MutationKind.CrOnly:
                return data.Select(b => b == '\n' ? (byte)'\r' : b).ToArray();
            case MutationKind.HugeField:
                int size = 1 << (10 + (m.Pick % 11)); // 1 KiB .. 1 MiB
                byte fill = (byte)"x9\"|,\t:"[m.Pick % 7];
                return Insert(data, at, Enumerable.Repeat(fill, size).ToArray());
            case MutationKind.LongLine:
                // Joins up to a few hundred lines into one.
                int end = Math.Min(data.Length, at + 200 + (m.Pick % 20000));
                return [.. data[..at], .. data[at..end].Select(b => b == '\n' ? delimiter : b), .. data[end..]];
            case MutationKind.Nul:
                return Insert(data, at, m.Pick % 2 == 0 ? [0] : new byte[1 + (m.Pick % 64)]);
            case MutationKind.OddNumber:
                return ReplaceToken(data, at, Encoding.UTF8.GetBytes(OddNumbers[m.Pick % OddNumbers.Length]), delimiter);
            case MutationKind.DropField:
                return DeleteField(data, at, delimiter);
            case MutationKind.ExtraField:
                int nl = IndexOfFrom(data, at, (byte)'\n');
                return Insert(data, nl < 0 ? data.Length : nl, [delimiter, .. "extra"u8]);
            case MutationKind.DuplicateHeader:
                int first = Array.IndexOf(data, (byte)'\n');
                if (first < 0) return [.. data, .. data];
                return m.Pick % 2 == 0
                    ? [.. data[..(first + 1)], .. data[..(first + 1)], .. data[(first + 1)..]]
                    : [.. data[..first], delimiter, .. FirstField(data, delimiter), .. data[first..]];
            case MutationKind.DuplicateLine:
                int s = LineStart(data, at), e = IndexOfFrom(data, s, (byte)'\n');
                if (e < 0) return data;
                return [.. data[..(e + 1)], .. data[s..(e + 1)], .. data[(e + 1)..]];
            case MutationKind.Empty:
                return m.Pick % 2 == 0 ? [] : "\n\n"u8.ToArray();
            case MutationKind.Unicode:
                return Insert(data, at, Encoding.UTF8.GetBytes(UnicodeTexts[m.Pick % UnicodeTexts.Length]));
            default:
                throw new ArgumentOutOfRangeException(nameof(m));
        }
    }

    private static byte[] Insert(byte[] data, int at, byte[] piece) => [.. data[..at], .. piece, .. data[at..]];

    private static int IndexOfFrom(byte[] data, int from, byte b)
    {
        int i = from >= data.Length ? -1 : Array.IndexOf(data, b, from);
        return i;
    }

    private static int LineStart(byte[] data, int at)
    {
        int i = Math.Min(at, data.Length) - 1;
        while (i >= 0 && data[i] != '\n') i--;
        return i + 1;
    }

    private static byte[] DeleteNext(byte[] data, int at, byte b)
    {
        int i = IndexOfFrom(data, at, b);
        return i < 0 ? data : [.. data[..i], .. data[(i + 1)..]];
    }

    private static byte[] FirstField(byte[] data, byte delimiter)
    {
        int end = 0;
        while (end < data.Length && data[end] != delimiter && data[end] != '\n' && data[end] != '\r') end++;
        return data[..end];
    }

    /// <summary>Replaces the field around <paramref name="at"/> (between delimiters or line ends) with <paramref name="token"/>.</summary>
    private static byte[] ReplaceToken(byte[] data, int at, byte[] token, byte delimiter)
    {
        int s = at, e = at;
        while (s > 0 && data[s - 1] != delimiter && data[s - 1] != '\n' && data[s - 1] != ':') s--;
        while (e < data.Length && data[e] != delimiter && data[e] != '\n' && data[e] != '\r' && data[e] != ':') e++;
        return [.. data[..s], .. token, .. data[e..]];
    }

    private static byte[] DeleteField(byte[] data, int at, byte delimiter)
    {
        int d = IndexOfFrom(data, at, delimiter);
        if (d < 0) return data;
        int e = d + 1;
        while (e < data.Length && data[e] != delimiter && data[e] != '\n') e++;
        return [.. data[..d], .. data[e..]];
    }
}
