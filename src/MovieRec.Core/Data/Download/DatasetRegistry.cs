namespace MovieRec.Core.Data.Download;

/// <summary>
/// A GroupLens MovieLens release MovieRec can download.
/// </summary>
/// <param name="Name">The name used on the command line and as the folder name in the cache, e.g. "ml-25m".</param>
/// <param name="ZipFolder">The top folder inside the official zip (ml-10m's is "ml-10M100K").</param>
/// <param name="ApproximateBytes">Approximate size of the zip, for display only (the download checks Content-Length).</param>
/// <param name="Ratings">Ratings in the release, as GroupLens documents it.</param>
/// <param name="Users">Users in the release.</param>
/// <param name="Movies">Movies in the release's catalog.</param>
/// <param name="PublishesMd5">Whether GroupLens publishes <c>&lt;name&gt;.zip.md5</c> next to the zip. The
/// downloader asks for the .md5 of every release and verifies it whenever the server answers; this flag only says
/// whether an answer is expected.</param>
/// <param name="Description">One line on what the release is.</param>
public sealed record DatasetInfo(
    string Name,
    string ZipFolder,
    long ApproximateBytes,
    long Ratings,
    int Users,
    int Movies,
    bool PublishesMd5,
    string Description)
{
    public string ZipFileName => Name + ".zip";

    public string Md5FileName => ZipFileName + ".md5";

    /// <summary>The two files that identify the release's format once extracted (for "copy it by hand" messages).</summary>
    public IReadOnlyList<string> KeyFiles => Name switch
    {
        "ml-100k" => ["u.data", "u.item"],
        "ml-1m" or "ml-10m" => ["ratings.dat", "movies.dat"],
        _ => ["ratings.csv", "movies.csv"],
    };
}

/// <summary>The known GroupLens MovieLens releases and where they are published.</summary>
public static class DatasetRegistry
{
    /// <summary>Where GroupLens publishes the zips: <c>&lt;base&gt;/&lt;name&gt;.zip</c> and <c>.zip.md5</c>.</summary>
    public const string OfficialBaseUrl = "https://files.grouplens.org/datasets/movielens/";

    /// <summary>Overrides <see cref="OfficialBaseUrl"/> (a mirror, or a local server in tests).</summary>
    public const string BaseUrlVariable = "MOVIEREC_DOWNLOAD_URL";

    public static IReadOnlyList<DatasetInfo> All { get; } =
    [
        new("ml-latest-small", "ml-latest-small", 978_202, 100_836, 610, 9_742, true,
            "Small education and development set (csv), updated 9/2018."),
        new("ml-100k", "ml-100k", 4_924_029, 100_000, 943, 1_682, true,
            "Classic 1998 set (u.data tab separated, u.item Latin-1) with predefined splits."),
        new("ml-1m", "ml-1m", 5_917_549, 1_000_209, 6_040, 3_883, true,
            "2003 set (:: separated .dat, whole stars) with user demographics."),
        new("ml-10m", "ml-10M100K", 65_566_137, 10_000_054, 69_878, 10_681, true,
            "2009 set (:: separated .dat, half stars) with tags."),
        new("ml-20m", "ml-20m", 198_702_078, 20_000_263, 138_493, 27_278, true,
            "2015 benchmark set (csv) with tags and tag genome."),
        new("ml-25m", "ml-25m", 261_978_986, 25_000_095, 162_541, 62_423, true,
            "2019 benchmark set (csv) with tags and tag genome."),
        new("ml-32m", "ml-32m", 238_950_008, 32_000_204, 200_948, 87_585, true,
            "2023 benchmark set (csv) with tags."),
    ];

    /// <summary>The release called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DatasetInfo? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The release called <paramref name="name"/>, or an ArgumentException listing the known names.</summary>
    public static DatasetInfo Get(string name) =>
        Find(name) ?? throw new ArgumentException(
            $"Unknown dataset '{name}'. Known datasets: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));

    /// <summary><see cref="BaseUrlVariable"/> when set, else the official GroupLens address; always ends with '/'.</summary>
    public static Uri BaseUrl(string? overrideUrl = null)
    {
        var url = overrideUrl is { Length: > 0 } ? overrideUrl
            : Environment.GetEnvironmentVariable(BaseUrlVariable) is { Length: > 0 } env ? env
            : OfficialBaseUrl;
        if (!url.EndsWith('/')) url += "/";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"'{url}' is not an http(s) address (from {BaseUrlVariable} or --url).", nameof(overrideUrl));
        return uri;
    }

    public static Uri ZipUrl(DatasetInfo info, Uri baseUrl) => new(baseUrl, info.ZipFileName);

    public static Uri Md5Url(DatasetInfo info, Uri baseUrl) => new(baseUrl, info.Md5FileName);
}
