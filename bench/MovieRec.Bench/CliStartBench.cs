using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>cli-start [--cli PATH] [--compare [LABEL=]PATH]... [--runs 10] [--data ml-latest-small]</c>: how long a `movierec`
/// command that fits nothing takes as a whole process (issue #18: at most 0.35 s). Without <c>--cli</c> the CLI is
/// published the way its linux-x64 tool package is built (ReadyToRun, framework-dependent) into a scratch folder; each
/// <c>--compare</c> names another build to time the same way (the plain `dotnet build` output,
/// bin/Release/net10.0/movierec, or an older commit's).
/// </summary>
/// <remarks>
/// Every process gets a fresh cache folder at the start of the run (XDG_CACHE_HOME), so the first `data info` parses
/// TMDB 5000 and writes the metadata cache; it is shown on its own row. Then each command runs once to warm the file
/// cache and <c>--runs</c> times measured: wall time from start to exit, and the CPU time (user + system) of the child.
/// </remarks>
internal static class CliStartBench
{
    private const double GoalSeconds = 0.35;

    private static readonly string[][] Commands =
    [
        ["--version"],
        ["data", "info", "--data", "{data}"],
        ["evaluate", "--algorithms", "normal", "--data", "{data}"],
    ];

    public static int Run(string[] args)
    {
        int runs = Bench.IntOption(args, "--runs", 10);
        var data = Bench.Option(args, "--data") ?? DataLocator.DefaultDataset;
        DataLocator.Resolve(data); // fails here, with the usual message, when the dataset is not present
        var scratch = Path.Combine(Path.GetTempPath(), "movierec-bench", "cli-start");
        var cli = Bench.Option(args, "--cli") ?? Publish(Path.Combine(scratch, "cli"));
        var builds = new List<(string Name, string Path)> { ("ReadyToRun", cli) };
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] != "--compare") continue;
            var (label, path) = args[i + 1].Split('=', 2) is [var l, var p] ? (l, p) : ($"compare {builds.Count}", args[i + 1]);
            builds.Add((label, path));
        }

        Console.WriteLine($"cli-start: {runs} runs per command after one warm-up, data {data}, MOVIEREC_DATA={DataLocator.DataRoot ?? "(unset)"}");
        Console.WriteLine($"load average before: {LoadAverage()}");
        var table = new BenchTable("build", "command", "min s", "median s", "CPU median s", "goal s", "x goal (median)", "goal met");
        foreach (var (name, path) in builds)
        {
            var cache = Path.Combine(scratch, "cache-" + string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '-')));
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            // The first command that loads the dataset parses TMDB 5000 and writes the metadata cache.
            var first = Time(path, Expand(Commands[1], data), cache);
            table.Add(name, "data info, first run (empty cache: parses TMDB)", Bench.F(first.Wall, "0.000"), "", Bench.F(first.Cpu, "0.000"), "", "", "");
            foreach (var command in Commands)
            {
                var argv = Expand(command, data);
                Time(path, argv, cache);
                var walls = new double[runs];
                var cpus = new double[runs];
                for (int i = 0; i < runs; i++) (walls[i], cpus[i]) = Time(path, argv, cache);
                double median = Bench.Median(walls);
                table.Add(name, "movierec " + string.Join(' ', argv), Bench.F(walls.Min(), "0.000"), Bench.F(median, "0.000"),
                    Bench.F(Bench.Median(cpus), "0.000"), Bench.F(GoalSeconds, "0.00"), Bench.F(median / GoalSeconds, "0.00"), Bench.YesNo(median <= GoalSeconds));
            }
        }
        table.Print(Console.Out);
        Console.WriteLine($"load average after: {LoadAverage()}");
        Console.WriteLine(Bench.Contention);
        return 0;
    }

    private static string[] Expand(string[] command, string data) => [.. command.Select(a => a == "{data}" ? data : a)];

    /// <summary>Publishes src/MovieRec.Cli as its RID-specific tool package is built: ReadyToRun for this machine's RID.</summary>
    private static string Publish(string output)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) dir = dir.Parent;
        if (dir is null) throw new ArgumentException("MovieRec.slnx not found above the bench binaries: pass --cli PATH");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.FullName, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "publish", "src/MovieRec.Cli/MovieRec.Cli.csproj", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo" })
            start.ArgumentList.Add(a);
        Console.WriteLine($"publishing the CLI for {RuntimeInformation.RuntimeIdentifier} (ReadyToRun) to {output}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{log}");
        return Path.Combine(output, OperatingSystem.IsWindows() ? "movierec.exe" : "movierec");
    }

    /// <summary>One run: wall seconds from start to exit and the child's CPU seconds (user + system).</summary>
    private static (double Wall, double Cpu) Time(string cli, string[] args, string cache)
    {
        var start = new ProcessStartInfo(cli) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["XDG_CACHE_HOME"] = cache;
        double cpuBefore = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{cli} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"movierec {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        _ = stdout.Result;
        return (wall, ChildrenCpuSeconds() - cpuBefore);
    }

    /// <summary>User + system seconds of every waited-for child (getrusage(RUSAGE_CHILDREN)); NaN off Linux.</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        return GetRUsage(-1, out var usage) == 0
            ? usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6
            : double.NaN;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>struct rusage on 64-bit Linux: two timevals, then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRUsage(int who, out RUsage usage);
}
