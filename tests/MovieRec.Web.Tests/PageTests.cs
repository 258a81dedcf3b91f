using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace MovieRec.Web.Tests;

/// <summary>
/// The server-rendered pages as a person meets them (the HTML a browser gets): paging through search results, an
/// address edited by hand, counts of one, a visitor who liked nothing, and a browser with JavaScript off.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed partial class PageTests(ServiceFixture fixture)
{
    private static async Task<(HttpStatusCode Status, string Html)> Browse(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var response = await client.SendAsync(request);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static List<string> Cards(string html, string list) =>
        [.. CardId().Matches(html[html.IndexOf($"id=\"{list}\"", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value)];

    private static string Title(string html) => TitleTag().Match(html).Groups[1].Value;

    [Fact]
    public async Task Search_results_beyond_the_first_page_are_reached_by_next_and_previous_links()
    {
        var client = fixture.Factory.CreateClient();
        // "star" matches 74 titles of ml-latest-small, the Horror genre hundreds: more than one page of 24 each.
        foreach (string query in new[] { "q=star", "genre=Horror" })
        {
            var (status, first) = await Browse(client, "/search?" + query);
            Assert.Equal(HttpStatusCode.OK, status);
            var firstPage = Cards(first, "title-results");
            Assert.Equal(24, firstPage.Count);
            var position = Regex.Match(first, @"Page 1 of (\d+) \((\d+) titles\)");
            Assert.True(position.Success, $"{query}: the first page says where it is");
            Assert.True(int.Parse(position.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3);
            string next = Regex.Match(first, "id=\"next-page\" rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value;
            Assert.Equal("/search?" + query + "&page=2", next);
            Assert.DoesNotContain("id=\"previous-page\"", first, StringComparison.Ordinal);

            var (_, second) = await Browse(client, next);
            var secondPage = Cards(second, "title-results");
            Assert.Equal(24, secondPage.Count);
            Assert.Empty(secondPage.Intersect(firstPage));
            Assert.Contains("href=\"/search?" + query + "\"", second, StringComparison.Ordinal); // previous: page 1
        }

        // Past the last page: the page says how many there are, with a link back.
        var (_, beyond) = await Browse(client, "/search?q=star&page=40");
        Assert.Empty(Cards(beyond, "title-results"));
        Assert.Matches(@"There is no page 40: \d+ titles match, on \d+ pages\.", beyond);
    }

    [Fact]
    public async Task The_search_box_answers_movies_like_two_named_ones()
    {
        var (status, html) = await Browse(fixture.Factory.CreateClient(), "/search?describe=movies+like+alien+and+die+hard");
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        Assert.Equal("Movies like Alien (1979) and Die Hard (1988)", Regex.Match(html, "<h2 id=\"describe-results-heading\">([^<]*)</h2>").Groups[1].Value);
        Assert.Contains("data-mode=\"similar\"", html, StringComparison.Ordinal);
    }

    /// <summary>The describe box shows what it understands besides plots, each example a working search.</summary>
    [Fact]
    public async Task The_describe_box_offers_examples_that_each_answer()
    {
        var client = fixture.Factory.CreateClient();
        var (_, html) = await Browse(client, "/search");
        var links = Regex.Matches(Regex.Match(html, "<p id=\"describe-examples\".*?</p>", RegexOptions.Singleline).Value, "href=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(Pages.SearchModel.DescribeExamples.Count, links.Count);
        foreach (var link in links)
        {
            var (status, page) = await Browse(client, link);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Matches("<ul id=\"describe-results\" class=\"grid\">\\s*<li", page);
        }
    }

    /// <summary>The heading says what the query was read as: the people, the years, the named movie and the genres asked for.</summary>
    [Theory]
    [InlineData("brad pitt action from the 90s", "Movies like “brad pitt action from the 90s” · with Brad Pitt · from the 1990s")]
    [InlineData("kubrick movies", "Movies like “kubrick movies” · with Stanley Kubrick")]
    [InlineData("movies like the matrix but funnier", "Movies like The Matrix (1999) · comedy")]
    [InlineData("horror movies", "The best-known horror movies")]
    [InlineData("best movies", "The best-known movies")]
    [InlineData("pixar movies", "The best-known Pixar movies")]
    [InlineData("korean thriller", "The best-known Korean thriller movies")]
    [InlineData("zombie comedies", "The best-known comedy movies tagged “zombie”")]
    [InlineData("new horror movies", "The best-known horror movies · from 2016 to 2018")]
    [InlineData("funny movie for kids", "The best-known comedy and children's movies")]
    [InlineData("westerns from the 1960s", "The best-known western movies · from the 1960s")]
    public async Task Describing_movies_says_in_the_heading_how_the_query_was_read(string query, string heading)
    {
        var (status, html) = await Browse(fixture.Factory.CreateClient(), "/search?describe=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        Assert.Equal(heading, Regex.Match(html, "<h2 id=\"describe-results-heading\">([^<]*)</h2>").Groups[1].Value);
    }

    [Fact]
    public async Task Describing_a_kind_of_movie_from_a_decade_shows_that_decade()
    {
        var (status, html) = await Browse(fixture.Factory.CreateClient(), "/search?describe=80s+teen+comedy");
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        var heading = Regex.Match(html, "<h2 id=\"describe-results-heading\">([^<]*)</h2>").Groups[1].Value;
        Assert.Equal("Movies like “80s teen comedy” · from the 1980s", heading);
        var years = Regex.Matches(html[html.IndexOf("id=\"describe-results\"", StringComparison.Ordinal)..], @"\((19\d\d|20\d\d)\)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(years);
        Assert.All(years, y => Assert.InRange(y, 1980, 1989));
    }

    [Fact]
    public async Task The_search_box_answers_movies_like_a_named_one_with_its_neighbours()
    {
        // Typed in the header's title box: no title matches the words, so the page searches them, and they name a movie.
        var (status, html) = await Browse(fixture.Factory.CreateClient(), "/search?q=movies+like+oceans+eleven");
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        var headings = string.Join(" | ", Regex.Matches(html, "<h2[^>]*>[^<]*</h2>").Select(m => m.Value));
        Assert.True(headings.Contains("<h2 id=\"describe-results-heading\">Movies like Ocean's Eleven (2001)</h2>", StringComparison.Ordinal), headings);
        Assert.Contains("data-mode=\"similar\"", html, StringComparison.Ordinal);
        Assert.Contains("Ocean's Twelve", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/search?q=toy&page=abc", "page: must be a whole number from 1")]
    [InlineData("/search?q=toy&page=0", "page: must be a whole number from 1")]
    [InlineData("/search?decade=abc", "decade: must be one of 1910 to 2010")]
    [InlineData("/search?genre=Nope", "unknown genre")]
    public async Task A_search_address_edited_by_hand_is_a_friendly_400_page_that_says_what_is_wrong(string url, string says)
    {
        var (status, html) = await Browse(fixture.Factory.CreateClient(), url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(says, Regex.Match(html, "role=\"alert\">([^<]*)<").Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("<form", html, StringComparison.Ordinal); // the search forms, to try again
    }

    [Theory]
    [InlineData("/search?q=toy&q=star", "/search?q=toy", "q")]
    [InlineData("/search?genre=Horror&genre=Comedy", "/search?genre=Horror", "genre")]
    [InlineData("/search?decade=1990&decade=1990", "/search?decade=1990", "decade")]
    [InlineData("/search?describe=robots&describe=space", "/search?describe=robots", "describe")]
    [InlineData("/search?q=toy&page=1&page=2", "/search?q=toy&page=1", "page")]
    [InlineData("/search?q=toy&Q=star", "/search?Q=toy", "q")]
    [InlineData("/recommendations?algorithm=svd&algorithm=ease", "/recommendations?algorithm=svd", "algorithm")]
    public async Task A_query_parameter_a_page_reads_given_twice_is_a_400_page_naming_it(string twice, string once, string name)
    {
        // Was: the page bound "toy,star" (a search for it) or one of the values, silently, with a 200.
        var client = fixture.Factory.CreateClient();
        var (status, html) = await Browse(client, twice);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"{name}: given twice; expects one value.", Regex.Match(html, "id=\"error-reason\">([^<]*)<").Groups[1].Value);
        Assert.Contains("<nav aria-label=\"Main\">", html, StringComparison.Ordinal); // the site's error page
        // Three times, and a client that does not ask for HTML: the API's ProblemDetails, naming the parameter.
        var problem = await (await client.GetAsync(twice + $"&{name}=x")).AssertProblem(400);
        Assert.Equal($"{name}: given 3 times; expects one value.", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), problem.ToString());

        var (single, _) = await Browse(client, once);
        Assert.Equal(HttpStatusCode.OK, single);
    }

    [Theory]
    [InlineData("/?q=a&q=b&deleted=1&deleted=1")]
    [InlineData("/movies/1?id=2&id=3&q=a&q=b")]
    [InlineData("/clusters?q=a&q=b")]
    [InlineData("/dashboard?algorithm=svd&algorithm=ease")]
    public async Task A_page_ignores_a_repeated_parameter_it_does_not_read(string url)
    {
        // As the API does: a parameter the page does not bind is ignored, once or twice (the movie's id is the path's).
        var (status, html) = await Browse(fixture.Factory.CreateClient(), url);
        Assert.Equal(HttpStatusCode.OK, status);
        if (url.StartsWith("/movies/1?", StringComparison.Ordinal)) Assert.StartsWith("Toy Story", Title(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_query_is_shortened_in_the_page_title_and_a_description_search_names_itself()
    {
        var client = fixture.Factory.CreateClient();
        var (status, html) = await Browse(client, "/search?q=" + new string('a', 300));
        Assert.Equal(HttpStatusCode.BadRequest, status); // over 200 characters
        Assert.True(Title(html).Length < 100, $"title of {Title(html).Length} characters");
        var (_, described) = await Browse(client, "/search?describe=space+adventure+with+robots");
        Assert.Equal("Movies like: space adventure with robots · MovieRec", Title(described));
    }

    [Fact]
    public async Task A_movie_with_one_rating_says_one_rating_not_one_ratings()
    {
        // The Last Klezmer (1994): one rating in ml-latest-small.
        var (_, html) = await Browse(fixture.Factory.CreateClient(), "/movies/791");
        Assert.Contains("<dd>1 rating, mean 4.00 ★</dd>", html, StringComparison.Ordinal);
        Assert.Contains("How 1 person rated it", html, StringComparison.Ordinal);
        Assert.DoesNotContain("1 ratings", html, StringComparison.Ordinal);
        var (_, toyStory) = await Browse(fixture.Factory.CreateClient(), "/movies/1");
        Assert.Matches(@"<dd>\d{3} ratings, mean", toyStory);
    }

    [Fact]
    public async Task A_visitor_who_rated_only_low_is_told_why_no_recommendation_is_because_of_a_liked_movie()
    {
        var client = fixture.Factory.CreateClient(); // keeps the session cookie, as a browser does
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        foreach (var (movie, rating) in new[] { (1, 1.0), (356, 1.5), (2571, 0.5), (318, 1.0), (593, 2.0) })
            Assert.True((await client.PutAsync($"/api/v1/me/ratings/{movie}", JsonContent(rating))).IsSuccessStatusCode);
        var (status, html) = await Browse(client, "/recommendations");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Based on your 5 ratings.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"no-likes\"[^>]*>You have not given any movie 3.5 stars or more yet", html);
        Assert.DoesNotContain("class=\"reason\">because you liked", html, StringComparison.Ordinal);

        // One liked movie: the notice goes, and one rating is "your rating".
        var liker = fixture.Factory.CreateClient();
        await liker.PostAsync("/api/v1/sessions", null);
        await liker.PutAsync("/api/v1/me/ratings/1", JsonContent(4.5));
        var (_, liked) = await Browse(liker, "/recommendations");
        Assert.DoesNotContain("id=\"no-likes\"", liked, StringComparison.Ordinal);
        Assert.Contains("Based on your rating.", liked, StringComparison.Ordinal);
        Assert.Contains("This deletes your account and your rating for good.", liked, StringComparison.Ordinal);
        Assert.Contains("This deletes your account and all 5 of your ratings for good.", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// "Show only" on the recommendations page: a genre and a decade narrow the list (the API's filters), the algorithm
    /// switcher keeps them, "Show all" drops them, and a hand-edited genre or decade is named and ignored.
    /// </summary>
    [Fact]
    public async Task The_recommendations_page_shows_only_a_genre_and_a_decade_when_asked()
    {
        var client = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        foreach (int movie in new[] { 1258, 1219, 1997, 1982, 1347 })
            Assert.True((await client.PutAsync($"/api/v1/me/ratings/{movie}", JsonContent(5))).IsSuccessStatusCode);
        var (status, html) = await Browse(client, "/recommendations?algorithm=ease&genre=comedy&decade=1980");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Based on your 5 ratings; only Comedy from the 1980s.", html, StringComparison.Ordinal);
        var cards = Regex.Matches(html, "<li class=\"card\"[^>]*data-movie-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(cards.Count >= 10, html);
        var movies = fixture.Factory.Services.GetRequiredService<Hosting.ModelHost>().CatalogOrNull!.Catalog;
        Assert.All(cards, id => Assert.True(movies[id]!.Genres.Contains("Comedy") && movies[id]!.Year is >= 1980 and <= 1989, movies[id]!.ToString()));
        // The same list as the API's for the same filters.
        var api = await (await client.GetAsync("/api/v1/me/recommendations?algorithm=ease&genre=Comedy&year=1980s&n=24")).Json();
        Assert.Equal(api.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()), cards);
        Assert.Contains("<option value=\"Comedy\" selected=\"selected\">Comedy</option>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/recommendations?algorithm=ease&genre=Comedy&decade=1980\" data-algorithm=\"ease\"", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"algorithm\" value=\"ease\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/recommendations?algorithm=ease\" id=\"rec-filters-clear\">Show all</a>", html, StringComparison.Ordinal);

        var (_, edited) = await Browse(client, "/recommendations?genre=nope&decade=1850");
        Assert.Contains("There is no genre “nope”; showing every genre.", edited, StringComparison.Ordinal);
        Assert.Contains("The decade must be one of 1910 to 2010, not “1850”; showing every decade.", edited, StringComparison.Ordinal);
        Assert.Contains("Based on your 5 ratings.", edited, StringComparison.Ordinal);
    }

    /// <summary>An imported history of hundreds of ratings: the page lists the 100 most recent and links the CSV of all.</summary>
    [Fact]
    public async Task A_long_imported_history_lists_the_most_recent_ratings_and_links_the_rest()
    {
        var client = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        var mostRated = File.ReadLines(Path.Combine(Core.Tests.TestData.MovieLensSmallPath, "ratings.csv")).Skip(1).Select(line => line.Split(',')[1])
            .GroupBy(id => id).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(150).Select(g => g.Key).ToList();
        var csv = new System.Text.StringBuilder("movieId,rating,timestamp\n");
        for (int i = 0; i < mostRated.Count; i++) csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{mostRated[i]},4,{1_600_000_000 + i}\n");
        var import = await client.PostAsync("/api/v1/me/ratings/import", new StringContent(csv.ToString(), System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var (status, html) = await Browse(client, "/recommendations");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Based on your 150 ratings.", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Your ratings (150)</summary>", html, StringComparison.Ordinal);
        var listed = Regex.Match(html, "<details class=\"your-ratings\".*?</ul>", RegexOptions.Singleline).Value;
        Assert.Equal(100, Regex.Matches(listed, "<li>").Count);
        Assert.Contains($"href=\"/movies/{mostRated[^1]}\"", listed, StringComparison.Ordinal); // the latest first
        Assert.Contains("The 100 most recent of 150; <a href=\"/api/v1/me/ratings/export\" download>download them all (CSV)</a>.", html, StringComparison.Ordinal);
    }

    /// <summary>A visitor with ratings sees on a movie's page the stars predicted for them and why; without ratings, or on a movie they rated, nothing.</summary>
    [Fact]
    public async Task A_movie_page_predicts_the_visitor_s_stars_from_their_ratings()
    {
        var (_, nobody) = await Browse(fixture.Factory.CreateClient(), "/movies/1982");
        Assert.DoesNotContain("id=\"predicted-for-you\"", nobody, StringComparison.Ordinal);
        var client = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        foreach (var movie in new[] { 1258, 1219, 1997, 1974, 1347 })
            Assert.True((await client.PutAsync($"/api/v1/me/ratings/{movie}", JsonContent(5.0))).IsSuccessStatusCode);
        var (status, html) = await Browse(client, "/movies/1982"); // Halloween
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        var predicted = Regex.Match(html, "<p id=\"predicted-for-you\"[^>]*>(.*?)</p>", RegexOptions.Singleline);
        Assert.True(predicted.Success, "no prediction on the page");
        string text = Regex.Replace(Regex.Replace(predicted.Groups[1].Value, "<[^>]+>", ""), @"\s+", " ");
        Assert.Matches(@"^We think you would give it [0-9.]+ ★ stars \(from your 5 ratings\): because you liked (The Shining|Psycho|The Exorcist|Friday the 13th|A Nightmare on Elm Street)", text);
        var (_, rated) = await Browse(client, "/movies/1258");
        Assert.DoesNotContain("id=\"predicted-for-you\"", rated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_javascript_the_pages_say_that_rating_needs_it()
    {
        foreach (string page in new[] { "/", "/movies/1", "/search?q=toy" })
        {
            var (_, html) = await Browse(fixture.Factory.CreateClient(), page);
            Assert.Matches("<noscript>.*Rating movies needs JavaScript", html.ReplaceLineEndings(" "));
        }
    }

    private static StringContent JsonContent(double rating) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"rating\":{rating}}}"), System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex("<li class=\"card\" data-movie-id=\"([^\"]+)\"")]
    private static partial Regex CardId();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleTag();
}
