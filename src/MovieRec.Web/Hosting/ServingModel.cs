using System.Collections.Concurrent;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Diagnostics;

namespace MovieRec.Web.Hosting;

/// <summary>What the dashboard and GET /admin/model show about a model version.</summary>
public sealed record ModelReport
{
    public required string Version { get; init; }
    public required string Algorithm { get; init; }
    public required string Hyperparameters { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required double TrainingSeconds { get; init; }
    /// <summary>RMSE and MAE on a seeded 10 % holdout of the training data (the model evaluated was fitted on the other 90 %).</summary>
    /// <summary>
    /// RMSE and MAE on a 10 % holdout chosen by a hash of each (user, movie) pair (<see cref="Core.Evaluation.Splits.StableHoldout"/>),
    /// the evaluated model fitted on the other 90 %: versions trained on growing data are compared on the same ratings.
    /// </summary>
    public required double HoldoutRmse { get; init; }
    public required double HoldoutMae { get; init; }
    public required IReadOnlyList<double> EpochLoss { get; init; }
    public required int Ratings { get; init; }
    public required int Users { get; init; }
    public required int Items { get; init; }
    /// <summary>Ratings from the service's own accounts included in training.</summary>
    public required int StoredRatings { get; init; }
    /// <summary>Fingerprint of the dataset's ratings (without stored ratings): a model for another dataset is not loaded.</summary>
    public required string DatasetFingerprint { get; init; }
    /// <summary>The model file, relative to the model directory.</summary>
    public required string File { get; init; }
}

/// <summary>
/// One immutable model version as served: the persisted SVD (loaded from its file) and, trained on first use from the
/// same data and the movie catalogue, every other algorithm the catalogue lets the service serve, with its options
/// from configuration (<c>MovieRec:Algorithms:{name}:{option}</c>, checked at start by
/// <see cref="MovieRecOptionsValidator"/>). Promotion replaces the whole object, so a request that read the current
/// version keeps a consistent set of models to the end.
/// </summary>
public sealed class ServingModel
{
    /// <summary>The algorithms a request may name (the catalogue's servable entries), with what each one is.</summary>
    public static IReadOnlyDictionary<string, string> Algorithms { get; } =
        AlgorithmCatalog.Servable.ToDictionary(e => e.Name, e => e.Description, StringComparer.OrdinalIgnoreCase);

    /// <summary>The servable entry called <paramref name="name"/> or by one of its aliases ("knn" is item-knn); null when none.</summary>
    public static AlgorithmEntry? Find(string? name) =>
        name is not null && AlgorithmCatalog.Find(name) is { Servable: true } entry ? entry : null;

    /// <summary>What <paramref name="name"/> (a servable name or alias) is; empty when it is not servable.</summary>
    public static string Describe(string? name) => Find(name)?.Description ?? "";

    private readonly ConcurrentDictionary<string, Lazy<Task<IRecommender>>> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<Explainer> _explainer;
    private readonly TrainingData _data;
    private readonly MovieRecOptions _options;

    /// <summary>The names of the algorithms this deployment serves (<see cref="MovieRecOptions.ServedAlgorithms"/>): the only ones trained.</summary>
    private readonly HashSet<string> _served;

    public ServingModel(ModelReport report, FactorModel svd, RatingDataset train, CatalogIndex catalog, MovieRecOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        CacheKey = $"{report.Version}.{catalog.Generation}";
        Report = report;
        Svd = svd;
        Train = train;
        _options = options;
        _served = Queries.AlgorithmChoices.ServedEntries(options.ServedAlgorithms).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        _data = new TrainingData(train, catalog.Dataset.Catalog);
        // The persisted factor model answers for the trained algorithm's name, whatever made it (svd, or an import).
        _models[ModelTrainer.Algorithm] = new(Task.FromResult<IRecommender>(svd));
        _explainer = new(() => new Explainer(_data));
        ItemTies = TieBreak.ByTrainingRatings(train);
    }

    /// <summary>
    /// Builds what the first request would otherwise wait for, before the model is promoted; the persisted model then
    /// reads each user's ratings from the training ratings' rows instead of its own copy when they are the same ratings
    /// (a model loaded from its file, or kept across the metadata join: 200 MB at 25 million ratings).
    /// </summary>
    public ServingModel Prepare()
    {
        Svd.ShareRatings(Train.ByUser);
        _ = Train.ByItem;
        _ = Explainer;
        return this;
    }

    public ModelReport Report { get; }

    public string Version => Report.Version;

    /// <summary>The version plus the catalogue generation: cached lists made before the metadata was joined are not reused.</summary>
    public string CacheKey { get; }

    /// <summary>The persisted factor model (<see cref="ModelTrainer.Algorithm"/>): the model every version is evaluated and promoted by.</summary>
    public FactorModel Svd { get; }

    /// <summary>The dataset's ratings plus the accounts' stored ratings at training time (account users have raw id -accountId).</summary>
    public RatingDataset Train { get; }

    /// <summary>What every algorithm of this version is fitted on: <see cref="Train"/> and the movie catalogue.</summary>
    public TrainingData Data => _data;

    /// <summary>How lists order equal scores: more training ratings first, then the lower item id.</summary>
    public TieBreak ItemTies { get; }

    public Explainer Explainer => _explainer.Value;

    private TrainingContext Context => new() { Seed = _options.Seed, Threads = _options.TrainingThreads };

    /// <summary>
    /// The model for <paramref name="algorithm"/> (a served name or alias), trained on first use; the persisted model
    /// (<see cref="ModelTrainer.Algorithm"/>) whether served or not, since it is loaded anyway.
    /// </summary>
    public Task<IRecommender> GetAsync(string algorithm)
    {
        var entry = Find(algorithm) ?? throw Unknown(algorithm);
        // Looked up first, the closures in a method of their own: they would be allocations on every request. Only
        // served algorithms (and the persisted one) are ever added, so a model found needs no served check.
        return _models.TryGetValue(entry.Name, out var known) ? known.Value : Start(Served(entry, algorithm));
    }

    private Task<IRecommender> Start(AlgorithmEntry entry) =>
        _models.GetOrAdd(entry.Name, _ => new Lazy<Task<IRecommender>>(() => Task.Run(() =>
        {
            var model = Fit(entry);
            HeapCompaction.AfterTraining();
            return model;
        }))).Value;

    /// <summary>
    /// Served only until the version being warmed replaces it: the first model of a fresh start, promoted at once while
    /// the metadata join builds and warms the next one (MovieRec:WarmUp). Until its default algorithm is ready, a
    /// request naming no algorithm gets a quick algorithm's list, saying so, instead of training the default on demand
    /// (<see cref="Queries.RecommendationQueries"/>).
    /// </summary>
    public bool Interim
    {
        get => Volatile.Read(ref _interim);
        set => Volatile.Write(ref _interim, value);
    }

    private bool _interim;

    /// <summary>Whether <paramref name="algorithm"/> is trained and ready to answer at once.</summary>
    public bool IsReady(string algorithm) =>
        Find(algorithm) is { } entry && _models.TryGetValue(entry.Name, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully;

    /// <summary>
    /// Trains <paramref name="algorithm"/> now, on the calling thread with <paramref name="threads"/> training threads,
    /// unless it is trained or training already (<see cref="ModelWarmer"/>: a candidate warmed beside the serving model).
    /// </summary>
    public Task<IRecommender> Warm(string algorithm, int threads)
    {
        var entry = Served(Find(algorithm) ?? throw Unknown(algorithm), algorithm);
        return _models.GetOrAdd(entry.Name, _ => new Lazy<Task<IRecommender>>(() =>
        {
            try
            {
                return Task.FromResult(Fit(entry, threads));
            }
#pragma warning disable CA1031 // Handed to whoever awaits the model, as GetAsync's task would.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return Task.FromException<IRecommender>(e);
            }
        })).Value;
    }

    /// <summary>
    /// What this version's parts hold: its training ratings, the persisted SVD, the explainer, then every trained
    /// algorithm in catalogue order (a part shared with an earlier one, such as the EASE inside hybrid and taste, is
    /// charged to the earlier one; see <see cref="MemoryFootprint"/>).
    /// </summary>
    public IEnumerable<(string Part, long Bytes)> Footprint(MemoryFootprint walk)
    {
        ArgumentNullException.ThrowIfNull(walk);
        yield return ("training ratings (dataset and accounts, both CSR views)", walk.Measure(Train));
        yield return ($"{ModelTrainer.Algorithm} (the persisted model)", walk.Measure(Svd));
        yield return ("explainer", walk.Measure(_explainer.IsValueCreated ? _explainer.Value : null));
        yield return ("tie-break order", walk.Measure(ItemTies));
        foreach (var entry in AlgorithmCatalog.Servable)
        {
            if (!_models.TryGetValue(entry.Name, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully) continue;
            var model = lazy.Value.Result;
            if (ReferenceEquals(model, Svd)) continue;
            yield return (entry.Name, walk.Measure(model));
        }
    }

    /// <summary>
    /// The entry of <paramref name="algorithm"/> when this deployment may use it: nothing trains an algorithm it does
    /// not serve (a path that skipped <see cref="Queries.AlgorithmChoices.Resolve"/> fails here instead of training
    /// for minutes and gigabytes at 25 million ratings).
    /// </summary>
    private AlgorithmEntry Served(AlgorithmEntry entry, string algorithm)
    {
        if (!_served.Contains(entry.Name) && entry.Name != ModelTrainer.Algorithm)
            throw new ArgumentException($"'{algorithm}' is not served by this deployment ({Queries.AlgorithmChoices.Setting}). Served: {AlgorithmCatalog.KnownNames(AlgorithmCatalog.Servable.Where(e => _served.Contains(e.Name)))}.", nameof(algorithm));
        return entry;
    }

    private static ArgumentException Unknown(string algorithm) =>
        new($"Unknown algorithm '{algorithm}'. Known: {string.Join(", ", Algorithms.Keys)}.", nameof(algorithm));

    private IRecommender Fit(AlgorithmEntry entry, int? threads = null)
    {
        var model = entry.Create(_options.ParametersOf(entry));
        model.Fit(_data, threads is int n ? Context with { Threads = n } : Context);
        return model;
    }
}
