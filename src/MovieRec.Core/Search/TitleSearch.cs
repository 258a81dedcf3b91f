using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// Title look-up as people type: accent- and case-insensitive, exact, prefix, word-prefix and fuzzy matches (edit
/// distance within 1 for short words, 2 for long ones), ties broken by popularity (among titles that begin with the
/// query, popularity decides). Also "did you mean" suggestions for a misspelled title.
/// </summary>
public sealed class TitleSearch
{
    private readonly Movie[] _movies;
    private readonly string[] _titles;
    private readonly string[][] _words;
    private readonly float[] _popularity;

    // The title words: a sorted vocabulary with the movies that use each word, so a query looks at the words it
    // can match (exact, prefix range, fuzzy within a length band) instead of every title.
    private readonly string[] _vocabulary;
    private readonly int[][] _postings;
    private readonly int[][] _vocabularyByLength; // vocabulary indices by word length: fuzzy matching scans one band
    private readonly ulong[] _letters; // per vocabulary word, a bit per letter it contains: a cheap filter before edit distance

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
        var postings = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < _words.Length; i++)
        {
            foreach (var word in _words[i])
            {
                if (!postings.TryGetValue(word, out var list)) postings[word] = list = [];
                if (list.Count == 0 || list[^1] != i) list.Add(i);
            }
        }
        _vocabulary = [.. postings.Keys];
        _postings = [.. postings.Values.Select(l => l.ToArray())];
        _letters = Array.ConvertAll(_vocabulary, Letters);
        int longest = _vocabulary.Length == 0 ? 0 : _vocabulary.Max(w => w.Length);
        _vocabularyByLength = [.. Enumerable.Range(0, longest + 1).Select(len => Enumerable.Range(0, _vocabulary.Length).Where(v => _vocabulary[v].Length == len).ToArray())];
    }

    /// <summary>Movies whose title matches <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<(Movie Movie, float Score)> Search(string query, int n = 10, Func<Movie, bool>? filter = null)
    {
        var q = MovieCatalog.NormalizeTitle(query ?? "");
        if (q.Length == 0) return [];
        var queryWords = q.Split(' ');
        // Per movie: the sum over query words of the best word match, and how many query words matched.
        // Scratch per movie, rented: a query touches only the movies its words match.
        var sum = System.Buffers.ArrayPool<float>.Shared.Rent(_movies.Length);
        var matched = System.Buffers.ArrayPool<int>.Shared.Rent(_movies.Length);
        var best = System.Buffers.ArrayPool<float>.Shared.Rent(_movies.Length);
        var hits = new List<(int Index, float Score)>();
        try
        {
            Array.Clear(sum, 0, _movies.Length);
            Array.Clear(matched, 0, _movies.Length);
            Array.Clear(best, 0, _movies.Length);
            var touched = new List<int>();
            for (int w = 0; w < queryWords.Length; w++)
            {
                touched.Clear();
                MatchWord(queryWords[w], w == queryWords.Length - 1, best, touched);
                int candidates = 0;
                foreach (int i in touched)
                {
                    if (best[i] <= 0) continue;
                    sum[i] += best[i];
                    if (++matched[i] == w + 1) candidates++;
                    best[i] = 0;
                }
                // A hit matches every query word: once no title has matched all so far, none can (a description
                // of twenty words would otherwise look up every word, fuzzily).
                if (candidates == 0)
                {
                    touched.Clear();
                    break;
                }
            }
            // A movie matching every word was touched by the last word.
            foreach (int i in touched)
            {
                if (matched[i] != queryWords.Length) continue;
                float score = Score(q, queryWords.Length, sum[i], i);
                if (filter is not null && !filter(_movies[i])) continue;
                hits.Add((i, score + MathF.Log(1 + _popularity[i]) * 0.01f));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(sum);
            System.Buffers.ArrayPool<int>.Shared.Return(matched);
            System.Buffers.ArrayPool<float>.Shared.Return(best);
        }
        hits.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : _titles[a.Index].Length.CompareTo(_titles[b.Index].Length));
        return [.. hits.Take(n).Select(h => (_movies[h.Index], h.Score))];
    }

    /// <summary>
    /// Marks in <paramref name="best"/> each movie's best match of one query word: 10 for an equal title word, 7 for a
    /// title word it begins (the last query word, still being typed), 4 within edit distance 1 (2 from 8 letters).
    /// </summary>
    private void MatchWord(string qw, bool last, float[] best, List<int> touched)
    {
        void Mark(int word, float score)
        {
            foreach (int i in _postings[word])
            {
                if (best[i] == 0) touched.Add(i);
                if (score > best[i]) best[i] = score;
            }
        }
        int exact = Array.BinarySearch(_vocabulary, qw, StringComparer.Ordinal);
        if (exact >= 0) Mark(exact, 10);
        if (last)
        {
            int from = exact >= 0 ? exact + 1 : ~exact;
            for (int v = from; v < _vocabulary.Length && _vocabulary[v].StartsWith(qw, StringComparison.Ordinal); v++) Mark(v, 7);
        }
        if (qw.Length >= 4)
        {
            int max = qw.Length >= 8 ? 2 : 1;
            ulong letters = Letters(qw);
            for (int len = Math.Max(0, qw.Length - max); len <= Math.Min(_vocabularyByLength.Length - 1, qw.Length + max); len++)
            {
                foreach (int v in _vocabularyByLength[len])
                {
                    // One edit changes at most two letters of the word's letter set (a substitution); most words
                    // differ in more and are skipped without the dynamic programme.
                    if (v != exact && System.Numerics.BitOperations.PopCount(letters ^ _letters[v]) <= 2 * max
                        && EditDistance(qw, _vocabulary[v], max) <= max) Mark(v, 4);
                }
            }
        }
    }

    /// <summary>The least score of a title that begins with the query (100: the whole title; 50 and up: its first whole words).</summary>
    public const float BeginningScore = 30;

    /// <summary>The score of a title that is the whole query.</summary>
    public const float WholeTitleScore = 100;

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

    private static ulong Letters(string word)
    {
        ulong bits = 0;
        foreach (char c in word) bits |= 1UL << (c & 63);
        return bits;
    }

    private float Score(string q, int queryWords, float wordScores, int i)
    {
        var title = _titles[i];
        if (title == q) return WholeTitleScore;
        if (title.StartsWith(q, StringComparison.Ordinal))
        {
            // The title begins with the query: most popular first among titles that begin with its words ("star":
            // Star Wars, Star Trek), then titles whose first word merely begins with it ("Starman", "Stargate"), with
            // a little weight on how much of the title the query covers.
            bool wholeWords = title.Length == q.Length || title[q.Length] == ' ';
            return (wholeWords ? 50 : BeginningScore) + 2f * q.Length / title.Length + MathF.Log(1 + _popularity[i]);
        }
        int words = _words[i].Length;
        return wordScores / queryWords * (0.5f + 0.5f * queryWords / Math.Max(queryWords, words));
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment) distance, giving up past <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        // Three rows of the DP table; on the stack for the short strings titles have.
        int width = b.Length + 1;
        Span<int> rows = width <= 256 ? stackalloc int[3 * width] : new int[3 * width];
        var prev2 = rows[..width];
        var prev = rows.Slice(width, width);
        var cur = rows.Slice(2 * width, width);
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
            var recycled = prev2;
            prev2 = prev;
            prev = cur;
            cur = recycled;
        }
        return prev[b.Length];
    }
}
