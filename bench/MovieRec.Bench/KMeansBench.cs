using System.Diagnostics;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>kmeans [--data X] [--runs 21]</c>: K-Means (k = 9, 10 restarts, seed 0) on the reference features of ml-latest-small
/// (20 genre flags, mean rating, log count; min-max): inertia against scikit-learn's 9411.60 (goal &lt;= x1.005) and
/// the median fit time against its 0.063 s (goal: at least 2x faster).
/// </summary>
internal static class KMeansBench
{
    private const double ReferenceInertia = 9411.6018;
    private const double ReferenceSeconds = 0.063;

    public static int Run(string[] args)
    {
        var data = Bench.Option(args, "--data") ?? DataLocator.DefaultDataset;
        int runs = Bench.IntOption(args, "--runs", 21);
        var dataset = DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { IncludeTmdb = false, IncludeTags = false });
        var features = MovieFeatures.GenresRatingPopularity(dataset);
        var options = new KMeansOptions { K = 9, Restarts = 10, Seed = 0 };
        var result = KMeans.Fit(features.Values, features.Dimensions, options); // warm-up (JIT)
        var times = new double[runs];
        var cpu = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            result = KMeans.Fit(features.Values, features.Dimensions, options);
            times[r] = watch.Elapsed.TotalSeconds;
            cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        double median = Bench.Median(times);
        Console.WriteLine($"kmeans: {features.Rows:N0} movies x {features.Dimensions} features, k=9, 10 restarts, {Environment.ProcessorCount} cores. {Bench.Contention}");
        Console.WriteLine($"  {result.Iterations} iterations; cluster sizes {string.Join(", ", result.Sizes())} (scikit-learn: 529, 961, 813, 703, 2263, 588, 2470, 733, 664)");
        var table = new BenchTable("figure", "measured", "scikit-learn", "ratio", "goal", "goal met");
        table.Add("inertia", Bench.F(result.Inertia, "0.00"), Bench.F(ReferenceInertia, "0.00"), Bench.F(result.Inertia / ReferenceInertia, "0.0000"), "ratio <= 1.005",
            Bench.YesNo(result.Inertia <= ReferenceInertia * 1.005));
        table.Add($"fit s (median of {runs})", Bench.F(median, "0.0000"), Bench.F(ReferenceSeconds, "0.000"), $"{Bench.F(ReferenceSeconds / median, "0.0")}x faster", ">= 2x faster",
            Bench.YesNo(median * 2 <= ReferenceSeconds));
        table.Print(Console.Out);
        Console.WriteLine($"  fit s min {times[0]:0.0000}, max {times[^1]:0.0000}; median CPU (all cores summed) {Bench.Median(cpu):0.0000} s");
        return 0;
    }
}
