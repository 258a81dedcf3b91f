using System.Diagnostics;
using MovieRec.Core.Data.Loaders;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>
/// The CLI reads TMDB metadata through the cache in its cache folder: the first `data info` writes the entry, the next
/// reads it and prints the same thing. Each run is its own process with its own XDG_CACHE_HOME, as a user's would be.
/// </summary>
public sealed class MetadataCacheCommandTests
{
    [Fact]
    public void Data_info_writes_the_entry_once_and_prints_the_same_from_it()
    {
        using var home = TestData.NewFolder();
        var folder = Path.Combine(home.Path, "movierec", "metadata");
        var entry = TmdbMetadataCache.EntryPath(folder, Path.Combine(TestData.DatasetsRoot, "tmdb-5000"));

        var first = Run(home.Path, "data", "info", "--data", TestData.MovieLensSmallPath, "--json");
        Assert.True(first.Exit == 0, first.Err);
        Assert.True(File.Exists(entry), $"no metadata cache entry at {entry}");
        var written = File.ReadAllBytes(entry);

        var second = Run(home.Path, "data", "info", "--data", TestData.MovieLensSmallPath, "--json");
        Assert.True(second.Exit == 0, second.Err);
        Assert.Equal(first.Out, second.Out);
        using var json = System.Text.Json.JsonDocument.Parse(second.Out);
        Assert.InRange(json.RootElement.GetProperty("movies_with_tmdb").GetInt32(), 3000, 4803);
        Assert.Equal(written, File.ReadAllBytes(entry)); // read, not rewritten
        Assert.Single(Directory.GetFiles(folder));
    }

    private static (int Exit, string Out, string Err) Run(string cacheHome, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "movierec.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["XDG_CACHE_HOME"] = cacheHome;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"movierec {string.Join(' ', args)} ran over 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
