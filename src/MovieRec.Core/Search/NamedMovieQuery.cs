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
        return Name(query) is { } name ? Best(titles, name) : null;
    }

    /// <summary>
    /// The movies a "movies like ..." query names: the one its whole name matches ("movies like Beauty and the Beast"),
    /// else, when the name joins several with "and", "or", "&amp;" or commas ("movies like Alien and Die Hard"), each
    /// of them if every part is a good title match (at most <see cref="MaxNamed"/>); otherwise none.
    /// </summary>
    public static IReadOnlyList<Movie> ResolveAll(TitleSearch titles, string query)
    {
        ArgumentNullException.ThrowIfNull(titles);
        if (Name(query) is not { } name) return [];
        if (Best(titles, name) is { } whole) return [whole];
        var parts = Joiners().Split(name).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        if (parts.Length < 2 || parts.Length > MaxNamed) return [];
        var movies = new List<Movie>(parts.Length);
        foreach (var part in parts)
        {
            if (Best(titles, part) is not { } movie) return [];
            if (!movies.Contains(movie)) movies.Add(movie);
        }
        return movies;
    }

    /// <summary>
    /// The movies a query names and the release years it asks for: "movies like Die Hard from the 90s" names Die Hard
    /// and asks for the 1990s (<see cref="EraQuery"/>); without years, as <see cref="ResolveAll"/>.
    /// </summary>
    public static (IReadOnlyList<Movie> Movies, Era? Era) ResolveWithEra(TitleSearch titles, string query)
    {
        ArgumentNullException.ThrowIfNull(titles);
        ArgumentNullException.ThrowIfNull(query);
        if (EraQuery.Parse(query, keepMovieWords: true) is { } asked && ResolveAll(titles, WithoutTrailingBut(asked.Words)) is { Count: > 0 } inEra) return (inEra, asked.Era);
        return (ResolveAll(titles, query), null);
    }

    /// <summary>
    /// The movies a query names, the release years and the genres it asks for: "movies like the matrix but funnier"
    /// names The Matrix and asks for comedies, "something like toy story but scarier from the 80s" Toy Story, horror
    /// and the 1980s. The genres are those <see cref="GenreWords"/> finds after "but"; a "but" clause without any
    /// ("movies like heat but longer") is left in the name, which then resolves to nothing (a description).
    /// </summary>
    public static NamedMovieRequest ResolveRequest(TitleSearch titles, string query)
    {
        ArgumentNullException.ThrowIfNull(titles);
        ArgumentNullException.ThrowIfNull(query);
        var but = ButClause().Match(query);
        if (but.Success && GenreWords.Of(but.Groups["but"].Value) is { Count: > 0 } genres)
        {
            var (movies, era) = ResolveWithEra(titles, query[..but.Index]);
            if (era is null && EraQuery.Parse(but.Groups["but"].Value, keepMovieWords: true) is { } inClause) era = inClause.Era;
            return new NamedMovieRequest(movies, era, genres);
        }
        var (plain, plainEra) = ResolveWithEra(titles, query);
        return new NamedMovieRequest(plain, plainEra, []);
    }

    /// <summary>
    /// The more-like-this lists in <paramref name="genres"/>: with none asked, <paramref name="similar"/>; otherwise
    /// <paramref name="similarAmong"/> (similarity over the whole catalogue to the movies a filter takes, e.g.
    /// <see cref="Algorithms.Content.ContentSimilarity.SimilarAmong"/>: a movie's kept neighbours seldom hold ten of
    /// another genre) over the movies of every genre asked.
    /// </summary>
    public static Func<long, int, IReadOnlyList<(Movie Movie, float Similarity)>> InGenres(Func<long, int, IReadOnlyList<(Movie Movie, float Similarity)>> similar,
        Func<long, int, Func<Movie, bool>, IReadOnlyList<(Movie Movie, float Similarity)>> similarAmong, IReadOnlyList<string> genres)
    {
        ArgumentNullException.ThrowIfNull(similar);
        ArgumentNullException.ThrowIfNull(similarAmong);
        ArgumentNullException.ThrowIfNull(genres);
        if (genres.Count == 0) return similar;
        return (id, n) => similarAmong(id, n, movie => GenreWords.Share(movie, genres) == 1);
    }

    private static string WithoutTrailingBut(string words) => TrailingBut().Replace(words, "");

    /// <summary>The more-like-this lists restricted to <paramref name="era"/>: each list read 400 deep, then filtered.</summary>
    public static Func<long, int, IReadOnlyList<(Movie Movie, float Similarity)>> InEra(Func<long, int, IReadOnlyList<(Movie Movie, float Similarity)>> similar, Era? era)
    {
        ArgumentNullException.ThrowIfNull(similar);
        if (era is null) return similar;
        return (id, n) => [.. similar(id, Math.Max(n, 400)).Where(s => era.Contains(s.Movie)).Take(n)];
    }

    /// <summary>At most this many movies in one "movies like A, B and C".</summary>
    public const int MaxNamed = 4;

    private static Movie? Best(TitleSearch titles, string name)
    {
        var best = titles.Search(name, 1);
        return best.Count == 1 && best[0].Score >= MinScore ? best[0].Movie : null;
    }

    /// <summary>
    /// Neighbours of several movies at once: each one's more-like-this list (<paramref name="similar"/>, its first
    /// <paramref name="depth"/>) fused by reciprocal rank (k = 10), so a movie close to all of them comes before one
    /// close to only one; the named movies themselves are left out. One movie: its own list.
    /// </summary>
    public static IReadOnlyList<(Movie Movie, float Score)> Neighbours(IReadOnlyList<Movie> named, Func<long, int, IReadOnlyList<(Movie Movie, float Similarity)>> similar, int n, int depth = 50)
    {
        ArgumentNullException.ThrowIfNull(named);
        ArgumentNullException.ThrowIfNull(similar);
        if (named.Count == 1) return [.. similar(named[0].Id, n).Select(s => (s.Movie, s.Similarity))];
        var scores = new Dictionary<long, (Movie Movie, float Score, int Order)>();
        foreach (var movie in named)
        {
            var list = similar(movie.Id, depth);
            for (int rank = 0; rank < list.Count; rank++)
            {
                var m = list[rank].Movie;
                if (named.Any(x => x.Id == m.Id)) continue;
                float add = 1f / (10 + rank + 1);
                scores[m.Id] = scores.TryGetValue(m.Id, out var s) ? (m, s.Score + add, s.Order) : (m, add, scores.Count);
            }
        }
        return [.. scores.Values.OrderByDescending(v => v.Score).ThenBy(v => v.Order).Take(n).Select(v => (v.Movie, v.Score))];
    }

    /// <summary>What the answer says about its list: "Movies like Ocean's Eleven (2001): what they share with it ...".</summary>
    public static string Note(Movie named)
    {
        ArgumentNullException.ThrowIfNull(named);
        return $"Movies like {named}: what they share with it (director, lead actors, keywords, genres).";
    }

    /// <summary>The note for one or several named movies: "Movies like Alien (1979) and Die Hard (1988): ... with them ...".</summary>
    public static string Note(IReadOnlyList<Movie> named)
    {
        ArgumentNullException.ThrowIfNull(named);
        if (named.Count == 1) return Note(named[0]);
        return $"Movies like {Names(named)}: what they share with them (director, lead actors, keywords, genres), closest to all of them first.";
    }

    /// <summary>
    /// The note when genres were asked for too: "Comedy movies like The Matrix (1999): what they share with it ...";
    /// without genres, as <see cref="Note(IReadOnlyList{Movie})"/>.
    /// </summary>
    public static string Note(IReadOnlyList<Movie> named, IReadOnlyList<string> genres)
    {
        ArgumentNullException.ThrowIfNull(named);
        ArgumentNullException.ThrowIfNull(genres);
        var note = Note(named);
        if (genres.Count == 0) return note;
        string kind = Kinds(genres);
        return char.ToUpperInvariant(kind[0]) + kind[1..] + " movies like" + note["Movies like".Length..];
    }

    /// <summary>How genres read before "movies": "comedy", "animated and children's", "sci-fi".</summary>
    public static string Kinds(IReadOnlyList<string> genres)
    {
        ArgumentNullException.ThrowIfNull(genres);
        return EnglishList.Join([.. genres.Select(GenreAdjective)]);
    }

    private static string GenreAdjective(string genre) => genre switch
    {
        "Animation" => "animated",
        "Children" => "children's",
        _ => genre.ToLowerInvariant(),
    };

    /// <summary>"Alien (1979)", "Alien (1979) and Die Hard (1988)", "A, B and C".</summary>
    public static string Names(IReadOnlyList<Movie> named)
    {
        ArgumentNullException.ThrowIfNull(named);
        return EnglishList.Join([.. named.Select(m => m.ToString())]);
    }

    // No match timeout: a query is short (the service takes at most 500 characters) and the pattern anchored (a lazy
    // name before an optional "?"), so a match is at worst quadratic in its length; a wall-clock timeout could fail a
    // search on a loaded machine.
    [GeneratedRegex(
        @"^(?:(?:please\s+)?(?:show\s+me|find\s+me|find|recommend|suggest|give\s+me|i\s+want|i'd\s+like)\s+)?(?:(?:some|more|other|any)\s+)?(?:movies?|films?|something|anything)\s+(?:like|similar\s+to)\s+(?<title>.+?)[\s?.!]*$|^(?:more\s+like|similar\s+to)\s+(?<title>.+?)[\s?.!]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LikeRequest();

    // "... but funnier", "..., but for kids": the clause after the last "but". No match timeout, as above: anchored at
    // the end, at worst quadratic in a query's 500 characters.
    [GeneratedRegex(@"[\s,]+but\s+(?<but>(?:(?!\bbut\b).)+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ButClause();

    [GeneratedRegex(@"[\s,]+but\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingBut();

    [GeneratedRegex(@"\s*(?:,\s*(?:and|or)\s+|,|\s+and\s+|\s+or\s+|\s*&\s*|\s*\+\s*)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Joiners();
}

/// <summary>
/// A request for named movies' neighbours: the movies, the release years asked for (null: any) and the genres asked
/// for ("but funnier": Comedy; empty: any).
/// </summary>
public sealed record NamedMovieRequest(IReadOnlyList<Movie> Movies, Era? Era, IReadOnlyList<string> Genres);
