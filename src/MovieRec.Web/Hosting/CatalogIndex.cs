using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Onboarding;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;
using MovieRec.Core.Diagnostics;
using MovieRec.Core.Search;

namespace MovieRec.Web.Hosting;

/// <summary>Rating statistics of one movie in the dataset: count, mean and a histogram over the scale's half stars.</summary>
public sealed record MovieRatingStats(int Count, double Mean, IReadOnlyList<int> Histogram);

/// <summary>
/// Everything derived from the dataset's catalogue that does not change between model versions: title and lexical
/// search, content and text similarity, movie clusters, the onboarding set, rating statistics. Built once at start;
/// the costlier parts lazily (and warmed in the background), so the service answers within a second of starting.
/// </summary>
public sealed class CatalogIndex : IDisposable
{
    private readonly Lazy<ContentSimilarity> _content;
    private readonly Lazy<TextSimilarity> _text;
    private readonly Lazy<LexicalSearch> _lexical;
    private readonly Lazy<MovieClusters> _clusters;
    private readonly Lazy<WeightedRating> _weighted;
    private readonly Lazy<CoLikedMovies> _coLiked;
    private readonly Lazy<IReadOnlyList<OnboardingMovie>> _onboarding;
    private readonly Lazy<HybridSearch> _search;
    private readonly string? _embeddingModel;
    private int _semanticStarted;
    private readonly MovieRatingStats[] _stats;
    private readonly Lazy<Dictionary<long, int>> _storedKeys;

    public const int MaxOnboarding = 100;

    /// <param name="dataset">The dataset.</param>
    /// <param name="generation">Counts the catalogues a service has built (1 without metadata, 2 with it): part of cache keys.</param>
    /// <param name="embeddingModel">
    /// The sentence-transformer folder for semantic search; null: MOVIEREC_EMBEDDING_MODEL, else the bundled
    /// all-MiniLM-L6-v2; "off": lexical search only.
    /// </param>
    /// <param name="embeddingCache">The embedding cache folder; null: {cache}/movierec/embeddings.</param>
    public CatalogIndex(Dataset dataset, int generation = 1, string? embeddingModel = null, string? embeddingCache = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset = dataset;
        Generation = generation;
        var ratings = dataset.Ratings;
        _stats = ComputeStats(ratings);
        // Rating counts by catalogue key: the raw id of numeric datasets, the dense item id of string ones.
        var counts = new Dictionary<long, float>(ratings.ItemCount);
        for (int i = 0; i < ratings.ItemCount; i++) counts[ratings.ItemIds.IsNumeric ? ratings.ItemIds.ToRawNumeric(i) : i] = _stats[i].Count;
        _storedKeys = new(() => StoredMovieIds.ItemsByStoredId(ratings.ItemIds));
        Titles = new TitleSearch(dataset.Catalog.Movies, id => counts.GetValueOrDefault(id));
        Genres = [.. dataset.Catalog.Movies.SelectMany(m => m.Genres).Where(g => g != "(no genres listed)").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
        _content = new(() => ContentSimilarity.Build(dataset.Catalog.Movies, ratingCount: id => counts.GetValueOrDefault(id)));
        _text = new(() => TextSimilarity.Build(dataset));
        _lexical = new(() => new LexicalSearch(dataset.Catalog.Movies));
        _weighted = new(() => WeightedRating.Compute(dataset));
        _clusters = new(() => MovieClusters.Build(dataset));
        _onboarding = new(() => OnboardingSet.Select(dataset, _clusters.Value, MaxOnboarding));
        _coLiked = new(() => new CoLikedMovies(ratings));
        _embeddingModel = embeddingModel ?? Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable);
        EmbeddingCacheFolder = string.IsNullOrWhiteSpace(embeddingCache) ? Path.Combine(DataLocator.CacheDirectory, "embeddings") : embeddingCache;
        _search = new(() =>
        {
            var search = new HybridSearch(dataset.Catalog.Movies, Lexical, Titles, id => counts.GetValueOrDefault(id));
            search.DisableSemantic(IsOff(_embeddingModel)
                ? "semantic search is turned off (MovieRec:EmbeddingModel is 'off')"
                : "semantic search starts once the movie metadata has loaded");
            return search;
        });
    }

    private static bool IsOff(string? model) => string.Equals(model, "off", StringComparison.OrdinalIgnoreCase);

    public Dataset Dataset { get; }

    public int Generation { get; }

    public MovieCatalog Catalog => Dataset.Catalog;

    public TitleSearch Titles { get; }

    public IReadOnlyList<string> Genres { get; }

    public ContentSimilarity Content => _content.Value;

    public TextSimilarity Text => _text.Value;

    public LexicalSearch Lexical => _lexical.Value;

    public WeightedRating Weighted => _weighted.Value;

    public MovieClusters Clusters => _clusters.Value;

    public IReadOnlyList<OnboardingMovie> Onboarding => _onboarding.Value;

    /// <summary>
    /// Search by words, titles and descriptions: BM25, sentence embeddings and title matches fused, optionally
    /// re-ranked by a user's taste (<see cref="HybridSearch.Search"/>). Lexical until the embeddings are ready
    /// (<see cref="StartSemantic"/>), and its results say so.
    /// </summary>
    public HybridSearch Search => _search.Value;

    /// <summary>Sentence-embedding search once the catalogue's vectors are ready; null before (see <see cref="SemanticDisabledReason"/>).</summary>
    public SemanticSearch? Semantic => Search.Semantic;

    /// <summary>Why <see cref="Semantic"/> is null (turned off, starting with its progress, or failed); null when it is ready.</summary>
    public string? SemanticDisabledReason => Search.Status switch
    {
        { State: SemanticState.Ready } => null,
        { State: SemanticState.Building } s => $"semantic search is starting: {s.Embedded:N0} of {s.Total:N0} movies embedded",
        var s => s.Message,
    };

    /// <summary>
    /// Starts embedding the catalogue in the background (once; only what the embedding cache lacks, so a restart or
    /// a second replica loads the vectors in a second). Called for the catalogue with its metadata.
    /// </summary>
    public void StartSemantic()
    {
        if (IsOff(_embeddingModel) || Interlocked.Exchange(ref _semanticStarted, 1) == 1) return;
        var folder = string.IsNullOrWhiteSpace(_embeddingModel) ? null : _embeddingModel;
        // Embedding the catalogue (or reading its cache) leaves large buffers behind: give them back once it is ready.
        _ = Search.StartSemantic(() => SentenceEmbedder.Load(folder, EmbedderOptions.FromEnvironment()), EmbeddingCacheFolder)
            .ContinueWith(_ => HeapCompaction.Schedule(TimeSpan.FromSeconds(1)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>What this catalogue's parts hold (the lazy ones only once built), charged in this order (see <see cref="MemoryFootprint"/>).</summary>
    public IEnumerable<(string Part, long Bytes)> Footprint(MemoryFootprint walk)
    {
        ArgumentNullException.ThrowIfNull(walk);
        yield return ("dataset ratings", walk.Measure(Dataset.Ratings));
        yield return ("title search index", walk.Measure(Titles));
        yield return ("per-movie rating statistics", walk.Measure(_stats));
        foreach (var (part, lazy) in new (string, Func<object?>)[]
        {
            ("content similarity (movie pages)", () => _content.IsValueCreated ? _content.Value : null),
            ("overview text similarity", () => _text.IsValueCreated ? _text.Value : null),
            ("BM25 lexical search", () => _lexical.IsValueCreated ? _lexical.Value : null),
            ("semantic search (catalogue vectors; the ONNX model is native)", () => _search.IsValueCreated ? _search.Value : null),
            ("movie clusters", () => _clusters.IsValueCreated ? _clusters.Value : null),
            ("weighted rating", () => _weighted.IsValueCreated ? _weighted.Value : null),
            ("co-liked movies (movie pages)", () => _coLiked.IsValueCreated ? _coLiked.Value : null),
            ("onboarding list", () => _onboarding.IsValueCreated ? _onboarding.Value : null),
        })
        {
            yield return (part, walk.Measure(lazy()));
        }
        yield return ("other catalogue indexes", walk.Measure(this));
    }

    /// <summary>Where the catalogue's embeddings are kept (MovieRec:EmbeddingCache).</summary>
    public string EmbeddingCacheFolder { get; }

    /// <summary>The dense item index of a movie (by catalogue key) in the rating data, or -1 when nobody rated it.</summary>
    public int ItemOf(long movieId) => ItemOf(Dataset.Ratings.ItemIds, movieId);

    /// <summary>The dense item of a catalogue key in <paramref name="items"/> (the dataset's, or a model's that shares them), or -1.</summary>
    public static int ItemOf(IdMap items, long movieId)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.IsNumeric) return items.ToDense(movieId);
        // A catalogue of string ids is keyed by dense item id.
        return movieId >= 0 && movieId < items.Count ? (int)movieId : -1;
    }

    /// <summary>Whether the dataset's movie ids are numbers (MovieLens) rather than strings.</summary>
    public bool NumericIds => Dataset.Ratings.ItemIds.IsNumeric;

    /// <summary>
    /// The catalogue key (<see cref="Movie.Id"/>) a client's id names, or null when it cannot name one: the number for
    /// numeric datasets (given as a number or as digits), the dense item id of the string for datasets of string ids.
    /// </summary>
    public long? KeyOf(Api.MovieId id)
    {
        if (NumericIds) return id.TryNumber(out long n) ? n : null;
        int item = Dataset.Ratings.ItemIds.ToDense(id.Value);
        return item >= 0 ? item : null;
    }

    /// <summary>The movie a client's id names, or null.</summary>
    public Movie? Find(Api.MovieId id) => KeyOf(id) is long key ? Catalog[key] : null;

    /// <summary>The id clients see for the movie with catalogue key <paramref name="movieId"/>.</summary>
    public Api.MovieId IdOf(long movieId) => Catalog[movieId] is { } movie ? Api.MovieId.Of(movie) : Api.MovieId.Number(movieId);

    /// <summary>How the ratings table stores a movie (see <see cref="StoredMovieIds"/>).</summary>
    public long StorageKeyOf(long movieId) => StoredMovieIds.Of(Dataset.Ratings.ItemIds, movieId);

    /// <summary>Stored ratings with catalogue keys, leaving out movies this dataset does not have (string ids only).</summary>
    public IReadOnlyList<Storage.StoredRating> FromStorage(IReadOnlyList<Storage.StoredRating> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (NumericIds) return stored;
        var keys = _storedKeys.Value;
        var result = new List<Storage.StoredRating>(stored.Count);
        foreach (var r in stored)
        {
            if (keys.TryGetValue(r.MovieId, out int item)) result.Add(r with { MovieId = item });
        }
        return result;
    }

    /// <summary>Stored movie ids as catalogue keys, leaving out movies this dataset does not have (string ids only).</summary>
    public IReadOnlyList<long> KeysFromStorage(IReadOnlyList<long> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (NumericIds) return stored;
        var keys = _storedKeys.Value;
        var result = new List<long>(stored.Count);
        foreach (long id in stored)
        {
            if (keys.TryGetValue(id, out int item)) result.Add(item);
        }
        return result;
    }

    /// <summary>The movies of stored movie ids, in order, leaving out those this catalogue does not have.</summary>
    public IReadOnlyList<Movie> MoviesFromStorage(IReadOnlyList<long> stored) => [.. KeysFromStorage(stored).Select(k => Catalog[k]).OfType<Movie>()];

    public MovieRatingStats StatsOf(long movieId) => ItemOf(movieId) is int item and >= 0 ? _stats[item] : new MovieRatingStats(0, 0, new int[HistogramBuckets]);

    /// <summary>
    /// "People who liked this also liked" (<see cref="CoLikedMovies"/>): the movies the people who liked this one liked,
    /// relative to how many people like them at all, each with its co-liker count.
    /// </summary>
    public IReadOnlyList<(Movie Movie, CoLikedMovie Link)> CoLiked(long movieId, int n)
    {
        int item = ItemOf(movieId);
        if (item < 0) return [];
        var result = new List<(Movie, CoLikedMovie)>(n);
        foreach (var link in _coLiked.Value.Top(item, n))
        {
            if (Dataset.MovieOf(link.Item) is { } m) result.Add((m, link));
        }
        return result;
    }

    /// <summary>Why <see cref="CoLiked"/> lists nothing for the movie (<see cref="CoLikedMovies.WhyNone"/>).</summary>
    public string WhyNoCoLiked(long movieId) => _coLiked.Value.WhyNone(ItemOf(movieId));

    /// <summary>Builds the lazy parts now (called in the background after start).</summary>
    public void WarmUp()
    {
        _ = Content;
        _ = Lexical;
        _ = Weighted;
        _ = Onboarding;
        _ = _coLiked.Value;
        _ = Text;
        _ = Search;
    }

    private const int HistogramBuckets = 10;

    private static MovieRatingStats[] ComputeStats(RatingDataset ratings)
    {
        var stats = new MovieRatingStats[ratings.ItemCount];
        var byItem = ratings.ByItem;
        for (int i = 0; i < stats.Length; i++)
        {
            var histogram = new int[HistogramBuckets];
            double sum = 0;
            var values = byItem.RowValues(i);
            foreach (float v in values)
            {
                sum += v;
                // Half-star buckets 0.5..5; other scales (1-10, 1-5 integers) are mapped onto ten buckets.
                int bucket = (int)Math.Round((v - ratings.Scale.Min) / (ratings.Scale.Max - ratings.Scale.Min) * (HistogramBuckets - 1));
                histogram[Math.Clamp(bucket, 0, HistogramBuckets - 1)]++;
            }
            stats[i] = new MovieRatingStats(values.Length, values.Length == 0 ? 0 : sum / values.Length, histogram);
        }
        return stats;
    }

    public void Dispose()
    {
        if (_search.IsValueCreated) _search.Value.Dispose();
    }
}
