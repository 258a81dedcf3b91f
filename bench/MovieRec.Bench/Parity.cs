using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// <c>parity [--data X] [--only svd,knn-basic]</c>: every rating algorithm at Surprise's defaults, 5-fold CV (seed 0) on
/// ml-latest-small, against Surprise's figures in ../shared/reference (goal |RMSE - Surprise| &lt;= 0.005); then
/// svd-tuned against Surprise SVD (goal: lower by &gt;= 0.015) and "best" when registered.
/// </summary>
internal static class Parity
{
    private const double ParityTolerance = 0.005;
    private const double TunedMargin = 0.015;
    private const double SurpriseSvdRmse = 0.8734;

    // Beat: our own default, which fixes a Surprise quirk, must be better than Surprise rather than equal to it.
    private sealed record Row(string Label, string Algorithm, string Parameters, double Rmse, double Mae, double Fit, double Test, bool Beat = false);

    private static readonly Row[] Surprise =
    [
        new("svd", "svd", "", 0.8734, 0.6710, 0.804, 0.108),
        // The default, exact=true, is Surprise's SVDpp; exact=false is a different (approximate) algorithm, listed to
        // show it is not more accurate.
        new("svdpp", "svdpp", "", 0.8610, 0.6593, 38.972, 5.714),
        new("svdpp-approx", "svdpp", "exact=false", 0.8610, 0.6593, 38.972, 5.714),
        new("nmf", "nmf", "", 0.9221, 0.7063, 1.695, 0.102),
        // Surprise reads ratings into C ints in SlopeOne and CoClustering (3.5 counts as 3); surprise_int_ratings=true
        // reproduces that for parity, and our defaults (the fixed rows) must beat Surprise.
        new("slope-one", "slope-one", "surprise-int-ratings=true", 0.9015, 0.6880, 4.344, 4.112),
        new("slope-one (fixed)", "slope-one", "", 0.9015, 0.6880, 4.344, 4.112, Beat: true),
        new("knn-basic", "knn-basic", "", 0.9479, 0.7266, 0.056, 0.730),
        new("knn-means", "knn-means", "", 0.8973, 0.6853, 0.066, 0.674),
        new("knn-baseline", "knn-baseline", "", 0.8748, 0.6685, 0.198, 0.778),
        new("knn-baseline-item", "knn-baseline", "user-based=false,sim=pearson-baseline", 0.8525, 0.6503, 6.560, 3.699),
        new("baseline", "baseline", "", 0.8727, 0.6728, 0.153, 0.077),
        new("coclustering", "coclustering", "surprise-int-ratings=true", 0.9455, 0.7321, 1.322, 0.094),
        new("coclustering (fixed)", "coclustering", "", 0.9455, 0.7321, 1.322, 0.094, Beat: true),
        new("normal", "normal", "", 1.4277, 1.1394, 0.066, 0.075),
    ];

    public static int Run(string[] args)
    {
        var data = Bench.Option(args, "--data") ?? DataLocator.DefaultDataset;
        var only = Bench.Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Wanted(string label) => only is null || only.Contains(label, StringComparer.OrdinalIgnoreCase);
        var ratings = DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { IncludeTmdb = false, IncludeTags = false }).Ratings;
        var settings = new EvaluationSettings { Folds = 5, Seed = 0, Metrics = [Metric.Rmse, Metric.Mae] };
        var splits = CrossValidation.SplitsFor(ratings, settings);
        Console.WriteLine($"parity: {ratings.Count:N0} ratings, 5-fold CV (seed 0), folds in parallel on {Environment.ProcessorCount} cores. {Bench.Contention}");

        var table = new BenchTable("algorithm", "RMSE", "Surprise", "diff", "MAE", "Surprise", "fit s/fold", "Surprise", "x faster", "test s/fold", "Surprise", "x faster", "RMSE per fold", "goal", "goal met");
        bool allMet = true;
        foreach (var reference in Surprise)
        {
            if (!Wanted(reference.Label)) continue;
            var result = Evaluate(reference.Algorithm, reference.Parameters, splits, settings);
            double diff = result.Mean["rmse"] - reference.Rmse;
            bool met = reference.Beat ? diff < 0 : Math.Abs(diff) <= ParityTolerance;
            allMet &= met;
            table.Add(reference.Label, Bench.F(result.Mean["rmse"]), Bench.F(reference.Rmse), Bench.F(diff, "+0.0000;-0.0000"), Bench.F(result.Mean["mae"]), Bench.F(reference.Mae),
                Bench.F(result.FitSeconds, "0.000"), Bench.F(reference.Fit, "0.000"), Bench.F(reference.Fit / result.FitSeconds, "0.0"),
                Bench.F(result.TestSeconds, "0.000"), Bench.F(reference.Test, "0.000"), Bench.F(reference.Test / result.TestSeconds, "0.0"),
                string.Join(" ", result.Folds.Select(f => Bench.F(f.Metrics["rmse"]))), reference.Beat ? "< Surprise" : $"|diff|<={ParityTolerance}", Bench.YesNo(met));
            Console.WriteLine($"  done {reference.Label}");
        }
        foreach (var (label, goalText) in new[] { ("svd-tuned", $"<= {SurpriseSvdRmse - TunedMargin:0.0000}"), ("best", "<= 0.845") })
        {
            if (!Wanted(label)) continue;
            if (AlgorithmCatalog.Find(label) is null)
            {
                table.Add(label, "not in the catalogue", "", "", "", "", "", "", "", "", "", "", "", goalText, "no");
                allMet = false;
                continue;
            }
            var result = Evaluate(label, "", splits, settings);
            double rmse = result.Mean["rmse"];
            double goal = label == "best" ? 0.845 : SurpriseSvdRmse - TunedMargin;
            bool met = rmse <= goal;
            allMet &= met;
            table.Add(label, Bench.F(rmse), Bench.F(SurpriseSvdRmse), Bench.F(rmse - SurpriseSvdRmse, "+0.0000;-0.0000"), Bench.F(result.Mean["mae"]), Bench.F(0.6710),
                Bench.F(result.FitSeconds, "0.000"), Bench.F(0.804, "0.000"), Bench.F(0.804 / result.FitSeconds, "0.0"),
                Bench.F(result.TestSeconds, "0.000"), Bench.F(0.108, "0.000"), Bench.F(0.108 / result.TestSeconds, "0.0"),
                string.Join(" ", result.Folds.Select(f => Bench.F(f.Metrics["rmse"]))), goalText, Bench.YesNo(met));
            Console.WriteLine($"  done {label}");
        }
        Console.WriteLine();
        table.Print(Console.Out);
        Console.WriteLine($"(svd-tuned and best are compared with Surprise SVD; Surprise's best, KNNBaseline item pearson_baseline, is 0.8525.)");
        Console.WriteLine($"all goals met: {Bench.YesNo(allMet)}");
        return 0;
    }

    private static EvaluationResult Evaluate(string algorithm, string parameters, IReadOnlyList<TrainTestSplit> splits, EvaluationSettings settings)
    {
        var info = AlgorithmCatalog.Get(algorithm);
        var p = AlgorithmParameters.Parse([parameters]);
        return CrossValidation.Run(info.Name, () => info.Create(p), splits, settings, catalog: null);
    }
}
