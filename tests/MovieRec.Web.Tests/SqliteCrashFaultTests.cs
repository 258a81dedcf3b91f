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
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
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
