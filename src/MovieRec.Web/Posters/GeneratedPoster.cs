using System.Globalization;
using System.Net;
using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Web.Posters;

/// <summary>A poster drawn from the title, year and main genre, so pages never break offline.</summary>
public static class GeneratedPoster
{
    private static readonly Dictionary<string, (string Top, string Bottom)> Palette = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Action"] = ("#b3261e", "#3b0a08"),
        ["Adventure"] = ("#e8710a", "#4a2003"),
        ["Animation"] = ("#1e88e5", "#0b2f57"),
        ["Children"] = ("#43a047", "#123d14"),
        ["Comedy"] = ("#f9a825", "#5c3d00"),
        ["Crime"] = ("#37474f", "#101619"),
        ["Documentary"] = ("#6d4c41", "#26190f"),
        ["Drama"] = ("#5e35b1", "#1d0e3d"),
        ["Fantasy"] = ("#8e24aa", "#2e0838"),
        ["Film-Noir"] = ("#424242", "#000000"),
        ["Horror"] = ("#212121", "#5d0000"),
        ["IMAX"] = ("#00838f", "#00292d"),
        ["Musical"] = ("#d81b60", "#4a0820"),
        ["Mystery"] = ("#283593", "#0a0f33"),
        ["Romance"] = ("#ec407a", "#5a0f2b"),
        ["Sci-Fi"] = ("#00acc1", "#032f36"),
        ["Thriller"] = ("#455a64", "#12191c"),
        ["War"] = ("#558b2f", "#1c2e0f"),
        ["Western"] = ("#a1887f", "#3e2b22"),
    };

    public static string Svg(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        var (top, bottom) = movie.Genres.Select(g => Palette.GetValueOrDefault(g)).FirstOrDefault(c => c.Top is not null);
        top ??= "#546e7a";
        bottom ??= "#1c262b";
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"""<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300" role="img" aria-label="{Escape(movie.ToString())}">""");
        sb.Append(inv, $"""<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient></defs>""");
        sb.Append("""<rect width="200" height="300" fill="url(#g)"/>""");
        int y = 120;
        foreach (var line in Wrap(movie.Title, 16).Take(5))
        {
            sb.Append(inv, $"""<text x="100" y="{y}" fill="#fff" font-family="sans-serif" font-size="20" font-weight="bold" text-anchor="middle">{Escape(line)}</text>""");
            y += 24;
        }
        if (movie.Year is int year)
            sb.Append(inv, $"""<text x="100" y="{y + 12}" fill="#fff" fill-opacity="0.8" font-family="sans-serif" font-size="16" text-anchor="middle">{year}</text>""");
        if (movie.Genres.Count > 0)
            sb.Append(inv, $"""<text x="100" y="280" fill="#fff" fill-opacity="0.7" font-family="sans-serif" font-size="12" text-anchor="middle">{Escape(string.Join(" · ", movie.Genres.Take(3)))}</text>""");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
