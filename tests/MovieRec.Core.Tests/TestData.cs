using MovieRec.Core.Data;

namespace MovieRec.Core.Tests;

/// <summary>
/// The real datasets (../shared/datasets, or MOVIEREC_DATA) and scratch folders for fixtures.
/// Tests that need real data fail loudly when it is missing: a silently skipped test proves nothing.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<Dataset> Small = new(() => DatasetLoader.Load(MovieLensSmallPath));

    public static string DatasetsRoot => Root.Value;

    public static string MovieLensSmallPath => Path.Combine(DatasetsRoot, "ml-latest-small");

    public static string TmdbPath => Path.Combine(DatasetsRoot, "tmdb-5000");

    /// <summary>ml-latest-small with TMDB joined, loaded once per test run.</summary>
    public static Dataset MovieLensSmall => Small.Value;

    /// <summary>
    /// ml-latest-small loaded again, movies of its own: for a test that changes them for a while (the new-user protocol's
    /// <see cref="Core.Evaluation.TrainingUsersTags"/>) while other tests read the shared one in parallel.
    /// </summary>
    public static Dataset LoadMovieLensSmallCopy() => DatasetLoader.Load(MovieLensSmallPath);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(DataLocator.EnvironmentVariable) is { Length: > 0 } env
            && Directory.Exists(Path.Combine(env, "ml-latest-small")))
            return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets");
            if (Directory.Exists(Path.Combine(candidate, "ml-latest-small"))) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "datasets");
            if (Directory.Exists(Path.Combine(candidate, "ml-latest-small"))) return Path.GetFullPath(candidate);
            dir = dir.Parent;
        }
        throw new InvalidOperationException(
            "The real datasets were not found: set MOVIEREC_DATA to the folder holding ml-latest-small/ and tmdb-5000/ (../shared/datasets).");
    }

    /// <summary>A new empty folder under the temp directory, removed when disposed.</summary>
    public static TempFolder NewFolder() => new();
}

public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "movierec-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string content, System.Text.Encoding? encoding = null)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content, encoding ?? new System.Text.UTF8Encoding(false));
        return full;
    }

    public string WriteBytes(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow CI machine must not fail the test that used it.
        }
    }
}
