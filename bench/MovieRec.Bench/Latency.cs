using System.Diagnostics;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// <c>latency [--data X]</c>: top-10 over all items for every user with SVD (100 factors) trained on ml-latest-small
/// (goal: median and p99 &lt; 1 ms per user), then fold-in of 20 ratings for a user not in the model, plus scoring
/// and the top-10 (goal: &lt; 5 ms), for svd, svdpp, knn-baseline, ease, ials, sequential and best-ranking.
/// </summary>
internal static class Latency
{
    private const double TopNGoalMs = 1;
    private const double FoldInGoalMs = 5;
    private const int FoldInRatings = 20;

    public static int Run(string[] args)
    {
        var data = Bench.Option(args, "--data") ?? DataLocator.DefaultDataset;
        var dataset = DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { IncludeTmdb = false, IncludeTags = false });
        var ratings = dataset.Ratings;
        var training = TrainingData.From(dataset);
        var ties = TieBreak.ByTrainingRatings(ratings);
        var context = new TrainingContext { Seed = 0 };
        Console.WriteLine($"latency: models trained on all {ratings.Count:N0} ratings; single-threaded requests. {Bench.Contention}");
        var byUser = ratings.ByUser;
        var table = new BenchTable("operation", "model", "users", "median ms", "p99 ms", "max ms", "goal ms", "x goal (p99)", "goal met");

        var scorer = AlgorithmCatalog.Create("svd");
        scorer.Fit(training, context);
        var scores = new float[ratings.ItemCount];
        var times = new double[ratings.UserCount];
        for (int pass = 0; pass < 2; pass++)
        {
            // The first pass warms the JIT; the second is measured.
            for (int u = 0; u < ratings.UserCount; u++)
            {
                long start = Stopwatch.GetTimestamp();
                scorer.Score(u, scores);
                var top = TopN.Select(scores, 10, ties, byUser.Columns.AsSpan(byUser.Offsets[u], byUser.RowLength(u)));
                times[u] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                GC.KeepAlive(top);
            }
        }
        AddRow(table, "top-10, all items", "svd (100 factors)", times, TopNGoalMs);

        // Every algorithm the service serves: what a request for a new user costs with each.
        foreach (var entry in AlgorithmCatalog.Servable)
        {
            string name = entry.Name;
            var model = entry.Create();
            model.Fit(training, context);
            var samples = new List<double>();
            var buffer = new ItemRating[FoldInRatings];
            for (int pass = 0; pass < 2; pass++)
            {
                samples.Clear();
                for (int u = 0; u < ratings.UserCount; u++)
                {
                    if (byUser.RowLength(u) < FoldInRatings) continue;
                    int offset = byUser.Offsets[u];
                    for (int j = 0; j < FoldInRatings; j++) buffer[j] = new ItemRating(byUser.Columns[offset + j], byUser.Values[offset + j]);
                    long start = Stopwatch.GetTimestamp();
                    var folded = model.FoldIn(buffer);
                    model.Score(folded, scores);
                    var exclude = new int[FoldInRatings];
                    for (int j = 0; j < FoldInRatings; j++) exclude[j] = buffer[j].Item;
                    Array.Sort(exclude);
                    var top = TopN.Select(scores, 10, ties, exclude);
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    GC.KeepAlive(top);
                }
            }
            AddRow(table, "fold-in 20 + top-10", name, [.. samples], FoldInGoalMs);
        }
        Console.WriteLine();
        table.Print(Console.Out);
        Console.WriteLine("fold-in rows: each user with >= 20 ratings answered from their first 20 ratings (by movie index) as a new user; the time covers the fold-in, scoring every item and the top-10.");
        Console.WriteLine("reference: the seed-style Flask + Surprise SVD server computes ~37 ms per request.");
        return 0;
    }

    private static void AddRow(BenchTable table, string operation, string model, double[] times, double goal)
    {
        int n = times.Length;
        double median = Bench.Median(times), p99 = Bench.Quantile(times, 0.99), max = times[^1];
        table.Add(operation, model, n.ToString(System.Globalization.CultureInfo.InvariantCulture), Bench.F(median, "0.000"), Bench.F(p99, "0.000"), Bench.F(max, "0.000"),
            Bench.F(goal, "0"), Bench.F(p99 / goal, "0.00"), Bench.YesNo(median < goal && p99 < goal));
    }
}
