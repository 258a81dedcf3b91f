using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MovieRec.Core.Tests;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// A throw-away redis-server on 127.0.0.1 on a free port, without persistence (--save "" --appendonly no). Stop kills
/// it (its data is gone, as after a crash); Start brings a new one up on the same port. Waits are bounded.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempFolder _folder = TestData.NewFolder();
    private readonly string _executable;
    private Process? _process;

    private RedisServer(string executable)
    {
        _executable = executable;
        Port = ServerBinaries.FreePort();
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Configuration => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(ServerBinaries.RedisServer());
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = ServerBinaries.Command(_executable,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.Path, "--daemonize", "no", "--loglevel", "warning"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await ServerBinaries.WaitUntilAsync(async () => process.HasExited ? throw new InvalidOperationException("exited") : await PingAsync(), StartTimeout,
                $"redis-server did not answer PING on port {Port}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            string log;
            lock (output) log = output.ToString();
            Kill();
            throw new InvalidOperationException($"redis-server failed to start on port {Port}: {e.Message}\n{log}", e);
        }
    }

    /// <summary>Kills the server (SIGKILL) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        Kill();
        await ServerBinaries.WaitUntilAsync(async () => !await PingAsync(), StartTimeout, $"redis-server still answers on port {Port}");
    }

    /// <summary>Whether a server answers PING on the port.</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer, cts.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Kill()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
