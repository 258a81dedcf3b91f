using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>A production company as a query names it ("pixar", "disney"), with every TMDB company that name covers.</summary>
/// <param name="Name">The name as the companies spell it: "Pixar", "Disney", "Studio Ghibli".</param>
/// <param name="Companies">The TMDB companies ("Walt Disney Pictures", "Walt Disney Animation Studios", ...).</param>
public sealed record Studio(string Name, IReadOnlySet<string> Companies)
{
    /// <summary>Whether one of <see cref="Companies"/> produced <paramref name="movie"/>.</summary>
    public bool Made(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        if (movie.Tmdb is not { } tmdb) return false;
        foreach (var company in tmdb.Companies)
        {
            if (Companies.Contains(company)) return true;
        }
        return false;
    }
}

/// <summary>
/// The production companies of the catalogue by the names a query gives them: the whole name ("walt disney pictures"),
/// the name without words such as Pictures, Studios, Animation, Films ("walt disney", "new line"), and each remaining
/// word of four letters or more that few overviews use, against the movies of the companies with it ("disney": 10
/// overviews, about 150 movies; "pixar", "dreamworks": none; not "line" of New Line Cinema, 28 overviews, nor "legendary"
/// of Legendary Pictures, 43: words that describe movies). Only companies of at least
/// <see cref="MinMovies"/> movies are named. Used by <see cref="HybridSearch"/> for "pixar movies", "disney animated
/// movies".
/// </summary>
public sealed class StudioIndex
{
    /// <summary>The fewest catalogue movies a company needs to be found by name.</summary>
    public const int MinMovies = 3;

    /// <summary>A word of a company's name used alone must be in fewer overviews than this, or than its companies' movies / <see cref="WordShare"/>.</summary>
    private const int MaxOverviews = 5;

    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "pictures", "picture", "studios", "studio", "animation", "animated", "films", "film", "productions", "production", "entertainment",
        "company", "corporation", "corp", "inc", "ltd", "llc", "co", "the", "group", "international", "media", "distribution", "cinema",
        "features", "feature", "motion", "releasing", "home", "video", "television", "tv", "and", "of", "s",
    };

    private readonly Dictionary<string, List<string>> _companiesByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _moviesOf = new(StringComparer.Ordinal);

    public StudioIndex(IReadOnlyList<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var overviewWords = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var movie in movies)
        {
            if (movie.Tmdb is not { } tmdb) continue;
            foreach (var company in tmdb.Companies) _moviesOf[company] = _moviesOf.GetValueOrDefault(company) + 1;
            if (tmdb.Overview is { } overview)
            {
                foreach (var word in Words(overview).Distinct()) overviewWords[word] = overviewWords.GetValueOrDefault(word) + 1;
            }
        }
        // A word alone names every company with it ("disney": Walt Disney Pictures, Walt Disney Animation Studios, ...),
        // when few overviews use it against those companies' movies.
        var wordMovies = new Dictionary<string, int>(StringComparer.Ordinal);
        var wordCompanies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (company, count) in _moviesOf)
        {
            if (count < MinMovies) continue;
            var words = Words(company);
            var core = words.Where(w => !Generic.Contains(w)).ToList();
            Add(string.Join(' ', words), company);
            if (core.Count > 1) Add(string.Join(' ', core), company);
            foreach (var word in core.Distinct())
            {
                if (word.Length < 4) continue;
                wordMovies[word] = wordMovies.GetValueOrDefault(word) + count;
                if (!wordCompanies.TryGetValue(word, out var list)) wordCompanies[word] = list = [];
                list.Add(company);
            }
        }
        foreach (var (word, companies) in wordCompanies)
        {
            if (overviewWords.GetValueOrDefault(word) >= Math.Max(MaxOverviews, wordMovies[word] / WordShare)) continue;
            foreach (var company in companies) Add(word, company);
        }
        // Only the named companies' counts are read again (Find); the rest would stay resident for nothing.
        foreach (var company in _moviesOf.Keys.ToList())
        {
            if (_moviesOf[company] < MinMovies) _moviesOf.Remove(company);
        }
    }

    /// <summary>A word alone must be in fewer overviews than its companies' movies over this (and than <see cref="MaxOverviews"/>).</summary>
    private const int WordShare = 8;

    private void Add(string key, string company)
    {
        if (key.Length == 0) return;
        if (!_companiesByKey.TryGetValue(key, out var list)) _companiesByKey[key] = list = [];
        if (!list.Contains(company)) list.Add(company);
    }

    /// <summary>The studio <paramref name="words"/> name ("pixar", "walt disney", "studio ghibli"), or null.</summary>
    public Studio? Find(string words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var key = string.Join(' ', Words(words));
        if (!_companiesByKey.TryGetValue(key, out var companies)) return null;
        // The name as the company with the most movies spells the words: "disney" -> "Disney" (Walt Disney Pictures).
        var main = companies.MaxBy(c => _moviesOf[c])!;
        return new Studio(Spelling(main, key) ?? main, companies.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The words of <paramref name="company"/> that read <paramref name="key"/>, in the company's spelling.</summary>
    private static string? Spelling(string company, string key)
    {
        var original = company.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var keyWords = key.Split(' ');
        for (int start = 0; start + keyWords.Length <= original.Length; start++)
        {
            bool same = true;
            for (int k = 0; k < keyWords.Length && same; k++) same = string.Join(' ', Words(original[start + k])) == keyWords[k];
            if (same) return string.Join(' ', original, start, keyWords.Length);
        }
        return null;
    }

    private static List<string> Words(string text) => QueryWords.Of(text);
}
