using System.Globalization;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// The first seed's "soup" of a movie's content features: top-3 cast, the director three times (3x priority),
/// genres and keywords, each name lower-cased with spaces removed so that "Johnny Depp" never matches
/// "Johnny Cash". Movies without TMDB metadata use MovieLens genres, user tags and the decade.
/// </summary>
public static class MovieSoup
{
    public const int CastCount = 3;
    public const int DirectorWeight = 3;

    public static List<string> Tokens(Movie movie)
    {
        var tokens = new List<string>();
        if (movie.Tmdb is { } t)
        {
            foreach (var name in t.Cast.Take(CastCount)) Add(tokens, name);
            foreach (var director in t.Directors.Take(1))
            {
                for (int r = 0; r < DirectorWeight; r++) Add(tokens, director);
            }
            foreach (var keyword in t.Keywords) Add(tokens, keyword);
            foreach (var genre in t.Genres.Count > 0 ? t.Genres : movie.Genres) Add(tokens, genre);
        }
        else
        {
            foreach (var genre in movie.Genres) Add(tokens, genre);
            foreach (var tag in movie.Tags) Add(tokens, tag);
            if (movie.Year is int y) tokens.Add(string.Create(CultureInfo.InvariantCulture, $"decade{y / 10 * 10}s"));
        }
        return tokens;
    }

    /// <summary>"Johnny Depp" to "johnnydepp": lower case, letters and digits only.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        int n = 0;
        bool unchanged = true;
        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                unchanged = false;
                continue;
            }
            char lower = char.ToLowerInvariant(c);
            unchanged &= lower == c;
            buffer[n++] = lower;
        }
        return unchanged ? name : new string(buffer[..n]);
    }

    private static void Add(List<string> tokens, string name)
    {
        var token = Normalize(name);
        if (token.Length > 0) tokens.Add(token);
    }
}
