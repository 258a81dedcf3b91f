using System.Diagnostics;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>How an algorithm is evaluated.</summary>
public enum EvaluationProtocol
{
    /// <summary>
    /// K-fold cross-validation (<see cref="Splits.KFold"/>): rating metrics on each test fold; ranking metrics rank, for
    /// each user, every item not rated in the fold's training part, test ratings &gt;= the relevance threshold (4) being
    /// the relevant items.
    /// </summary>
    KFold,

    /// <summary>
    /// Leave-latest-out (<see cref="Splits.LeaveLatestOut"/>) with full-catalogue ranking of the held-out item, plus
    /// rating metrics on the held-out ratings for rating predictors.
    /// </summary>
    LeaveLatestOut,

    /// <summary>Leave-latest-out with the held-out item ranked among 100 sampled never-rated items (NCF protocol).</summary>
    Sampled,

    /// <summary>The splits shipped with the dataset (ml-100k u1..u5), measured as <see cref="KFold"/> measures folds.</summary>
    Predefined,

    /// <summary>The latest 20% of ratings by timestamp held out (<see cref="Splits.Temporal"/>), measured as <see cref="KFold"/>.</summary>
    Temporal,
}

/// <summary>Everything that decides an evaluation's figures.</summary>
public sealed record EvaluationSettings
{
    public EvaluationProtocol Protocol { get; init; } = EvaluationProtocol.KFold;

    /// <summary>Folds for <see cref="EvaluationProtocol.KFold"/> (Surprise's benchmark uses 5).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Seeds the split, the negative sampling and every model's training.</summary>
    public int Seed { get; init; }

    /// <summary>Thread budget: 0 uses every core, 1 runs everything on one thread.</summary>
    public int Threads { get; init; }

    public IReadOnlyList<Metric> Metrics { get; init; } = [Metric.Rmse, Metric.Mae];

    /// <summary>Test ratings at or above this are relevant for ranking metrics under k-fold.</summary>
    public double RelevanceThreshold { get; init; } = 4;

    /// <summary>Negatives per user for the sampled protocol.</summary>
    public int SampledNegatives { get; init; } = 100;

    /// <summary>Share of ratings <see cref="EvaluationProtocol.Temporal"/> holds out.</summary>
    public double TemporalTestFraction { get; init; } = 0.2;

    /// <summary>Leave-latest-out protocols rank each user's held-out item whatever its rating.</summary>
    public bool IsLeaveLatestOut => Protocol is EvaluationProtocol.LeaveLatestOut or EvaluationProtocol.Sampled;

    public string ProtocolName => Protocol switch
    {
        EvaluationProtocol.KFold => "kfold",
        EvaluationProtocol.LeaveLatestOut => "loo",
        EvaluationProtocol.Sampled => "sampled",
        EvaluationProtocol.Predefined => "predefined",
        _ => "temporal",
    };

    /// <summary>Parses "kfold", "loo" (or "leave-latest-out"), "sampled", "predefined" and "temporal".</summary>
    public static EvaluationProtocol ParseProtocol(string text) => text.Trim().ToLowerInvariant() switch
    {
        "kfold" or "k-fold" or "cv" => EvaluationProtocol.KFold,
        "loo" or "leave-latest-out" or "full" => EvaluationProtocol.LeaveLatestOut,
        "sampled" => EvaluationProtocol.Sampled,
        "predefined" => EvaluationProtocol.Predefined,
        "temporal" => EvaluationProtocol.Temporal,
        _ => throw new ArgumentException($"Unknown protocol '{text}'. Known: kfold, loo, sampled, predefined, temporal."),
    };
}

/// <summary>One fold's figures. Metrics that do not apply to the model (RMSE of a top-N-only model) are NaN.</summary>
public sealed record FoldResult(string Split, IReadOnlyDictionary<string, double> Metrics, double FitSeconds, double TestSeconds, int TrainRatings, int TestRatings);

/// <summary>
/// An algorithm's evaluation: the per-fold figures, and for each metric the mean and the (population, as numpy's)
/// standard deviation over folds; fit and test seconds are means per fold.
/// </summary>
public sealed record EvaluationResult(
    string Algorithm,
    string Model,
    string Protocol,
    IReadOnlyList<string> MetricNames,
    IReadOnlyList<FoldResult> Folds,
    IReadOnlyDictionary<string, double> Mean,
    IReadOnlyDictionary<string, double> Std,
    double FitSeconds,
    double TestSeconds);

/// <summary>A fold finished (for progress bars).</summary>
public readonly record struct FoldCompleted(string Algorithm, int Completed, int Total);

/// <summary>
/// Trains an algorithm on each split and measures it. Folds run in parallel with the thread budget; each parallel
/// fold trains with one thread, so with a fixed seed the figures do not depend on the thread count. Fit and test times
/// are wall-clock per fold (parallel folds share the cores, so they are slower than a fold alone).
/// </summary>
public static class CrossValidation
{
    /// <summary>The splits <paramref name="settings"/> call for (the predefined ones come from the dataset).</summary>
    public static IReadOnlyList<TrainTestSplit> SplitsFor(Dataset dataset, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        // ml-100k ships u1..u5 (the 5-fold CV) and ua/ub (10 ratings per user held out): the protocol uses u1..u5.
        return settings.Protocol == EvaluationProtocol.Predefined
            ? Splits.Predefined(dataset, dataset.PredefinedSplits.Any(s => s.Name.StartsWith("u1", StringComparison.OrdinalIgnoreCase)) ? "u" : null)
                .Where(s => s.Name is not ("ua" or "ub")).ToArray()
            : SplitsFor(dataset.Ratings, settings);
    }

    /// <summary>The splits <paramref name="settings"/> call for.</summary>
    public static IReadOnlyList<TrainTestSplit> SplitsFor(RatingDataset data, EvaluationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Protocol switch
        {
            EvaluationProtocol.KFold => Splits.KFold(data, settings.Folds, settings.Seed),
            EvaluationProtocol.Temporal => [Splits.Temporal(data, settings.TemporalTestFraction)],
            EvaluationProtocol.Predefined => throw new ArgumentException("Predefined splits come with a Dataset; pass the dataset, not its ratings.", nameof(settings)),
            _ => [Splits.LeaveLatestOut(data)],
        };
    }

    /// <summary>Evaluates a catalogue algorithm on the splits the settings call for, without a movie catalogue.</summary>
    public static EvaluationResult Run(AlgorithmEntry algorithm, AlgorithmParameters parameters, RatingDataset data, EvaluationSettings settings, IProgress<FoldCompleted>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(parameters);
        return Run(algorithm.Name, () => algorithm.Create(parameters), SplitsFor(data, settings), settings, catalog: null, progress);
    }

    /// <summary>Evaluates a catalogue algorithm on a dataset (predefined splits included; its catalogue goes to content models).</summary>
    public static EvaluationResult Run(AlgorithmEntry algorithm, AlgorithmParameters parameters, Dataset dataset, EvaluationSettings settings, IProgress<FoldCompleted>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(dataset);
        return Run(algorithm.Name, () => algorithm.Create(parameters), SplitsFor(dataset, settings), settings, dataset.Catalog, progress);
    }

    /// <summary>
    /// Evaluates a new model from <paramref name="factory"/> on every split; each fold fits it on the split's training
    /// part with <paramref name="catalog"/> (null: none).
    /// </summary>
    public static EvaluationResult Run(string name, Func<IRecommender> factory, IReadOnlyList<TrainTestSplit> splits, EvaluationSettings settings, MovieCatalog? catalog,
        IProgress<FoldCompleted>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(settings);
        if (splits.Count == 0) throw new ArgumentException("No splits to evaluate on.", nameof(splits));
        // Fail on a bad parameter before any fold starts.
        string description = factory().ToString() ?? name;
        int budget = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        bool parallelFolds = splits.Count > 1 && budget > 1;
        int foldThreads = parallelFolds ? 1 : budget;
        var folds = new FoldResult[splits.Count];
        int completed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelFolds ? budget : 1 };
        try
        {
            Parallel.For(0, splits.Count, options, f =>
            {
                var context = new TrainingContext { Seed = settings.Seed, Threads = foldThreads };
                folds[f] = EvaluateFold(factory(), splits[f], settings, context, catalog);
                progress?.Report(new FoldCompleted(name, Interlocked.Increment(ref completed), splits.Count));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Report the first fold's failure as itself, so callers see the ArgumentException a model threw.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
        return Summarise(name, description, settings, folds);
    }

    /// <summary>Fits <paramref name="model"/> on the split's training part and measures it on the test part.</summary>
    /// <param name="model">A new, unfitted model.</param>
    /// <param name="split">The training and test ratings (sharing id maps).</param>
    /// <param name="settings">The metrics and protocol.</param>
    /// <param name="context">Seed and threads of the fit.</param>
    /// <param name="catalog">The movie catalogue for content models; null when there is none.</param>
    public static FoldResult EvaluateFold(IRecommender model, TrainTestSplit split, EvaluationSettings settings, TrainingContext context, MovieCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        var watch = Stopwatch.StartNew();
        model.Fit(new TrainingData(split.Train, catalog), context);
        double fit = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var metrics = settings.Metrics;
        bool anyRating = false, anyRanking = false;
        int listLength = 0;
        foreach (var m in metrics)
        {
            anyRating |= m.IsRating;
            anyRanking |= !m.IsRating;
            if (m.Kind is MetricKind.Coverage or MetricKind.Novelty) listLength = Math.Max(listLength, m.K);
        }
        if (anyRating && model is IRatingPredictor predictor)
        {
            var heldOut = split.Test;
            var predicted = new float[heldOut.Count];
            for (int k = 0; k < predicted.Length; k++) predicted[k] = predictor.Predict(heldOut.Users[k], heldOut.Items[k]);
            foreach (var m in metrics)
            {
                if (!m.IsRating) continue;
                values[m.Name] = m.Kind switch
                {
                    MetricKind.Rmse => RatingMetrics.Rmse(heldOut.Values, predicted),
                    MetricKind.Mae => RatingMetrics.Mae(heldOut.Values, predicted),
                    _ => RatingMetrics.Fcp(heldOut.Users, heldOut.Values, predicted),
                };
            }
        }
        if (anyRanking)
        {
            var options = new RankingOptions
            {
                Protocol = settings.Protocol == EvaluationProtocol.Sampled ? RankingProtocol.Sampled : RankingProtocol.FullCatalogue,
                RelevanceThreshold = settings.IsLeaveLatestOut ? null : settings.RelevanceThreshold,
                SampledNegatives = settings.SampledNegatives,
                Seed = settings.Seed,
                ListLength = listLength,
            };
            var ranked = RankingMetrics.Rank(model, split.Train, split.Test, options, context);
            foreach (var m in metrics)
            {
                if (!m.IsRating) values[m.Name] = RankingMetrics.Compute(m, ranked, split.Train.ItemCount, split.Train);
            }
        }
        foreach (var m in metrics) values.TryAdd(m.Name, double.NaN);
        double test = watch.Elapsed.TotalSeconds;
        return new FoldResult(split.Name, values, fit, test, split.Train.Count, split.Test.Count);
    }

    private static EvaluationResult Summarise(string name, string description, EvaluationSettings settings, FoldResult[] folds)
    {
        var names = settings.Metrics.Select(m => m.Name).ToArray();
        var mean = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var std = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var metric in names)
        {
            var (m, s) = MeanStd(folds.Select(f => f.Metrics[metric]));
            mean[metric] = m;
            std[metric] = s;
        }
        return new EvaluationResult(name, description, settings.ProtocolName, names, folds, mean, std,
            folds.Average(f => f.FitSeconds), folds.Average(f => f.TestSeconds));
    }

    /// <summary>Mean and population standard deviation (numpy's default, as Surprise reports).</summary>
    public static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToArray();
        if (list.Length == 0) return (double.NaN, double.NaN);
        double mean = list.Average();
        double variance = list.Sum(v => (v - mean) * (v - mean)) / list.Length;
        return (mean, Math.Sqrt(variance));
    }
}
