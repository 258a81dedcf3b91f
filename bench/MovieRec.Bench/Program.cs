using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Synthetic;

namespace MovieRec.Bench;

/// <summary>
/// Benchmarks with goals from the issues. Run in Release:
/// <c>dotnet run -c Release --project bench/MovieRec.Bench -- load [--data X] [--runs N]</c> and
/// <c>dotnet run -c Release --project bench/MovieRec.Bench -- load-synth [--ratings 25000000]</c>.
/// </summary>
internal static class Program
{
    private const double SmallLoadGoalSeconds = 0.3;
    private const double BigLoadGoalSeconds = 20;
    private const double BigLoadGoalBytes = 2.0 * (1L << 30);

    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: MovieRec.Bench load [--data X] [--runs N] [--reader auto|bytes|sep] | load-synth [--ratings N] [--folder DIR] [--runs N] [--reader auto|bytes|sep]");
            return 2;
        }
        try
        {
            return args[0] switch
            {
                "fit-speed" => FitSpeed.Run(args),
                "load" => Load(Option(args, "--data") ?? DataLocator.DefaultDataset, int.Parse(Option(args, "--runs") ?? "7", CultureInfo.InvariantCulture), Engine(args)),
                "load-synth" => LoadSynth(int.Parse(Option(args, "--ratings") ?? "25000000", CultureInfo.InvariantCulture), Option(args, "--folder"),
                    int.Parse(Option(args, "--runs") ?? "1", CultureInfo.InvariantCulture), Engine(args)),
                "parity" => Parity.Run(args),
                "ranking" => Ranking.Run(args),
                "newuser" => NewUserBench.Run(args),
                "newuser-predict" => NewUserPredictionsBench.Run(args),
                "personas" => PersonasBench.Run(args),
                "latency" => Latency.Run(args),
                "taste-cost" => TasteCostBench.Run(args),
                "browse-taste" => BrowseTasteBench.Run(args),
                "scale" => Scale.Run(args),
                "kmeans" => KMeansBench.Run(args),
                "content" => ContentBench.Run(args),
                "similar" => SimilarBench.Run(args),
                "also-liked" => AlsoLikedBench.Run(args),
                "hybrid" => HybridBench.Run(args),
                "semantic" => SemanticBench.Run(args),
                "serve" => ServeBench.Run(args),
                "soak" => ServeBench.Soak(args),
                "first-start" => ServeBench.FirstStart(args),
                "cli-start" => CliStartBench.Run(args),
                "readers" => ReaderBench.Run(args),
                "profile-load" => ProfileLoad(Option(args, "--file") ?? throw new ArgumentException("profile-load needs --file ratings.csv"), Engine(args)),
                _ => Fail($"unknown benchmark '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is DatasetNotFoundException or DataFormatException or IOException or ArgumentException or FormatException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    /// <summary>--reader bytes|sep|auto: which delimited-file parser the loaders use (docs/benchmarks.md, "Which CSV reader").</summary>
    private static DelimitedEngine Engine(string[] args) => Option(args, "--reader") switch
    {
        null or "auto" => DelimitedEngine.Auto,
        "bytes" => DelimitedEngine.Bytes,
        "sep" => DelimitedEngine.Sep,
        var other => throw new ArgumentException($"--reader must be auto, bytes or sep, not '{other}'"),
    };

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Where a ratings.csv load spends its time: raw IO, record splitting, field parsing, then the whole loader.</summary>
    private static int ProfileLoad(string file, DelimitedEngine engine)
    {
        var buffer = new byte[1 << 20];
        var watch = new PhaseWatch();
        using (var stream = File.OpenRead(file))
        {
            while (stream.Read(buffer) > 0) { }
        }
        Console.WriteLine($"  read bytes:        {watch}");

        watch.Restart();
        long rows = 0;
        using (var reader = DelimitedReader.Open(File.OpenRead(file), file, ",", engine: engine))
        {
            while (reader.Read()) rows++;
        }
        Console.WriteLine($"  split records:     {watch} ({rows:N0} rows)");

        watch.Restart();
        long checksum = 0;
        using (var reader = DelimitedReader.Open(File.OpenRead(file), file, ",", engine: engine))
        {
            reader.Read();
            while (reader.Read())
            {
                checksum += reader.Long(0, "userId") + reader.Long(1, "movieId") + (long)reader.Float(2, "rating") + reader.Long(3, "timestamp");
            }
        }
        Console.WriteLine($"  split and parse:   {watch} (checksum {checksum})");

        watch.Restart();
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var dataset = DatasetLoader.Load(folder, new LoadOptions { IncludeTmdb = false, IncludeTags = false, Reader = engine });
        Console.WriteLine($"  whole load:        {watch} ({dataset.Ratings.Count:N0} ratings)");
        return 0;
    }

    /// <summary>Wall and CPU time since the last restart: on a shared machine CPU time is the steadier figure.</summary>
    private sealed class PhaseWatch
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

        public void Restart()
        {
            _wall.Restart();
            _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        }

        public override string ToString() =>
            $"{_wall.Elapsed.TotalSeconds:0.00} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds:0.00} s CPU";
    }

    /// <summary>ml-latest-small (ratings, movies, tags, links; TMDB join off): median of several loads after one warm-up.</summary>
    private static int Load(string data, int runs, DelimitedEngine engine)
    {
        var path = DataLocator.Resolve(data);
        var options = new LoadOptions { IncludeTmdb = false, Reader = engine };
        var warm = DatasetLoader.Load(path, options); // JIT and file cache
        var times = new double[runs];
        var cpu = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var dataset = DatasetLoader.Load(path, options);
            times[r] = watch.Elapsed.TotalSeconds;
            cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            GC.KeepAlive(dataset);
        }
        Array.Sort(times);
        Array.Sort(cpu);
        double median = times[runs / 2];
        Console.WriteLine($"load {path} (reader {engine}): {warm.Ratings.Count:N0} ratings, {warm.Catalog.Count:N0} movies, {warm.Tags.Count:N0} tags");
        Console.WriteLine($"  median of {runs} loads: {median:0.000} s (min {times[0]:0.000}, max {times[^1]:0.000}); median CPU {cpu[runs / 2]:0.000} s");
        Console.WriteLine($"  goal < {SmallLoadGoalSeconds} s: ratio {median / SmallLoadGoalSeconds:0.00} {(median < SmallLoadGoalSeconds ? "PASS" : "MISS")}");
        return 0;
    }

    /// <summary>ml-25m shape from the synthetic generator (written once to a temp folder, then reused): load time and peak memory.</summary>
    private static int LoadSynth(int ratings, string? folder, int runs, DelimitedEngine engine)
    {
        // ml-25m: 162,541 users, 59,047 rated movies, 25,000,095 ratings; smaller sizes scale users and items alike.
        double scale = ratings / 25_000_000.0;
        var options = new SyntheticOptions
        {
            Users = Math.Max(1, (int)Math.Round(162_541 * scale)),
            Items = Math.Max(1, (int)Math.Min(59_047, 59_047 * Math.Sqrt(scale) + 1)),
            Ratings = ratings,
            Seed = 25,
        };
        folder ??= Path.Combine(Path.GetTempPath(), "movierec-bench", $"synth-{options.Users}-{options.Items}-{options.Ratings}-{options.Seed}");
        var marker = Path.Combine(folder, ".complete");
        if (!File.Exists(marker))
        {
            var watch = Stopwatch.StartNew();
            SyntheticDatasetGenerator.Write(options, folder, SyntheticFormat.Csv);
            File.WriteAllText(marker, "");
            Console.WriteLine($"synthesised {options.Ratings:N0} ratings ({options.Users:N0} users, {options.Items:N0} movies) to {folder} in {watch.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            Console.WriteLine($"reusing {folder}");
        }
        long fileBytes = new FileInfo(Path.Combine(folder, "ratings.csv")).Length;
        var loadOptions = new LoadOptions { IncludeTmdb = false, Reader = engine };
        var times = new double[runs];
        var cpu = new double[runs];
        Dataset? dataset = null;
        for (int r = 0; r < runs; r++)
        {
            dataset = null;
            GC.Collect();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            dataset = DatasetLoader.Load(folder, loadOptions);
            times[r] = watch.Elapsed.TotalSeconds;
            cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        double median = times[runs / 2];
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long peak = process.PeakWorkingSet64;
        Console.WriteLine($"load (reader {engine}): {dataset!.Ratings.Count:N0} ratings, {dataset.Ratings.UserCount:N0} users, {dataset.Ratings.ItemCount:N0} items from {fileBytes / 1e6:0} MB of ratings.csv");
        Console.WriteLine($"  time (median of {runs}): {median:0.00} s ({fileBytes / 1e6 / median:0} MB/s); CPU {cpu[runs / 2]:0.00} s; goal < {BigLoadGoalSeconds} s: ratio {median / BigLoadGoalSeconds:0.00} {(median < BigLoadGoalSeconds ? "PASS" : "MISS")}");
        Console.WriteLine($"  peak working set: {peak / (double)(1L << 30):0.00} GB; goal < 2 GB: ratio {peak / BigLoadGoalBytes:0.00} {(peak < BigLoadGoalBytes ? "PASS" : "MISS")}");
        GC.KeepAlive(dataset);
        return 0;
    }
}
