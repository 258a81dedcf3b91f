using System.Text.RegularExpressions;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// "movies like Ocean's Eleven", "films similar to Alien", "something like Amélie", "more like the matrix": a request
/// for one movie's neighbours rather than a description. Searched as words, "oceans eleven" gave Ocean's Eleven, Twelve
/// and Thirteen, then The Life Aquatic, Sphere and Deep Rising; the service and the CLI answer such a query with the
/// named movie's "more like this" list instead.
/// </summary>
public static partial class NamedMovieQuery
{
    /// <summary>
    /// The title search's score a named movie needs: 100 for the whole title, 30 and up for its beginning; below 10 the
    /// mean quality of the word matches (10 equal, 7 a prefix, 4 a close spelling) scaled down for title words the name
    /// lacks: "oceans eleven" scores 5.8 for Ocean's Eleven.
    /// </summary>
    public const float MinScore = 5;

    /// <summary>The name in a "movies like ..." query, or null when the query does not ask for a named movie's neighbours.</summary>
    public static string? Name(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = LikeRequest().Match(query.Trim());
        return match.Success ? match.Groups["title"].Value : null;
    }

    /// <summary>
    /// The movie a "movies like ..." query names: the best title match when it is a good one (every word of the name in
    /// the title, exactly, as its beginning or within a letter or two, <see cref="MinScore"/>); otherwise null, and the
    /// words are to be searched as usual ("movies like a boxer who never gives up" is a description).
    /// </summary>
    public static Movie? Resolve(TitleSearch titles, string query)
    {
        ArgumentNullException.ThrowIfNull(titles);
        if (Name(query) is not { } name) return null;
        var best = titles.Search(name, 1);
        return best.Count == 1 && best[0].Score >= MinScore ? best[0].Movie : null;
    }

    /// <summary>What the answer says about its list: "Movies like Ocean's Eleven (2001): what they share with it ...".</summary>
    public static string Note(Movie named)
    {
        ArgumentNullException.ThrowIfNull(named);
        return $"Movies like {named}: what they share with it (director, lead actors, keywords, genres).";
    }

    // No match timeout: a query is short (the service takes at most 500 characters) and the pattern anchored (a lazy
    // name before an optional "?"), so a match is at worst quadratic in its length; a wall-clock timeout could fail a
    // search on a loaded machine.
    [GeneratedRegex(
        @"^(?:(?:please\s+)?(?:show\s+me|find\s+me|find|recommend|suggest|give\s+me|i\s+want|i'd\s+like)\s+)?(?:(?:some|more|other|any)\s+)?(?:movies?|films?|something|anything)\s+(?:like|similar\s+to)\s+(?<title>.+?)[\s?.!]*$|^(?:more\s+like|similar\s+to)\s+(?<title>.+?)[\s?.!]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LikeRequest();
}
