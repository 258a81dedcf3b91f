using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MovieRec.Core.Tests;

namespace MovieRec.Web.BrowserTests;

/// <summary>
/// MovieRec.Web as a child process on a free 127.0.0.1 port, with the real ml-latest-small and a temporary data
/// directory (ratings database, trained model), ready once /health/ready says so.
/// </summary>
public sealed class AppServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6); // ready means every algorithm warmed (about 1.5 min on 2 busy cores)
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _dataDirectory;

    private AppServer(Process process, Uri baseUri, string dataDirectory)
    {
        _process = process;
        BaseUri = baseUri;
        _dataDirectory = dataDirectory;
    }

    public Uri BaseUri { get; }

    /// <summary>The repository root (the folder holding MovieRec.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public static async Task<AppServer> StartAsync()
    {
        // The web project is built by the project reference in the same configuration as this assembly.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = output.Parent!.Name, framework = output.Name;
        string project = Path.Combine(RepositoryRoot, "src", "MovieRec.Web");
        string dll = Path.Combine(project, "bin", configuration, framework, "MovieRec.Web.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"MovieRec.Web is not built: {dll}");

        int port = FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        string data = Path.Combine(Path.GetTempPath(), "movierec-browser-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project, // content root: wwwroot is served from here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", baseUri.ToString().TrimEnd('/'), "--contentRoot", project }) start.ArgumentList.Add(arg);
        start.Environment["MOVIEREC_DATA"] = TestData.DatasetsRoot;
        start.Environment["MovieRec__DataDirectory"] = data;
        start.Environment["MovieRec__RateLimitPerMinute"] = "0";
        start.Environment["MovieRec__EmbeddingModel"] = "off"; // lexical search: no core-minute of embedding under the browser
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("OMDB_API_KEY"); // generated posters: the pages must work offline
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start MovieRec.Web.");
        var server = new AppServer(process, baseUri, data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync().ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"MovieRec.Web exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false);
                // Ready, and the TMDB metadata joined (the service answers before; the pages test cast and keywords).
                if (response.StatusCode == HttpStatusCode.OK
                    && (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Contains("\"description\":\"Joined", StringComparison.Ordinal)) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250).ConfigureAwait(false);
        }
        throw new TimeoutException($"MovieRec.Web was not ready within {StartTimeout}:\n{Log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("MovieRec.slnx not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
