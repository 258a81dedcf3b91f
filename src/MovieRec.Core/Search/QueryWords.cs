namespace MovieRec.Core.Search;

/// <summary>The words of a query or a name, as the query parsers compare them.</summary>
internal static class QueryWords
{
    /// <summary>
    /// Lower-cased runs of letters and digits; with <paramref name="innerHyphens"/>, a hyphen inside a word keeps it
    /// whole ("war-torn" is not "war") and a trailing one is dropped.
    /// </summary>
    public static List<string> Of(string text, bool innerHyphens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        int start = -1;
        for (int k = 0; k <= text.Length; k++)
        {
            bool inWord = k < text.Length && (char.IsLetterOrDigit(text[k]) || (innerHyphens && text[k] == '-' && start >= 0));
            if (inWord && start < 0) start = k;
            else if (!inWord && start >= 0)
            {
                var word = text[start..k];
                words.Add((innerHyphens ? word.TrimEnd('-') : word).ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }
}
