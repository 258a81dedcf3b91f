using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Options of <see cref="ContentSimilarity"/>.</summary>
public sealed record ContentSimilarityOptions
{
    /// <summary>Neighbours kept per movie. Default 50.</summary>
    public int Neighbours { get; init; } = 50;

    /// <summary>Count vectors (the first seed's CountVectorizer) or TF-IDF. Default count.</summary>
    public SparseVectors.Weighting Weighting { get; init; } = SparseVectors.Weighting.Count;

    /// <summary>0 = every core.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// "More like this" from content: cosine similarity of <see cref="MovieSoup"/> count (or TF-IDF) vectors, kept as the
/// top-k neighbours of every movie of a catalog.
/// </summary>
public sealed class ContentSimilarity
{
    private readonly MovieNeighbours _neighbours;

    private ContentSimilarity(IReadOnlyList<Movie> movies, SparseVectors vectors, SimilarityIndex index)
    {
        Movies = movies;
        Vectors = vectors;
        Index = index;
        _neighbours = new MovieNeighbours(movies, index);
    }

    public IReadOnlyList<Movie> Movies { get; }
    public SparseVectors Vectors { get; }
    public SimilarityIndex Index { get; }

    public static ContentSimilarity Build(IReadOnlyList<Movie> movies, ContentSimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        options ??= new ContentSimilarityOptions();
        var vectors = Vectorize(movies, options.Weighting);
        var index = SimilarityIndex.Build(vectors, options.Neighbours, options.Threads);
        return new ContentSimilarity(movies, vectors, index);
    }

    /// <summary>The unit-length content vectors of <paramref name="movies"/> (cast, director x3, genres, keywords), without the neighbour index.</summary>
    public static SparseVectors Vectorize(IReadOnlyList<Movie> movies, SparseVectors.Weighting weighting = SparseVectors.Weighting.Count)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var documents = new List<IReadOnlyList<string>>(movies.Count);
        foreach (var m in movies) documents.Add(MovieSoup.Tokens(m));
        return SparseVectors.Build(documents, weighting);
    }

    /// <summary>The movies most similar to <paramref name="movieId"/>, best first; empty for an unknown id.</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n) => _neighbours.Similar(movieId, n);

    /// <summary>Similar movies re-ranked by a blend of similarity and weighted rating (see <see cref="MovieNeighbours"/>).</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n, WeightedRating quality, double weight) =>
        _neighbours.Similar(movieId, n, quality, weight);
}
