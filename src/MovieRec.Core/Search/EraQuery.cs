using System.Globalization;
using System.Text.RegularExpressions;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// Release years a query asks for: "80s teen comedy" (1980-1989), "sci-fi from the 50s", "1970s horror", "late 90s
/// thriller" (1995-1999), "nineties romance", "comedy from 1995". Searched as words, "80s" matched Around the World in 80
/// Days and "50s" 50/50; <see cref="HybridSearch"/> searches the rest of the query among the movies of those years.
/// </summary>
/// <param name="From">First year (inclusive).</param>
/// <param name="To">Last year (inclusive).</param>
/// <param name="Label">How the answer names the years: "the 1980s", "the late 1990s", "1995".</param>
public sealed record Era(int From, int To, string Label)
{
    /// <summary>Whether <paramref name="movie"/> was released in these years (a movie without a year is not).</summary>
    public bool Contains(Movie movie) => movie?.Year is int y && y >= From && y <= To;
}

/// <summary>Finds an <see cref="Era"/> in a query and what is left to search once it is taken out.</summary>
public static partial class EraQuery
{
    private static readonly string[] DecadeWords = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"];

    /// <summary>
    /// The years <paramref name="query"/> asks for and the query without them (and without the "from the", "of the"
    /// around them), or null when it names none. A bare year is not an era ("2001", "1984" and "1917" are titles):
    /// only "from 1995", "made in 1995", "released in 1995" and "movies of 1995" or "best of 1995" are; nor is a decade a story is set in (see
    /// <see cref="AsksForReleaseYears"/>).
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="keepMovieWords">Keep "movies" and "films" in what is left ("movies like Die Hard from the 90s" ->
    /// "movies like Die Hard", a request for a named movie's neighbours); by default they go ("90s action movies" ->
    /// "action").</param>
    public static (Era Era, string Words)? Parse(string query, bool keepMovieWords = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = Decade().Match(query);
        Era? era = null;
        if (match.Success && (!AsksForReleaseYears(query, match) || (match.Groups["word"].Success && !match.Groups["the"].Success) || PossessiveBefore().IsMatch(query[..match.Index])))
            return null;
        if (match.Success)
        {
            int start;
            if (match.Groups["century"].Success) start = int.Parse(match.Groups["century"].Value, CultureInfo.InvariantCulture) * 100 + (match.Groups["tens"].Value[0] - '0') * 10;
            else if (match.Groups["short"].Success)
            {
                int tens = match.Groups["short"].Value[0] - '0';
                // "00s" and "10s" are this century's; "20s" to "90s" the last one's (the catalogues end before 2020s films count).
                start = (tens <= 1 ? 2000 : 1900) + tens * 10;
            }
            else start = 1900 + (Array.IndexOf(DecadeWords, match.Groups["word"].Value.ToLowerInvariant()) + 2) * 10;
            string part = match.Groups["part"].Value.ToLowerInvariant();
            era = part switch
            {
                "early" => new Era(start, start + 4, $"the early {start}s"),
                "mid" or "mid-" => new Era(start + 3, start + 7, $"the mid {start}s"),
                "late" => new Era(start + 5, start + 9, $"the late {start}s"),
                _ => new Era(start, start + 9, $"the {start}s"),
            };
        }
        else
        {
            match = Year().Match(query);
            if (!match.Success) return null;
            // "of 1995" asks for release years after a movie word or "best" ("the best films of 1994", "top movies of
            // 2015"); elsewhere it is a setting ("a boy in the summer of 1942", "the class of 1999").
            if (match.Groups["lead"].Value.TrimStart().StartsWith("of", StringComparison.OrdinalIgnoreCase) && !MovieWordBefore(query[..match.Index]))
                return null;
            int year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
            era = new Era(year, year, year.ToString(CultureInfo.InvariantCulture));
        }
        string rest = Spaces().Replace(query.Remove(match.Index, match.Length).Insert(match.Index, " "), " ").Trim();
        // "90s action movies": "movies" would match titles (A Goofy Movie, The Brady Bunch Movie) among the decade's few
        // action films; what kind of movie is asked for is in the other words.
        if (keepMovieWords) return (era, rest);
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = Array.FindAll(words, w => !MovieWords.Contains(w.TrimEnd(',', '.', '!', '?')));
        return (era, kept.Length > 0 ? string.Join(' ', kept) : rest);
    }

    /// <summary>
    /// Whether what is left of a query once its years are out asks for nothing more ("movies", "the best films", ""):
    /// the answer is then the best-known movies of those years.
    /// </summary>
    public static bool NothingElse(string rest)
    {
        ArgumentNullException.ThrowIfNull(rest);
        foreach (var word in rest.Split([' ', ',', '.', '!', '?', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Generic.Contains(word)) return false;
        }
        return true;
    }

    private static bool MovieWordBefore(string before)
    {
        var words = before.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && (MovieWords.Contains(words[^1]) || words[^1].Equals("best", StringComparison.OrdinalIgnoreCase));
    }

    private static readonly HashSet<string> MovieWords = new(StringComparer.OrdinalIgnoreCase) { "movie", "movies", "film", "films", "flick", "flicks" };

    private static readonly HashSet<string> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        "movie", "movies", "film", "films", "flick", "flicks", "cinema", "the", "a", "an", "some", "any", "best", "good", "great", "top", "classic", "classics",
        "famous", "popular", "show", "me", "find", "recommend", "list", "of", "from", "in",
    };

    /// <summary>
    /// Whether the decade is when the movies were made rather than when a story is set: it opens the query ("80s teen
    /// comedy"), comes after "from", "of", "made in" or "released in" ("sci-fi from the 50s"), or ends a query of at
    /// most five words ("western 1960s"). "a boy travels back to the 1950s", "a family in the 1970s" and "set in the
    /// 1920s" are settings: a description of Back to the Future must not lose it.
    /// </summary>
    private static bool AsksForReleaseYears(string query, Match match)
    {
        string lead = match.Groups["lead"].Success ? match.Groups["lead"].Value.Trim().ToLowerInvariant() : "";
        if (SettingBefore().IsMatch(query[..match.Index] + match.Groups["lead"].Value)) return false;
        if (lead.StartsWith("from", StringComparison.Ordinal) || lead.StartsWith("of", StringComparison.Ordinal) || lead.StartsWith("made", StringComparison.Ordinal) || lead.StartsWith("released", StringComparison.Ordinal))
            return true;
        if (lead.Length > 0) return false; // "in the 1970s", "during the 80s": where a story happens
        if (string.IsNullOrWhiteSpace(query[..match.Index])) return true;
        bool atEnd = string.IsNullOrWhiteSpace(query[(match.Index + match.Length)..].Trim('.', '!', '?', ' '));
        return atEnd && query.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 5;
    }

    // Optional lead-in ("from the", "made in the", "of the"), then "early/mid/late", then the decade: 1990s, 1990's,
    // 90s, '90s, ’90s, 90's, or a word ("the nineties"; the "the" is checked in code, as is a possessive before it:
    // "a woman in her 30s" and "in his late forties" are ages). No lookbehind: a variable-length one made the generated
    // matcher thousands of lines, whose first compilation kept about 10 MiB resident in the service. No match
    // timeout: no nested repetition.
    [GeneratedRegex(
        @"(?<lead>\b(?:(?:made|released)\s+)?(?:from|of|in|during)\s+)?(?<the>\bthe\s+)?(?:\b(?<part>early|mid-?|late)\s*)?(?:\b(?<century>19|20)(?<tens>\d)0'?s\b|['’]?\b(?<short>\d)0'?s\b|\b(?<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Decade();

    [GeneratedRegex(@"\b(?:his|her|their|my|your|our|its)\s+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PossessiveBefore();

    /// <summary>"set in", "takes place in", "happens during": the years the story is set in, not when it was made.</summary>
    [GeneratedRegex(@"\b(?:set|takes?\s+place|taking\s+place|happens?|happening)\s+(?:(?:in|during)\s+)?(?:the\s+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SettingBefore();

    [GeneratedRegex(@"(?<lead>\b(?:from|of|(?:made|released)\s+in)\s+)(?<year>(?:18[89]|19\d|20\d)\d)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
