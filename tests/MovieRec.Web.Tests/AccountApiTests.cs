using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MovieRec.Web.Tests;

/// <summary>Sessions, /me/ratings and /me/recommendations: durable writes, isolation between tokens, online updates.</summary>
[Collection(ServiceCollection.Name)]
public sealed class AccountApiTests(ServiceFixture fixture)
{
    private async Task<HttpClient> SignedInClient()
    {
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        var response = await client.PostAsync("/api/v1/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        string token = body.GetProperty("token").GetString()!;
        Assert.True(token.Length >= 43, "a 256-bit token");
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("movierec_session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<List<long>> RecommendedIds(HttpClient client, string query = "n=10")
    {
        var body = await (await client.GetAsync("/api/v1/me/recommendations?" + query)).Json();
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64())];
    }

    /// <summary>
    /// GET /me/predictions/{movieId}: the stars the account would give a movie, from its other ratings (the SVD's
    /// fold-in, as beside recommendations), with a reason naming one of its liked movies; a movie it rated is predicted
    /// from the others and says its own rating.
    /// </summary>
    [Fact]
    public async Task Predictions_fold_in_the_other_ratings_and_say_why()
    {
        var client = await SignedInClient();
        var empty = await (await client.GetAsync("/api/v1/me/predictions/1982")).Json();
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("predictedRating").ValueKind);
        Assert.Contains("Rate a movie", empty.GetProperty("note").GetString(), StringComparison.Ordinal);
        // The Shining, Psycho, The Exorcist, Friday the 13th, A Nightmare on Elm Street at 5 stars; Toy Story at 1.
        long[] horror = [1258, 1219, 1997, 1974, 1347];
        foreach (long id in horror) Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 1 })).StatusCode);

        var halloween = await (await client.GetAsync("/api/v1/me/predictions/1982")).Json();
        Assert.True(halloween.GetProperty("predictedRating").ValueKind == JsonValueKind.Number, halloween.ToString());
        Assert.Equal("Halloween", halloween.GetProperty("title").GetString());
        Assert.Equal(6, halloween.GetProperty("fromRatings").GetInt32());
        Assert.InRange(halloween.GetProperty("predictedRating").GetSingle(), 3f, 4.9f); // shrunk, not the top of the scale
        Assert.Contains(halloween.GetProperty("becauseOf").GetInt64(), horror);
        Assert.StartsWith("because you liked ", halloween.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, halloween.GetProperty("yourRating").ValueKind);

        // A movie their ratings pulled down (A Bug's Life, after Toy Story at 1 star) gets no "because you liked".
        var bugsLife = await (await client.GetAsync("/api/v1/me/predictions/2355")).Json();
        Assert.True(bugsLife.GetProperty("predictedRating").GetSingle() < halloween.GetProperty("predictedRating").GetSingle(), bugsLife.ToString());
        Assert.Equal(JsonValueKind.Null, bugsLife.GetProperty("reason").ValueKind);

        var rated = await (await client.GetAsync("/api/v1/me/predictions/1258")).Json();
        Assert.Equal(5, rated.GetProperty("yourRating").GetSingle());
        Assert.Equal(5, rated.GetProperty("fromRatings").GetInt32()); // its own rating left out
        await (await client.GetAsync("/api/v1/me/predictions/999999999")).AssertProblem(404, "No movie");
        var anonymous = fixture.Factory.CreateClient(new() { HandleCookies = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/predictions/1982")).StatusCode);
    }

    [Fact]
    public async Task Ratings_are_stored_listed_replaced_and_deleted()
    {
        var client = await SignedInClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4.5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/2571", new { rating = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 2 })).StatusCode);
        var mine = (await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, mine.Count);
        var toyStory = mine.Single(r => r.GetProperty("movieId").GetInt64() == 1);
        Assert.Equal(2f, toyStory.GetProperty("rating").GetSingle());
        Assert.Equal("Toy Story", toyStory.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/me/ratings/1")).StatusCode);
        await (await client.DeleteAsync("/api/v1/me/ratings/1")).AssertProblem(404);
        Assert.Single((await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray());
    }

    /// <summary>
    /// POST /me/ratings/import: a Letterboxd export matched by title and year (alternative titles too), stored with its
    /// dates, the rows the catalogue lacks listed; a malformed export stores nothing and names the line; the CSV of
    /// GET /me/ratings/export imports into another account as the same ratings; imports may exceed the 64 KiB of other
    /// bodies, up to 8 MiB.
    /// </summary>
    [Fact]
    public async Task Ratings_exported_elsewhere_import_and_our_export_reads_back()
    {
        var client = await SignedInClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 1 })).StatusCode);
        static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");
        const string letterboxd = """
            Date,Name,Year,Letterboxd URI,Rating
            2023-01-01,The 400 Blows,1959,https://boxd.it/1,4.5
            2023-01-02,La Haine,1995,https://boxd.it/2,4
            2023-01-03,Jules and Jim,1962,https://boxd.it/3,4
            2023-01-04,Toy Story,1995,https://boxd.it/4,3.5
            2023-01-05,Portrait of a Lady on Fire,2019,https://boxd.it/5,5
            """;
        var imported = await client.PostAsync("/api/v1/me/ratings/import?name=ratings.csv", Csv(letterboxd));
        var result = await imported.Json();
        Assert.True(imported.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal("letterboxd", result.GetProperty("format").GetString());
        Assert.Equal(4, result.GetProperty("stored").GetInt32());
        Assert.Equal(1, result.GetProperty("replaced").GetInt32()); // Toy Story, rated 1 before
        var missed = Assert.Single(result.GetProperty("unmatched").EnumerateArray());
        Assert.Equal(6, missed.GetProperty("line").GetInt32());
        Assert.Equal("Portrait of a Lady on Fire (2019)", missed.GetProperty("movie").GetString());

        var mine = (await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray()
            .Select(r => (r.GetProperty("movieId").GetInt64(), r.GetProperty("rating").GetSingle(), r.GetProperty("updatedAt").GetDateTimeOffset())).ToList();
        // Most recent first, by the export's dates; Jules and Jim is 1961 in MovieLens (one year off still matches).
        Assert.Equal([(1L, 3.5f), (2732L, 4f), (97L, 4f), (2731L, 4.5f)], mine.Select(m => (m.Item1, m.Item2)));
        Assert.Equal(new DateTimeOffset(2023, 1, 4, 0, 0, 0, TimeSpan.Zero), mine[0].Item3);

        // A bad row anywhere: a 400 naming the file and the line, and nothing of the file is stored.
        var bad = await client.PostAsync("/api/v1/me/ratings/import?name=ratings.csv",
            Csv("Date,Name,Year,Letterboxd URI,Rating\n2023-02-01,Heat,1995,https://boxd.it/6,5\n2023-02-02,Alien,1979,https://boxd.it/7,4.25\n"));
        var problem = await bad.AssertProblem(400, "file");
        Assert.StartsWith("ratings.csv, line 3, field 'Rating': 4.25 is not", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(4, (await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").GetArrayLength());
        await (await client.PostAsJsonAsync("/api/v1/me/ratings/import", new { rating = 5 })).AssertProblem(415);
        var anonymous = fixture.Factory.CreateClient(new() { HandleCookies = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/me/ratings/import", Csv(letterboxd))).StatusCode);

        // Our export, imported by another account (as a form upload), is the same ratings with the same dates.
        var export = await client.GetAsync("/api/v1/me/ratings/export");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("movierec-ratings.csv", export.Content.Headers.ContentDisposition?.FileName);
        string csv = await export.Content.ReadAsStringAsync();
        Assert.StartsWith("movieId,imdbId,tmdbId,title,year,rating,ratedAt\n1,tt0114709,862,Toy Story,1995,3.5,2023-01-04T00:00:00Z\n", csv, StringComparison.Ordinal);
        var other = await SignedInClient();
        using var form = new MultipartFormDataContent { { Csv(csv), "file", "movierec-ratings.csv" } };
        var again = await (await other.PostAsync("/api/v1/me/ratings/import", form)).Json();
        Assert.Equal("csv", again.GetProperty("format").GetString());
        Assert.Equal(4, again.GetProperty("stored").GetInt32());
        Assert.Equal(csv, await (await other.GetAsync("/api/v1/me/ratings/export")).Content.ReadAsStringAsync());

        // 3,000 rows (about 100 KiB, over the 64 KiB of other bodies) import; 9 MiB is refused.
        var big = new System.Text.StringBuilder("movieId,rating,comment\n");
        for (int i = 0; i < 3000; i++) big.Append("1,4,").Append('x', 25).Append('\n');
        var many = await (await other.PostAsync("/api/v1/me/ratings/import", Csv(big.ToString()))).Json();
        Assert.Equal(2999, many.GetProperty("repeated").GetInt32());
        await (await other.PostAsync("/api/v1/me/ratings/import", new ByteArrayContent(new byte[9 * 1024 * 1024]))).AssertProblem(413);
    }

    /// <summary>"Not interested" (PUT /me/hidden/{movieId}): the movie leaves the account's lists at once, and comes back when taken back.</summary>
    [Fact]
    public async Task A_movie_the_account_is_not_interested_in_is_never_recommended_until_taken_back()
    {
        var client = await SignedInClient();
        foreach (long id in new long[] { 1258, 1219, 1997, 1982, 1347 })
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        var before = await RecommendedIds(client);
        Assert.Equal(10, before.Count);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/me/hidden/{before[0]}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/me/hidden/{before[0]}", null)).StatusCode); // again: no change
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/me/hidden/{before[3]}", null)).StatusCode);
        var after = await RecommendedIds(client);
        Assert.Equal(10, after.Count);
        Assert.DoesNotContain(before[0], after);
        Assert.DoesNotContain(before[3], after);
        Assert.Equal([before[1], before[2]], after.Take(2)); // the rest keep their order
        Assert.DoesNotContain(before[0], await RecommendedIds(client, "n=10&algorithm=ease"));
        var hidden = (await (await client.GetAsync("/api/v1/me/hidden")).Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()).ToList();
        Assert.Equal([before[3], before[0]], hidden);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/me/hidden/{before[0]}")).StatusCode);
        Assert.Equal(before[0], (await RecommendedIds(client))[0]);
        await (await client.DeleteAsync($"/api/v1/me/hidden/{before[0]}")).AssertProblem(404, "not on your not-interested list");
        await (await client.PutAsync("/api/v1/me/hidden/999999999", null)).AssertProblem(404, "No movie");
        var anonymous = fixture.Factory.CreateClient(new() { HandleCookies = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync($"/api/v1/me/hidden/{before[0]}", null)).StatusCode);
    }

    /// <summary>The watchlist (PUT /me/watchlist/{movieId}): kept to watch later, not recommended again, and left once rated.</summary>
    [Fact]
    public async Task Movies_on_the_watchlist_leave_the_recommendations_and_the_list_once_rated()
    {
        var client = await SignedInClient();
        foreach (long id in new long[] { 1, 364, 6377, 4886, 68954 })
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        var before = await RecommendedIds(client);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/me/watchlist/{before[1]}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/v1/me/watchlist/{before[0]}", null)).StatusCode);
        async Task<List<long>> Watchlist() => [.. (await (await client.GetAsync("/api/v1/me/watchlist")).Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64())];
        Assert.Equal([before[0], before[1]], await Watchlist());
        var after = await RecommendedIds(client);
        Assert.DoesNotContain(before[0], after);
        Assert.DoesNotContain(before[1], after);
        Assert.Empty((await (await client.GetAsync("/api/v1/me/hidden")).Json()).GetProperty("items").EnumerateArray());

        // Watched and rated: off the watchlist (and, rated, not recommended either).
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{before[0]}", new { rating = 4 })).StatusCode);
        Assert.Equal([before[1]], await Watchlist());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/me/watchlist/{before[1]}")).StatusCode);
        Assert.Empty(await Watchlist());
        Assert.Contains(before[1], await RecommendedIds(client));
        await (await client.DeleteAsync($"/api/v1/me/watchlist/{before[1]}")).AssertProblem(404, "not on your watchlist");
        await (await client.PutAsync("/api/v1/me/watchlist/999999999", null)).AssertProblem(404, "No movie");
    }

    /// <summary>
    /// POST /me/watchlist/import adds a watchlist export's movies (not those rated; again: no change), kept out of the
    /// recommendations; Letterboxd's export as downloaded (.zip) gives ratings, watchlist and the films seen unrated
    /// (POST /me/seen/import for watched.csv alone) in one upload.
    /// </summary>
    [Fact]
    public async Task A_watchlist_export_and_a_letterboxd_zip_fill_the_watchlist()
    {
        var client = await SignedInClient();
        foreach (long id in new long[] { 1258, 1219, 1997, 1982, 1347 })
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        var before = await RecommendedIds(client);
        static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");
        string list = $"movieId,added\n{before[0]}\n{before[2]}\n1258\n999999\n";
        var imported = await client.PostAsync("/api/v1/me/watchlist/import?name=list.csv", Csv(list));
        var result = await imported.Json();
        Assert.True(imported.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal(4, result.GetProperty("rows").GetInt32());
        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal(1, result.GetProperty("rated").GetInt32()); // The Shining: rated, so seen
        Assert.Equal("no movie with id 999999 in the catalogue", Assert.Single(result.GetProperty("unmatched").EnumerateArray()).GetProperty("why").GetString());
        async Task<List<long>> Watchlist() => [.. (await (await client.GetAsync("/api/v1/me/watchlist")).Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64())];
        Assert.Equal([before[0], before[2]], (await Watchlist()).Order());
        var after = await RecommendedIds(client);
        Assert.DoesNotContain(before[0], after);
        Assert.DoesNotContain(before[2], after);
        // Again, sent as text/plain (what some clients say of a file): nothing new.
        var again = await (await client.PostAsync("/api/v1/me/watchlist/import?name=list.csv", new StringContent(list))).Json();
        Assert.Equal((0, 2), (again.GetProperty("added").GetInt32(), again.GetProperty("alreadyListed").GetInt32()));

        await (await client.PostAsync("/api/v1/me/watchlist/import?name=watched.csv", Csv("Date,Name,Year,Letterboxd URI\n2023-01-01,Heat,1995,x\n"))).AssertProblem(400, "import it as films you have seen");
        var noMovie = await (await client.PostAsync("/api/v1/me/watchlist/import?name=w.csv", Csv("Comment\nlater\n"))).AssertProblem(400, "file");
        Assert.Contains("w.csv, line 1", noMovie.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        await (await client.PostAsJsonAsync("/api/v1/me/watchlist/import", new { movieId = 1 })).AssertProblem(415, "the body must be the file itself (text/csv");

        // Letterboxd's whole export: its ratings.csv is stored, its watchlist.csv joins the watchlist.
        var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[]
            {
                ("ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n2023-01-01,Heat,1995,https://boxd.it/a,5\n"),
                ("watchlist.csv", "Date,Name,Year,Letterboxd URI\n2024-01-01,Alien,1979,https://boxd.it/b\n2024-01-02,Not A Film,2020,https://boxd.it/c\n"),
                ("watched.csv", "Date,Name,Year,Letterboxd URI\n2023-01-01,Heat,1995,https://boxd.it/a\n2023-01-02,Vertigo,1958,https://boxd.it/d\n"),
            })
            {
                await using var entry = archive.CreateEntry(name).Open();
                await entry.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
            }
        }
        var upload = new ByteArrayContent(zip.ToArray());
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var whole = await client.PostAsync("/api/v1/me/ratings/import?name=letterboxd-me.zip", upload);
        var answer = await whole.Json();
        Assert.True(whole.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(("letterboxd", 1), (answer.GetProperty("format").GetString(), answer.GetProperty("stored").GetInt32()));
        var watchlist = answer.GetProperty("watchlist");
        Assert.Equal((1, 1), (watchlist.GetProperty("added").GetInt32(), watchlist.GetProperty("unmatchedCount").GetInt32()));
        Assert.Contains(6L, (await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()));
        Assert.Equal(1214L, (await Watchlist())[^1]); // added 2024-01-01: the oldest on the list
        // watched.csv: Heat is rated (a rating, not "seen"), Vertigo seen without a rating and no longer recommended.
        var seen = answer.GetProperty("seen");
        Assert.Equal((1, 1), (seen.GetProperty("added").GetInt32(), seen.GetProperty("rated").GetInt32()));
        async Task<List<long>> Seen() => [.. (await (await client.GetAsync("/api/v1/me/seen")).Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64())];
        Assert.Equal([903L], await Seen());
        Assert.DoesNotContain(903L, await RecommendedIds(client, "n=100"));
        // The same file on its own, as films seen: already there. Rated: off the list.
        var again2 = await (await client.PostAsync("/api/v1/me/seen/import?name=watched.csv", Csv("Date,Name,Year,Letterboxd URI\n2023-01-02,Vertigo,1958,https://boxd.it/d\n"))).Json();
        Assert.Equal(1, again2.GetProperty("alreadyListed").GetInt32());
        await (await client.PostAsync("/api/v1/me/seen/import?name=watchlist.csv", Csv("Date,Name,Year,Letterboxd URI\n2024-01-01,Alien,1979,x\n"))).AssertProblem(400, "films to watch, not films you have seen");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/903", new { rating = 4.5 })).StatusCode);
        Assert.Empty(await Seen());
        await (await client.DeleteAsync("/api/v1/me/seen/903")).AssertProblem(404, "not on your list of movies seen");
        // A diary's entry without stars is a film seen too.
        var diary = await (await client.PostAsync("/api/v1/me/ratings/import?name=diary.csv",
            Csv("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2023-04-01,Carrie,1976,https://boxd.it/e,,,,2023-04-01\n"))).Json();
        Assert.Equal((0, 1), (diary.GetProperty("stored").GetInt32(), diary.GetProperty("seen").GetProperty("added").GetInt32()));
        Assert.Equal([1345L], await Seen());
        var broken = new ByteArrayContent(zip.ToArray()[..40]);
        var problem = await (await client.PostAsync("/api/v1/me/ratings/import?name=letterboxd-me.zip", broken)).AssertProblem(400, "file");
        Assert.Contains("letterboxd-me.zip: is not a readable zip archive", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_acknowledged_rating_is_the_one_stored_updated_at_included()
    {
        // The PUT answered updatedAt to the tick (…04.8688475) while the store keeps milliseconds (…04.868): a client
        // comparing the acknowledgement with GET /me/ratings saw two different times for one write.
        var client = await SignedInClient();
        var acknowledged = new SortedDictionary<long, string>();
        foreach (long movie in new long[] { 1, 2571, 260 })
        {
            var put = await client.PutAsJsonAsync($"/api/v1/me/ratings/{movie}", new { rating = 4 });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            acknowledged[movie] = (await put.Json()).GetProperty("updatedAt").GetString()!;
        }
        var stored = new SortedDictionary<long, string>((await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray()
            .ToDictionary(r => r.GetProperty("movieId").GetInt64(), r => r.GetProperty("updatedAt").GetString()!));
        Assert.Equal(acknowledged, stored);
    }

    [Fact]
    public async Task One_token_never_reads_or_changes_another_accounts_ratings()
    {
        var alice = await SignedInClient();
        var bob = await SignedInClient();
        await alice.PutAsJsonAsync("/api/v1/me/ratings/296", new { rating = 5 });
        await bob.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 1 });
        // Bob deleting "his" rating of Alice's movie does not touch hers.
        await (await bob.DeleteAsync("/api/v1/me/ratings/296")).AssertProblem(404);
        var aliceRatings = (await (await alice.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().ToList();
        var bobRatings = (await (await bob.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([296L], aliceRatings.Select(r => r.GetProperty("movieId").GetInt64()));
        Assert.Equal([1L], bobRatings.Select(r => r.GetProperty("movieId").GetInt64()));
        Assert.Equal(5f, aliceRatings[0].GetProperty("rating").GetSingle());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Requests_without_a_valid_token_are_401_problems(string? authorization)
    {
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        await (await client.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
        await (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4 })).AssertProblem(401);
        await (await client.GetAsync("/api/v1/me/recommendations")).AssertProblem(401);
    }

    [Fact]
    public async Task An_overlong_token_is_refused_without_a_lookup()
    {
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + new string('a', 5000));
        await (await client.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
    }

    [Fact]
    public async Task The_session_cookie_signs_in_the_web_ui()
    {
        var client = fixture.Factory.CreateClient(new() { HandleCookies = true });
        await client.PostAsync("/api/v1/sessions", null);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4 })).StatusCode);
        Assert.Single((await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"rating":6}""", 400, "rating")]
    [InlineData("""{"rating":0}""", 400, "rating")]
    [InlineData("""{"rating":3.7}""", 400, "rating")]
    [InlineData("""{}""", 400, "rating")]
    [InlineData("""{"rating":"five"}""", 400, "$.rating")]
    [InlineData("""{"rating":4""", 400, null)]
    public async Task Bad_ratings_are_400_problems_and_nothing_is_stored(string json, int status, string? field)
    {
        var client = await SignedInClient();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        await (await client.PutAsync("/api/v1/me/ratings/1", content)).AssertProblem(status, field);
        Assert.Empty((await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Rating_an_unknown_movie_is_404()
    {
        var client = await SignedInClient();
        await (await client.PutAsJsonAsync("/api/v1/me/ratings/987654321", new { rating = 4 })).AssertProblem(404);
    }

    [Fact]
    public async Task A_new_rating_changes_the_next_recommendations_without_retraining()
    {
        var client = await SignedInClient();
        string version = fixture.Factory.Host.Current!.Version;
        await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 5 });
        var before = await RecommendedIds(client, "n=10&algorithm=hybrid");
        foreach (long id in RecommendationApiTests.AnimatedFamily[1..])
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 5 })).StatusCode);
        var after = await RecommendedIds(client, "n=10&algorithm=hybrid");
        Assert.NotEqual(before, after);
        Assert.DoesNotContain(after, RecommendationApiTests.AnimatedFamily.Contains);
        Assert.Equal(version, fixture.Factory.Host.Current!.Version);
        // Deleting a rating changes them again (the cached list is dropped).
        await client.DeleteAsync("/api/v1/me/ratings/78499");
        var afterDelete = await RecommendedIds(client, "n=10&algorithm=hybrid");
        Assert.NotEqual(after, afterDelete);
    }

    [Fact]
    public async Task An_account_with_no_ratings_gets_recommendations()
    {
        var client = await SignedInClient();
        Assert.Equal(10, (await RecommendedIds(client)).Count);
        await (await client.GetAsync("/api/v1/me/recommendations?algorithm=nope")).AssertProblem(400, "algorithm");
    }

    [Fact]
    public async Task Tokens_expire_and_are_stored_only_as_hashes()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:SessionLifetime"] = "00:00:03" });
        var client = factory.CreateClient(new() { HandleCookies = false });
        await factory.ReadyClientAsync();
        string token = (await (await client.PostAsync("/api/v1/sessions", null)).Json()).GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me/ratings")).StatusCode);
        // The database holds the SHA-256 of the token, never the token.
        var db = await File.ReadAllBytesAsync(Path.Combine(factory.DataDirectory, "ratings.db"));
        Assert.Equal(-1, System.Text.Encoding.ASCII.GetString(db).IndexOf(token, StringComparison.Ordinal));
        await Task.Delay(4100);
        await (await client.GetAsync("/api/v1/me/ratings")).AssertProblem(401);
    }
}
