using System.Text.RegularExpressions;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// The kinds of movie a query's words ask for, as MovieLens genres: "funny movie for a family night" asks for Comedy
/// and Children, "scary movie about a haunted house" for Horror. Searched as words only, "funny" matched the title
/// Funny Games (a thriller) first; <see cref="HybridSearch"/> lifts the fused score of movies of the genres asked for
/// (<see cref="HybridSearchOptions.GenreWeight"/>) without leaving the others out.
/// </summary>
public static partial class GenreWords
{
    // The genres of each group of Words(), in the same order ("rom-com" is two).
    private static readonly string[] Genres =
        ["Comedy", "Horror", "Children", "Animation", "Romance", "Sci-Fi", "War", "Western", "Musical", "Documentary", "Thriller", "Crime", "Fantasy", "Mystery", "Action", "Adventure", "Film-Noir", "Comedy|Romance"];

    /// <summary>The genres <paramref name="query"/> asks for, in the order its words say them (empty when none).</summary>
    public static IReadOnlyList<string> Of(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var genres = new List<string>();
        foreach (Match match in Words().Matches(query))
        {
            for (int g = 0; g < Genres.Length; g++)
            {
                if (!match.Groups[g + 1].Success) continue;
                foreach (var genre in Genres[g].Split('|'))
                {
                    if (!genres.Contains(genre)) genres.Add(genre);
                }
            }
        }
        return genres;
    }

    /// <summary>The share of <paramref name="genres"/> that <paramref name="movie"/> has (0 to 1).</summary>
    public static float Share(Movie movie, IReadOnlyList<string> genres)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(genres);
        if (genres.Count == 0) return 0;
        int has = 0;
        foreach (var genre in genres)
        {
            foreach (var g in movie.Genres)
            {
                if (string.Equals(g, genre, StringComparison.OrdinalIgnoreCase))
                {
                    has++;
                    break;
                }
            }
        }
        return has / (float)genres.Count;
    }

    // Whole words, any case, one group per genre of Genres. "family" alone is not Children ("mafia family crime saga");
    // "family movie", "family night" and "for the whole family" are. No match timeout: alternations of literals.
    [GeneratedRegex(
        @"(?<![\w-])(?:(funny|comed(?:y|ies)|comic|hilarious|laugh(?:s|ing)?|humou?r(?:ous)?|feel-?good)|(scary|horror|frightening|terrifying|creepy|spooky|slashers?)|(kids?|children|child-friendly|family[- ](?:movies?|films?|night|fun|friendly)|for the (?:whole )?family)|(animated|animation|cartoons?|anime)|(romantic|romance|love stor(?:y|ies))|(sci-?fi|science fiction|futuristic)|(war|wartime)|(westerns?|cowboys?)|(musicals?)|(documentar(?:y|ies))|(thrillers?|suspense(?:ful)?)|(crime|gangsters?|mafia|mob)|(fantasy|magical|fairy tales?)|(myster(?:y|ies)|whodunn?it)|(action)|(adventures?)|(film noir|noir)|(rom-?coms?))(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
