using System.Globalization;
using System.Text;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// Accent stripping as Hugging Face's BertNormalizer does it: canonical decomposition (NFD), then every non-spacing
/// mark (Unicode category Mn) removed, so "città" becomes "citta" and "¿Qué" "¿Que". .NET's own normalisation is
/// unavailable under InvariantGlobalization, so the decompositions come from a table generated from Unicode's data
/// (tools/make-strip-accents-table.py, embedded as strip-accents.txt); Hangul syllables are decomposed into their
/// jamo by the algorithm of the Unicode Standard, section 3.12.
/// </summary>
internal static class AccentStripper
{
    private static readonly Lazy<Dictionary<int, string>> Table = new(Load);

    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (AllPlain(text)) return text;
        var table = Table.Value;
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp is >= 0xAC00 and <= 0xD7A3)
            {
                int s = cp - 0xAC00;
                result.Append((char)(0x1100 + s / (21 * 28))).Append((char)(0x1161 + s % (21 * 28) / 28));
                if (s % 28 != 0) result.Append((char)(0x11A7 + s % 28));
            }
            else if (table.TryGetValue(cp, out var replacement))
            {
                result.Append(replacement);
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(rune.ToString());
            }
        }
        return result.ToString();
    }

    /// <summary>Whether nothing in <paramref name="text"/> can change: ASCII and Latin-1 symbols (below U+00C0) only.</summary>
    private static bool AllPlain(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c >= 0xC0) return false;
        }
        return true;
    }

    private static Dictionary<int, string> Load()
    {
        using var stream = typeof(AccentStripper).Assembly.GetManifestResourceStream("MovieRec.Core.strip-accents.txt")
            ?? throw new InvalidOperationException("the strip-accents table is not embedded in MovieRec.Core");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, string>(2100);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(' ');
            var value = new StringBuilder();
            for (int i = 1; i < fields.Length; i++) value.Append(char.ConvertFromUtf32(int.Parse(fields[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            table[int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = value.ToString();
        }
        return table;
    }
}
