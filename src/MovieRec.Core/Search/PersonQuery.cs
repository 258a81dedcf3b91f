using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// The people a query names: "tom hanks movies", "movies with Tom Hanks and Meg Ryan", "directed by Steven Spielberg".
/// Searched as words only, "movies with tom hanks and meg ryan" began with Saving Private Ryan (a title word) and "tom
/// hanks movies" with The Simpsons Movie; <see cref="HybridSearch"/> searches the rest of the query among the movies
/// with those people (all of them when some movie has all of them, else any).
/// </summary>
/// <param name="Names">The people, as the catalogue spells them.</param>
/// <param name="Words">The query without the names and the words around them ("movies with", "starring", "directed by").</param>
/// <param name="Surname">The surname that alone named the person ("kubrick" in "kubrick movies"; <see cref="PersonIndex.Parse"/>), or null.</param>
/// <param name="KindWords">The query without the names, keeping "movies" and "films": what it asks of the movies' kind
/// ("family movies" of "robin williams family movies", where <paramref name="Words"/> is "family", which alone is no
/// kind).</param>
public sealed record PeopleAsked(IReadOnlyList<string> Names, string Words, string? Surname = null, string? KindWords = null);

/// <summary>
/// Full names (two words or more) of the catalogue's directors and first-billed actors, each with the movies they are
/// in, matched in a query as whole consecutive words (case and accents ignored).
/// </summary>
public sealed class PersonIndex
{
    /// <summary>Actors billed this high or higher count (the leads and main supporting cast, as a person names them).</summary>
    public const int CastDepth = 8;

    private const int LongestName = 4;

    // The fillers that belong to a kind ("family movies"), kept in KindWords.
    private static readonly HashSet<string> KindFillers = new(StringComparer.Ordinal) { "movies", "movie", "films", "film", "flicks" };

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "with", "starring", "star", "stars", "featuring", "directed", "direct", "director", "by", "and", "movies", "movie", "films", "film", "flicks", "in", "from", "of",
    };

    // Names that are also everyday phrases or a single common word twice are not matched as people.
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal) { "the", "a", "an", "of", "and" };

    // Normalised name -> the name as spelt and the ids of its movies (arrays: tens of thousands of people, most in one movie).
    private readonly Dictionary<string, (string Name, long[] Movies)> _byName;

    public PersonIndex(IReadOnlyList<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var building = new Dictionary<string, (string Name, List<long> Movies)>(StringComparer.Ordinal);
        void Add(string name, long movieId)
        {
            string key = MovieCatalog.NormalizeTitle(name);
            var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words.Length > LongestName || words.Any(NotNames.Contains)) return;
            if (!building.TryGetValue(key, out var entry)) building[key] = entry = (name, []);
            if (!entry.Movies.Contains(movieId)) entry.Movies.Add(movieId);
        }
        foreach (var movie in movies)
        {
            if (movie.Tmdb is not { } tmdb) continue;
            foreach (var director in tmdb.Directors) Add(director, movie.Id);
            for (int k = 0; k < tmdb.Cast.Count && k < CastDepth; k++) Add(tmdb.Cast[k], movie.Id);
        }
        _byName = building.ToDictionary(e => e.Key, e => (e.Value.Name, e.Value.Movies.ToArray()), StringComparer.Ordinal);
        // Surnames that name one person: the one of that surname in the most movies, in at least SurnameMovies and in
        // SurnameDominance times as many as the next ("kubrick", "hanks": Tom, not Colin; not "scott": Ridley and Tony).
        var bySurname = new Dictionary<string, (string Key, int First, int Second)>(StringComparer.Ordinal);
        foreach (var (key, (_, ids)) in _byName)
        {
            string surname = key[(key.LastIndexOf(' ') + 1)..];
            int count = ids.Length;
            if (!bySurname.TryGetValue(surname, out var seen)) bySurname[surname] = (key, count, 0);
            else if (count > seen.First || (count == seen.First && string.CompareOrdinal(key, seen.Key) < 0)) bySurname[surname] = (key, count, seen.First);
            else bySurname[surname] = (seen.Key, seen.First, Math.Max(seen.Second, count));
        }
        _bySurname = bySurname.Where(e => e.Key.Length >= 3 && e.Value.First >= SurnameMovies && e.Value.First >= SurnameDominance * e.Value.Second)
            .ToDictionary(e => e.Key, e => e.Value.Key, StringComparer.Ordinal);
    }

    /// <summary>A surname alone names a person who is in at least this many of the catalogue's movies ...</summary>
    public const int SurnameMovies = 3;

    /// <summary>... and in this many times as many as anyone else of that surname.</summary>
    public const int SurnameDominance = 3;

    // Surname -> the normalised full name it stands for.
    private readonly Dictionary<string, string> _bySurname;

    /// <summary>Names indexed.</summary>
    public int Count => _byName.Count;

    /// <summary>How many of the catalogue's movies <paramref name="name"/> (as <see cref="PeopleAsked.Names"/> spells it) is in; 0 for no one indexed.</summary>
    public int MovieCount(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(MovieCatalog.NormalizeTitle(name), out var entry) ? entry.Movies.Length : 0;
    }

    /// <summary>The people <paramref name="query"/> names and what is left of it, or null when it names nobody.</summary>
    public PeopleAsked? Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = MovieCatalog.NormalizeTitle(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var names = new List<string>();
        var rest = new List<string>();
        for (int i = 0; i < words.Length;)
        {
            int matched = 0;
            for (int n = Math.Min(LongestName, words.Length - i); n >= 2 && matched == 0; n--)
            {
                if (_byName.TryGetValue(string.Join(' ', words, i, n), out var entry))
                {
                    if (!names.Contains(entry.Name)) names.Add(entry.Name);
                    matched = n;
                }
            }
            if (matched > 0)
            {
                i += matched;
                continue;
            }
            rest.Add(words[i]);
            i++;
        }
        if (names.Count == 0) return BySurname(rest);
        return new PeopleAsked(names, string.Join(' ', rest.Where(w => !Fillers.Contains(w))), KindWords: string.Join(' ', rest.Where(w => !Fillers.Contains(w) || KindFillers.Contains(w))));
    }

    /// <summary>
    /// A query that is one surname and filler words ("kubrick", "kubrick movies", "films by scorsese", "directed by
    /// nolan"): the person it names. Searched as words, "kubrick movies" began with titles holding "Movie" (Disaster
    /// Movie, The Lego Batman Movie) and "nolan" had Bruce Almighty third. Longer queries keep their surnames as words
    /// (BM25 indexes cast and directors).
    /// </summary>
    private PeopleAsked? BySurname(List<string> words)
    {
        string? surname = null;
        foreach (var w in words)
        {
            if (Fillers.Contains(w)) continue;
            if (surname is not null) return null;
            surname = w;
        }
        return surname is not null && _bySurname.TryGetValue(surname, out var key) ? new PeopleAsked([_byName[key].Name], "", surname) : null;
    }

    /// <summary>
    /// Which movies answer for <paramref name="asked"/>: those with any of the people, and among them, first, those
    /// with all of them ("Tom Hanks and Meg Ryan": You've Got Mail, then the others of either).
    /// </summary>
    public (Func<Movie, bool> Any, Func<Movie, bool> All) Filter(PeopleAsked asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var sets = asked.Names.Select(n => _byName[MovieCatalog.NormalizeTitle(n)].Movies).ToList();
        var all = new HashSet<long>(sets[0]);
        foreach (var set in sets.Skip(1)) all.IntersectWith(set);
        var any = new HashSet<long>(sets.SelectMany(s => s));
        return (movie => any.Contains(movie.Id), movie => all.Contains(movie.Id));
    }
}
