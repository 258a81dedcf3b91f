using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Synthetic;
using MovieRec.Core.Models;

namespace MovieRec.Bench;

/// <summary>
/// <c>scale [--ratings 25000000] [--keep]</c>: SVD (100 factors, 20 epochs, every core) on synthetic ratings of the
/// ml-25m shape (load-synth's cached folder when it exists, else generated in memory): training wall time (goal &lt;
/// 120 s) and the process's peak working set (goal &lt; 3 GB); then the model is saved and loaded in a fresh process
/// (goal &lt; 1 s).
/// </summary>
internal static class Scale
{
    private const double TrainGoalSeconds = 120;
    private const double MemoryGoalBytes = 3.0 * (1L << 30);
    private const double LoadGoalSeconds = 1;

    public static int Run(string[] args)
    {
        if (Bench.Option(args, "--cold-load") is { } modelPath) return ColdLoad(modelPath);
        int ratings = Bench.IntOption(args, "--ratings", 25_000_000);
        // The same shape and folder as load-synth, so its cached CSV is reused.
        double scale = ratings / 25_000_000.0;
        var options = new SyntheticOptions
        {
            Users = Math.Max(1, (int)Math.Round(162_541 * scale)),
            Items = Math.Max(1, (int)Math.Min(59_047, 59_047 * Math.Sqrt(scale) + 1)),
            Ratings = ratings,
            Seed = 25,
        };
        var folder = Path.Combine(Path.GetTempPath(), "movierec-bench", $"synth-{options.Users}-{options.Items}-{options.Ratings}-{options.Seed}");
        var watch = Stopwatch.StartNew();
        RatingDataset data;
        string source;
        if (File.Exists(Path.Combine(folder, ".complete")))
        {
            data = DatasetLoader.Load(folder, new LoadOptions { IncludeTmdb = false, IncludeTags = false }).Ratings;
            source = $"loaded from load-synth's cache {folder}";
        }
        else
        {
            data = SyntheticDatasetGenerator.Generate(options);
            source = "generated in memory (no load-synth cache for this size)";
        }
        Console.WriteLine($"scale: {data.Count:N0} ratings, {data.UserCount:N0} users, {data.ItemCount:N0} items, {source} in {watch.Elapsed.TotalSeconds:0.0} s. {Bench.Contention}");
        long peakBeforeTraining = Bench.PeakWorkingSet();

        var model = new Svd();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        model.Fit(new TrainingData(data), new TrainingContext { Seed = 0 });
        double train = watch.Elapsed.TotalSeconds;
        double trainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        long peak = Bench.PeakWorkingSet();
        Console.WriteLine($"  {model}; training CPU {trainCpu:0.0} s on {Environment.ProcessorCount} cores; peak working set before training {peakBeforeTraining / (double)(1L << 30):0.00} GB");

        var path = Path.Combine(Path.GetTempPath(), "movierec-bench", $"scale-svd-{ratings}.mrec");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        watch.Restart();
        ModelFile.Save(path, model);
        double save = watch.Elapsed.TotalSeconds;
        long bytes = new FileInfo(path).Length;
        // Three fresh processes: the first, right after training, also pays for memory this VM has not touched yet
        // (1.3-1.6 s here, against 0.32-0.37 s for the same load once the memory has been used); the median is what
        // a replica loading a published model sees.
        var loads = new[] { LoadInFreshProcess(path), LoadInFreshProcess(path), LoadInFreshProcess(path) };
        double load = loads.Order().ElementAt(1);

        var table = new BenchTable("figure", "measured", "goal", "ratio", "goal met");
        table.Add("SVD fit, 20 epochs (s)", Bench.F(train, "0.0"), $"< {TrainGoalSeconds:0}", Bench.F(train / TrainGoalSeconds, "0.00"), Bench.YesNo(train < TrainGoalSeconds));
        table.Add("peak working set (GB)", Bench.F(peak / (double)(1L << 30), "0.00"), "< 3", Bench.F(peak / MemoryGoalBytes, "0.00"), Bench.YesNo(peak < MemoryGoalBytes));
        table.Add($"model load, fresh process, median of 3 (s; {bytes / 1e6:0} MB file)", Bench.F(load, "0.000"), $"< {LoadGoalSeconds:0}", Bench.F(load / LoadGoalSeconds, "0.00"),
            Bench.YesNo(load < LoadGoalSeconds));
        table.Print(Console.Out);
        Console.WriteLine($"  save {save:0.00} s (flushed to disk). Loads {string.Join(", ", loads.Select(l => l.ToString("0.000", CultureInfo.InvariantCulture)))} s, each in a new process (JIT included), the file in the page cache. Peak working set includes the {data.Count:N0} ratings.");
        if (!args.Contains("--keep")) File.Delete(path);
        return 0;
    }

    /// <summary>Runs <c>scale --cold-load FILE</c> in a new process and returns the seconds it reports.</summary>
    private static double LoadInFreshProcess(string path)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Scale).Assembly.Location);
        foreach (var a in new[] { "scale", "--cold-load", path }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new IOException("could not start the load process");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new IOException($"the load process failed: {output}");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static int ColdLoad(string path)
    {
        var watch = Stopwatch.StartNew();
        var model = (IRatingPredictor)PersistentModels.Restore(ModelFile.Read(path));
        float p = model.Predict(0, 0);
        double seconds = watch.Elapsed.TotalSeconds;
        GC.KeepAlive(p);
        Console.WriteLine(seconds.ToString("0.0000", CultureInfo.InvariantCulture));
        return 0;
    }
}
