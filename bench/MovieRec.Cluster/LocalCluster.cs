using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace MovieRec.Cluster;

/// <summary>What <c>up</c> starts: how many replicas, where, and the service settings every replica gets.</summary>
internal sealed record ClusterOptions
{
    /// <summary>The folder holding every server's data, configuration and log; created, and removed by <c>down</c>.</summary>
    public string Folder { get; init; } = Path.Combine(Path.GetTempPath(), "movierec-cluster");

    public int Replicas { get; init; } = 2;

    /// <summary>The built service (MovieRec.Web.dll); default: this build's, next to the harness in the repository.</summary>
    public string? WebDll { get; init; }

    /// <summary>How long a replica may take to become ready (the first one trains a model).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// A candidate is promoted when its holdout RMSE is at most the current one's plus this. The harness promotes
    /// always: its anonymous users rate at random, and the scenario is about the swap, not the model's quality.
    /// </summary>
    public double PromotionTolerance { get; init; } = 10;

    /// <summary>
    /// Null: the replicas serve all of ml-latest-small. N: they serve a copy in the folder holding its first N ratings
    /// (the first users' histories) and every movie, without TMDB metadata, so every start-up and every warm-up of the
    /// catalogue's algorithms takes seconds instead of minutes (the test: the scenario is about failover and the swap,
    /// not about the models).
    /// </summary>
    public int? Ratings { get; init; }
}

/// <summary>One replica of the service: its port, its own data directory, its process.</summary>
internal sealed class Replica(int index, int port, string dataDirectory)
{
    public int Index { get; } = index;

    public int Port { get; } = port;

    public string DataDirectory { get; } = dataDirectory;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public Process? Process { get; set; }

    public string Log => Path.Combine(DataDirectory, "replica.log");
}

/// <summary>The state <c>up</c> leaves for <c>load</c>, <c>faults</c> and <c>down</c> (cluster.json in the folder).</summary>
internal sealed record ClusterState(string Folder, string LoadBalancer, string[] Replicas, int[] Pids, string RatingsConnectionString, string AdminKey,
    string PostgresBin, string PostgresData);

/// <summary>
/// PostgreSQL, Redis, N replicas of the service sharing one model directory, and nginx balancing them, all on
/// 127.0.0.1 under one folder. Servers write their output to log files in that folder, so the cluster outlives the
/// command that started it (<c>up</c>) until <c>down</c>.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    public const string StateFile = "cluster.json";
    private readonly ClusterOptions _options;
    private readonly Action<string> _log;
    private readonly Dictionary<string, string> _replicaEnvironment = [];
    private Process? _redis;
    private Process? _nginx;
    private string? _postgresBin;
    private bool _postgresStarted;
    private bool _ownsFolder;

    private LocalCluster(ClusterOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
        AdminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    }

    public string Folder => _options.Folder;

    public Uri LoadBalancer { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<Replica> Replicas { get; private set; } = [];

    public string RatingsConnectionString { get; private set; } = "";

    public string AdminKey { get; }

    public string ModelDirectory => Path.Combine(Folder, "models");

    private string PostgresData => Path.Combine(Folder, "postgres", "data");

    /// <summary>Starts everything and waits until nginx answers and every replica is ready; stops what started on failure.</summary>
    public static async Task<LocalCluster> StartAsync(ClusterOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new LocalCluster(options, log);
        try
        {
            await cluster.StartAllAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartAllAsync(CancellationToken cancellationToken)
    {
        string webDll = _options.WebDll ?? DefaultWebDll();
        if (!File.Exists(webDll)) throw new ClusterException($"The service is not built: {webDll} is missing (dotnet build src/MovieRec.Web).");
        string nginx = Tools.Find("nginx", "/usr/sbin/nginx");
        string redis = Tools.Find("redis-server", "/usr/bin/redis-server");
        _postgresBin = Tools.PostgresBin();
        string dataRoot = Tools.DatasetsRoot();

        if (File.Exists(Path.Combine(Folder, StateFile)))
            throw new ClusterException($"A cluster is already up in {Folder}: run `down --dir {Folder}` first.");
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        Directory.CreateDirectory(Folder);
        _ownsFolder = true;
        Directory.CreateDirectory(ModelDirectory);

        int pgPort = Tools.FreePort();
        await StartPostgresAsync(pgPort, cancellationToken).ConfigureAwait(false);
        RatingsConnectionString = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=movierec;Maximum Pool Size=40;Timeout=5;Command Timeout=5";
        SaveState(); // after each server, so `down` stops whatever started even if this process dies mid-way

        int redisPort = Tools.FreePort();
        string redisDir = Path.Combine(Folder, "redis");
        Directory.CreateDirectory(redisDir);
        _redis = Tools.Spawn(redis, ["--port", Str(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir],
            Path.Combine(redisDir, "redis.log"));
        SaveState();
        await Tools.WaitAsync("redis", () => Tools.RedisPingAsync(redisPort), TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        _log($"redis on 127.0.0.1:{redisPort}");

        _replicaEnvironment["ConnectionStrings__Ratings"] = RatingsConnectionString;
        _replicaEnvironment["Redis__Configuration"] = $"127.0.0.1:{redisPort}";
        _replicaEnvironment["MovieRec__ModelDirectory"] = ModelDirectory;
        _replicaEnvironment["MovieRec__ModelWatchInterval"] = "00:00:01";
        // nginx on 127.0.0.1 is the one hop whose X-Forwarded-For is believed (as an overlay names its ingress).
        _replicaEnvironment["MovieRec__TrustedProxies"] = "127.0.0.1";
        // Every load client is 127.0.0.1 too: per-client rate limits would throttle the whole load as one client.
        _replicaEnvironment["MovieRec__RateLimitPerMinute"] = "0";
        _replicaEnvironment["MovieRec__PromotionTolerance"] = _options.PromotionTolerance.ToString(CultureInfo.InvariantCulture);
        // The service's defaults otherwise: warm-up on (ready only once every algorithm is trained; promotions warm the
        // candidate first) and the default algorithm; the load asks for every algorithm the service offers.
        _replicaEnvironment["Admin__ApiKey"] = AdminKey;
        _replicaEnvironment["MOVIEREC_DATA"] = dataRoot;
        if (_options.Ratings is int ratings) _replicaEnvironment["MovieRec__Dataset"] = WriteSmallDataset(dataRoot, ratings);
        _replicaEnvironment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _replicaEnvironment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var replicas = new List<Replica>();
        for (int i = 0; i < _options.Replicas; i++)
        {
            var replica = new Replica(i, Tools.FreePort(), Path.Combine(Folder, $"replica-{i}"));
            Directory.CreateDirectory(replica.DataDirectory);
            replicas.Add(replica);
        }
        Replicas = replicas;
        _webDll = webDll;
        // The first replica trains and publishes the first model; the others start once it is published and load it
        // from the shared directory. Every replica then warms its algorithms (in parallel) before it is ready.
        StartReplica(replicas[0], webDll);
        SaveState();
        string manifest = Path.Combine(ModelDirectory, "current.json");
        await Tools.WaitAsync("the first model", () =>
        {
            if (replicas[0].Process is { HasExited: true } p)
                throw new ClusterException($"replica 0 exited with code {p.ExitCode}; see {replicas[0].Log}:\n{Tools.Tail(replicas[0].Log)}");
            return Task.FromResult(File.Exists(manifest));
        }, _options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var replica in replicas.Skip(1))
        {
            StartReplica(replica, webDll);
            SaveState();
        }
        foreach (var replica in replicas) await WaitReadyAsync(replica, cancellationToken).ConfigureAwait(false);

        int nginxPort = Tools.FreePort();
        string nginxDir = Path.Combine(Folder, "nginx");
        Directory.CreateDirectory(nginxDir);
        string config = Path.Combine(nginxDir, "nginx.conf");
        await File.WriteAllTextAsync(config, NginxConfig.Render(nginxDir, nginxPort, replicas.Select(r => r.Port), Environment.UserName == "root"), cancellationToken)
            .ConfigureAwait(false);
        _nginx = Tools.Spawn(nginx, ["-p", nginxDir + "/", "-c", config, "-e", Path.Combine(nginxDir, "error.log")], Path.Combine(nginxDir, "nginx.out"));
        LoadBalancer = new Uri($"http://127.0.0.1:{nginxPort}/");
        SaveState();
        await Tools.WaitAsync("nginx", () => Tools.IsOkAsync(new Uri(LoadBalancer, "health/live")), TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        _log($"nginx on {LoadBalancer} balancing {string.Join(", ", replicas.Select(r => r.Url))}");
    }

    private string? _webDll;

    /// <summary>The first <paramref name="ratings"/> ratings of ml-latest-small and its movies and links, in the folder.</summary>
    private string WriteSmallDataset(string dataRoot, int ratings)
    {
        if (ratings < 1) throw new ClusterException($"Ratings is {ratings}; use a positive number of ratings.");
        string source = Path.Combine(dataRoot, "ml-latest-small"), target = Path.Combine(Folder, $"ml-latest-small-{ratings}");
        Directory.CreateDirectory(target);
        File.WriteAllLines(Path.Combine(target, "ratings.csv"), File.ReadLines(Path.Combine(source, "ratings.csv")).Take(ratings + 1));
        foreach (string file in (string[])["movies.csv", "links.csv"]) File.Copy(Path.Combine(source, file), Path.Combine(target, file));
        _log($"the replicas serve {target} (the first {ratings} ratings of ml-latest-small)");
        return target;
    }

    private async Task StartPostgresAsync(int port, CancellationToken cancellationToken)
    {
        string bin = _postgresBin!;
        string root = Path.Combine(Folder, "postgres");
        Directory.CreateDirectory(root);
        bool asRoot = Environment.UserName == "root";
        // PostgreSQL refuses to run as root: as root, the postgres user owns its folder and runs it.
        if (asRoot) await Tools.RunAsync("chown", ["postgres:postgres", root], cancellationToken).ConfigureAwait(false);
        await Postgres("initdb", ["-D", PostgresData, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken).ConfigureAwait(false);
        string settings = $"-p {port} -h 127.0.0.1 -k {PostgresData} -c max_connections=150 -c fsync=on -c synchronous_commit=on";
        await Postgres("pg_ctl", ["-D", PostgresData, "-l", Path.Combine(root, "postgres.log"), "-o", settings, "-w", "-t", "60", "start"], cancellationToken)
            .ConfigureAwait(false);
        _postgresStarted = true;
        await using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres"))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var create = new NpgsqlCommand("CREATE DATABASE movierec", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        _log($"postgresql on 127.0.0.1:{port} ({PostgresData})");
    }

    private Task Postgres(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Tools.RunAsync(Path.Combine(_postgresBin!, tool), arguments, cancellationToken, asPostgres: Environment.UserName == "root");

    private void StartReplica(Replica replica, string webDll)
    {
        var environment = new Dictionary<string, string>(_replicaEnvironment) { ["MovieRec__DataDirectory"] = replica.DataDirectory };
        replica.Process = Tools.Spawn("dotnet", [webDll, "--urls", replica.Url.ToString().TrimEnd('/')], replica.Log, environment,
            Path.GetDirectoryName(webDll));
    }

    private async Task WaitReadyAsync(Replica replica, CancellationToken cancellationToken)
    {
        var ready = new Uri(replica.Url, "health/ready");
        await Tools.WaitAsync($"replica {replica.Index}", async () =>
        {
            if (replica.Process is { HasExited: true } p)
                throw new ClusterException($"replica {replica.Index} exited with code {p.ExitCode}; see {replica.Log}:\n{Tools.Tail(replica.Log)}");
            return await Tools.IsOkAsync(ready).ConfigureAwait(false);
        }, _options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        _log($"replica {replica.Index} ready on {replica.Url}");
    }

    /// <summary>SIGKILL: no shutdown hooks, in-flight requests are cut.</summary>
    public void Kill(int index)
    {
        var process = Replicas[index].Process ?? throw new InvalidOperationException($"replica {index} is not running");
        process.Kill();
        process.WaitForExit();
        process.Dispose();
        Replicas[index].Process = null;
    }

    /// <summary>Starts a killed replica again on its port and waits until it is ready.</summary>
    public async Task RestartAsync(int index, CancellationToken cancellationToken)
    {
        var replica = Replicas[index];
        if (replica.Process is not null) throw new InvalidOperationException($"replica {index} is running");
        StartReplica(replica, _webDll!);
        SaveState();
        await WaitReadyAsync(replica, cancellationToken).ConfigureAwait(false);
    }

    private void SaveState()
    {
        var pids = new List<int>();
        if (_nginx is not null) pids.Add(_nginx.Id);
        pids.AddRange(Replicas.Where(r => r.Process is not null).Select(r => r.Process!.Id));
        if (_redis is not null) pids.Add(_redis.Id);
        var state = new ClusterState(Folder, LoadBalancer.ToString(), [.. Replicas.Select(r => r.Url.ToString())], [.. pids], RatingsConnectionString, AdminKey,
            _postgresBin ?? "", PostgresData);
        File.WriteAllText(Path.Combine(Folder, StateFile), JsonSerializer.Serialize(state, JsonSerializerOptions.Web));
    }

    public static ClusterState ReadState(string folder)
    {
        string file = Path.Combine(folder, StateFile);
        if (!File.Exists(file)) throw new ClusterException($"No cluster is up in {folder} ({file} is missing): run `up` first.");
        return JsonSerializer.Deserialize<ClusterState>(File.ReadAllText(file), JsonSerializerOptions.Web)
            ?? throw new ClusterException($"{file} is empty.");
    }

    /// <summary>Stops a cluster from its state file (another process started it) and removes its folder.</summary>
    public static async Task DownAsync(string folder, Action<string> log)
    {
        if (!File.Exists(Path.Combine(folder, StateFile)))
        {
            log($"no cluster in {folder}");
            return;
        }
        var state = ReadState(folder);
        foreach (int pid in state.Pids) Tools.KillQuietly(pid);
        await StopPostgresAsync(state.PostgresBin, state.PostgresData).ConfigureAwait(false);
        Directory.Delete(folder, recursive: true);
        log($"stopped the cluster in {folder}");
    }

    private static async Task StopPostgresAsync(string bin, string data)
    {
        if (!Directory.Exists(data)) return;
        try
        {
            await Tools.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None,
                asPostgres: Environment.UserName == "root").ConfigureAwait(false);
        }
        catch (ClusterException)
        {
            // Not running (never started, or already stopped).
        }
    }

    /// <summary>Stops every server this object started and removes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_nginx is not null) Tools.KillQuietly(_nginx);
        foreach (var replica in Replicas)
            if (replica.Process is not null) Tools.KillQuietly(replica.Process);
        if (_redis is not null) Tools.KillQuietly(_redis);
        if (_postgresStarted && _postgresBin is not null) await StopPostgresAsync(_postgresBin, PostgresData).ConfigureAwait(false);
        try
        {
            if (_ownsFolder && Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException e)
        {
            _log($"could not remove {Folder}: {e.Message}");
        }
    }

    /// <summary>Lines of nginx's error log about an upstream (a replica refused or cut a connection).</summary>
    public int NginxUpstreamErrors()
    {
        string log = Path.Combine(Folder, "nginx", "error.log");
        return File.Exists(log) ? File.ReadLines(log).Count(l => l.Contains("upstream", StringComparison.Ordinal)) : 0;
    }

    /// <summary>Copies the servers' logs somewhere that outlives the cluster (for a failed run).</summary>
    public void KeepLogs(string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var log in Directory.EnumerateFiles(Folder, "*.log", SearchOption.AllDirectories))
            File.Copy(log, Path.Combine(destination, Path.GetRelativePath(Folder, log).Replace('/', '_')), overwrite: true);
    }

    private static string DefaultWebDll() =>
        typeof(LocalCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "MovieRecWebDll")?.Value is { } path
            ? Path.GetFullPath(path)
            : throw new ClusterException("Pass --web PATH/MovieRec.Web.dll.");

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The cluster could not be started or used; the message says why.</summary>
internal sealed class ClusterException(string message) : Exception(message);

/// <summary>Processes, ports and readiness polls.</summary>
internal static class Tools
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static string Find(string name, string usual)
    {
        if (File.Exists(usual)) return usual;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ClusterException($"{name} is not installed (Debian: apt-get install {(name == "redis-server" ? "redis-server" : name)}).");
    }

    /// <summary>The newest PostgreSQL's bin folder under /usr/lib/postgresql, or the folder of initdb on PATH.</summary>
    public static string PostgresBin()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        try
        {
            return Path.GetDirectoryName(Find("initdb", "/usr/bin/initdb"))!;
        }
        catch (ClusterException)
        {
            throw new ClusterException("PostgreSQL is not installed (Debian: apt-get install postgresql).");
        }
    }

    /// <summary>MOVIEREC_DATA, else the shared/datasets folder beside or above the repository.</summary>
    public static string DatasetsRoot()
    {
        if (Environment.GetEnvironmentVariable("MOVIEREC_DATA") is { Length: > 0 } set) return set;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in (string[])[Path.Combine(dir.FullName, "shared", "datasets"), Path.Combine(dir.FullName, "..", "shared", "datasets")])
                if (Directory.Exists(Path.Combine(candidate, "ml-latest-small"))) return Path.GetFullPath(candidate);
        }
        throw new ClusterException("The datasets were not found: set MOVIEREC_DATA to the folder holding ml-latest-small/.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a server whose output goes to a log file (not a pipe, so it may outlive this process).</summary>
    public static Process Spawn(string program, IReadOnlyList<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$CLUSTER_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(program);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["CLUSTER_LOG"] = logFile;
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        return Process.Start(start) ?? throw new ClusterException($"could not start {program}");
    }

    /// <summary>Runs a command to completion; throws with its output when it fails.</summary>
    public static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool asPostgres = false)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (string a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        }
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new ClusterException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new ClusterException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
    }

    public static async Task WaitAsync(string what, Func<Task<bool>> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await ready().ConfigureAwait(false)) return;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        throw new ClusterException($"{what} was not ready after {timeout.TotalSeconds:0} s");
    }

    public static async Task<bool> IsOkAsync(Uri url)
    {
        try
        {
            using var response = await Probe.GetAsync(url).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static async Task<bool> RedisPingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray()).ConfigureAwait(false);
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Kills a server and every process it started (nginx's workers), then waits for it.</summary>
    public static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // The whole tree: killing nginx's master alone left its worker running and listening on the port.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    public static void KillQuietly(int pid)
    {
        try
        {
            KillQuietly(Process.GetProcessById(pid));
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    public static string Tail(string file, int lines = 20) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log)";
}
