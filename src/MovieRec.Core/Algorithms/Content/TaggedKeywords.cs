using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// The keywords of a movie: its TMDB keywords, then the MovieLens tags people gave it where they are words TMDB uses as
/// keywords somewhere in the catalogue, in TMDB's spelling ("Heist" is "heist"; "zombies" is "zombie" when only that is
/// a keyword), each once. Left out: verdicts and bookkeeping (<see cref="UninformativeKeywords.Opinions"/>: "in netflix
/// queue", on 131 movies, one person's list), moods TMDB has no keyword for ("atmospheric"), a genre's name, and the
/// movie's own director or lead actors (other blocks and links say those). TMDB puts "heist" on two of five heist films
/// a person may love, people's tags on three more. One rule for the content vectors and themes
/// (<see cref="ContentTaste"/>) and for what "both tagged" may say (<see cref="Hybrid.Explainer"/>).
/// </summary>
public sealed class TaggedKeywords
{
    private readonly Dictionary<string, string> _spelling = new(StringComparer.Ordinal); // normalised -> TMDB's keyword
    private readonly HashSet<string> _genres = new(StringComparer.Ordinal);

    public TaggedKeywords(IEnumerable<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        foreach (var movie in movies)
        {
            foreach (var keyword in movie.Tmdb?.Keywords ?? []) _spelling.TryAdd(MovieSoup.Normalize(keyword), keyword.ToLowerInvariant());
            foreach (var genre in movie.Genres) _genres.Add(MovieSoup.Normalize(genre));
            foreach (var genre in movie.Tmdb?.Genres ?? []) _genres.Add(MovieSoup.Normalize(genre));
        }
    }

    /// <summary>The movie's keywords as TMDB spells them: its own, then its tags' (see the class).</summary>
    public List<string> Of(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        var keywords = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in movie.Tmdb?.Keywords ?? [])
        {
            if (seen.Add(MovieSoup.Normalize(keyword))) keywords.Add(keyword);
        }
        foreach (var tag in movie.Tags)
        {
            if (UninformativeKeywords.Opinions.Contains(tag)) continue;
            string token = MovieSoup.Normalize(tag);
            if (token.Length == 0 || _genres.Contains(token) || Names(movie, token)) continue;
            if (Spelt(token) is { } keyword && seen.Add(MovieSoup.Normalize(keyword))) keywords.Add(keyword);
        }
        return keywords;
    }

    /// <summary>TMDB's keyword for a normalised tag: the same, or its singular ("zombies", "witches"); null when TMDB has neither.</summary>
    private string? Spelt(string token)
    {
        if (_spelling.TryGetValue(token, out var keyword)) return keyword;
        if (token.Length >= 4 && token[^1] == 's' && _spelling.TryGetValue(token[..^1], out keyword)) return keyword;
        return token.Length >= 5 && token.EndsWith("es", StringComparison.Ordinal) && _spelling.TryGetValue(token[..^2], out keyword) ? keyword : null;
    }

    /// <summary>Whether the tag names the movie's director or one of its lead actors.</summary>
    private static bool Names(Movie movie, string token)
    {
        if (movie.Tmdb is not { } tmdb) return false;
        foreach (var name in tmdb.Directors.Concat(tmdb.Cast.Take(MovieSoup.CastCount)))
        {
            if (MovieSoup.Normalize(name) == token) return true;
        }
        return false;
    }
}
