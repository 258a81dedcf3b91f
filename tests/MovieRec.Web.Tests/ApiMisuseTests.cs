using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace MovieRec.Web.Tests;

/// <summary>
/// Requests real clients get wrong, found by exploratory QA of the running service: each was a 500, a problem
/// that named nothing, or a 405 for HEAD. Every answer must be a 4xx ProblemDetails that names what to fix.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiMisuseTests(ServiceFixture fixture)
{
    private static StringContent Json(string json, string contentType)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType); // as sent, even when not valid
        return content;
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json;charset=UTF8")]
    public async Task An_unknown_charset_is_a_415_problem_naming_the_content_type(string contentType)
    {
        // Was a 500: the JSON reader throws InvalidOperationException for a charset it cannot map to an encoding.
        var response = await fixture.Client.PostAsync("/api/v1/recommendations", Json("""{"ratings":[],"n":1}""", contentType));
        await response.AssertProblem(415, "Content-Type");
    }

    [Fact]
    public async Task A_quoted_charset_is_the_same_as_an_unquoted_one()
    {
        // charset="utf-8" is valid HTTP (RFC 9110 parameter values may be quoted); it was a 500.
        var response = await fixture.Client.PostAsync("/api/v1/recommendations", Json("""{"ratings":[{"movieId":1,"rating":4}],"n":2}""", "application/json; charset=\"utf-8\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Json()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_rating_with_an_unknown_charset_is_refused_and_the_stored_rating_kept()
    {
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4.5 })).StatusCode);

        await (await client.PutAsync("/api/v1/me/ratings/1", Json("""{"rating":1}""", "application/json; charset=bogus"))).AssertProblem(415, "Content-Type");

        var items = (await (await client.GetAsync("/api/v1/me/ratings")).Json()).GetProperty("items");
        Assert.Equal(4.5, Assert.Single(items.EnumerateArray()).GetProperty("rating").GetDouble());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem_naming_the_content_type()
    {
        // Was titled "Bad request" with "The request could not be read.", which says nothing about what to change.
        var response = await fixture.Client.PostAsync("/api/v1/recommendations", Json("""{"ratings":[]}""", "text/plain"));
        var problem = await response.AssertProblem(415, "Content-Type");
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task A_cluster_id_that_is_not_a_number_is_a_400_naming_id(string id)
    {
        // Was a 404 with no detail at all: the route's int constraint matched nothing.
        await (await fixture.Client.GetAsync($"/api/v1/clusters/{id}/movies")).AssertProblem(400, "id");
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        // Was 405 (Allow: GET) for every API URL: HTTP requires HEAD wherever GET is served.
        var head = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/movies/1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.True(head.Headers.Contains("X-Model-Version"));
        var missing = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/movies/123456789"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/movies?q=toy"))).StatusCode);
        // And GET still has its body afterwards.
        Assert.Equal(1, (await (await fixture.Client.GetAsync("/api/v1/movies/1")).Json()).GetProperty("movieId").GetInt32());
    }

    [Fact]
    public async Task Wrong_methods_and_unknown_routes_say_what_is_wrong()
    {
        // Both were problems with a title only.
        var method = await (await fixture.Client.DeleteAsync("/api/v1/movies/1")).AssertProblem(405);
        Assert.Contains("GET", method.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var route = await (await fixture.Client.GetAsync("/api/v1/nothing-here")).AssertProblem(404);
        Assert.Contains("/openapi/v1.json", route.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/search")]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/movies/1")]
    [InlineData("DELETE", "/recommendations")]
    public async Task A_write_to_a_page_is_a_405_problem_naming_the_methods_it_takes(string method, string path)
    {
        // Was a 400 problem with a title only: the pages have no POST handlers, and the antiforgery check refused the
        // form post (a malformed one, over 1,024 fields, the same) before anything said what was wrong.
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new FormUrlEncodedContent(Enumerable.Range(0, 2000).Select(i => KeyValuePair.Create($"k{i}", "v"))),
        };
        var body = await (await fixture.Client.SendAsync(request)).AssertProblem(405);
        Assert.Equal($"{path} does not take {method}; it takes GET, HEAD.", body.GetProperty("detail").GetString());
        // A browser gets the error page with the same sentence.
        using var page = new HttpRequestMessage(new HttpMethod(method), path) { Content = new FormUrlEncodedContent([KeyValuePair.Create("q", "toy")]) };
        page.Headers.Accept.ParseAdd("text/html");
        var html = await fixture.Client.SendAsync(page);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, html.StatusCode);
        Assert.StartsWith("text/html", html.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains($"does not take {method}; it takes GET, HEAD.", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // GET and HEAD still answer.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(path == "/movies/1" ? path : path + "?q=toy")).StatusCode);
    }

    [Fact]
    public async Task A_static_files_range_or_precondition_that_fails_is_a_problem_saying_why()
    {
        // Both were problems with a title only.
        using var range = new HttpRequestMessage(HttpMethod.Get, "/favicon.svg");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(999_999, null);
        var beyond = await (await fixture.Client.SendAsync(range)).AssertProblem(416, "Range");
        long length = (await fixture.Client.GetByteArrayAsync("/favicon.svg")).Length;
        Assert.Contains($"which is {length:N0} bytes long", beyond.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var changed = new HttpRequestMessage(HttpMethod.Get, "/favicon.svg");
        changed.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"not-this-version\""));
        var precondition = await (await fixture.Client.SendAsync(changed)).AssertProblem(412, "If-Match");
        Assert.Contains("/favicon.svg has changed", precondition.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ratings":[{"movieId":1,"rating":"4"}]}""", "ratings[0].rating", "a number")]
    [InlineData("""{"ratings":[{"movieId":true,"rating":4}]}""", "ratings[0].movieId", "a movie id")]
    [InlineData("""{"ratings":"x"}""", "ratings", "an array")]
    [InlineData("""{"ratings":[],"n":99999999999}""", "n", "a whole number")]
    [InlineData("""{"ratings":[],"algorithm":5}""", "algorithm", "a string")]
    [InlineData("""[]""", "body", "an object")]
    public async Task A_value_of_the_wrong_type_is_named_with_what_it_expects(string json, string field, string expects)
    {
        // Was "The body is not valid JSON for this request. Path: $.ratings[0].rating." for valid JSON, without the
        // errors member the other 400s have.
        var problem = await (await fixture.Client.PostAsync("/api/v1/recommendations", Json(json, "application/json"))).AssertProblem(400);
        string message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString()!;
        Assert.StartsWith("expects " + expects, message, StringComparison.Ordinal);
        Assert.StartsWith($"{field}: expects {expects}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_still_called_malformed()
    {
        var problem = await (await fixture.Client.PostAsync("/api/v1/recommendations", Json("""{"ratings":[""", "application/json"))).AssertProblem(400);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/movies?page=abc", "page", "expects a whole number.")]
    [InlineData("/api/v1/movies?page=&pageSize=", "page", "expects a whole number.")]
    [InlineData("/api/v1/movies/1/similar?n=1.5", "n", "expects a whole number.")]
    [InlineData("/api/v1/search?q=robots&personalise=maybe", "personalise", "expects true or false.")]
    [InlineData("/api/v1/clusters/abc/movies", "id", "expects a whole number.")]
    public async Task A_query_or_route_value_of_the_wrong_type_is_named_with_what_it_expects(string url, string field, string expects)
    {
        // Was "page: the value is not valid for this parameter." without the errors member the other 400s have.
        var problem = await (await fixture.Client.GetAsync(url)).AssertProblem(400);
        Assert.Equal(expects, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        Assert.Equal($"{field}: {expects}", problem.GetProperty("detail").GetString());
    }
}
