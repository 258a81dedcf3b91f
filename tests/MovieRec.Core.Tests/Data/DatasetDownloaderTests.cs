using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Download;

namespace MovieRec.Core.Tests.Data;

public class DatasetDownloaderTests
{
    private static readonly DatasetInfo Small = DatasetRegistry.Get("ml-latest-small");

    /// <summary>A tiny release in the official layout: ml-latest-small/ratings.csv, movies.csv, links.csv, tags.csv.</summary>
    private static byte[] FixtureZip(string folder = "ml-latest-small")
    {
        var files = new Dictionary<string, string>
        {
            ["movies.csv"] = "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n2,Jumanji (1995),Adventure|Children|Fantasy\n3,\"American President, The (1995)\",Comedy|Drama|Romance\n",
            ["ratings.csv"] = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,2,3.5,1445714835\n2,3,5.0,1445714830\n3,1,0.5,1306463578\n",
            ["links.csv"] = "movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,8844\n3,0112346,9087\n",
            ["tags.csv"] = "userId,movieId,tag,timestamp\n2,3,politics,1445714994\n",
        };
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var entry = zip.CreateEntry($"{folder}/{name}").Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return memory.ToArray();
    }

    private static string Md5Of(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private static DatasetDownloader Downloader(TempFolder dir, string baseUrl) =>
        new(dir.Path, baseUrl) { StallTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>Nothing may be left where a loader or the next download would find it.</summary>
    private static void AssertNothingLeft(TempFolder dir) =>
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));

    [Fact]
    public async Task Downloads_verifies_md5_and_extracts_a_loadable_dataset()
    {
        var zip = FixtureZip();
        using var server = new LocalHttpServer();
        server.Serve("ml-latest-small.zip", zip);
        server.Serve("ml-latest-small.zip.md5", $"MD5 (ml-latest-small.zip) = {Md5Of(zip)}\n");
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress(reports.Add);

        var result = await downloader.DownloadAsync(Small, progress: progress);

        Assert.False(result.AlreadyPresent);
        Assert.Equal(Path.Combine(dir.Path, "ml-latest-small"), result.Folder);
        Assert.Equal(zip.Length, result.Bytes);
        Assert.Equal(Md5Of(zip), result.Md5);
        Assert.Equal(zip.Length, reports[^1].BytesReceived);
        Assert.Equal(zip.Length, reports[^1].TotalBytes);
        // The zip is not kept and no temp file is left: only the extracted folder.
        Assert.Equal(["ml-latest-small"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));

        var dataset = DatasetLoader.Load(result.Folder, new LoadOptions { IncludeTmdb = false });
        Assert.Equal(5, dataset.Ratings.Count);
        Assert.Equal(3, dataset.Ratings.UserCount);
        Assert.Equal(3, dataset.Catalog.Count);
        Assert.Single(dataset.Tags);
        Assert.Equal(862, dataset.Catalog[1]!.TmdbId);
    }

    [Fact]
    public async Task A_present_dataset_is_not_downloaded_again_unless_forced()
    {
        var zip = FixtureZip();
        using var server = new LocalHttpServer();
        server.Serve("ml-latest-small.zip", zip);
        using var dir = TestData.NewFolder();
        dir.Write("ml-latest-small/old.txt", "stale");
        using var downloader = Downloader(dir, server.BaseUrl);

        var skipped = await downloader.DownloadAsync(Small);
        Assert.True(skipped.AlreadyPresent);
        Assert.Equal(0, server.Requests);

        var forced = await downloader.DownloadAsync(Small, force: true);
        Assert.False(forced.AlreadyPresent);
        Assert.Null(forced.Md5); // the server publishes no .md5 (404): only the size is checked
        Assert.False(File.Exists(Path.Combine(forced.Folder, "old.txt")));
        Assert.True(File.Exists(Path.Combine(forced.Folder, "ratings.csv")));
    }

    [Fact]
    public async Task The_zip_folder_is_renamed_to_the_dataset_name()
    {
        var zip = FixtureZip("ml-10M100K");
        using var server = new LocalHttpServer();
        server.Serve("ml-10m.zip", zip);
        server.Serve("ml-10m.zip.md5", $"{Md5Of(zip)}  ml-10m.zip\n");
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);

        var result = await downloader.DownloadAsync(DatasetRegistry.Get("ml-10m"));

        Assert.Equal(Path.Combine(dir.Path, "ml-10m"), result.Folder);
        Assert.True(File.Exists(Path.Combine(dir.Path, "ml-10m", "ratings.csv")));
        Assert.Equal(["ml-10m"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_zip_without_a_top_folder_and_leftovers_of_a_killed_download_are_handled()
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("u.data").Open();
            entry.Write("1\t1\t5\t874965758\n"u8);
        }
        using var server = new LocalHttpServer();
        server.Serve("ml-100k.zip", memory.ToArray());
        using var dir = TestData.NewFolder();
        var stale = dir.Write(".ml-100k.0badc0de.zip.partial", "half a zip");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        using var downloader = Downloader(dir, server.BaseUrl);

        var result = await downloader.DownloadAsync(DatasetRegistry.Get("ml-100k"));

        Assert.True(File.Exists(Path.Combine(result.Folder, "u.data")));
        Assert.Equal(["ml-100k"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_bad_md5_is_refused_and_leaves_nothing()
    {
        var zip = FixtureZip();
        using var server = new LocalHttpServer();
        server.Serve("ml-latest-small.zip", zip);
        server.Serve("ml-latest-small.zip.md5", $"{new string('0', 32)}  ml-latest-small.zip\n");
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);

        var e = await Assert.ThrowsAsync<DatasetDownloadException>(() => downloader.DownloadAsync(Small));

        Assert.Contains("MD5", e.Message);
        Assert.Contains(Md5Of(zip), e.Message);
        Assert.Contains("deleted", e.Message);
        AssertNothingLeft(dir);
        Assert.Null(DataLocatorFind(dir));
    }

    [Fact]
    public async Task A_truncated_body_is_refused_and_leaves_nothing()
    {
        var zip = FixtureZip();
        using var server = new LocalHttpServer();
        server.Serve("ml-latest-small.zip", zip, sendBytes: zip.Length / 2);
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);

        var e = await Assert.ThrowsAsync<DatasetDownloadException>(() => downloader.DownloadAsync(Small));

        Assert.Matches("broke off|truncated", e.Message);
        Assert.Contains($"{zip.Length:N0}", e.Message);
        AssertNothingLeft(dir);
    }

    [Fact]
    public async Task A_body_that_is_not_a_zip_is_refused_and_leaves_nothing()
    {
        using var server = new LocalHttpServer();
        server.Serve("ml-latest-small.zip", Encoding.ASCII.GetBytes("<html>maintenance</html>"));
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);

        var e = await Assert.ThrowsAsync<DatasetDownloadException>(() => downloader.DownloadAsync(Small));

        Assert.Contains("not a readable zip", e.Message);
        AssertNothingLeft(dir);
    }

    [Fact]
    public async Task A_missing_release_reports_the_status_and_the_manual_layout()
    {
        using var server = new LocalHttpServer();
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, server.BaseUrl);

        var e = await Assert.ThrowsAsync<DatasetDownloadException>(() => downloader.DownloadAsync(Small));

        Assert.Contains("404", e.Message);
        Assert.Contains("MOVIEREC_DATA", e.Message);
        AssertNothingLeft(dir);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_the_MOVIEREC_DATA_layout()
    {
        // A port that was free a moment ago: the connection is refused at once.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var dir = TestData.NewFolder();
        using var downloader = Downloader(dir, $"http://127.0.0.1:{port}/");

        var e = await Assert.ThrowsAsync<DatasetDownloadException>(() => downloader.DownloadAsync(Small));

        Assert.Contains("unreachable", e.Message);
        Assert.Contains("MOVIEREC_DATA", e.Message);
        Assert.Contains("<MOVIEREC_DATA>/ml-latest-small/ratings.csv", e.Message);
        AssertNothingLeft(dir);
    }

    [Fact]
    public void The_registry_knows_the_official_releases_and_urls()
    {
        Assert.Equal(["ml-latest-small", "ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-32m"], DatasetRegistry.All.Select(d => d.Name));
        var official = DatasetRegistry.BaseUrl(DatasetRegistry.OfficialBaseUrl);
        Assert.Equal("https://files.grouplens.org/datasets/movielens/ml-25m.zip", DatasetRegistry.ZipUrl(DatasetRegistry.Get("ml-25m"), official).ToString());
        Assert.Equal("https://files.grouplens.org/datasets/movielens/ml-1m.zip.md5", DatasetRegistry.Md5Url(DatasetRegistry.Get("ML-1M"), official).ToString());
        Assert.Equal("ml-10M100K", DatasetRegistry.Get("ml-10m").ZipFolder);
        var e = Assert.Throws<ArgumentException>(() => DatasetRegistry.Get("ml-2m"));
        Assert.Contains("ml-latest-small", e.Message);
        Assert.Throws<ArgumentException>(() => DatasetRegistry.BaseUrl("ftp://example.org/"));
    }

    private static string? DataLocatorFind(TempFolder dir)
    {
        var folder = Path.Combine(dir.Path, "ml-latest-small");
        return Directory.Exists(folder) || File.Exists(folder + ".zip") ? folder : null;
    }

    /// <summary>IProgress that reports on the calling thread, so the test sees every report before the download returns.</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
