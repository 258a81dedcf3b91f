using System.Globalization;
using System.Text;

namespace MovieRec.Core.Data;

/// <summary>Every movie of a dataset by its raw id, with title look-up.</summary>
public sealed class MovieCatalog
{
    private readonly List<Movie> _movies = [];
    private readonly Dictionary<long, Movie> _byId = [];
    private Dictionary<string, List<Movie>>? _byNormalizedTitle;
    private Dictionary<string, List<Movie>>? _byTitleWithoutArticle;

    public IReadOnlyList<Movie> Movies => _movies;

    public int Count => _movies.Count;

    /// <summary>Movies that carry TMDB metadata.</summary>
    public int WithTmdbCount => _movies.Count(m => m.Tmdb is not null);

    public Movie? this[long id] => _byId.GetValueOrDefault(id);

    public bool TryGet(long id, out Movie movie) => _byId.TryGetValue(id, out movie!);

    /// <summary>Adds a movie; an id seen before is an error the caller reports with its line.</summary>
    public bool TryAdd(Movie movie)
    {
        if (!_byId.TryAdd(movie.Id, movie)) return false;
        _movies.Add(movie);
        _byNormalizedTitle = null;
        _byTitleWithoutArticle = null;
        return true;
    }

    /// <summary>
    /// Movies whose title matches exactly after normalisation (case, accents, punctuation; a leading "The", "A" or
    /// "An" is ignored when the title does not match with it), most recent first; the display and TMDB titles count.
    /// A "(year)" at the end picks among movies of the same title.
    /// </summary>
    public IReadOnlyList<Movie> FindByTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        _byNormalizedTitle ??= BuildTitleIndex(NormalizeTitle);
        _byTitleWithoutArticle ??= BuildTitleIndex(t => WithoutArticle(NormalizeTitle(t)));
        if (Lookup(NormalizeTitle(title), WithoutArticle(NormalizeTitle(title))) is { } list) return list;
        var (display, year) = MovieTitle.Parse(title);
        if (year is int y && Lookup(NormalizeTitle(display), WithoutArticle(NormalizeTitle(display))) is { } withYear)
            return [.. withYear.Where(m => m.Year == y)];
        return [];

        List<Movie>? Lookup(string key, string bare) =>
            _byNormalizedTitle.TryGetValue(key, out var exact) ? exact
            : _byTitleWithoutArticle.TryGetValue(bare, out var loose) ? loose : null;
    }

    /// <summary>
    /// The movies someone typing <paramref name="query"/> may mean: the <see cref="FindByTitle"/> matches when there are
    /// any (<c>Exact</c>), else every movie whose normalised title holds the query's normalised words in a row
    /// ("knight rises" finds "The Dark Knight Rises"); empty when nothing matches.
    /// </summary>
    public (IReadOnlyList<Movie> Movies, bool Exact) MatchTitle(string query)
    {
        var exact = FindByTitle(query);
        if (exact.Count > 0) return (exact, true);
        var words = WithoutArticle(NormalizeTitle(query));
        if (words.Length == 0) return ([], false);
        var needle = " " + words + " ";
        var found = new List<Movie>();
        foreach (var m in _movies)
        {
            if ((" " + NormalizeTitle(m.Title) + " ").Contains(needle, StringComparison.Ordinal)
                || (m.Tmdb is { } t && (" " + NormalizeTitle(t.Title) + " ").Contains(needle, StringComparison.Ordinal)))
                found.Add(m);
        }
        return (found, false);
    }

    /// <summary>A normalised title without a leading English article ("the dark knight" to "dark knight").</summary>
    internal static string WithoutArticle(string normalized)
    {
        foreach (var article in (ReadOnlySpan<string>)["the ", "a ", "an "])
        {
            if (normalized.Length > article.Length && normalized.StartsWith(article, StringComparison.Ordinal))
                return normalized[article.Length..];
        }
        return normalized;
    }

    private Dictionary<string, List<Movie>> BuildTitleIndex(Func<string, string> key)
    {
        var index = new Dictionary<string, List<Movie>>(StringComparer.Ordinal);
        foreach (var m in _movies)
        {
            Add(index, key(m.Title), m);
            if (m.Tmdb is { } t)
                Add(index, key(t.Title), m);
        }
        foreach (var list in index.Values)
            list.Sort((a, b) => (b.Year ?? 0).CompareTo(a.Year ?? 0));
        return index;

        static void Add(Dictionary<string, List<Movie>> index, string key, Movie m)
        {
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            if (!list.Contains(m)) list.Add(m);
        }
    }

    /// <summary>
    /// Lower case, accents stripped, punctuation dropped, spaces collapsed. Accents go through
    /// <see cref="Algorithms.Semantic.AccentStripper"/>: under InvariantGlobalization <c>string.Normalize</c> leaves "é"
    /// whole, so "leon" matched Léon only as a typo (twelfth, after Leonard Part 6 and Aeon Flux).
    /// </summary>
    public static string NormalizeTitle(string title)
    {
        var decomposed = Algorithms.Semantic.AccentStripper.Strip(title);
        var sb = new StringBuilder(decomposed.Length);
        bool space = false;
        foreach (char c in decomposed)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return sb.ToString();
    }
}
