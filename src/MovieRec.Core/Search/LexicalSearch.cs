using System.Buffers;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// Full-text search over titles, overviews, tags and keywords, and people (cast, directors), ranked by BM25
/// (Robertson and Zaragoza 2009) over field-weighted term frequencies (a simple BM25F: title x3, people x2,
/// overview and tags x1), k1 = 1.2, b = 0.5 (<see cref="LexicalSearchOptions"/>). Terms are Lucene English stems, so "robots" finds "robot".
/// </summary>
public sealed class LexicalSearch
{
    private readonly Movie[] _movies;
    private readonly LexicalSearchOptions _options;
    private readonly Dictionary<string, (int[] Docs, float[] Tf)> _postings;
    private readonly float[] _lengths;
    private readonly float _meanLength;

    public LexicalSearch(IReadOnlyList<Movie> movies, LexicalSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        _options = options ?? LexicalSearchOptions.Default;
        _movies = [.. movies];
        _lengths = new float[_movies.Length];
        var perDoc = new Dictionary<string, float>[_movies.Length];
        Parallel.For(0, _movies.Length, d => perDoc[d] = Fields(_movies[d], _options.TitleWeight));
        var builder = new Dictionary<string, (List<int> Docs, List<float> Tf)>(StringComparer.Ordinal);
        for (int d = 0; d < _movies.Length; d++)
        {
            foreach (var (term, tf) in perDoc[d])
            {
                if (!builder.TryGetValue(term, out var list)) builder[term] = list = ([], []);
                list.Docs.Add(d);
                list.Tf.Add(tf);
                _lengths[d] += tf;
            }
        }
        _postings = builder.ToDictionary(p => p.Key, p => (p.Value.Docs.ToArray(), p.Value.Tf.ToArray()), StringComparer.Ordinal);
        _meanLength = _movies.Length == 0 ? 1 : Math.Max(1, _lengths.Average());
    }

    public LexicalSearchOptions Options => _options;

    private static Dictionary<string, float> Fields(Movie movie, float titleWeight)
    {
        var tf = new Dictionary<string, float>(StringComparer.Ordinal);
        void Add(string? text, float weight)
        {
            foreach (var term in TextAnalyzer.Shared.Terms(text)) tf[term] = tf.GetValueOrDefault(term) + weight;
        }
        Add(movie.Title, titleWeight);
        if (movie.Tmdb is { } t)
        {
            Add(t.Overview, 1);
            Add(t.Tagline, 1);
            Add(string.Join(' ', t.Keywords), 1);
            Add(string.Join(' ', t.Cast.Take(10)), 2);
            Add(string.Join(' ', t.Directors), 2);
        }
        Add(string.Join(' ', movie.Genres), 1);
        Add(string.Join(' ', movie.Tags), 1);
        return tf;
    }

    /// <summary>Movies ranked by BM25 for <paramref name="query"/>, best first; only those <paramref name="filter"/> accepts when given.</summary>
    public IReadOnlyList<(Movie Movie, float Score)> Search(string query, int n = 10, Func<Movie, bool>? filter = null)
    {
        var terms = TextAnalyzer.Shared.Terms(query);
        if (terms.Count == 0) return [];
        // A pooled buffer: a catalogue-sized array per query would be garbage at every search.
        var buffer = ArrayPool<float>.Shared.Rent(_movies.Length);
        var scores = buffer.AsSpan(0, _movies.Length);
        scores.Clear();
        int total = _movies.Length;
        float k1 = _options.K1, b = _options.B;
        foreach (var term in terms.Distinct())
        {
            if (!_postings.TryGetValue(term, out var posting)) continue;
            float idf = MathF.Log(1 + (total - posting.Docs.Length + 0.5f) / (posting.Docs.Length + 0.5f));
            for (int p = 0; p < posting.Docs.Length; p++)
            {
                int d = posting.Docs[p];
                float tf = posting.Tf[p];
                scores[d] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * _lengths[d] / _meanLength));
            }
        }
        for (int d = 0; d < scores.Length; d++)
        {
            if (scores[d] <= 0 || (filter is not null && !filter(_movies[d]))) scores[d] = float.NaN;
        }
        var top = TopN.Select(scores, n, TieBreak.ById);
        ArrayPool<float>.Shared.Return(buffer);
        var result = new (Movie, float)[top.Length];
        for (int i = 0; i < top.Length; i++) result[i] = (_movies[top[i].Item], top[i].Score);
        return result;
    }
}

/// <summary>BM25 settings (<see cref="LexicalSearch"/>).</summary>
public sealed record LexicalSearchOptions
{
    /// <summary>Term-frequency saturation.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>
    /// Length normalisation: 0 none, 1 full (a term in a short document weighs more). 0.5, not the usual 0.75: 64 % of
    /// ml-latest-small's movies are a title, genres and a few tags, and at 0.75 such a movie whose title has a query word
    /// outranked movies about the query's topic (docs/search.md, "Topic queries").
    /// </summary>
    public float B { get; init; } = 0.5f;

    /// <summary>How many times a title's terms count (BM25F field weight; overviews, keywords and tags count once).</summary>
    public float TitleWeight { get; init; } = 3;

    public static LexicalSearchOptions Default { get; } = new();
}
