using System.Numerics.Tensors;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// "Describe a movie" search: every movie's text embedded once (kept in an <see cref="EmbeddingCache"/>), a query
/// embedded at request time, movies ranked by cosine similarity (a dot product of unit vectors) over one flat
/// row-major matrix. Also semantic similar-movies from the same vectors.
/// </summary>
public sealed class SemanticSearch
{
    private readonly float[] _matrix;
    private readonly float[] _extraMatrix;
    private readonly int[] _extraMovie;
    private readonly Dictionary<long, int> _rowOf = [];

    private SemanticSearch(SentenceEmbedder embedder, IReadOnlyList<Movie> movies, float[][] vectors, float[][] extraVectors, int[] extraMovie)
    {
        Embedder = embedder;
        Movies = movies;
        int d = embedder.Dimensions;
        _matrix = new float[movies.Count * d];
        for (int r = 0; r < movies.Count; r++)
        {
            vectors[r].CopyTo(_matrix.AsSpan(r * d, d));
            _rowOf[movies[r].Id] = r;
        }
        _extraMatrix = new float[extraVectors.Length * d];
        for (int e = 0; e < extraVectors.Length; e++) extraVectors[e].CopyTo(_extraMatrix.AsSpan(e * d, d));
        _extraMovie = extraMovie;
    }

    /// <summary>How many vectors beyond one per movie (<see cref="Build"/>'s extra texts).</summary>
    public int ExtraVectors => _extraMovie.Length;

    public SentenceEmbedder Embedder { get; }

    /// <summary>The movies, in the order of the rows (and of <see cref="Scores"/>).</summary>
    public IReadOnlyList<Movie> Movies { get; }

    /// <summary>
    /// The text a movie is embedded from: title, genres, overview, then keywords (or MovieLens tags), e.g.
    /// "Jaws. Action, Horror. An insatiable great white shark terrorizes ... shark, beach, ...".
    /// </summary>
    public static string MovieText(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        var genres = string.Join(", ", movie.Tmdb?.Genres is { Count: > 0 } g ? g : movie.Genres);
        var keywords = string.Join(", ", movie.Tmdb?.Keywords ?? (IReadOnlyList<string>)movie.Tags);
        return $"{movie.Title}. {genres}. {movie.Tmdb?.Overview} {keywords}".Trim();
    }

    /// <summary>
    /// Embeds the catalogue through the cache (only texts it lacks), reporting how many movies have a vector. With
    /// <paramref name="extraTexts"/>, each movie may have more vectors (e.g. its overview alone); a movie's score is then
    /// the best of its vectors' (max-sim over the movie's texts).
    /// </summary>
    public static SemanticSearch Build(IReadOnlyList<Movie> movies, SentenceEmbedder embedder, EmbeddingCache cache, IProgress<int>? progress = null, CancellationToken cancellation = default,
        Func<Movie, IEnumerable<string>>? extraTexts = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(cache);
        var texts = new string[movies.Count];
        for (int i = 0; i < texts.Length; i++) texts[i] = MovieText(movies[i]);
        var extras = new List<string>();
        var extraMovie = new List<int>();
        if (extraTexts is not null)
        {
            for (int i = 0; i < movies.Count; i++)
            {
                foreach (var text in extraTexts(movies[i]))
                {
                    if (string.IsNullOrWhiteSpace(text)) continue;
                    extras.Add(text);
                    extraMovie.Add(i);
                }
            }
        }
        var all = extras.Count == 0 ? texts : [.. texts, .. extras];
        // Progress is in movies: the extra texts are spread over the same total.
        var scaled = progress is null || extras.Count == 0 ? progress : new ScaledProgress(progress, movies.Count, all.Length);
        var vectors = cache.GetOrEmbed(all, embedder, scaled, cancellation);
        return new SemanticSearch(embedder, movies, vectors[..movies.Count], vectors[movies.Count..], [.. extraMovie]);
    }

    private sealed class ScaledProgress(IProgress<int> inner, int total, int texts) : IProgress<int>
    {
        public void Report(int value) => inner.Report((int)((long)value * total / texts));
    }

    public IReadOnlyList<(Movie Movie, float Similarity)> Search(string query, int n = 10)
    {
        var scores = new float[Movies.Count];
        Scores(Embedder.EmbedQuery(query ?? ""), scores);
        return Top(scores, n);
    }

    /// <summary>Cosine similarity of every movie (row order of <see cref="Movies"/>) to a unit query vector.</summary>
    public void Scores(ReadOnlySpan<float> query, Span<float> scores)
    {
        int d = Embedder.Dimensions;
        if (query.Length != d) throw new ArgumentException($"the query vector has {query.Length} dimensions, not {d}", nameof(query));
        if (scores.Length < Movies.Count) throw new ArgumentException("scores is shorter than the catalogue", nameof(scores));
        var matrix = _matrix.AsSpan();
        for (int r = 0; r < Movies.Count; r++) scores[r] = TensorPrimitives.Dot(query, matrix.Slice(r * d, d));
        var extra = _extraMatrix.AsSpan();
        for (int e = 0; e < _extraMovie.Length; e++) scores[_extraMovie[e]] = Math.Max(scores[_extraMovie[e]], TensorPrimitives.Dot(query, extra.Slice(e * d, d)));
    }

    /// <summary>The row of a movie, or -1.</summary>
    public int RowOf(long movieId) => _rowOf.TryGetValue(movieId, out int row) ? row : -1;

    /// <summary>A movie's unit vector (empty when the movie is not in the catalogue).</summary>
    public ReadOnlySpan<float> VectorOf(long movieId)
    {
        int row = RowOf(movieId);
        int d = Embedder.Dimensions;
        return row < 0 ? default : _matrix.AsSpan(row * d, d);
    }

    /// <summary>The movies whose main vectors (<see cref="MovieText"/>) are closest to this movie's (itself left out).</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n = 10)
    {
        int row = RowOf(movieId);
        if (row < 0) return [];
        var scores = new float[Movies.Count];
        var query = VectorOf(movieId);
        int d = Embedder.Dimensions;
        for (int r = 0; r < Movies.Count; r++) scores[r] = TensorPrimitives.Dot(query, _matrix.AsSpan(r * d, d));
        scores[row] = float.NaN;
        return Top(scores, n);
    }

    private List<(Movie, float)> Top(float[] scores, int n)
    {
        var top = TopN.Select(scores, n, TieBreak.ById);
        var result = new List<(Movie, float)>(top.Length);
        foreach (var s in top) result.Add((Movies[s.Item], s.Score));
        return result;
    }
}
