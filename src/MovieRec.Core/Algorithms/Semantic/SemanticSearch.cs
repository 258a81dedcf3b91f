using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// "Describe a movie" search: every movie's text embedded once (kept in an <see cref="EmbeddingCache"/>), a query
/// embedded at request time, movies ranked by cosine similarity (a dot product of unit vectors) over one flat
/// row-major matrix. Also semantic similar-movies from the same vectors.
/// </summary>
/// <remarks>
/// The catalogue's vectors are held in int8 with one scale per vector (the largest component maps to ±127): a quarter
/// of the float32 matrix (3.7 instead of 15 MB for ml-latest-small's 9,742 × 384; the service holds its 4,355
/// described movies' only, 1.7 MB), and a similarity within about 0.003 of the float32 one. The query stays float32.
/// The cache on disk keeps float32 vectors.
/// </remarks>
public sealed class SemanticSearch
{
    // The embedded movies' vectors only: vector k is the movie in row _movieRow[k]; _vectorOf[row] is k, or -1 for a
    // movie without a vector (the catalogue rows stay those of Movies, as Scores gives them).
    private readonly Int8Rows _matrix;
    private readonly int[] _movieRow;
    private readonly int[] _vectorOf;
    private readonly Int8Rows _extraMatrix;
    private readonly int[] _extraMovie;
    private readonly Dictionary<long, int> _rowOf = [];

    private SemanticSearch(SentenceEmbedder embedder, IReadOnlyList<Movie> movies, float[][] vectors, int[] movieRow, float[][] extraVectors, int[] extraMovie)
    {
        Embedder = embedder;
        Movies = movies;
        int d = embedder.Dimensions;
        _matrix = new Int8Rows(vectors, d);
        _movieRow = movieRow;
        _vectorOf = new int[movies.Count];
        Array.Fill(_vectorOf, -1);
        for (int k = 0; k < movieRow.Length; k++) _vectorOf[movieRow[k]] = k;
        for (int r = 0; r < movies.Count; r++) _rowOf[movies[r].Id] = r;
        _extraMatrix = new Int8Rows(extraVectors, d);
        _extraMovie = extraMovie;
    }

    /// <summary>How many movies have a vector (all of <see cref="Movies"/> unless <see cref="Build"/> was given a filter).</summary>
    public int EmbeddedCount => _movieRow.Length;

    /// <summary>Whether the movie in row <paramref name="row"/> has a vector (it is scored NaN otherwise).</summary>
    public bool IsEmbedded(int row) => _vectorOf[row] >= 0;

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
    /// the best of its vectors' (max-sim over the movie's texts). With <paramref name="embed"/>, only the movies it
    /// accepts are embedded; the others have no vector: <see cref="Scores"/> gives them NaN and <see cref="Similar"/>
    /// never returns them (the service embeds only described movies, <see cref="Movie.IsDescribed"/>: a movie's title
    /// and genres alone embed as a title match, which the title and word searches already give). <paramref name="text"/>
    /// replaces <see cref="MovieText"/> (the bench compares texts).
    /// </summary>
    public static SemanticSearch Build(IReadOnlyList<Movie> movies, SentenceEmbedder embedder, EmbeddingCache cache, IProgress<int>? progress = null, CancellationToken cancellation = default,
        Func<Movie, IEnumerable<string>>? extraTexts = null, Func<Movie, bool>? embed = null, Func<Movie, string>? text = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(cache);
        var rows = new List<int>(movies.Count);
        for (int i = 0; i < movies.Count; i++)
        {
            if (embed is null || embed(movies[i])) rows.Add(i);
        }
        var texts = new string[rows.Count];
        text ??= MovieText;
        for (int k = 0; k < texts.Length; k++) texts[k] = text(movies[rows[k]]);
        var extras = new List<string>();
        var extraMovie = new List<int>();
        if (extraTexts is not null)
        {
            foreach (int i in rows)
            {
                foreach (var extra in extraTexts(movies[i]))
                {
                    if (string.IsNullOrWhiteSpace(extra)) continue;
                    extras.Add(extra);
                    extraMovie.Add(i);
                }
            }
        }
        var all = extras.Count == 0 ? texts : [.. texts, .. extras];
        // Progress is in movies: the extra texts are spread over the same total.
        var scaled = progress is null || extras.Count == 0 ? progress : new ScaledProgress(progress, texts.Length, all.Length);
        var vectors = cache.GetOrEmbed(all, embedder, scaled, cancellation);
        return new SemanticSearch(embedder, movies, vectors[..texts.Length], [.. rows], vectors[texts.Length..], [.. extraMovie]);
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
        if (_movieRow.Length < Movies.Count) scores[..Movies.Count].Fill(float.NaN);
        for (int k = 0; k < _movieRow.Length; k++) scores[_movieRow[k]] = _matrix.Dot(k, query);
        // An extra text's movie is an embedded one (its score is a number).
        for (int e = 0; e < _extraMovie.Length; e++) scores[_extraMovie[e]] = Math.Max(scores[_extraMovie[e]], _extraMatrix.Dot(e, query));
    }

    /// <summary>The row of a movie, or -1.</summary>
    public int RowOf(long movieId) => _rowOf.TryGetValue(movieId, out int row) ? row : -1;

    /// <summary>A movie's vector as held (int8 widened back to float: close to, not exactly, a unit vector); empty when the movie is not in the catalogue or has no vector.</summary>
    public float[] VectorOf(long movieId)
    {
        int row = RowOf(movieId);
        if (row < 0 || _vectorOf[row] < 0) return [];
        var vector = new float[Embedder.Dimensions];
        _matrix.Widen(_vectorOf[row], vector);
        return vector;
    }

    /// <summary>
    /// The movies whose main vectors (<see cref="MovieText"/>) are closest to this movie's (itself left out); empty for
    /// a movie with no vector.
    /// </summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n = 10)
    {
        int row = RowOf(movieId);
        if (row < 0 || _vectorOf[row] < 0) return [];
        var scores = new float[Movies.Count];
        Array.Fill(scores, float.NaN);
        var query = VectorOf(movieId);
        for (int k = 0; k < _movieRow.Length; k++) scores[_movieRow[k]] = _matrix.Dot(k, query);
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

/// <summary>
/// Vectors of one length as int8 rows with a float scale each: component i of row r is <c>scale[r] × q[r, i]</c>, the
/// scale chosen so the row's largest magnitude maps to 127 (rounded to nearest). Dot products with a float32 vector
/// widen the bytes 32 at a time.
/// </summary>
internal sealed class Int8Rows
{
    private readonly sbyte[] _values;
    private readonly float[] _scales;
    private readonly int _d;

    public Int8Rows(float[][] vectors, int d)
    {
        _d = d;
        _values = new sbyte[(long)vectors.Length * d];
        _scales = new float[vectors.Length];
        for (int r = 0; r < vectors.Length; r++)
        {
            var v = vectors[r].AsSpan(0, d);
            float max = v.IsEmpty ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(v));
            if (max == 0 || !float.IsFinite(max)) continue; // a zero row stays zero (scale 0)
            float inverse = 127f / max;
            var row = _values.AsSpan(r * d, d);
            for (int i = 0; i < d; i++) row[i] = (sbyte)Math.Clamp(MathF.Round(v[i] * inverse), -127f, 127f);
            _scales[r] = max / 127f;
        }
    }

    public int Count => _scales.Length;

    /// <summary>Row <paramref name="r"/> widened to float into <paramref name="destination"/>.</summary>
    public void Widen(int r, Span<float> destination)
    {
        var row = _values.AsSpan(r * _d, _d);
        float scale = _scales[r];
        for (int i = 0; i < _d; i++) destination[i] = row[i] * scale;
    }

    /// <summary>Row <paramref name="r"/> · <paramref name="x"/> (x of the row length).</summary>
    public float Dot(int r, ReadOnlySpan<float> x)
    {
        var row = _values.AsSpan(r * _d, _d);
        float sum = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && _d >= 32)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            ref sbyte bytes = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
            ref float floats = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
            for (; i <= _d - 32; i += 32)
            {
                var b = Vector256.LoadUnsafe(ref bytes, (nuint)i);
                var (lo, hi) = Vector256.Widen(b);
                var (w0, w1) = Vector256.Widen(lo);
                var (w2, w3) = Vector256.Widen(hi);
                acc0 += Vector256.ConvertToSingle(w0) * Vector256.LoadUnsafe(ref floats, (nuint)i);
                acc1 += Vector256.ConvertToSingle(w1) * Vector256.LoadUnsafe(ref floats, (nuint)(i + 8));
                acc0 += Vector256.ConvertToSingle(w2) * Vector256.LoadUnsafe(ref floats, (nuint)(i + 16));
                acc1 += Vector256.ConvertToSingle(w3) * Vector256.LoadUnsafe(ref floats, (nuint)(i + 24));
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < _d; i++) sum += row[i] * x[i];
        return sum * _scales[r];
    }
}
