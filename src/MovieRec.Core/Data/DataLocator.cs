namespace MovieRec.Core.Data;

/// <summary>
/// Where datasets live: <c>MOVIEREC_DATA</c> when set (local copies, CI), else the user's cache folder
/// (<c>$XDG_CACHE_HOME/movierec</c> or <c>~/.cache/movierec</c>), where downloads go.
/// </summary>
public static class DataLocator
{
    public const string EnvironmentVariable = "MOVIEREC_DATA";

    /// <summary>The dataset a command uses when none is named.</summary>
    public const string DefaultDataset = "ml-latest-small";

    /// <summary>MOVIEREC_DATA as a full path (see <see cref="ResolveRoot"/>), or null when it is not set.</summary>
    public static string? DataRoot =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } root
            ? ResolveRoot(root, Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PWD"))
            : null;

    /// <summary>
    /// A relative MOVIEREC_DATA as the person who typed it meant it: against the working directory, or, when nothing is
    /// there, against the shell's (<paramref name="shellDirectory"/>, $PWD). <c>dotnet run --project src/MovieRec.Web</c>
    /// starts the app in the project's folder, so <c>MOVIEREC_DATA=../shared/datasets</c> typed at the repository's
    /// root named src/shared/datasets and start-up failed looking there.
    /// </summary>
    public static string ResolveRoot(string root, string currentDirectory, string? shellDirectory)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (Path.IsPathRooted(root)) return root;
        string here = Path.GetFullPath(root, currentDirectory);
        if (Directory.Exists(here) || string.IsNullOrEmpty(shellDirectory) || !Path.IsPathRooted(shellDirectory)) return here;
        string typed = Path.GetFullPath(root, shellDirectory);
        return Directory.Exists(typed) ? typed : here;
    }

    public static string CacheDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDir = !string.IsNullOrEmpty(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "movierec");
        }
    }

    /// <summary>Where parsed TMDB metadata is kept between processes (<see cref="Loaders.TmdbMetadataCache"/>).</summary>
    public static string MetadataCacheDirectory => Path.Combine(CacheDirectory, "metadata");

    /// <summary>Where downloads are written: MOVIEREC_DATA when set, else the cache.</summary>
    public static string DownloadDirectory => DataRoot ?? CacheDirectory;

    /// <summary>Folders searched for a dataset name, in order.</summary>
    public static IReadOnlyList<string> SearchRoots =>
        DataRoot is string root ? [root, CacheDirectory] : [CacheDirectory];

    /// <summary>
    /// A folder or zip path as given, or a dataset name looked up under MOVIEREC_DATA, then the cache
    /// (as a folder, then as name.zip).
    /// </summary>
    public static string Resolve(string data)
    {
        if (Directory.Exists(data) || File.Exists(data))
            return data;
        foreach (var root in SearchRoots)
        {
            var folder = Path.Combine(root, data);
            if (Directory.Exists(folder)) return folder;
            var zip = folder + ".zip";
            if (File.Exists(zip)) return zip;
        }
        throw new DatasetNotFoundException(data);
    }

    /// <summary>
    /// Resolves <paramref name="data"/> like <see cref="Resolve"/>, downloading a known dataset (see
    /// <see cref="Download.DatasetRegistry"/>) into <see cref="DownloadDirectory"/> when it is not present yet.
    /// </summary>
    /// <param name="data">A path or a dataset name.</param>
    /// <param name="log">Where to say that a download happens (stderr for the CLI, the logger for the service).</param>
    public static string ResolveOrDownload(string data, Action<string>? log = null)
    {
        if (TryResolve(data) is string path) return path;
        if (Download.DatasetRegistry.Find(data) is not { } info) return Resolve(data);
        log?.Invoke($"{info.Name} is not present under {string.Join(" or ", SearchRoots)}: downloading it (about {info.ApproximateBytes / 1_000_000.0:0.#} MB)...");
        using var downloader = new Download.DatasetDownloader();
        var result = downloader.DownloadAsync(info).GetAwaiter().GetResult();
        log?.Invoke($"Downloaded {info.Name} to {result.Folder}.");
        return result.Folder;
    }

    /// <summary>The path where a named dataset is present, or null.</summary>
    public static string? TryResolve(string name)
    {
        try
        {
            return Resolve(name);
        }
        catch (DatasetNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>A dataset that is neither a path nor a name found in the data folders.</summary>
public sealed class DatasetNotFoundException : Exception
{
    public DatasetNotFoundException(string data)
        : base(LooksLikePath(data)
            // A path is not a dataset name: offering to download '/home/me/ratings' or to look for it under
            // MOVIEREC_DATA would only mislead.
            ? $"'{data}' does not exist: there is no folder, zip or file at {Path.GetFullPath(data)}."
            : $"Dataset '{data}' was not found: it is not a folder or zip, and not a name under "
                + $"{string.Join(" or ", DataLocator.SearchRoots)}. Download it with 'movierec data download {data}', "
                + $"or set {DataLocator.EnvironmentVariable} to a folder holding '{data}/' (an extracted release, e.g. "
                + $"{data}/ratings.csv and {data}/movies.csv) or '{data}.zip'.")
    {
        Data = data;
    }

    /// <summary>Whether <paramref name="data"/> was given as a path (it names a folder) rather than a dataset name.</summary>
    private static bool LooksLikePath(string data) =>
        data.Contains('/', StringComparison.Ordinal) || data.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || data.StartsWith('~');

    public DatasetNotFoundException() : this("(none)") { }

    public DatasetNotFoundException(string message, Exception inner) : base(message, inner) { Data = ""; }

    public new string Data { get; }
}
