using System.Globalization;
using System.Text.RegularExpressions;

namespace MovieRec.Core.Data;

/// <summary>
/// MovieLens titles put the year in parentheses and move leading articles to the end
/// ("Matrix, The (1999)"); this turns them back into what people read ("The Matrix", 1999).
/// </summary>
public static partial class MovieTitle
{
    private static readonly string[] Articles =
        ["The", "A", "An", "Les", "La", "Le", "L'", "Il", "Das", "Der", "Die", "Den", "Det", "El", "Los", "Las", "Lo", "Gli", "I", "Une", "Un", "De", "Het", "O", "Os", "As"];

    // [0-9], not \d: \d also matches Arabic-Indic and other digits, which int.Parse then rejects.
    [GeneratedRegex(@"\s*\(([0-9]{4})(?:[-–][0-9]{0,4})?\)\s*$")]
    private static partial Regex TrailingYear();

    public static (string Display, int? Year) Parse(string raw)
    {
        var title = raw.Trim();
        int? year = null;
        var m = TrailingYear().Match(title);
        if (m.Success)
        {
            year = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            title = title[..m.Index].TrimEnd();
        }
        return (MoveArticleToFront(title), year);
    }

    /// <summary>"Matrix, The" becomes "The Matrix"; "City of Lost Children, The (Cité des enfants perdus, La)" keeps its alternative title.</summary>
    public static string MoveArticleToFront(string title)
    {
        // The primary title ends before an alternative title in parentheses, if any.
        int alt = title.IndexOf(" (", StringComparison.Ordinal);
        var primary = alt > 0 && title.EndsWith(')') ? title[..alt] : title;
        var rest = primary.Length < title.Length ? title[primary.Length..] : "";
        foreach (var article in Articles)
        {
            var suffix = ", " + article;
            if (primary.EndsWith(suffix, StringComparison.Ordinal))
            {
                var body = primary[..^suffix.Length];
                var joined = article.EndsWith('\'') ? article + body : article + " " + body;
                return joined + rest;
            }
        }
        return title;
    }
}
