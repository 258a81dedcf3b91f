using System.Net;
using System.Text;
using System.Text.Json;

namespace MovieRec.Web.Tests;

/// <summary>
/// What the ProblemDetails of a client's mistake say, beyond having a detail: one title per status (the HTTP reason
/// phrase), a query parameter given twice, a route id that is not UTF-8, a long id echoed cut, and the health
/// endpoints' methods.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiMisuseDetailTests(ServiceFixture fixture)
{
    private static StringContent Body(string json, string contentType)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static HttpRequestMessage Request(string method, string url, HttpContent? content = null) => new(new HttpMethod(method), url) { Content = content };

    [Fact]
    public async Task Every_status_has_one_title_the_http_reason_phrase()
    {
        // Was: 413 "Request body too large" (Content-Length) and "Content Too Large" (a body without one); 415
        // "Unsupported media type" and "Unsupported Media Type"; 400 "Invalid request" and "Bad Request"; 404
        // "Not found" and "Not Found"; 403 "Forbidden" and "Cross-site request refused".
        string big = "{\"ratings\":[]" + new string(' ', 70 * 1024) + "}";
        var unknownLength = new UnknownLength(Encoding.UTF8.GetBytes(big));
        unknownLength.Headers.ContentType = new("application/json");
        using var crossSite = Request("POST", "/api/v1/sessions");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        var requests = new List<HttpRequestMessage>
        {
            Request("POST", "/api/v1/recommendations", Body(big, "application/json")),
            Request("POST", "/api/v1/recommendations", unknownLength),
            Request("POST", "/api/v1/recommendations", Body("{}", "text/plain")),
            Request("POST", "/api/v1/recommendations", Body("{}", "application/json; charset=bogus")),
            Request("POST", "/api/v1/recommendations", Body("{\"ratings\":[", "application/json")),
            Request("GET", "/api/v1/movies?page=abc"),
            Request("GET", "/api/v1/movies?page=0"),
            Request("GET", "/api/v1/movies/123456789"),
            Request("GET", "/api/v1/nothing-here"),
            Request("DELETE", "/api/v1/movies/1"),
            Request("GET", "/api/v1/me/ratings"),
            Request("GET", "/api/v1/admin/model"),
            crossSite,
        };
        var expected = new Dictionary<int, string>
        {
            [400] = "Bad Request",
            [401] = "Unauthorized",
            [403] = "Forbidden",
            [404] = "Not Found",
            [405] = "Method Not Allowed",
            [413] = "Content Too Large",
            [415] = "Unsupported Media Type",
        };
        var seen = new List<string>();
        foreach (var request in requests)
        {
            var response = await fixture.Client.SendAsync(request);
            int status = (int)response.StatusCode;
            var problem = await response.AssertProblem(status);
            seen.Add($"{request.Method} {request.RequestUri} {status} {problem.GetProperty("title").GetString()}");
        }
        string all = string.Join("\n", seen);
        foreach (var (status, title) in expected)
            Assert.True(seen.Any(s => s.EndsWith($" {status} {title}", StringComparison.Ordinal)), $"no {status} {title} in\n{all}");
        Assert.True(seen.All(s => expected.Any(e => s.EndsWith($" {e.Key} {e.Value}", StringComparison.Ordinal))), all);
        Assert.True(seen.Count(s => s.EndsWith(" 413 Content Too Large", StringComparison.Ordinal)) == 2, all);
    }

    [Fact]
    public async Task Every_query_parameter_given_twice_is_a_400_saying_so()
    {
        // Was "n: expects a whole number." for ?n=1&n=2 (binding joins the values into "1,2"), and a string given
        // twice was silently joined (?q=x&q=y searched for "x,y").
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        var document = await (await client.GetAsync("/openapi/v1.json")).Json();
        int checkedParameters = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("parameters", out var parameters)) continue;
                string url = path.Name.Replace("{id}", path.Name.Contains("/clusters/", StringComparison.Ordinal) ? "0" : "1", StringComparison.Ordinal)
                    .Replace("{movieId}", "1", StringComparison.Ordinal);
                foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
                {
                    string name = parameter.GetProperty("name").GetString()!;
                    string type = parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("type", out var t) ? t.ToString() : "string";
                    (string first, string second, string expects) = type switch
                    {
                        "integer" => ("1", "2", "expects one value, a whole number."),
                        "boolean" => ("false", "false", "expects one value, true or false."),
                        _ => ("x", "y", "expects one value."),
                    };
                    using var request = Request(operation.Name.ToUpperInvariant(), $"{url}?{name}={first}&{name}={second}");
                    var problem = await (await client.SendAsync(request)).AssertProblem(400);
                    string message = Assert.Single(problem.GetProperty("errors").GetProperty(name).EnumerateArray()).GetString()!;
                    Assert.Equal($"given twice; {expects}", message);
                    Assert.Equal($"{name}: given twice; {expects}", problem.GetProperty("detail").GetString());
                    checkedParameters++;
                }
            }
        }
        Assert.True(checkedParameters >= 20, $"{checkedParameters} query parameters in the document");
        // Three times, and any spelling of the name.
        var thrice = await (await client.GetAsync("/api/v1/movies?page=1&Page=2&PAGE=3")).AssertProblem(400, "page");
        Assert.Equal("page: given 3 times; expects one value, a whole number.", thrice.GetProperty("detail").GetString());
        // A parameter the endpoint does not bind is ignored, once or twice; each parameter once is answered.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/movies?unknown=1&unknown=2&page=1&pageSize=5")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/movies/%FF", "id")]
    [InlineData("GET", "/api/v1/movies/%C3%28/similar", "id")]
    [InlineData("GET", "/api/v1/movies/%FF%FE/poster", "id")]
    [InlineData("GET", "/api/v1/users/%E2%82/recommendations", "id")]
    [InlineData("DELETE", "/api/v1/me/ratings/%FF", "movieId")]
    public async Task A_route_id_that_is_not_utf8_is_a_400_saying_so(string method, string url, string field)
    {
        // Was a 404 "No movie with id %FF.": the bytes that do not decode stay "%FF", which then read as the id "%FF"
        // (the id a client sends as %25FF).
        var client = fixture.Factory.CreateClient(new() { HandleCookies = false });
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        using var request = Request(method, url);
        var problem = await (await client.SendAsync(request)).AssertProblem(400);
        string message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString()!;
        Assert.StartsWith("not a valid id: bad encoding", message, StringComparison.Ordinal);
        Assert.StartsWith($"{field}: not a valid id: bad encoding", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_that_is_valid_utf8_is_looked_up_as_before()
    {
        // %C3%A9 is the id "é": well-formed, and not a movie. (%25FF, the id "%FF", is RequestLimitTests': the test
        // server does not keep the URL as sent, so "%FF" and "%25FF" reach it alike.)
        foreach (string id in new[] { "%C3%A9", "track%20one", "%E2%82%AC" })
        {
            var problem = await (await fixture.Client.GetAsync($"/api/v1/movies/{id}")).AssertProblem(404);
            Assert.Equal($"No movie with id {Uri.UnescapeDataString(id)}.", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_long_id_is_echoed_cut_to_its_first_40_characters()
    {
        // Was the whole id repeated in the detail (up to the 8 KiB URL limit, 64 KiB in a body).
        string id = "x" + new string('a', 2000);
        string shown = id[..40] + "...";
        foreach (string url in new[] { $"/api/v1/movies/{id}", $"/api/v1/movies/{id}/similar", $"/api/v1/movies/{id}/poster" })
        {
            var problem = await (await fixture.Client.GetAsync(url)).AssertProblem(404);
            Assert.Equal($"No movie with id {shown}.", problem.GetProperty("detail").GetString());
        }
        var user = await (await fixture.Client.GetAsync($"/api/v1/users/{id}/recommendations")).AssertProblem(404);
        Assert.Equal($"No user {shown} in the dataset.", user.GetProperty("detail").GetString());
        string json = JsonSerializer.Serialize(new { ratings = new[] { new { movieId = id, rating = 4 } } });
        var body = await (await fixture.Client.PostAsync("/api/v1/recommendations", Body(json, "application/json"))).AssertProblem(400, "ratings[0].movieId");
        Assert.Equal($"ratings[0].movieId: no movie with id {shown}.", body.GetProperty("detail").GetString());
        // An id of 40 characters is shown whole.
        var exact = await (await fixture.Client.GetAsync($"/api/v1/movies/{id[..40]}")).AssertProblem(404);
        Assert.Equal($"No movie with id {id[..40]}.", exact.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("POST", "/health/ready")]
    [InlineData("PUT", "/health/ready")]
    [InlineData("DELETE", "/health/live")]
    [InlineData("PATCH", "/health/live")]
    public async Task The_health_endpoints_take_get_and_head_only(string method, string path)
    {
        // Was 200 (or 503) with the health report: the health checks answered every method.
        using var request = Request(method, path, new StringContent(""));
        var response = await fixture.Client.SendAsync(request);
        var problem = await response.AssertProblem(405);
        Assert.Equal($"{path} does not take {method}; it takes GET, HEAD.", problem.GetProperty("detail").GetString());
        Assert.Equal("Method Not Allowed", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(Request("HEAD", path))).StatusCode);
    }

    /// <summary>A body sent without Content-Length (chunked on the wire): its length is not known in advance.</summary>
    private sealed class UnknownLength(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
