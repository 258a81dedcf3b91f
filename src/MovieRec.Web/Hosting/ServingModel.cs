using System.Collections.Concurrent;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;

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
/// same data, the other algorithms a request may name. Promotion replaces the whole object, so a request that read
/// the current version keeps a consistent set of models to the end.
/// </summary>
public sealed class ServingModel
{
    /// <summary>The algorithms a request may name, with what each one is.</summary>
    public static IReadOnlyDictionary<string, string> Algorithms { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["svd"] = "Biased matrix factorisation (Funk SVD, Surprise semantics), fold-in for new users",
        ["svdpp"] = "SVD++ (Koren 2008): SVD with implicit feedback from what the user rated",
        ["knn"] = "Item-based k-NN for top-N (Deshpande & Karypis 2004): the movies most often rated with the ones you liked",
        ["kmeans"] = "K-Means clusters of users by per-genre taste: the favourites of your cluster",
        ["content"] = "Content-based: cast, director (x3), genres and keywords of the movies you rated",
        ["hybrid"] = "Hybrid of EASE, content similarity and popularity, with explanations",
    };

    private readonly ConcurrentDictionary<string, Lazy<Task<IRecommenderModel>>> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<Explainer> _explainer;
    private readonly Dataset _trainDataset;
    private readonly int _threads;

    public ServingModel(ModelReport report, FactorModel svd, RatingDataset train, CatalogIndex catalog, int threads)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dataset = catalog.Dataset;
        CacheKey = $"{report.Version}.{catalog.Generation}";
        Report = report;
        Svd = svd;
        Train = train;
        _threads = threads;
        _trainDataset = new Dataset { Name = dataset.Name, Format = dataset.Format, Location = dataset.Location, Ratings = train, Catalog = dataset.Catalog, Tags = dataset.Tags };
        _models["svd"] = new(Task.FromResult<IRecommenderModel>(svd));
        _explainer = new(() => new Explainer(train, catalog.ItemContentVectors));
    }

    /// <summary>Builds what the first request would otherwise wait for, before the model is promoted.</summary>
    public ServingModel Prepare()
    {
        _ = Train.ByUser;
        _ = Train.ByItem;
        _ = Explainer;
        return this;
    }

    public ModelReport Report { get; }

    public string Version => Report.Version;

    /// <summary>The version plus the catalogue generation: cached lists made before the metadata was joined are not reused.</summary>
    public string CacheKey { get; }

    /// <summary>The persisted SVD: the model every version is evaluated and promoted by.</summary>
    public FactorModel Svd { get; }

    /// <summary>The dataset's ratings plus the accounts' stored ratings at training time (account users have raw id -accountId).</summary>
    public RatingDataset Train { get; }

    public Explainer Explainer => _explainer.Value;

    private TrainingContext Context => new() { Seed = 0, Threads = _threads };

    /// <summary>The model for <paramref name="algorithm"/> (one of <see cref="Algorithms"/>), trained on first use.</summary>
    public Task<IRecommenderModel> GetAsync(string algorithm) =>
        _models.GetOrAdd(algorithm, name => new Lazy<Task<IRecommenderModel>>(() => Task.Run(() => Train_(name)))).Value;

    /// <summary>Whether <paramref name="algorithm"/> is trained and ready to answer at once.</summary>
    public bool IsReady(string algorithm) =>
        _models.TryGetValue(algorithm, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully;

    private IRecommenderModel Train_(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "kmeans":
                return UserClusters.Build(_trainDataset, new KMeansOptions { Seed = 0 });
            case "knn":
                return Fit(AlgorithmRegistry.Create("item-knn"));
            case "svdpp":
            case "content":
            case "hybrid":
                return Fit(AlgorithmRegistry.Create(name.ToLowerInvariant()));
            default:
                throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", Algorithms.Keys)}.", nameof(name));
        }
    }

    private IRecommenderModel Fit(IRecommenderModel model)
    {
        switch (model)
        {
            case Core.Algorithms.Ranking.IRankingModel ranking:
                ranking.Fit(Train, Context);
                break;
            case IRatingPredictor predictor:
                predictor.Fit(Train, Context);
                break;
        }
        return model;
    }
}
