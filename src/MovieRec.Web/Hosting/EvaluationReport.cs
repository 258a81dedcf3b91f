using System.Diagnostics;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Web.Hosting;

/// <summary>One algorithm's row on the dashboard: pending, running, done (with figures) or failed.</summary>
public sealed record AlgorithmEvaluation(string Algorithm, string State, double Rmse, double Mae, double HitRate, double Ndcg, double FitSeconds, string? Error)
{
    public static AlgorithmEvaluation Pending(string algorithm) => new(algorithm, "pending", double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null);
}

/// <summary>The evaluation of every serving algorithm for one model version.</summary>
public sealed record EvaluationSnapshot(string ModelVersion, int TrainRatings, int TestUsers, IReadOnlyList<AlgorithmEvaluation> Rows, DateTimeOffset Started, DateTimeOffset? Finished);

/// <summary>
/// The dashboard's per-algorithm evaluation: leave-latest-out on the serving model's training data (each user's latest
/// rating held out; RMSE and MAE on those ratings where the algorithm predicts ratings, HR@10 and NDCG@10 ranking the
/// held-out movie among every movie the user has not rated). It runs once per model version, lazily (on the first
/// dashboard visit), in the background on one thread, algorithm by algorithm, so it never holds up a request; the
/// dashboard shows the rows done so far.
/// </summary>
public sealed class EvaluationReport(ILogger<EvaluationReport> logger)
{
    /// <summary>The order rows are computed in: quick ones first.</summary>
    public static IReadOnlyList<string> Order { get; } = ["svd", "content", "kmeans", "hybrid", "knn", "svdpp"];

    private static readonly Metric HitRate = new(MetricKind.HitRate, 10);
    private static readonly Metric Ndcg = new(MetricKind.Ndcg, 10);

    private readonly Lock _lock = new();
    private string? _version;
    private EvaluationSnapshot? _snapshot;

    /// <summary>The evaluation of <paramref name="model"/> so far; starts it when this version was not evaluated yet.</summary>
    public EvaluationSnapshot For(ServingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_lock)
        {
            if (_version == model.Version && _snapshot is { } current) return current;
            _version = model.Version;
            _snapshot = new EvaluationSnapshot(model.Version, 0, 0, [.. Order.Select(AlgorithmEvaluation.Pending)], DateTimeOffset.UtcNow, null);
            var started = _snapshot;
            _ = Task.Run(() => Run(model, started));
            return started;
        }
    }

    /// <summary>The latest snapshot without starting anything (null before the first dashboard visit).</summary>
    public EvaluationSnapshot? Latest
    {
        get
        {
            lock (_lock) return _snapshot;
        }
    }

    private void Update(string version, Func<EvaluationSnapshot, EvaluationSnapshot> change)
    {
        lock (_lock)
        {
            if (_snapshot is { } s && s.ModelVersion == version) _snapshot = change(s);
        }
    }

    private static EvaluationSnapshot WithRow(EvaluationSnapshot s, AlgorithmEvaluation row) =>
        s with { Rows = [.. s.Rows.Select(r => r.Algorithm == row.Algorithm ? row : r)] };

    private void Run(ServingModel model, EvaluationSnapshot started)
    {
        string version = started.ModelVersion;
        try
        {
            var data = model.Train;
            var split = Splits.LeaveLatestOut(data);
            split.Train.Catalog ??= data.Catalog;
            Update(version, s => s with { TrainRatings = split.Train.Count, TestUsers = split.Test.Count });
            var context = new TrainingContext { Seed = 0, Threads = 1 };
            foreach (string algorithm in Order)
            {
                Update(version, s => WithRow(s, AlgorithmEvaluation.Pending(algorithm) with { State = "running" }));
                AlgorithmEvaluation row;
                try
                {
                    row = Evaluate(algorithm, model, split, context);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogWarning(e, "Evaluating {Algorithm} for the dashboard failed", algorithm);
                    row = AlgorithmEvaluation.Pending(algorithm) with { State = "failed", Error = e.Message };
                }
                Update(version, s => WithRow(s, row));
                lock (_lock)
                {
                    if (_version != version) return; // a newer model arrived: its own run takes over
                }
            }
            Update(version, s => s with { Finished = DateTimeOffset.UtcNow });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "The dashboard evaluation of model {Version} failed", version);
            Update(version, s => s with { Finished = DateTimeOffset.UtcNow, Rows = [.. s.Rows.Select(r => r.State is "done" ? r : r with { State = "failed", Error = e.Message })] });
        }
    }

    private static AlgorithmEvaluation Evaluate(string algorithm, ServingModel serving, TrainTestSplit split, TrainingContext context)
    {
        var clock = Stopwatch.StartNew();
        if (algorithm == "kmeans")
        {
            // User clusters are built from a dataset (ratings with the catalogue's genres), not fitted like the rest.
            var source = serving.Train;
            var dataset = new Dataset { Name = "train", Format = "split", Location = "", Ratings = split.Train, Catalog = source.Catalog ?? new MovieCatalog() };
            var clusters = UserClusters.Build(dataset, new KMeansOptions { Seed = 0 });
            double fit = clock.Elapsed.TotalSeconds;
            var ranked = RankingMetrics.Rank(clusters, split.Train, split.Test, new RankingOptions(), context);
            return new AlgorithmEvaluation(algorithm, "done", double.NaN, double.NaN,
                RankingMetrics.Compute(HitRate, ranked, split.Train.ItemCount, split.Train),
                RankingMetrics.Compute(Ndcg, ranked, split.Train.ItemCount, split.Train), fit, null);
        }
        var settings = new EvaluationSettings
        {
            Protocol = EvaluationProtocol.LeaveLatestOut,
            Metrics = [Metric.Rmse, Metric.Mae, HitRate, Ndcg],
            Seed = 0,
            Threads = 1,
        };
        var fold = CrossValidation.EvaluateFold(Create(algorithm), split, settings, context);
        return new AlgorithmEvaluation(algorithm, "done", fold.Metrics[Metric.Rmse.Name], fold.Metrics[Metric.Mae.Name],
            fold.Metrics[HitRate.Name], fold.Metrics[Ndcg.Name], fold.FitSeconds, null);
    }

    /// <summary>The same configurations <see cref="ServingModel"/> serves.</summary>
    private static IRecommenderModel Create(string algorithm) => algorithm switch
    {
        "svd" => new Svd(new SvdOptions()),
        "knn" => AlgorithmRegistry.Create("knn-baseline", new AlgorithmParameters(new Dictionary<string, string>
        {
            ["user_based"] = "false",
            ["sim"] = "pearson_baseline",
        })),
        _ => AlgorithmRegistry.Create(algorithm),
    };
}
