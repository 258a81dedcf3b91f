using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using MovieRec.Core.Tests;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// Issue 8, a crash of the single SQLite-backed process: the built service runs as a child process, several clients
/// write ratings, the process is killed (SIGKILL) mid-writes and restarted, and every acknowledged rating is there.
/// </summary>
public sealed class SqliteCrashFaultTests : IDisposable
{
    private const int Writers = 6;
    private readonly TempFolder _data = TestData.NewFolder();
    private ServiceProcess? _service;

    public void Dispose()
    {
        _service?.Dispose();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task Every_acknowledged_rating_survives_a_sigkill_during_writes()
    {
        _service = await ServiceProcess.StartAsync(_data.Path);
        var movies = Clients.MovieLensIds(Writers * 500);
        var tokens = new string[Writers];
        using (var setup = _service.Client())
            for (int w = 0; w < Writers; w++) tokens[w] = await Clients.NewTokenAsync(setup);

        var acknowledged = new ConcurrentDictionary<(int Writer, long Movie), float>();
        int requests = 0, failures = 0;
        async Task Write(int w, HttpClient client)
        {
            for (int i = 0; i < 500; i++)
            {
                long movie = movies[w * 500 + i];
                float rating = 0.5f + (i % 10) * 0.5f;
                Interlocked.Increment(ref requests);
                try
                {
                    using var response = await client.PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating });
                    if (response.StatusCode == HttpStatusCode.OK) acknowledged[(w, movie)] = rating;
                    else Interlocked.Increment(ref failures);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The process is gone: this write was never acknowledged.
                    Interlocked.Increment(ref failures);
                    return;
                }
            }
        }
        var writers = Enumerable.Range(0, Writers).Select(w => _service.Client().WithToken(tokens[w])).ToArray();
        var load = Task.WhenAll(writers.Select((c, w) => Task.Run(() => Write(w, c))));
        await ServerBinaries.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 150), TimeSpan.FromSeconds(30), "the writers did not store 150 ratings");
        _service.Kill();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        int acked = acknowledged.Count;
        foreach (var c in writers) c.Dispose();
        Assert.True(failures >= 1 || acked < Writers * 500, "the kill happened during the writes");

        _service = await ServiceProcess.StartAsync(_data.Path);
        int stored = 0;
        for (int w = 0; w < Writers; w++)
        {
            using var client = _service.Client().WithToken(tokens[w]);
            var response = await client.GetAsync(new Uri("/api/v1/me/ratings", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the token of writer {w} works after the restart: {(int)response.StatusCode}");
            var mine = (await response.Json()).GetProperty("items").EnumerateArray()
                .ToDictionary(r => r.GetProperty("movieId").GetInt64(), r => r.GetProperty("rating").GetSingle());
            stored += mine.Count;
            foreach (var ((_, movie), rating) in acknowledged.Where(a => a.Key.Writer == w))
                Assert.True(mine.TryGetValue(movie, out float value) && value == rating, $"writer {w}: acknowledged rating of {movie} = {rating} was lost in the crash");
        }
        Assert.True(stored >= acked);
        Report.Write("sqlite-sigkill", string.Create(CultureInfo.InvariantCulture,
            $"writers={Writers} requests={requests} acknowledged={acked} failedOrCut={failures} storedAfterRestart={stored}"));
    }
}

/// <summary>The built MovieRec.Web.dll as a child process on a free port of 127.0.0.1, with its own data directory.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MovieRec.Web.dll");
        Assert.True(File.Exists(dll), $"the built service is missing: {dll}");
        int port = ServerBinaries.FreePort();
        var start = ServerBinaries.Command(DotnetHost(), [dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
        start.WorkingDirectory = AppContext.BaseDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var key in new[] { "ConnectionStrings__Ratings", "Redis__Configuration", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS" }) start.Environment.Remove(key);
        start.Environment["MOVIEREC_DATA"] = TestData.DatasetsRoot;
        start.Environment["MovieRec__DataDirectory"] = dataDirectory;
        start.Environment["MovieRec__WarmUp"] = "false";
        start.Environment["MovieRec__TrainingThreads"] = "1";
        start.Environment["MovieRec__RateLimitPerMinute"] = "0";
        start.Environment["MovieRec__ModelWatchInterval"] = "00:00:00";
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
                    return (await probe.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90), "the service did not become ready");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            string log = service.Log;
            service.Dispose();
            throw new InvalidOperationException($"{e.Message}\n{log[Math.Max(0, log.Length - 4000)..]}", e);
        }
        return service;
    }

    /// <summary>The dotnet executable running these tests (DOTNET_HOST_PATH, else this process when it is dotnet).</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return ServerBinaries.OnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH and DOTNET_HOST_PATH is not set.");
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    private void Append(string? line)
    {
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
