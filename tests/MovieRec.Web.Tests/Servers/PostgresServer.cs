using System.Globalization;
using MovieRec.Core.Tests;
using Npgsql;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// A throw-away PostgreSQL server for integration tests: initdb into a temp folder, listening on 127.0.0.1 on a free
/// port with trust authentication (user postgres), no Unix socket outside its folder. Run as the postgres user when
/// the tests run as root (PostgreSQL refuses root). Stop/Start/Restart keep the data; disposing kills the server and
/// deletes the folder. Every wait is bounded and a failure says what went wrong and shows the server log.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = TestData.NewFolder();
    private readonly string _bin;
    private readonly string? _user;
    private int _databases;

    private PostgresServer(string bin)
    {
        _bin = bin;
        _user = ServerBinaries.IsRoot ? "postgres" : null;
        Port = ServerBinaries.FreePort();
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_folder.Path, "data");

    private string LogFile => Path.Combine(_folder.Path, "postgres.log");

    /// <summary>
    /// Creates the cluster and starts it. The free port is found before the server binds it, so another process (a
    /// second test run on the machine) can take it in between: "Address already in use" tries again on a new port.
    /// </summary>
    public static async Task<PostgresServer> StartNewAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(ServerBinaries.PostgresBin());
            try
            {
                if (server._user is not null)
                    await ServerBinaries.RunAsync("chown", ["-R", server._user, server._folder.Path], CommandTimeout);
                await server.Run("initdb", ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The Npgsql connection string of a database on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=30");

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Runs one SQL statement and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Starts the server (waits until it accepts connections).</summary>
    public async Task StartAsync()
    {
        string options = string.Create(CultureInfo.InvariantCulture,
            $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories={_folder.Path} -c max_connections=300 -c fsync=on");
        await Run("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "45", "start"]);
        IsRunning = true;
    }

    /// <summary>A clean, fast shutdown (open connections are closed): the database is down until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await Run("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "45", "stop"]);
        IsRunning = false;
    }

    /// <summary>
    /// SIGSTOP to the server and its backends: connections are still accepted (by the kernel) but nothing answers, as
    /// with a hung server or a network partition. <see cref="ThawAsync"/> resumes them.
    /// </summary>
    public Task FreezeAsync() => SignalAllAsync("-STOP");

    public Task ThawAsync() => SignalAllAsync("-CONT");

    private async Task SignalAllAsync(string signal)
    {
        string postmaster = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First().Trim();
        string children = await ServerBinaries.RunAsync("ps", ["-o", "pid=", "--ppid", postmaster], CommandTimeout).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "", TaskScheduler.Default);
        var pids = children.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries).Prepend(postmaster).ToArray();
        await ServerBinaries.RunAsync("kill", [signal, .. pids], CommandTimeout);
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await Run("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "20", "stop"]);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                KillByPidFile();
            }
        }
        _folder.Dispose();
    }

    private void KillByPidFile()
    {
        try
        {
            string first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First();
            using var process = System.Diagnostics.Process.GetProcessById(int.Parse(first, CultureInfo.InvariantCulture));
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task Run(string tool, string[] arguments)
    {
        try
        {
            await ServerBinaries.RunAsync(Path.Combine(_bin, tool), arguments, CommandTimeout, _user);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            string log = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
            throw new InvalidOperationException($"PostgreSQL {tool} failed: {e.Message}\nserver log:\n{log[Math.Max(0, log.Length - 3000)..]}", e);
        }
    }
}
