using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MovieRec.Core.Tests;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// The built MovieRec.Web.dll as a child process on a free port of 127.0.0.1, with its own data directory and any
/// extra environment; its console output is kept (<see cref="Log"/>). Disposing kills it.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the service and, unless <paramref name="waitForReady"/> is false, waits until /health/ready answers 200.
    /// <paramref name="environment"/> adds or (with a null value) removes variables.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?>? environment = null, bool waitForReady = true)
    {
        int port = ServerBinaries.FreePort();
        var start = Command(dataDirectory, port);
        start.Environment["MovieRec__WarmUp"] = "false";
        start.Environment["MovieRec__TrainingThreads"] = "1";
        start.Environment["MovieRec__RateLimitPerMinute"] = "0";
        start.Environment["MovieRec__ModelWatchInterval"] = "00:00:00";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var probe = service.Client();
            await ServerBinaries.WaitUntilAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"exited with {process.ExitCode}");
                try
                {
                    var status = (await probe.GetAsync(new Uri(waitForReady ? "/health/ready" : "/health/live", UriKind.Relative))).StatusCode;
                    return waitForReady ? status == HttpStatusCode.OK : true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90), waitForReady ? "the service did not become ready" : "the service did not answer");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            string log = service.Log;
            service.Dispose();
            throw new InvalidOperationException($"{e.Message}\n{log[Math.Max(0, log.Length - 4000)..]}", e);
        }
        return service;
    }

    /// <summary>
    /// The built service on <paramref name="port"/> with <paramref name="dataDirectory"/>, its output redirected, without
    /// the PostgreSQL, Redis and URL settings of the environment the tests run in.
    /// </summary>
    private static ProcessStartInfo Command(string dataDirectory, int port)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MovieRec.Web.dll");
        Assert.True(File.Exists(dll), $"the built service is missing: {dll}");
        var start = ServerBinaries.Command(DotnetHost(), [dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
        start.WorkingDirectory = AppContext.BaseDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var key in new[] { "ConnectionStrings__Ratings", "Redis__Configuration", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS" }) start.Environment.Remove(key);
        start.Environment["MOVIEREC_DATA"] = TestData.DatasetsRoot;
        start.Environment["MovieRec__DataDirectory"] = dataDirectory;
        return start;
    }

    /// <summary>
    /// Starts the service expecting it to stop by itself (a setting it cannot run with); returns its exit code and
    /// everything it wrote. Fails when it is still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Log)> RunToExitAsync(string dataDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = Command(dataDirectory, ServerBinaries.FreePort());
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) if (e.Data is not null) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) if (e.Data is not null) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            lock (log) throw new TimeoutException($"the service still runs after {timeout}:\n{log}");
        }
        process.WaitForExit(); // the output's last lines
        lock (log) return (process.ExitCode, log.ToString());
    }

    /// <summary>The dotnet executable running these tests (DOTNET_HOST_PATH, else this process when it is dotnet).</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return ServerBinaries.OnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH and DOTNET_HOST_PATH is not set.");
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127.x.y.z address is on the loopback interface).</summary>
    public HttpClient ClientFrom(IPAddress source, Uri? baseAddress = null) => LoopbackClients.From(source, baseAddress ?? BaseAddress);

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }
}

/// <summary>HTTP clients that connect from a chosen loopback address (the tests' stand-ins for different machines).</summary>
internal static class LoopbackClients
{
    public static HttpClient From(IPAddress source, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
