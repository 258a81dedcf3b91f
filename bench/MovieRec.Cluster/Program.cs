using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRec.Cluster;
using Spectre.Console;

// A local cluster on 127.0.0.1: PostgreSQL, Redis, two replicas of the service and nginx balancing them.
//   up      start it (state in --dir/cluster.json) and leave it running
//   load    a bounded load through nginx; checks every acknowledged rating is in PostgreSQL
//   faults  up, the issue-8 fault scenario under load (SIGKILL + restart, model promotion), down; exit 1 if a promise broke
//   down    stop it and remove --dir
var dir = new Option<string>("--dir") { Description = "The cluster's folder.", DefaultValueFactory = _ => new ClusterOptions().Folder };
var web = new Option<string?>("--web") { Description = "The built service's MovieRec.Web.dll (default: this build's)." };
var seconds = new Option<int>("--seconds") { Description = "Load duration in seconds.", DefaultValueFactory = _ => 30 };
var requests = new Option<int>("--requests") { Description = "At most this many requests.", DefaultValueFactory = _ => 1_000_000 };
var connections = new Option<int>("--connections", "-c") { Description = "Concurrent clients.", DefaultValueFactory = _ => 8 };
var killAfter = new Option<int>("--kill-after") { Description = "Seconds of load before replica 1 is killed.", DefaultValueFactory = _ => 5 };
var report = new Option<string?>("--report") { Description = "Write the figures as JSON to this file." };
var ratings = new Option<int?>("--ratings") { Description = "Serve only the first N ratings of ml-latest-small (quick start-ups and warm-ups; default: all of it)." };

var root = new RootCommand("MovieRec on a local cluster: PostgreSQL + Redis + 2 replicas + nginx on 127.0.0.1.");

var up = new Command("up", "Start PostgreSQL, Redis, two replicas and nginx; leave them running.") { dir, web, ratings };
up.SetAction(async (parse, cancellationToken) =>
{
    var cluster = await LocalCluster.StartAsync(new ClusterOptions { Folder = Path.GetFullPath(parse.GetValue(dir)!), WebDll = parse.GetValue(web), Ratings = parse.GetValue(ratings) }, Log, cancellationToken);
    AnsiConsole.MarkupLine($"[green]up[/]: {Markup.Escape(cluster.LoadBalancer.ToString())} (state in {Markup.Escape(Path.Combine(cluster.Folder, LocalCluster.StateFile))})");
    return 0;
});

var load = new Command("load", "A bounded load through nginx of a cluster that is up; then every acknowledged rating is looked up in PostgreSQL.")
    { dir, seconds, requests, connections, report };
load.SetAction(async (parse, cancellationToken) =>
{
    var state = LocalCluster.ReadState(Path.GetFullPath(parse.GetValue(dir)!));
    var options = new LoadOptions { Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)), MaxRequests = parse.GetValue(requests), Connections = parse.GetValue(connections) };
    var result = await new LoadGenerator(new Uri(state.LoadBalancer), options, Stopwatch.StartNew()).RunAsync(cancellationToken);
    var (acknowledged, stored) = await FaultScenario.AuditAsync(state.RatingsConnectionString, result.Acknowledged, cancellationToken);
    int failed = result.Attempts.Count(a => !a.Ok);
    var table = new Table().AddColumns("figure", "value");
    table.AddRow("requests", Str(result.Attempts.Count));
    table.AddRow("requests/s", (result.Attempts.Count / result.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture));
    table.AddRow("failed requests", Str(failed));
    table.AddRow("ratings acknowledged / stored", $"{acknowledged} / {stored}");
    table.AddRow("latency p50 / p99 (ms)", $"{result.Percentile(0.5):0.0} / {result.Percentile(0.99):0.0}");
    AnsiConsole.Write(table);
    if (parse.GetValue(report) is { } file)
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            requests = result.Attempts.Count,
            seconds = result.Elapsed.TotalSeconds,
            failed,
            acknowledged,
            stored,
            p50 = result.Percentile(0.5),
            p99 = result.Percentile(0.99)
        }, JsonSerializerOptions.Web), cancellationToken);
    return failed == 0 && stored == acknowledged ? 0 : 1;
});

var updateDocs = new Option<string?>("--update-docs") { Description = "Write the figures into this document's <!-- movierec:faults-cluster --> block (docs/reliability.md)." };
var faults = new Command("faults", "Start a cluster, run the fault scenario under load (SIGKILL a replica and restart it; promote a model), report, stop it.")
    { dir, web, seconds, requests, connections, killAfter, report, updateDocs, ratings };
faults.SetAction(async (parse, cancellationToken) =>
{
    var options = new FaultOptions
    {
        Load = new LoadOptions { Duration = TimeSpan.FromSeconds(parse.GetValue(seconds)), MaxRequests = parse.GetValue(requests), Connections = parse.GetValue(connections) },
        KillAfter = TimeSpan.FromSeconds(parse.GetValue(killAfter)),
    };
    await using var cluster = await LocalCluster.StartAsync(new ClusterOptions { Folder = Path.GetFullPath(parse.GetValue(dir)!), WebDll = parse.GetValue(web), Ratings = parse.GetValue(ratings) }, Log, cancellationToken);
    FaultReport figures;
    try
    {
        figures = await FaultScenario.RunAsync(cluster, options, Log, cancellationToken);
    }
    catch
    {
        string logs = Path.Combine(Path.GetTempPath(), $"movierec-cluster-logs-{Environment.ProcessId}");
        cluster.KeepLogs(logs);
        Console.Error.WriteLine($"The servers' logs are in {logs}");
        throw;
    }
    Print(figures);
    if (parse.GetValue(report) is { } file)
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(figures, new JsonSerializerOptions(JsonSerializerOptions.Web) { WriteIndented = true }), cancellationToken);
    var problems = figures.Problems();
    if (parse.GetValue(updateDocs) is { } doc)
        MovieRec.Bench.DocSection.Replace(doc, "faults-cluster", Markdown(figures, options, problems));
    foreach (string problem in problems) AnsiConsole.MarkupLine($"[red]FAIL[/] {Markup.Escape(problem)}");
    if (problems.Count == 0) AnsiConsole.MarkupLine("[green]PASS[/] no acknowledged rating lost, failures only in the kill window, no failure across the promotion, one model version, promotion p99 within 2x the steady p99 plus 10 ms, first requests after ready within 200 ms");
    return problems.Count == 0 ? 0 : 1;
});

var down = new Command("down", "Stop the cluster started by `up` and remove its folder.") { dir };
down.SetAction(async (parse, _) =>
{
    await LocalCluster.DownAsync(Path.GetFullPath(parse.GetValue(dir)!), Log);
    return 0;
});

root.Subcommands.Add(up);
root.Subcommands.Add(load);
root.Subcommands.Add(faults);
root.Subcommands.Add(down);
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (ClusterException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

static void Log(string message) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");

static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

static string Markdown(FaultReport r, FaultOptions options, IReadOnlyList<string> problems) => string.Join('\n',
[
    $"Last run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, `faults --seconds {options.Load.Duration.TotalSeconds:0} -c {options.Load.Connections}` "
        + $"({Environment.ProcessorCount} cores): **{(problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", problems))}**",
    "",
    "| figure | value |",
    "|---|---|",
    $"| requests (operations) | {r.Requests:N0} ({r.Operations:N0}) in {r.Seconds:0.0} s |",
    $"| failed requests: inside the kill window / outside / during the promotion | {r.FailedInsideKillWindow} / {r.FailedOutsideKillWindow} / {r.FailedDuringPromotion} |",
    $"| upstream errors nginx retried on the other replica | {r.NginxUpstreamErrors} |",
    $"| operations that succeeded on retry / failed on every try | {r.RetriesSucceeded} / {r.OperationsFailed} |",
    $"| ratings acknowledged / stored in PostgreSQL | {r.RatingsAcknowledged:N0} / {r.RatingsStored:N0} |",
    $"| latency p50 / p99 | {r.P50Ms:0.0} / {r.P99Ms:0.0} ms |",
    $"| p99 steady / during the promotion ({r.PromotionRequests:N0} requests; limit {FaultReport.PromotionP99Factor:0}x + {FaultReport.PromotionP99SlackMs:0} ms) | {r.SteadyP99Ms:0.0} / {r.PromotionP99Ms:0.0} ms ({r.PromotionP99Ms / r.SteadyP99Ms:0.00}x) |",
    $"| first request of each algorithm after the restarted replica was ready (limit {FaultReport.FirstRequestLimitMs:0} ms) | {string.Join(", ", r.FirstRequestsAfterReadyMs.Select(f => $"{f.Key} {f.Value:0}"))} ms |",
    $"| model versions of the replicas (promoted) | {string.Join(", ", r.ReplicaVersions)} ({r.PromotedVersion}) |",
]);

static void Print(FaultReport r)
{
    var table = new Table().AddColumns("figure", "value");
    table.AddRow("requests (operations)", $"{r.Requests} ({r.Operations}) in {r.Seconds:0.0} s");
    table.AddRow("failed requests", Str(r.FailedRequests));
    table.AddRow($"  inside the kill window {r.KillWindow}", Str(r.FailedInsideKillWindow));
    table.AddRow("  outside the kill window", Str(r.FailedOutsideKillWindow));
    table.AddRow($"  during the promotion {r.PromotionWindow}", Str(r.FailedDuringPromotion));
    table.AddRow("upstream errors nginx retried on the other replica", Str(r.NginxUpstreamErrors));
    table.AddRow("operations that succeeded on retry", Str(r.RetriesSucceeded));
    table.AddRow("operations failed on every try", Str(r.OperationsFailed));
    table.AddRow("ratings acknowledged / stored", $"{r.RatingsAcknowledged} / {r.RatingsStored}");
    table.AddRow("latency p50 / p99 (ms)", $"{r.P50Ms:0.0} / {r.P99Ms:0.0}");
    table.AddRow("p99 steady / during the promotion (ms)", $"{r.SteadyP99Ms:0.0} / {r.PromotionP99Ms:0.0} ({r.PromotionRequests} requests)");
    table.AddRow("first request per algorithm after ready (ms)", Markup.Escape(string.Join(", ", r.FirstRequestsAfterReadyMs.Select(f => $"{f.Key} {f.Value:0}"))));
    table.AddRow("model versions (promoted)", Markup.Escape($"{string.Join(", ", r.ReplicaVersions)} ({r.PromotedVersion})"));
    AnsiConsole.Write(table);
    foreach (string sample in r.FailureSamples) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(sample)}[/]");
}
