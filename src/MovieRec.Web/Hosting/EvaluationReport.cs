using System.Diagnostics;
using MovieRec.Core.Algorithms;
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
/// dashboard shows the rows done so far. The rows are the algorithms this deployment serves, in the configurations it
/// serves them (<see cref="MovieRecOptions.Algorithms"/>), the persisted one first, then in catalogue order.
/// </summary>
public sealed class EvaluationReport(ILogger<EvaluationReport> logger, MovieRecOptions options, Queries.AlgorithmChoices algorithms)
{
    /// <summary>
    /// The order rows are computed in: the served algorithms (MovieRec:ServedAlgorithms), the persisted one first when
    /// served, then the catalogue's order. One not served is not evaluated: that would train it.
    /// </summary>
    public IReadOnlyList<string> Order { get; } =
        [.. algorithms.Served.Where(a => a.Name == ModelTrainer.Algorithm).Select(a => a.Name), .. algorithms.Served.Where(a => a.Name != ModelTrainer.Algorithm).Select(a => a.Name)];

    private static readonly Metric HitRate = new(MetricKind.HitRate, 10);
    private static readonly Metric Ndcg = new(MetricKind.Ndcg, 10);

    private readonly Lock _lock = new();
    private int _compactionsAsked;

    /// <summary>How many runs ended by asking for a heap compaction (every run does: it trained every served algorithm again).</summary>
    public int CompactionsAsked => Volatile.Read(ref _compactionsAsked);
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
            Update(version, s => s with { TrainRatings = split.Train.Count, TestUsers = split.Test.Count });
            var context = new TrainingContext { Seed = 0, Threads = 1 };
            foreach (string algorithm in Order)
            {
                Update(version, s => WithRow(s, AlgorithmEvaluation.Pending(algorithm) with { State = "running" }));
                AlgorithmEvaluation row;
                try
                {
                    row = Evaluate(algorithm, split, context, model.Data.Catalog);
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
        finally
        {
            // Every served algorithm was trained again: its models and temporaries are garbage in the large object
            // heap, which nothing else compacts (one dashboard visit left the replica at 1,080 MiB resident instead
            // of 360 for good).
            Interlocked.Increment(ref _compactionsAsked);
            HeapCompaction.Schedule(TimeSpan.FromSeconds(1));
        }
    }

    private AlgorithmEvaluation Evaluate(string algorithm, TrainTestSplit split, TrainingContext context, MovieCatalog? catalog)
    {
        var settings = new EvaluationSettings
        {
            Protocol = EvaluationProtocol.LeaveLatestOut,
            Metrics = [Metric.Rmse, Metric.Mae, HitRate, Ndcg],
            Seed = 0,
            Threads = 1,
        };
        var entry = AlgorithmCatalog.Get(algorithm);
        var fold = CrossValidation.EvaluateFold(entry.Create(options.ParametersOf(entry)), split, settings, context, catalog);
        return new AlgorithmEvaluation(algorithm, "done", fold.Metrics[Metric.Rmse.Name], fold.Metrics[Metric.Mae.Name],
            fold.Metrics[HitRate.Name], fold.Metrics[Ndcg.Name], fold.FitSeconds, null);
    }
}
