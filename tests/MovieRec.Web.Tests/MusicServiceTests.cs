using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// A dataset of string ids through the service (issue 17, item 2): a music listening log (listeners and tracks named by
/// strings, a track file with titles and genres, a movierec.columns mapping) starts, becomes ready, and serves the API
/// with ids as the dataset spells them ("track-007" in routes, bodies and answers), accounts that rate tracks,
/// recommendations, similar tracks by ratings and by content, K-Means clusters and the pages.
/// </summary>
public sealed class MusicServiceTests : IAsyncLifetime
{
    private readonly TempFolder _data = TestData.NewFolder();
    private ServiceFactory _factory = null!;
    private HttpClient _client = null!;

    /// <summary>
    /// 150 listeners (enough that each of K-Means's 9 user clusters rates tracks 5 times) of 24 tracks in three genres; each listener plays mostly one genre (stars 4-5) and a little of
    /// another (stars 1-2). Track ids are strings; a few look like numbers ("0042") to keep them strings.
    /// </summary>
    internal static string WriteMusic(string root)
    {
        string[] genres = ["Jazz", "Rock", "Techno"];
        string Track(int t) => t == 23 ? "0042" : $"track-{t:000}";
        var tracks = new StringBuilder("track,title,genre\n");
        for (int t = 0; t < 24; t++) tracks.Append(CultureInfo.InvariantCulture, $"{Track(t)},{genres[t % 3]} Song {t},{genres[t % 3]}\n");
        var plays = new StringBuilder("listener,track,stars,ts\n");
        var random = new Random(11);
        long ts = 1_700_000_000;
        for (int u = 0; u < 150; u++)
        {
            int own = u % 3, other = (u + 1) % 3;
            for (int t = 0; t < 24; t++)
            {
                int genre = t % 3;
                if (genre == own && random.NextDouble() < 0.75) plays.Append(CultureInfo.InvariantCulture, $"listener-{u:000},{Track(t)},{4 + random.Next(2)},{ts++}\n");
                else if (genre == other && random.NextDouble() < 0.2) plays.Append(CultureInfo.InvariantCulture, $"listener-{u:000},{Track(t)},{1 + random.Next(2)},{ts++}\n");
            }
        }
        var folder = Path.Combine(root, "music");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "plays.csv"), plays.ToString());
        File.WriteAllText(Path.Combine(folder, "tracks.csv"), tracks.ToString());
        File.WriteAllText(Path.Combine(folder, "movierec.columns"), "user=listener\nitem=track\nrating=stars\ntimestamp=ts\nitems=tracks.csv, title=title, category=genre\n");
        return folder;
    }

    public async Task InitializeAsync()
    {
        _factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:Dataset"] = WriteMusic(_data.Path) });
        _client = await _factory.ReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task The_service_becomes_ready_and_answers_with_string_ids()
    {
        var ready = await _client.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());

        var list = await (await _client.GetAsync("/api/v1/movies?q=jazz song 3")).Json();
        var first = list.GetProperty("items")[0];
        Assert.Equal(JsonValueKind.String, first.GetProperty("movieId").ValueKind);
        Assert.Equal("track-003", first.GetProperty("movieId").GetString());
        Assert.Equal("/api/v1/movies/track-003/poster", first.GetProperty("posterUrl").GetString());

        var track = await (await _client.GetAsync("/api/v1/movies/track-003")).Json();
        Assert.Equal("track-003", track.GetProperty("movieId").GetString());
        Assert.Equal("Jazz Song 3", track.GetProperty("title").GetString());
        Assert.True(track.GetProperty("ratingCount").GetInt32() > 5);
        // A string id that looks like a number stays a string.
        var numberLike = await (await _client.GetAsync("/api/v1/movies/0042")).Json();
        Assert.Equal("0042", numberLike.GetProperty("movieId").GetString());
        Assert.Equal("Techno Song 23", numberLike.GetProperty("title").GetString());
        await (await _client.GetAsync("/api/v1/movies/track-999")).AssertProblem(404);
        await (await _client.GetAsync("/api/v1/movies/42")).AssertProblem(404);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/movies/track-003/poster")).StatusCode);
    }

    [Fact]
    public async Task Similar_tracks_by_ratings_and_by_content_share_the_genre()
    {
        foreach (var by in new[] { "ratings", "content" })
        {
            var similar = await (await _client.GetAsync($"/api/v1/movies/track-003/similar?by={by}&n=3")).Json();
            Assert.Equal("track-003", similar.GetProperty("movieId").GetString());
            var items = similar.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movie")).ToList();
            Assert.True(items.Count > 0, $"nothing similar by {by}");
            Assert.All(items, i => Assert.StartsWith("Jazz", i.GetProperty("title").GetString(), StringComparison.Ordinal));
            Assert.All(items, i => Assert.Equal(JsonValueKind.String, i.GetProperty("movieId").ValueKind));
        }
    }

    [Fact]
    public async Task Anonymous_ratings_in_a_body_get_recommendations_of_the_liked_genre()
    {
        var body = new { ratings = new object[] { new { movieId = "track-001", rating = 5 }, new { movieId = "track-004", rating = 5 }, new { movieId = "track-007", rating = 4 } }, n = 4 };
        foreach (var algorithm in new[] { "ease", "hybrid", "kmeans", "content", "knn" })
        {
            var response = await _client.PostAsJsonAsync("/api/v1/recommendations", new { body.ratings, body.n, algorithm });
            var list = await response.Json();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{algorithm}: {list}");
            var items = list.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count > 0, $"{algorithm}: no items");
            Assert.All(items, i => Assert.Equal(JsonValueKind.String, i.GetProperty("movieId").ValueKind));
            Assert.DoesNotContain(items, i => i.GetProperty("movieId").GetString() is "track-001" or "track-004" or "track-007");
            if (algorithm is "hybrid" or "content" or "knn")
                Assert.StartsWith("Rock", items[0].GetProperty("title").GetString(), StringComparison.Ordinal);
        }
        var unknown = await _client.PostAsJsonAsync("/api/v1/recommendations", new { ratings = new object[] { new { movieId = "track-999", rating = 5 } } });
        await unknown.AssertProblem(400, "ratings[0].movieId");
    }

    [Fact]
    public async Task An_account_rates_tracks_and_gets_recommendations_and_pages()
    {
        var session = await (await _client.PostAsync("/api/v1/sessions", null)).Json();
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        foreach (var (track, stars) in new[] { ("track-002", 5), ("track-005", 5), ("0042", 4) })
        {
            var put = await client.PutAsJsonAsync($"/api/v1/me/ratings/{track}", new { rating = stars });
            var rated = await put.Json();
            Assert.True(put.StatusCode == HttpStatusCode.OK, rated.ToString());
            Assert.Equal(track, rated.GetProperty("movieId").GetString());
        }
        var mine = await (await client.GetAsync("/api/v1/me/ratings")).Json();
        Assert.Equal(["0042", "track-002", "track-005"], mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("Techno Song 23", mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));

        var recommended = await (await client.GetAsync("/api/v1/me/recommendations?n=5&algorithm=hybrid")).Json();
        var items = recommended.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.DoesNotContain(items, i => i.GetProperty("movieId").GetString() is "track-002" or "track-005" or "0042");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/me/ratings/0042")).StatusCode);
        await (await client.DeleteAsync("/api/v1/me/ratings/0042")).AssertProblem(404);

        // A retrain takes the account's stored ratings in (stored by a hash of the track id, mapped back to the tracks).
        using var admin = _factory.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        var retrain = await admin.PostAsync("/api/v1/admin/retrain", null);
        var outcome = await retrain.Json();
        Assert.True(retrain.StatusCode == HttpStatusCode.OK, outcome.ToString());
        var stored = await _factory.Services.GetRequiredService<IRatingStore>().GetAllRatingsAsync();
        Assert.DoesNotContain(stored, r => r.MovieId is >= 0 and < 24); // hashes, not dense item ids
        var train = ModelTrainer.BuildTrainingData(_factory.Host.Dataset!, stored);
        var accountUsers = train.UserIds.StringIds.Where(u => u.StartsWith('-')).ToList();
        Assert.Single(accountUsers);
        var accountItems = train.ByUser.RowColumns(train.UserIds.ToDense(accountUsers[0])).ToArray();
        Assert.Equal(["track-002", "track-005"], accountItems.Select(i => train.ItemIds.ToRaw(i)).Order(StringComparer.Ordinal));

        // The pages, as the signed-in listener (the session cookie's token as a bearer works the same way).
        var page = await client.GetAsync("/recommendations");
        string html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("href=\"/movies/track-002\"", html, StringComparison.Ordinal);
        Assert.Contains("data-movie-id=\"track-", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataset_listeners_and_pages_by_string_id()
    {
        var response = await _client.GetAsync("/api/v1/users/listener-007/recommendations?n=3");
        var list = await response.Json();
        Assert.True(response.StatusCode == HttpStatusCode.OK, list.ToString());
        Assert.Equal(3, list.GetProperty("items").GetArrayLength());
        await (await _client.GetAsync("/api/v1/users/nobody/recommendations")).AssertProblem(404);

        foreach (var url in new[] { "/", "/movies/track-003", "/movies/0042", "/clusters", "/search?q=rock", "/recommendations", "/dashboard" })
        {
            var page = await _client.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{url}: {(int)page.StatusCode}");
        }
        string movie = await _client.GetStringAsync("/movies/track-003");
        Assert.Contains("Jazz Song 3", movie, StringComparison.Ordinal);
        Assert.Contains("data-movie-id=\"track-003\"", movie, StringComparison.Ordinal);
        Assert.Contains("/api/v1/movies/track-003/poster", movie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/movies/track-999")).StatusCode);

        var clusters = await (await _client.GetAsync("/api/v1/clusters")).Json();
        Assert.True(clusters.GetArrayLength() > 1, clusters.ToString());
        var member = clusters[0].GetProperty("representatives")[0];
        Assert.Equal(JsonValueKind.String, member.GetProperty("movieId").ValueKind);
    }
}

/// <summary>
/// The README's form of a string-id dataset: MovieRec:Dataset names the interactions file itself (a movierec.columns
/// beside it), as the CLI's --data takes it. Start-up used to fail with "is a file but not a .zip archive".
/// </summary>
public sealed class MusicFileServiceTests
{
    [Fact]
    public async Task The_service_started_on_the_interactions_file_itself_answers_with_string_ids()
    {
        using var data = TestData.NewFolder();
        string plays = Path.Combine(MusicServiceTests.WriteMusic(data.Path), "plays.csv");
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:Dataset"] = plays });
        var client = await factory.ReadyClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/recommendations",
            new { ratings = new object[] { new { movieId = "track-001", rating = 5 }, new { movieId = "track-004", rating = 5 } }, n = 3, algorithm = "knn" });
        var list = await response.Json();
        Assert.True(response.StatusCode == HttpStatusCode.OK, list.ToString());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.StartsWith("track-", i.GetProperty("movieId").GetString(), StringComparison.Ordinal));
    }
}
