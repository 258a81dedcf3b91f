using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Tests;

/// <summary>
/// The query layer: the services the API endpoints and the pages share, called directly and through both doors. The
/// same request gives the same movies on a page and from the API; one default algorithm serves both.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed partial class QueryLayerTests(ServiceFixture fixture)
{
    // Horror films (MovieLens ids): The Shining, Scream, The Exorcist, The Blair Witch Project, The Omen.
    private static readonly long[] Horror = [1258, 1717, 1997, 2710, 1350];

    private T Service<T>() where T : notnull => fixture.Factory.Services.GetRequiredService<T>();

    /// <summary>A client with the session cookie (as a browser has it) and the token for API writes.</summary>
    private async Task<HttpClient> VisitorAsync(IEnumerable<long> rated, float rating)
    {
        var client = fixture.Factory.CreateClient();
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        var token = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        foreach (long movie in rated)
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/me/ratings/{movie}") { Content = JsonContent.Create(new { rating }) };
            put.Headers.Authorization = token;
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(put)).StatusCode);
        }
        return client;
    }

    [GeneratedRegex("""<ul id="(?<list>[a-z-]+)"[^>]*>(?<body>.*?)</ul>""", RegexOptions.Singleline)]
    private static partial Regex ListRegex();

    [GeneratedRegex("""<li class="card" data-movie-id="(\d+)" """)]
    private static partial Regex CardRegex();

    /// <summary>The movie ids of the cards in the list with this id, in page order.</summary>
    private static List<long> Cards(string html, string list)
    {
        var match = ListRegex().Matches(html).SingleOrDefault(m => m.Groups["list"].Value == list);
        Assert.True(match is not null, $"no <ul id=\"{list}\"> on the page");
        return [.. CardRegex().Matches(match.Groups["body"].Value).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static List<long> Ids(JsonElement items) =>
        [.. items.EnumerateArray().Select(i => (i.TryGetProperty("movie", out var m) ? m : i).GetProperty("movieId").GetInt64())];

    [Fact]
    public async Task The_same_ratings_give_the_same_list_on_the_page_and_from_the_api()
    {
        var visitor = await VisitorAsync(Horror, 5);
        string html = await visitor.GetStringAsync("/recommendations");
        var page = Cards(html, "rec-list");
        Assert.Equal(24, page.Count);
        Assert.Contains("""data-algorithm="taste" """.TrimEnd(), html, StringComparison.Ordinal);

        var api = await (await fixture.Client.PostJson("/api/v1/recommendations",
            new { ratings = Horror.Select(id => new { movieId = id, rating = 5f }), n = 24 })).Json();
        Assert.Equal("taste", api.GetProperty("algorithm").GetString());
        Assert.Equal(Ids(api.GetProperty("items")), page);
        // And the account's own endpoint agrees with both.
        var mine = await fixture.Factory.Services.GetRequiredService<RecommendationQueries>()
            .ForRatingsAsync(new RecommendationRequest([.. Horror.Reverse().Select(id => new RatingInput(id, 5f))], 24), CancellationToken.None);
        Assert.Equal(page, mine.Value!.Items.Select(i => long.Parse(i.MovieId.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_page_switcher_offers_exactly_the_algorithms_the_api_accepts_for_ratings_default_first()
    {
        var visitor = await VisitorAsync([1, 2355, 3114, 4886, 6377], 4.5f);
        string html = await visitor.GetStringAsync("/recommendations");
        var switcher = SwitcherRegex().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var offered = await fixture.Client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms?forNewUsers=true");
        var all = await fixture.Client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms");
        Assert.Equal("taste", switcher[0]);
        Assert.Equal(offered!.Keys.Order(), switcher.Order());
        Assert.Equal(Service<AlgorithmChoices>().Ordered.Select(a => a.Name), switcher);
        Assert.True(all!.Count > offered.Count);
        // The others are named on the page with the reason, refused for a visitor's ratings, and served to dataset users.
        foreach (var name in all.Keys.Except(offered.Keys))
        {
            Assert.Contains($"""<li data-algorithm="{name}">""", html, StringComparison.Ordinal);
            var refused = await (await fixture.Client.PostJson("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5f } }, algorithm = name })).AssertProblem(400, "algorithm");
            Assert.Contains("is not offered for recommendations from your ratings", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/v1/users/1/recommendations?n=1&algorithm={name}")).StatusCode);
        }
        Assert.Contains("svd", all.Keys.Except(offered.Keys));
    }

    [Fact]
    public async Task The_algorithm_note_on_the_page_is_the_catalogue_description_ending_in_one_full_stop()
    {
        var visitor = await VisitorAsync([1, 2355, 3114, 4886, 6377], 4.5f);
        foreach (var name in new[] { "taste", "ease", "content" })
        {
            string html = await visitor.GetStringAsync($"/recommendations?algorithm={name}");
            var note = NoteRegex().Match(html);
            Assert.True(note.Success, $"no algorithm note on the page for {name}");
            string text = System.Net.WebUtility.HtmlDecode(note.Groups[1].Value);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
            Assert.False(text.EndsWith("..", StringComparison.Ordinal), $"{name}: '{text}'");
        }
    }

    [GeneratedRegex("""<p class="algorithm-note">([^<]*)</p>""")]
    private static partial Regex NoteRegex();

    [GeneratedRegex("""<a href="/recommendations\?algorithm=[a-z-]+" data-algorithm="([a-z-]+)" """)]
    private static partial Regex SwitcherRegex();

    [Fact]
    public async Task An_unknown_algorithm_is_a_notice_on_the_page_and_a_400_naming_the_field_in_the_api()
    {
        var visitor = await VisitorAsync([1, 2355, 3114], 4.5f);
        string html = await visitor.GetStringAsync("/recommendations?algorithm=magic");
        Assert.Contains("There is no algorithm called “magic”; showing Your taste.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(24, Cards(html, "rec-list").Count);
        var body = await (await fixture.Client.GetAsync("/api/v1/users/1/recommendations?algorithm=magic")).AssertProblem(400, "algorithm");
        Assert.Contains($"Known: {MovieRec.Web.Queries.AlgorithmChoices.KnownNames}.", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("item-knn (knn)", MovieRec.Web.Queries.AlgorithmChoices.KnownNames, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Title_search_with_filters_lists_the_same_movies_on_the_page_and_from_the_api()
    {
        var client = fixture.Factory.CreateClient();
        string html = await client.GetStringAsync("/search?q=story&genre=animation&decade=1990");
        var api = await (await fixture.Client.GetAsync("/api/v1/movies?q=story&genre=animation&year=1990s&pageSize=24")).Json();
        var page = Cards(html, "title-results");
        Assert.NotEmpty(page);
        Assert.Equal(Ids(api.GetProperty("items")), page);
        // Without a title: the most rated movies of the genre and decade.
        html = await client.GetStringAsync("/search?genre=Horror&decade=1980");
        api = await (await fixture.Client.GetAsync("/api/v1/movies?genre=Horror&year=1980s&pageSize=24")).Json();
        Assert.Equal(Ids(api.GetProperty("items")), Cards(html, "title-results"));
        Assert.Equal(24, Cards(html, "title-results").Count);
    }

    [Fact]
    public async Task Describe_search_finds_the_same_movies_on_the_page_and_from_the_api_and_both_say_lexical()
    {
        var client = fixture.Factory.CreateClient();
        string html = await client.GetStringAsync("/search?describe=" + Uri.EscapeDataString("toys that come to life"));
        var api = await (await fixture.Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("toys that come to life") + "&n=24")).Json();
        var page = Cards(html, "describe-results");
        Assert.Contains(1L, page); // Toy Story
        Assert.Equal(Ids(api.GetProperty("items")), page);
        Assert.Equal("lexical", api.GetProperty("mode").GetString());
        Assert.Contains("""data-mode="lexical" """.TrimEnd(), html, StringComparison.Ordinal);
        Assert.Contains(api.GetProperty("note").GetString()!, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_title_search_that_matches_no_title_searches_the_words_as_a_description()
    {
        // The header's "Find a movie" box is a title search; people type descriptions there too.
        var client = fixture.Factory.CreateClient();
        const string words = "space adventure with robots";
        string html = await client.GetStringAsync("/search?q=" + Uri.EscapeDataString(words));
        var api = await (await fixture.Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(words) + "&n=24")).Json();
        Assert.Empty(Cards(html, "title-results"));
        string text = WebUtility.HtmlDecode(html);
        Assert.Contains("No titles match.", text, StringComparison.Ordinal);
        Assert.Contains("Below: movies that fit it as a description.", text, StringComparison.Ordinal);
        Assert.Contains($"Movies that fit “{words}”", text, StringComparison.Ordinal);
        var described = Cards(html, "describe-results");
        Assert.NotEmpty(described);
        Assert.Equal(Ids(api.GetProperty("items")), described);
        // A title that matches: no description search; and a filter or a later page keeps the title search alone.
        foreach (string url in new[] { "/search?q=toy", "/search?q=" + Uri.EscapeDataString(words) + "&genre=Horror", "/search?q=" + Uri.EscapeDataString(words) + "&page=2" })
            Assert.DoesNotContain("id=\"describe-results\"", await client.GetStringAsync(url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_movie_page_shows_the_similar_movies_the_api_returns()
    {
        var client = fixture.Factory.CreateClient();
        string html = await client.GetStringAsync("/movies/1");
        var content = await (await fixture.Client.GetAsync("/api/v1/movies/1/similar?by=content&n=8")).Json();
        var ratings = await (await fixture.Client.GetAsync("/api/v1/movies/1/similar?by=ratings&n=8")).Json();
        Assert.Equal(Ids(content.GetProperty("items")), Cards(html, "similar-content"));
        Assert.Equal(Ids(ratings.GetProperty("items")), Cards(html, "similar-ratings"));
        // Each "also liked" card says how many of the movie's likers liked it, as the API does.
        foreach (var item in ratings.GetProperty("items").EnumerateArray())
            Assert.Contains($"<p class=\"reason\">{item.GetProperty("reason").GetString()}</p>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        // The histogram the page draws is the API's.
        var details = await (await fixture.Client.GetAsync("/api/v1/movies/1")).Json();
        string bars = string.Join("; ", details.GetProperty("histogram").EnumerateArray()
            .Select(b => $"{b.GetProperty("rating").GetSingle().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} stars: {b.GetProperty("count").GetInt32()}"));
        Assert.Contains($"<desc id=\"histogram-desc\">{bars}</desc>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/movies/999999999")).StatusCode);
    }

    [Fact]
    public async Task A_bad_filter_in_a_hand_edited_address_is_a_notice_on_the_page()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/search?q=toy&genre=cartoons");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // a client mistake, said on the page
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("genre: unknown genre 'cartoons'.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"title-results\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_services_answer_with_values_or_errors_naming_the_field()
    {
        var list = await Service<MovieListQueries>().ListAsync(new MovieListRequest(Genre: "ANIMATION", Year: "1995", PageSize: 3), CancellationToken.None);
        Assert.True(list.IsOk);
        Assert.Equal("Animation", list.Value.Filter.Genre);
        Assert.Equal(3, list.Value.Items.Count);
        Assert.All(list.Value.Items, h => Assert.Equal(1995, h.Movie.Year));
        Assert.Equal(list.Value.Items.Select(h => h.Stats.Count).OrderDescending(), list.Value.Items.Select(h => h.Stats.Count));

        Assert.Equal(new QueryError("pageSize", "must be between 1 and 100, not 0."),
            (await Service<MovieListQueries>().ListAsync(new MovieListRequest(PageSize: 0), CancellationToken.None)).Error);
        Assert.Equal("year", (await Service<MovieListQueries>().ListAsync(new MovieListRequest(Year: "199x"), CancellationToken.None)).Error!.Field);
        Assert.True((await Service<MovieListQueries>().ClusterAsync(new ClusterMoviesRequest(99), CancellationToken.None)).Error!.IsNotFound);

        Assert.Equal("q", (await Service<SearchQueries>().SearchAsync(new SearchRequest("  "), CancellationToken.None)).Error!.Field);
        // No letter or digit: nothing to match (the embeddings of no words answered at random before).
        foreach (string nothing in new[] { "!!!", "\0", "\u200B", "\U0001F600", " ?! " })
            Assert.Contains("has no words", (await Service<SearchQueries>().SearchAsync(new SearchRequest(nothing), CancellationToken.None)).Error!.Message, StringComparison.Ordinal);
        Assert.True((await Service<SearchQueries>().SearchAsync(new SearchRequest("\u00C9t\u00E9 2001"), CancellationToken.None)).IsOk);
        Assert.True((await Service<SearchQueries>().SearchAsync(new SearchRequest("\U00020000"), CancellationToken.None)).IsOk); // a CJK letter outside the BMP
        var similar = await Service<SimilarQueries>().SimilarAsync(new SimilarRequest(1, "SEMANTIC", 3), CancellationToken.None);
        Assert.Equal("text", similar.Value!.By); // no embedding model: the text fallback, and a note saying so
        Assert.Contains("unavailable", similar.Value.Note, StringComparison.Ordinal);
        Assert.True((await Service<SimilarQueries>().SimilarAsync(new SimilarRequest(999_999_999), CancellationToken.None)).Error!.IsNotFound);
        Assert.Equal("by", (await Service<SimilarQueries>().SimilarAsync(new SimilarRequest(1, "colour"), CancellationToken.None)).Error!.Field);

        var detail = await Service<MovieDetailQueries>().FindAsync(1, CancellationToken.None);
        Assert.Equal(detail.Value!.Stats.Count, detail.Value.Histogram.Sum(b => b.Count));
        Assert.Equal([0.5f, 5f], new[] { detail.Value.Histogram[0].Rating, detail.Value.Histogram[^1].Rating });

        var recommendations = Service<RecommendationQueries>();
        Assert.Equal("body", (await recommendations.ForRatingsAsync(null, CancellationToken.None)).Error!.Field);
        Assert.Equal("ratings[1].rating", (await recommendations.ForRatingsAsync(
            new RecommendationRequest([new RatingInput(1, 4), new RatingInput(2, 9)]), CancellationToken.None)).Error!.Field);
        var user = await recommendations.ForDatasetUserAsync(new DatasetUserRecommendationRequest("1", "SVD", 4), CancellationToken.None);
        Assert.Equal("svd", user.Value!.Algorithm);
        Assert.Equal(4, user.Value.Items.Count);
        Assert.True((await recommendations.ForDatasetUserAsync(new DatasetUserRecommendationRequest("-5"), CancellationToken.None)).Error!.IsNotFound);
    }

    [Fact]
    public async Task Query_parameters_are_documented_with_their_json_names_and_descriptions()
    {
        var openapi = await (await fixture.Client.GetAsync("/openapi/v1.json")).Json();
        var parameters = openapi.GetProperty("paths").GetProperty("/api/v1/movies").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(["q", "genre", "year", "page", "pageSize"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.All(parameters, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString())));
        var similar = openapi.GetProperty("paths").GetProperty("/api/v1/movies/{id}/similar").GetProperty("get");
        Assert.Contains(similar.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "id" && p.GetProperty("description").GetString() == "The movie, by its id as the dataset spells it.");
        Assert.True(similar.GetProperty("responses").TryGetProperty("404", out _));
        var body = openapi.GetProperty("components").GetProperty("schemas").GetProperty("RecommendationRequest");
        Assert.Contains("default", body.GetProperty("properties").GetProperty("algorithm").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("required", out _), "every field of the body is optional");
        // A value the binder cannot read names the parameter as the client wrote it.
        await (await fixture.Client.GetAsync("/api/v1/movies?pageSize=abc")).AssertProblem(400, "pageSize");
    }
}
