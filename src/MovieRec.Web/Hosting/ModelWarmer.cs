using System.Diagnostics;
using System.Globalization;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Readiness means ready: before a model version is promoted (at start after the metadata join, after a retrain, when
/// another replica's model is picked up) every algorithm the service offers is trained and has answered one request
/// through the path real requests take, and the catalogue's indexes are built, so the first request after
/// /health/ready turns green, or after a swap, finds nothing cold. The algorithms come from
/// <see cref="AlgorithmChoices.Served"/> (the one list of what this deployment serves, MovieRec:ServedAlgorithms). Before the service is ready nobody
/// waits on it, so warming uses every core (<see cref="WarmMode.Start"/>); a candidate warmed while the current model
/// serves is trained on one thread at the lowest CPU priority (<see cref="WarmMode.Background"/>), so the requests
/// being served keep their cores: the promotion's p99 stays near the steady p99 (docs/reliability.md).
/// </summary>
public sealed class ModelWarmer(ILogger<ModelWarmer> logger, AlgorithmChoices algorithms)
{
    /// <summary>How a warm-up shares the machine.</summary>
    public enum WarmMode
    {
        /// <summary>Nothing is served yet: every core, normal priority.</summary>
        Start,

        /// <summary>Beside the serving model: one training thread, at the lowest priority (nice 19 on Linux).</summary>
        Background,
    }

    /// <summary>
    /// Warms <paramref name="model"/> and <paramref name="catalog"/>, the catalogue first, then the default algorithm,
    /// then the others; calls <paramref name="defaultWarm"/> once the default is trained (start-up promotes the model
    /// then). Returns the seconds each part took.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> WarmAsync(ServingModel model, CatalogIndex catalog, WarmMode mode, CancellationToken cancellationToken, Action? defaultWarm = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(catalog);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        string? first = ServingModel.Find(algorithms.Default)?.Name;
        var names = algorithms.Served.Select(a => a.Name).OrderBy(name => name == first ? 0 : 1).ToList();
        void Train()
        {
            var clock = Stopwatch.StartNew();
            catalog.WarmUp();
            _ = model.Explainer;
            seconds["catalogue"] = clock.Elapsed.TotalSeconds;
            foreach (string name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                clock.Restart();
                if (mode == WarmMode.Background) model.Warm(name, threads: 1).GetAwaiter().GetResult();
                else model.GetAsync(name).GetAwaiter().GetResult();
                seconds[name] = clock.Elapsed.TotalSeconds;
                if (name == first) defaultWarm?.Invoke();
            }
        }
        if (mode == WarmMode.Background) await OnLowPriorityThread(Train).ConfigureAwait(false);
        else await Task.Run(Train, cancellationToken).ConfigureAwait(false);
        // One list for a new visitor and one for a dataset user per algorithm: what the first request builds besides the model.
        var lists = Stopwatch.StartNew();
        foreach (string name in names) await Recommender.WarmAsync(model, name, cancellationToken).ConfigureAwait(false);
        seconds["lists"] = lists.Elapsed.TotalSeconds;
        logger.LogInformation("Warmed model {Version} (catalogue generation {Generation}, {Mode}) in {Seconds:0.0} s: {Parts}", model.Version, catalog.Generation,
            mode == WarmMode.Start ? "every core" : "one low-priority thread", total.Elapsed.TotalSeconds,
            string.Join(", ", seconds.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00} s"))));
        return seconds;
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own at the lowest scheduling priority the OS grants without privileges.</summary>
    private static Task OnLowPriorityThread(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerPriority();
            try
            {
                work();
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to the awaiting caller.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "movierec-warm-up",
            Priority = ThreadPriority.Lowest,
        };
        thread.Start();
        return done.Task;
    }

    // .NET's thread priorities do nothing on Linux: nice the thread itself (Linux schedules threads by their own nice).
    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = SetPriority(0 /* PRIO_PROCESS: a thread id on Linux */, GetThreadId(), 19);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another libc: the warm-up still uses one thread only.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int GetThreadId();

    /// <summary>
    /// The first request of each kind pays for compiling its code path (routing, binding, JSON, Razor): at start,
    /// once, the service sends itself one of each through its own listener before it says it is ready. Skipped when
    /// there is no network listener (in-process tests).
    /// </summary>
    /// <summary>
    /// The pages the warm-up asks for, and the search page's description search (a title search's words searched as a
    /// description when no title matches). Not the dashboard: its first visit starts the per-algorithm evaluation
    /// (<see cref="EvaluationReport"/>: every served algorithm trained again, minutes of a core and 350 MB at every
    /// start of every replica, for a first visit of about 50 ms). Not the account paths (POST /api/v1/sessions, PUT
    /// /api/v1/me/ratings, a visitor's list): they would create an account in the ratings database, shared by every
    /// replica, at each start (about 10 ms each).
    /// </summary>
    internal static readonly string[] WarmedPages = ["/", "/movies/1", "/search?q=star", "/search?describe=star", "/recommendations", "/clusters"];

    public async Task WarmRequestsAsync(Microsoft.AspNetCore.Hosting.Server.IServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        string? address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var baseUri))
            return;
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        int ok = 0, failed = 0;
        async Task Send(HttpRequestMessage request)
        {
            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) ok++;
                else failed++;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failed++; // a warm-up request that fails costs nothing but its warmth
            }
            finally
            {
                request.Dispose();
            }
        }
        HttpRequestMessage Page(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html");
            return request;
        }
        foreach (var algorithm in algorithms.Served)
        {
            // Rating models are offered to dataset users only (a handful of ratings gets a 400 naming why).
            await Send(algorithm.ForNewUsers
                ? new HttpRequestMessage(HttpMethod.Post, "/api/v1/recommendations")
                {
                    Content = new StringContent($"{{\"ratings\":[],\"n\":1,\"algorithm\":\"{algorithm.Name}\"}}", System.Text.Encoding.UTF8, "application/json"),
                }
                : new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/1/recommendations?n=1&algorithm={algorithm.Name}")).ConfigureAwait(false);
        }
        foreach (string path in new[] { "/api/v1/movies?pageSize=1", "/api/v1/search?q=star", "/api/v1/users/1/recommendations?n=1" })
            await Send(new HttpRequestMessage(HttpMethod.Get, path)).ConfigureAwait(false);
        foreach (string path in WarmedPages)
            await Send(Page(path)).ConfigureAwait(false);
        logger.LogInformation("Warmed the request paths with {Ok} requests to {Address} ({Failed} not 2xx) in {Seconds:0.00} s", ok, baseUri, failed, clock.Elapsed.TotalSeconds);
    }
}
