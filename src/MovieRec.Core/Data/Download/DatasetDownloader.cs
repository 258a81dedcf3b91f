using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MovieRec.Core.Data.Download;

/// <summary>Bytes received so far and the total announced by the server (null when it sent no Content-Length).</summary>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes);

/// <summary>Where a dataset ended up and how it was checked.</summary>
/// <param name="Folder">The extracted dataset, <c>&lt;directory&gt;/&lt;name&gt;</c>.</param>
/// <param name="AlreadyPresent">True when the folder existed and nothing was downloaded.</param>
/// <param name="Bytes">Bytes downloaded.</param>
/// <param name="Md5">The verified MD5 (hex), or null when the server publishes none.</param>
public sealed record DownloadResult(string Folder, bool AlreadyPresent, long Bytes, string? Md5);

/// <summary>A download that failed: unreachable server, HTTP error, truncated body or checksum mismatch.</summary>
public sealed class DatasetDownloadException : IOException
{
    public DatasetDownloadException(string message) : base(message) { }

    public DatasetDownloadException(string message, Exception inner) : base(message, inner) { }

    public DatasetDownloadException() { }
}

/// <summary>
/// Downloads a GroupLens release into the data folder (<see cref="DataLocator.DownloadDirectory"/>) and extracts it
/// to <c>&lt;directory&gt;/&lt;name&gt;/</c> (ml-10m's "ml-10M100K" folder is renamed "ml-10m" so the name resolves).
/// <para>
/// Safety: the zip streams to a hidden temp file while its MD5 is computed; the byte count is checked against
/// Content-Length and the MD5 against <c>&lt;name&gt;.zip.md5</c> when the server publishes one; the zip is extracted into
/// a hidden staging folder and only then moved into place with one rename, so a failed or interrupted download never
/// leaves a partial dataset where the loaders would find it. Anything corrupt is deleted before the error is raised.
/// </para>
/// <para>
/// The zip is not kept by default (<see cref="KeepArchive"/>): the extracted folder is what the loaders read fastest,
/// and keeping both would double the disk used by ml-25m (250 MB zip + 1.1 GB extracted).
/// </para>
/// <para>
/// Offline: connections time out after <see cref="ConnectTimeout"/> (DNS failures and refused connections fail at
/// once) with a message naming MOVIEREC_DATA and the layout to copy the data by hand.
/// </para>
/// </summary>
public sealed partial class DatasetDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    /// <param name="directory">Where datasets go; default <see cref="DataLocator.DownloadDirectory"/>.</param>
    /// <param name="baseUrl">Overrides the GroupLens address (else MOVIEREC_DOWNLOAD_URL, else the official one).</param>
    /// <param name="client">An HttpClient to use; by default one with a short connect timeout.</param>
    public DatasetDownloader(string? directory = null, string? baseUrl = null, HttpClient? client = null)
    {
        Directory = directory ?? DataLocator.DownloadDirectory;
        BaseUrl = DatasetRegistry.BaseUrl(baseUrl);
        if (client is null)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.None,
            };
            _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MovieRec", "1.0"));
            _ownsClient = true;
        }
        else
        {
            _http = client;
        }
    }

    /// <summary>How long to wait for a TCP (and TLS) connection before calling the server unreachable.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for response headers, and at most between two reads of the body.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep <c>&lt;name&gt;.zip</c> next to the extracted folder (default false: see the class remarks).</summary>
    public bool KeepArchive { get; init; }

    public string Directory { get; }

    public Uri BaseUrl { get; }

    /// <summary>The extracted folder of <paramref name="info"/>, whether or not it is present.</summary>
    public string TargetFolder(DatasetInfo info) => Path.Combine(Directory, info.Name);

    /// <summary>Downloads, verifies and extracts <paramref name="info"/>; with <paramref name="force"/> replaces a present copy.</summary>
    public async Task<DownloadResult> DownloadAsync(DatasetInfo info, bool force = false, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        var target = TargetFolder(info);
        if (!force && System.IO.Directory.Exists(target))
            return new DownloadResult(target, AlreadyPresent: true, 0, null);

        var zipUrl = DatasetRegistry.ZipUrl(info, BaseUrl);
        var md5Url = DatasetRegistry.Md5Url(info, BaseUrl);
        var token = Guid.NewGuid().ToString("N")[..8];
        var tempZip = Path.Combine(Directory, $".{info.Name}.{token}.zip.partial");
        var staging = Path.Combine(Directory, $".{info.Name}.{token}.extracting");
        try
        {
            // The .md5 is tiny and asked for first, so an offline machine fails on the first request.
            string? expectedMd5 = await FetchMd5Async(info, md5Url, cancellationToken).ConfigureAwait(false);
            System.IO.Directory.CreateDirectory(Directory);
            RemoveLeftovers(info);
            var (bytes, actualMd5) = await FetchZipAsync(info, zipUrl, tempZip, progress, cancellationToken).ConfigureAwait(false);
            if (expectedMd5 is not null && !string.Equals(expectedMd5, actualMd5, StringComparison.OrdinalIgnoreCase))
            {
                throw new DatasetDownloadException(
                    $"The download of {zipUrl} is corrupt: its MD5 is {actualMd5} but {md5Url} says {expectedMd5}. "
                    + "The file was deleted; run the download again.");
            }

            Extract(info, tempZip, staging, zipUrl);
            var extracted = FindDatasetFolder(info, staging);
            if (KeepArchive)
            {
                var zipPath = Path.Combine(Directory, info.ZipFileName);
                File.Move(tempZip, zipPath, overwrite: true);
            }
            if (System.IO.Directory.Exists(target))
                System.IO.Directory.Delete(target, recursive: true);
            System.IO.Directory.Move(extracted, target);
            return new DownloadResult(target, AlreadyPresent: false, bytes, expectedMd5 is null ? null : actualMd5);
        }
        finally
        {
            TryDelete(tempZip);
            TryDeleteFolder(staging);
        }
    }

    private async Task<string?> FetchMd5Async(DatasetInfo info, Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(info, url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
            return null; // GroupLens publishes no checksum for this release: size is still checked.
        if (!response.IsSuccessStatusCode)
            return null;
        using var stall = Stall(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(stall.Token).ConfigureAwait(false);
        // Either "md5sum" style ("<hex>  ml-1m.zip") or BSD style ("MD5 (ml-1m.zip) = <hex>").
        var match = Md5Pattern().Match(text);
        if (!match.Success)
            throw new DatasetDownloadException($"{url} does not hold an MD5 checksum (32 hex digits); got '{Shorten(text)}'.");
        return match.Value.ToLowerInvariant();
    }

    private async Task<(long Bytes, string Md5)> FetchZipAsync(DatasetInfo info, Uri url, string tempZip,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(info, url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new DatasetDownloadException(
                $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}. " + LayoutHint(info));
        }
        long? total = response.Content.Headers.ContentLength;
        long received = 0;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(tempZip, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            progress?.Report(new DownloadProgress(0, total));
            while (true)
            {
                int n;
                using (var stall = Stall(cancellationToken))
                {
                    try
                    {
                        n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new DatasetDownloadException(
                            $"The download of {url} stalled: no data for {StallTimeout.TotalSeconds:0} s after {received:N0} bytes. Run it again.");
                    }
                }
                if (n == 0) break;
                md5.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                received += n;
                progress?.Report(new DownloadProgress(received, total));
            }
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && e is not DatasetDownloadException)
        {
            throw new DatasetDownloadException(
                $"The download of {url} broke off after {received:N0} of {(total is long t ? t.ToString("N0", CultureInfo.InvariantCulture) : "?")} bytes "
                + $"({e.Message}). The partial file was deleted; run the download again.", e);
        }
        if (total is long expected && received != expected)
        {
            throw new DatasetDownloadException(
                $"The download of {url} is truncated: {received:N0} of {expected:N0} bytes arrived. The partial file was deleted; run the download again.");
        }
        return (received, Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    /// <summary>Sends a GET and turns "cannot connect" into a message that says how to work offline.</summary>
    private async Task<HttpResponseMessage> SendAsync(DatasetInfo info, Uri url, CancellationToken cancellationToken)
    {
        using var stall = Stall(cancellationToken);
        try
        {
            return await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(info, url, e.InnerException is SocketException s ? s.Message : e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(info, url, $"no answer within {StallTimeout.TotalSeconds:0} s", e);
        }
    }

    private DatasetDownloadException Unreachable(DatasetInfo info, Uri url, string reason, Exception inner) =>
        new($"Cannot download {info.Name}: {url.GetLeftPart(UriPartial.Authority)} is unreachable ({reason}). "
            + $"If this machine is offline, fetch {info.ZipFileName} on another one and copy it over. " + LayoutHint(info), inner);

    /// <summary>How to provide a dataset without downloading it.</summary>
    public static string LayoutHint(DatasetInfo info) =>
        $"Set {DataLocator.EnvironmentVariable} to a folder laid out as <{DataLocator.EnvironmentVariable}>/{info.Name}/{info.KeyFiles[0]}, "
        + $"<{DataLocator.EnvironmentVariable}>/{info.Name}/{info.KeyFiles[1]}, ... (the extracted release; or <{DataLocator.EnvironmentVariable}>/{info.ZipFileName}), "
        + $"e.g. export {DataLocator.EnvironmentVariable}=/path/to/datasets.";

    private CancellationTokenSource Stall(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(StallTimeout);
        return cts;
    }

    private static void Extract(DatasetInfo info, string zip, string staging, Uri url)
    {
        try
        {
            ZipFile.ExtractToDirectory(zip, staging);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetDownloadException(
                $"The download of {url} is not a readable zip ({e.Message}); it was deleted. Run the download again. " + LayoutHint(info), e);
        }
    }

    /// <summary>The release's top folder inside the staging folder (the zip's own folder, else its only folder, else the staging root).</summary>
    private static string FindDatasetFolder(DatasetInfo info, string staging)
    {
        var named = Path.Combine(staging, info.ZipFolder);
        if (System.IO.Directory.Exists(named)) return named;
        var folders = System.IO.Directory.GetDirectories(staging);
        var files = System.IO.Directory.GetFiles(staging);
        if (folders.Length == 1 && files.Length == 0) return folders[0];
        if (files.Length == 0)
            throw new DatasetDownloadException($"The zip of {info.Name} holds no files.");
        // Files at the root: the staging folder itself is the dataset.
        var moved = staging + ".root";
        System.IO.Directory.Move(staging, moved);
        System.IO.Directory.CreateDirectory(staging);
        var inside = Path.Combine(staging, info.Name);
        System.IO.Directory.Move(moved, inside);
        return inside;
    }

    /// <summary>Temp files of an earlier download of the same release that was killed before it could clean up.</summary>
    private void RemoveLeftovers(DatasetInfo info)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, $".{info.Name}.*.zip.partial"))
        {
            if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow - StallTimeout * 2) TryDelete(file);
        }
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory, $".{info.Name}.*.extracting*"))
        {
            if (System.IO.Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow - StallTimeout * 2) TryDeleteFolder(folder);
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text.Trim();

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .partial file is never read as a dataset.
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, as above.
        }
    }

    [GeneratedRegex("\\b[0-9a-fA-F]{32}\\b")]
    private static partial Regex Md5Pattern();

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
