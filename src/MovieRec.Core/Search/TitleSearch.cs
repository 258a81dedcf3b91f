using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// Title look-up as people type: accent- and case-insensitive, exact, prefix, word-prefix and fuzzy matches (edit
/// distance within 1 for short words, 2 for long ones), ties broken by popularity. Also "did you mean" suggestions
/// for a misspelled title.
/// </summary>
public sealed class TitleSearch
{
    private readonly Movie[] _movies;
    private readonly string[] _titles;
    private readonly string[][] _words;
    private readonly float[] _popularity;

    /// <param name="movies">The catalog's movies.</param>
    /// <param name="popularity">A popularity per movie id (e.g. rating count); used to break ties.</param>
    public TitleSearch(IReadOnlyList<Movie> movies, Func<long, float>? popularity = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        _movies = [.. movies];
        _titles = new string[_movies.Length];
        _words = new string[_movies.Length][];
        _popularity = new float[_movies.Length];
        for (int i = 0; i < _movies.Length; i++)
        {
            _titles[i] = MovieCatalog.NormalizeTitle(_movies[i].Title);
            _words[i] = _titles[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _popularity[i] = popularity?.Invoke(_movies[i].Id) ?? 0;
        }
    }

    /// <summary>Movies whose title matches <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<(Movie Movie, float Score)> Search(string query, int n = 10, Func<Movie, bool>? filter = null)
    {
        var q = MovieCatalog.NormalizeTitle(query ?? "");
        if (q.Length == 0) return [];
        var queryWords = q.Split(' ');
        var hits = new List<(int Index, float Score)>();
        for (int i = 0; i < _movies.Length; i++)
        {
            float score = Match(q, queryWords, i);
            if (score <= 0 || (filter is not null && !filter(_movies[i]))) continue;
            hits.Add((i, score + MathF.Log(1 + _popularity[i]) * 0.01f));
        }
        hits.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : _titles[a.Index].Length.CompareTo(_titles[b.Index].Length));
        return [.. hits.Take(n).Select(h => (_movies[h.Index], h.Score))];
    }

    /// <summary>Titles closest to a misspelled query by edit distance, for "did you mean".</summary>
    public IReadOnlyList<Movie> Suggest(string query, int n = 5)
    {
        var q = MovieCatalog.NormalizeTitle(query ?? "");
        if (q.Length == 0) return [];
        int budget = Math.Max(2, q.Length / 3);
        var scored = new List<(int Index, int Distance)>();
        for (int i = 0; i < _titles.Length; i++)
        {
            var t = _titles[i];
            if (Math.Abs(t.Length - q.Length) > budget) continue;
            int d = EditDistance(q, t, budget);
            if (d <= budget) scored.Add((i, d));
        }
        return [.. scored.OrderBy(s => s.Distance).ThenByDescending(s => _popularity[s.Index]).Take(n).Select(s => _movies[s.Index])];
    }

    private float Match(string q, string[] queryWords, int i)
    {
        var title = _titles[i];
        if (title == q) return 100;
        if (title.StartsWith(q, StringComparison.Ordinal)) return 50 + 10f * q.Length / title.Length;
        // Every query word must match a title word: exactly, as a prefix (the last word, still being typed) or fuzzily.
        float score = 0;
        var words = _words[i];
        for (int w = 0; w < queryWords.Length; w++)
        {
            var qw = queryWords[w];
            bool last = w == queryWords.Length - 1;
            float best = 0;
            foreach (var tw in words)
            {
                if (tw == qw) best = Math.Max(best, 10);
                else if (last && tw.StartsWith(qw, StringComparison.Ordinal)) best = Math.Max(best, 7);
                else if (qw.Length >= 4 && EditDistance(qw, tw, qw.Length >= 8 ? 2 : 1) <= (qw.Length >= 8 ? 2 : 1)) best = Math.Max(best, 4);
            }
            if (best == 0) return 0;
            score += best;
        }
        return score / queryWords.Length * (0.5f + 0.5f * queryWords.Length / Math.Max(queryWords.Length, words.Length));
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment) distance, giving up past <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        var prev2 = new int[b.Length + 1];
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > max) return max + 1;
            (prev2, prev, cur) = (prev, cur, prev2);
        }
        return prev[b.Length];
    }
}
