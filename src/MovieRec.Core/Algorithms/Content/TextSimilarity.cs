using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Options of <see cref="TextSimilarity"/>.</summary>
public sealed record TextSimilarityOptions
{
    /// <summary>Movies with fewer TMDB votes (or, without TMDB, fewer ratings) are left out. Default 20.</summary>
    public int MinimumVotes { get; init; } = 20;

    /// <summary>Neighbours kept per movie. Default 50.</summary>
    public int Neighbours { get; init; } = 50;

    /// <summary>Credits (cast in billing order) included. Default 5.</summary>
    public int Credits { get; init; } = 5;

    public int Threads { get; init; }
}

/// <summary>
/// The fourth seed's text similarity: per movie a "tags" text of overview, genres, keywords, the first five credits
/// (names with spaces removed) and the original language; analysed by <see cref="TextAnalyzer"/> (stop words,
/// Porter stems), weighted by TF-IDF and compared by cosine, kept as top-k neighbours.
/// </summary>
public sealed class TextSimilarity
{
    private readonly MovieNeighbours _neighbours;

    private TextSimilarity(IReadOnlyList<Movie> movies, SparseVectors vectors, SimilarityIndex index)
    {
        Movies = movies;
        Vectors = vectors;
        Index = index;
        _neighbours = new MovieNeighbours(movies, index);
    }

    /// <summary>The movies indexed (those with enough votes), in row order.</summary>
    public IReadOnlyList<Movie> Movies { get; }

    public SparseVectors Vectors { get; }

    public SimilarityIndex Index { get; }

    /// <param name="dataset">The catalog, and the ratings that stand in for votes where TMDB has none.</param>
    /// <param name="options">Defaults when null.</param>
    public static TextSimilarity Build(Dataset dataset, TextSimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new TextSimilarityOptions();
        OptionChecks.NonNegative(options.MinimumVotes, nameof(options.MinimumVotes));
        var ratingCounts = new Dictionary<long, int>();
        var byItem = dataset.Ratings.ByItem;
        for (int i = 0; i < dataset.Ratings.ItemCount; i++)
        {
            if (dataset.MovieOf(i) is { } m) ratingCounts[m.Id] = byItem.RowLength(i);
        }
        var movies = dataset.Catalog.Movies
            .Where(m => (m.Tmdb?.VoteCount ?? ratingCounts.GetValueOrDefault(m.Id)) >= options.MinimumVotes)
            .ToList();
        var documents = new IReadOnlyList<string>[movies.Count];
        var analyzer = TextAnalyzer.Shared;
        Parallel.For(0, movies.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads > 0 ? options.Threads : Environment.ProcessorCount },
            r => documents[r] = analyzer.Terms(TagsText(movies[r], options.Credits)));
        var vectors = SparseVectors.Build(documents, SparseVectors.Weighting.TfIdf);
        var index = SimilarityIndex.Build(vectors, options.Neighbours, options.Threads);
        return new TextSimilarity(movies, vectors, index);
    }

    /// <summary>The text a movie is compared by.</summary>
    public static string TagsText(Movie movie, int credits = 5)
    {
        var parts = new List<string>();
        if (movie.Tmdb is { } t)
        {
            if (t.Overview is not null) parts.Add(t.Overview);
            parts.AddRange((t.Genres.Count > 0 ? t.Genres : movie.Genres).Select(MovieSoup.Normalize));
            parts.AddRange(t.Keywords.Select(MovieSoup.Normalize));
            parts.AddRange(t.Cast.Take(credits).Select(MovieSoup.Normalize));
            if (t.OriginalLanguage is not null) parts.Add(t.OriginalLanguage);
        }
        else
        {
            parts.AddRange(movie.Genres.Select(MovieSoup.Normalize));
            parts.AddRange(movie.Tags);
        }
        return string.Join(' ', parts);
    }

    public bool Contains(long movieId) => _neighbours.Contains(movieId);

    /// <summary>The movies most similar to <paramref name="movieId"/>, best first; empty when it is not indexed.</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n = 10) => _neighbours.Similar(movieId, n);
}
