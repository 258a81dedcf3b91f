using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Synthetic;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// Fit and test seconds per fold against Surprise's reference (ml-latest-small, 5-fold, seed 0), for the speed goals
/// of issue 3: <c>dotnet run -c Release --project bench/MovieRec.Bench -- fit-speed [--data X] [--threads N]
/// [--algorithms svd,svdpp,svdpp-exact,svdpp-approx,knn-basic,knn-baseline] [--repeats N] [--shape ml-100k]</c>. Wall-clock medians are
/// contended on a shared machine; the CPU seconds (process CPU time over the same interval) are the steadier figure when
/// the run is single-threaded. <c>--shape ml-100k</c> (issue 18: ml-100k is not on the machine) fits a generated dataset of
/// ml-100k's shape (943 users, 1,682 movies, 100,000 ratings) instead and compares SVD++ with Surprise's exact update
/// against Surprise's 18.1 s per fold on ml-100k.
/// </summary>
internal static class FitSpeed
{
    private sealed record Case(string Label, string Algorithm, AlgorithmParameters Parameters, double RefFit, double RefTest, double FitGoal, double TestGoal)
    {
        /// <summary>The name <c>--algorithms</c> selects it by.</summary>
        public string Key { get; init; } = Algorithm;
    }

    private static readonly AlgorithmParameters Exact = AlgorithmParameters.Empty.With("exact", "true");
    private static readonly AlgorithmParameters Approximate = AlgorithmParameters.Empty.With("exact", "false");

    private static readonly Case[] Cases =
    [
        new("svd", "svd", AlgorithmParameters.Empty, 0.804, 0.108, 20, 0),
        // The default (exact since issue 18); issue 3's goal.
        new("svdpp (default)", "svdpp", AlgorithmParameters.Empty, 38.972, 5.714, 100, 0),
        // Surprise's SVDpp always runs the exact per-rating update; issue 18 asks >= 10x for ours in exact mode.
        new("svdpp exact (Surprise's update)", "svdpp", Exact, 38.972, 5.714, 10, 0) { Key = "svdpp-exact" },
        // A different algorithm (y moved once per user per epoch): shown for comparison, no goal.
        new("svdpp approximate (exact=false)", "svdpp", Approximate, 38.972, 5.714, 0, 0) { Key = "svdpp-approx" },
        new("knn-basic (user, msd)", "knn-basic", AlgorithmParameters.Empty, 0.056, 0.730, 10, 10),
        new("knn-baseline (item, pearson_baseline)", "knn-baseline",
            AlgorithmParameters.Empty.With("sim", "pearson-baseline").With("user-based", "false"), 6.560, 3.699, 10, 10),
    ];

    // Issue 18's figure for Surprise SVDpp (always exact) on ml-100k, 5-fold, 1 thread; ml-100k is not on this machine.
    private static readonly Case[] Ml100kCases =
    [
        new("svdpp exact (Surprise's update)", "svdpp", Exact, 18.1, 0, 10, 0) { Key = "svdpp-exact" },
        new("svdpp approximate (exact=false)", "svdpp", Approximate, 18.1, 0, 0, 0) { Key = "svdpp-approx" },
    ];

    public static int Run(string[] args)
    {
        string data = Option(args, "--data") ?? DataLocator.DefaultDataset;
        int threads = int.Parse(Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        int repeats = int.Parse(Option(args, "--repeats") ?? "0", CultureInfo.InvariantCulture);
        var only = Option(args, "--algorithms")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? shape = Option(args, "--shape");
        if (shape is not null && shape != "ml-100k") throw new ArgumentException($"--shape: only ml-100k is known, not '{shape}'");
        var ratings = shape is null
            ? DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { IncludeTmdb = false, IncludeTags = false }).Ratings
            : SyntheticDatasetGenerator.Generate(new SyntheticOptions { Users = 943, Items = 1_682, Ratings = 100_000, Seed = 42 });
        var folds = Splits.KFold(ratings, 5, 0);
        var context = new TrainingContext { Seed = 0, Threads = threads };
        string source = shape is null ? data : "generated, ml-100k's shape (943 users, 1,682 movies; ml-100k itself is not on this machine)";
        Console.WriteLine($"fit-speed: {source}, {ratings.Count:N0} ratings, 5 folds (seed 0), {context.EffectiveThreads} training thread(s), {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine("  wall-clock figures are contended on a shared machine; CPU = this thread's CPU seconds (one training thread) or the process's (more threads) over the same interval");
        foreach (var c in shape is null ? Cases : Ml100kCases)
        {
            if (only is not null && !only.Contains(c.Key)) continue;
            // Warm-up over every fold (JIT and first-touch memory), not counted.
            foreach (var fold in folds) Measure(c, fold, context, out _, out _, out _, out _, out _);
            int n = folds.Count;
            var fit = new double[n];
            var fitCpu = new double[n];
            var test = new double[n];
            var testCpu = new double[n];
            double rmse = 0;
            for (int k = 0; k < n; k++)
            {
                Measure(c, folds[k], context, out fit[k], out fitCpu[k], out test[k], out testCpu[k], out double r);
                rmse += r / n;
            }
            double mf = Median(fit), mfc = Median(fitCpu), mt = Median(test), mtc = Median(testCpu);
            // Repeats of the first fold: the minimum is the least-contended figure on a shared machine.
            double bestFit = fit.Min(), bestTest = test.Min();
            for (int rep = 0; rep < repeats; rep++)
            {
                Measure(c, folds[rep % n], context, out double f1, out _, out double t1, out _, out _);
                bestFit = Math.Min(bestFit, f1);
                bestTest = Math.Min(bestTest, t1);
            }
            Console.WriteLine($"{c.Label}: RMSE {rmse:0.0000}, train {folds[0].Train.Count:N0}, test {folds[0].Test.Count:N0} ratings per fold");
            string fitGoal = c.FitGoal > 0 ? $"; goal >= {c.FitGoal}x: {Verdict(c.RefFit, mf, c.FitGoal)} wall, {Verdict(c.RefFit, mfc, c.FitGoal)} CPU" : "; no goal";
            Console.WriteLine($"  fit  median {mf:0.0000} s wall ({c.RefFit / mf:0.0}x), {mfc:0.0000} s CPU ({c.RefFit / mfc:0.0}x) vs Surprise {c.RefFit} s{fitGoal}");
            string testGoal = c.TestGoal > 0 ? $"; goal >= {c.TestGoal}x: {Verdict(c.RefTest, mt, c.TestGoal)} wall, {Verdict(c.RefTest, mtc, c.TestGoal)} CPU" : "";
            Console.WriteLine(c.RefTest > 0
                ? $"  test median {mt:0.0000} s wall ({c.RefTest / mt:0.0}x), {mtc:0.0000} s CPU ({c.RefTest / mtc:0.0}x) vs Surprise {c.RefTest} s{testGoal}"
                : $"  test median {mt:0.0000} s wall, {mtc:0.0000} s CPU (no Surprise figure)");
            Console.WriteLine($"  least-contended (min of {n + repeats} fold runs): fit {bestFit:0.0000} s ({c.RefFit / bestFit:0.0}x{(c.FitGoal > 0 ? $", goal <= {c.RefFit / c.FitGoal:0.000} s: {Verdict(c.RefFit, bestFit, c.FitGoal)}" : "")}), test {bestTest:0.0000} s; load average {LoadAverage()}");
        }
        return 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to judge how contended the run was.</summary>
    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string Verdict(double reference, double ours, double goal) => goal <= 0 ? "-" : reference / ours >= goal ? "PASS" : "MISS";

    private static void Measure(Case c, TrainTestSplit split, TrainingContext context, out double fit, out double fitCpu, out double test, out double testCpu, out double rmse)
    {
        var model = (IRatingPredictor)AlgorithmCatalog.Create(c.Algorithm, c.Parameters);
        var train = new TrainingData(split.Train);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // One training thread: this thread's CPU time (ns resolution, excludes time spent waiting for a core);
        // more threads: the process's CPU time (10 ms ticks).
        bool single = context.EffectiveThreads == 1;
        double cpu0 = Cpu(single);
        var watch = Stopwatch.StartNew();
        model.Fit(train, context);
        fit = watch.Elapsed.TotalSeconds;
        double cpu1 = Cpu(single);
        fitCpu = cpu1 - cpu0;
        var heldOut = split.Test;
        var predicted = new float[heldOut.Count];
        watch.Restart();
        for (int k = 0; k < predicted.Length; k++) predicted[k] = model.Predict(heldOut.Users[k], heldOut.Items[k]);
        test = watch.Elapsed.TotalSeconds;
        testCpu = Cpu(single) - cpu1;
        rmse = RatingMetrics.Rmse(heldOut.Values, predicted);
    }

    private static double Cpu(bool thread)
    {
        if (thread && OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTime, out var ts) == 0) return ts.Seconds + ts.Nanoseconds * 1e-9;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
