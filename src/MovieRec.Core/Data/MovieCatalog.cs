using System.Globalization;
using System.Text;

namespace MovieRec.Core.Data;

/// <summary>Every movie of a dataset by its raw id, with title look-up.</summary>
public sealed class MovieCatalog
{
    private readonly List<Movie> _movies = [];
    private readonly Dictionary<long, Movie> _byId = [];
    private Dictionary<string, List<Movie>>? _byNormalizedTitle;

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
        return true;
    }

    /// <summary>
    /// Movies whose title matches exactly after normalisation (case, accents, punctuation, leading
    /// article), most recent first; both display and raw titles count.
    /// </summary>
    public IReadOnlyList<Movie> FindByTitle(string title)
    {
        _byNormalizedTitle ??= BuildTitleIndex();
        var key = NormalizeTitle(title);
        if (_byNormalizedTitle.TryGetValue(key, out var list)) return list;
        var (display, year) = MovieTitle.Parse(title);
        if (year is int y && _byNormalizedTitle.TryGetValue(NormalizeTitle(display), out var withYear))
            return [.. withYear.Where(m => m.Year == y)];
        return [];
    }

    private Dictionary<string, List<Movie>> BuildTitleIndex()
    {
        var index = new Dictionary<string, List<Movie>>(StringComparer.Ordinal);
        foreach (var m in _movies)
        {
            Add(index, NormalizeTitle(m.Title), m);
            if (m.Tmdb is { } t)
                Add(index, NormalizeTitle(t.Title), m);
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

    /// <summary>Lower case, accents stripped, punctuation dropped, spaces collapsed.</summary>
    public static string NormalizeTitle(string title)
    {
        var decomposed = title.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        bool space = false;
        foreach (char c in decomposed)
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(c);
            if (cat == UnicodeCategory.NonSpacingMark) continue;
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
