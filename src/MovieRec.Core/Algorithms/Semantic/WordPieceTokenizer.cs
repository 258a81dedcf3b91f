using System.Globalization;
using System.Text;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// BERT's tokenizer as Hugging Face's tokenizers library runs it (the reference the tests compare against):
/// <list type="number">
/// <item>special added tokens ([CLS], &lt;mask&gt;, ...) written in the text are kept whole;</item>
/// <item>BertNormalizer: control and format characters (Cc, Cf, Co, Cn, Cs, U+0000, U+FFFD) removed, whitespace
/// (Unicode White_Space, tab, CR, LF) made a space, CJK ideographs surrounded by spaces, accents stripped (NFD minus
/// non-spacing marks, <see cref="AccentStripper"/>), lower-cased;</item>
/// <item>BertPreTokenizer: words split at whitespace, and every punctuation character (ASCII !"#$%&amp;'()*+,-./:;&lt;=&gt;?@[\]^_`{|}~
/// and Unicode categories P*) a word of its own;</item>
/// <item>WordPiece (Wu et al. 2016): each word greedily split into the longest vocabulary prefixes, continuations
/// written with "##"; a word with a piece not in the vocabulary, or longer than 100 characters, is [UNK].</item>
/// </list>
/// (Microsoft.ML.Tokenizers' BertTokenizer differs: it drops symbols such as $ and +, and cannot strip accents
/// under InvariantGlobalization.)
/// </summary>
internal sealed class WordPieceTokenizer
{
    private const int MaxCharsPerWord = 100;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocab;
    private readonly string[] _specials;
    private readonly Dictionary<string, int> _specialIds;
    private readonly TokenizerSettings _settings;
    private readonly int _unknownId;

    public WordPieceTokenizer(Stream vocabulary, TokenizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = new StreamReader(vocabulary, Encoding.UTF8, leaveOpen: true))
        {
            int id = 0;
            while (reader.ReadLine() is { } line)
            {
                // vocab.txt: one token a line, its id the line number; a repeated token keeps its first id.
                vocab.TryAdd(line, id++);
            }
        }
        _vocab = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownId = Id(vocab, settings.UnknownToken, "unknown");
        StartId = settings.StartId ?? Id(vocab, settings.StartToken, "start");
        EndId = settings.EndId ?? Id(vocab, settings.EndToken, "end");
        PadId = settings.PadId ?? Id(vocab, settings.PadToken, "padding");
        _specialIds = new Dictionary<string, int>(StringComparer.Ordinal);
        if (settings.SpecialTokens is { } specials)
        {
            foreach (var (token, id) in specials) _specialIds[token] = id;
        }
        else
        {
            foreach (var token in new[] { settings.StartToken, settings.EndToken, settings.PadToken, settings.MaskToken, settings.UnknownToken })
            {
                if (vocab.TryGetValue(token, out int id)) _specialIds[token] = id;
            }
        }
        // Longest first, so a special token that contains another is matched whole.
        _specials = [.. _specialIds.Keys.Where(k => k.Length > 0).OrderByDescending(k => k.Length)];
    }

    public int StartId { get; }

    public int EndId { get; }

    public int PadId { get; }

    private static int Id(Dictionary<string, int> vocab, string token, string role) =>
        vocab.TryGetValue(token, out int id) ? id : throw new InvalidDataException($"the vocabulary has no {role} token '{token}'");

    /// <summary>The word-piece ids of <paramref name="text"/> (no start or end token), at most <paramref name="max"/>.</summary>
    public List<int> Encode(string text, int max)
    {
        var ids = new List<int>();
        int start = 0;
        while (start < text.Length && ids.Count < max)
        {
            var (at, special) = NextSpecial(text, start);
            EncodeSegment(text.AsSpan(start, at - start), ids, max);
            if (special is null) break;
            if (ids.Count < max) ids.Add(_specialIds[special]);
            start = at + special.Length;
        }
        return ids;
    }

    private (int At, string? Special) NextSpecial(string text, int from)
    {
        int best = text.Length;
        string? found = null;
        foreach (var special in _specials)
        {
            int at = text.IndexOf(special, from, StringComparison.Ordinal);
            if (at >= 0 && at < best)
            {
                best = at;
                found = special;
            }
        }
        return (best, found);
    }

    private void EncodeSegment(ReadOnlySpan<char> segment, List<int> ids, int max)
    {
        if (segment.IsEmpty) return;
        var normalized = Normalize(segment);
        var word = new StringBuilder();
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (ids.Count >= max) return;
            if (rune.Value == ' ')
            {
                Flush(word, ids, max);
            }
            else if (IsPunctuation(rune))
            {
                Flush(word, ids, max);
                word.Append(rune.ToString());
                Flush(word, ids, max);
            }
            else
            {
                word.Append(rune.ToString());
            }
        }
        Flush(word, ids, max);
    }

    /// <summary>BertNormalizer: clean, space out CJK ideographs, strip accents, lower-case.</summary>
    private string Normalize(ReadOnlySpan<char> text)
    {
        var clean = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) clean.Append(' ');
            else if (_settings.ChineseChars && IsCjk(cp)) clean.Append(' ').Append(rune.ToString()).Append(' ');
            else clean.Append(rune.ToString());
        }
        var result = clean.ToString();
        if (_settings.StripAccents) result = AccentStripper.Strip(result);
        if (_settings.Lowercase) result = result.ToLowerInvariant();
        return result;
    }

    /// <summary>WordPiece of one word: longest vocabulary prefix first, continuations with "##".</summary>
    private void Flush(StringBuilder word, List<int> ids, int max)
    {
        if (word.Length == 0) return;
        var text = word.ToString();
        word.Clear();
        int chars = 0;
        foreach (var _ in text.EnumerateRunes()) chars++;
        if (chars > MaxCharsPerWord)
        {
            ids.Add(_unknownId);
            return;
        }
        int count = ids.Count;
        Span<char> buffer = stackalloc char[2 + text.Length * 2];
        int start = 0;
        while (start < text.Length)
        {
            int end = text.Length;
            int found = -1;
            while (end > start)
            {
                var piece = text.AsSpan(start, end - start);
                scoped ReadOnlySpan<char> key;
                if (start > 0)
                {
                    buffer[0] = '#';
                    buffer[1] = '#';
                    piece.CopyTo(buffer[2..]);
                    key = buffer[..(piece.Length + 2)];
                }
                else
                {
                    key = piece;
                }
                if (_vocab.TryGetValue(key, out int id))
                {
                    found = id;
                    break;
                }
                end--;
                if (end > start && char.IsLowSurrogate(text[end])) end--; // never split a surrogate pair
            }
            if (found < 0)
            {
                ids.RemoveRange(count, ids.Count - count);
                ids.Add(_unknownId);
                return;
            }
            ids.Add(found);
            start = end;
        }
        if (ids.Count > max) ids.RemoveRange(max, ids.Count - max);
    }

    /// <summary>Hugging Face's is_control: Unicode "Other" categories, except tab, CR and LF (whitespace).</summary>
    private static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r') && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;

    /// <summary>Rust's char::is_whitespace (Unicode White_Space).</summary>
    private static bool IsWhitespace(Rune rune) => rune.Value is (>= 0x09 and <= 0x0D) or 0x20 or 0x85 or 0xA0 or 0x1680
        or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    /// <summary>ASCII punctuation and symbols, and Unicode punctuation (P*).</summary>
    private static bool IsPunctuation(Rune rune)
    {
        int cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK ideograph blocks BERT tokenises character by character.</summary>
    private static bool IsCjk(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
        or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0x2F800 and <= 0x2FA1F);
}
