using System.Numerics.Tensors;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// "Describe a movie" search: every movie's text embedded once (cached on disk), a query embedded at request time,
/// movies ranked by cosine similarity (a dot product of unit vectors). Also semantic similar-movies.
/// </summary>
public sealed class SemanticSearch
{
    private readonly float[] _matrix;
    private readonly Dictionary<long, int> _rowOf = [];

    private SemanticSearch(SentenceEmbedder embedder, IReadOnlyList<Movie> movies, float[][] vectors)
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
    }

    public SentenceEmbedder Embedder { get; }

    public IReadOnlyList<Movie> Movies { get; }

    /// <summary>The text a movie is embedded from: title, genres, overview, keywords (or tags).</summary>
    public static string MovieText(Movie movie)
    {
        var genres = string.Join(", ", movie.Tmdb?.Genres is { Count: > 0 } g ? g : movie.Genres);
        var keywords = string.Join(", ", movie.Tmdb?.Keywords ?? (IReadOnlyList<string>)movie.Tags);
        return $"{movie.Title}. {genres}. {movie.Tmdb?.Overview} {keywords}".Trim();
    }

    /// <summary>Embeds the catalog through the cache, reporting progress as movies are embedded.</summary>
    public static SemanticSearch Build(IReadOnlyList<Movie> movies, SentenceEmbedder embedder, EmbeddingCache cache, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(cache);
        var texts = movies.Select(MovieText).ToList();
        var vectors = cache.GetOrEmbed(texts, embedder, progress);
        return new SemanticSearch(embedder, movies, vectors);
    }

    public IReadOnlyList<(Movie Movie, float Similarity)> Search(string query, int n = 10) =>
        Rank(Embedder.Embed(query), n, exclude: -1);

    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n = 10)
    {
        if (!_rowOf.TryGetValue(movieId, out int row)) return [];
        int d = Embedder.Dimensions;
        return Rank(_matrix.AsSpan(row * d, d).ToArray(), n, row);
    }

    private List<(Movie, float)> Rank(float[] query, int n, int exclude)
    {
        int d = Embedder.Dimensions;
        var scores = new float[Movies.Count];
        for (int r = 0; r < scores.Length; r++)
            scores[r] = r == exclude ? float.NaN : TensorPrimitives.Dot(query, _matrix.AsSpan(r * d, d));
        return [.. TopN.Select(scores, n, TieBreak.ById).Select(s => (Movies[s.Item], s.Score))];
    }
}
