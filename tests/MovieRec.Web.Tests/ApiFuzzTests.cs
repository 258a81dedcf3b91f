using System.Net;
using System.Text;

namespace MovieRec.Web.Tests;

/// <summary>
/// A bounded random corpus of bad requests against every endpoint: wrong types, huge and negative numbers, injection
/// strings, invalid UTF-8, path traversal, malformed JSON. The only answers allowed are 2xx or 4xx; every 4xx is a
/// ProblemDetails; nothing is echoed unencoded. MOVIEREC_FUZZ_ITERATIONS runs longer.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiFuzzTests(ServiceFixture fixture)
{
    private static readonly string[] Nasty =
    [
        "", " ", "-1", "0", "-2147483649", "2147483648", "9223372036854775808", "1e400", "NaN", "-0", "0x10", "1,5", "１２３",
        "' OR 1=1 --", "1; DROP TABLE ratings", "\" onmouseover=\"alert(1)", "<script>alert(1)</script>", "%00", "%FF%FE", "%C0%AF",
        "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/", "🎬🍿", new string('a', 5000), "null", "true", "[]", "{}",
        "svd", "hybrid", "SVD ", "Comedy", "1990s", "1990-1980", "1800", "99999",
    ];

    private static readonly string[] GetTemplates =
    [
        "/api/v1/movies?q={0}", "/api/v1/movies?page={0}", "/api/v1/movies?pageSize={0}", "/api/v1/movies?genre={0}", "/api/v1/movies?year={0}",
        "/api/v1/movies/{0}", "/api/v1/movies/{0}/similar", "/api/v1/movies/1/similar?by={0}", "/api/v1/movies/1/similar?n={0}",
        "/api/v1/movies/{0}/poster", "/api/v1/search?q={0}", "/api/v1/search?q=robots&n={0}", "/api/v1/onboarding?n={0}",
        "/api/v1/clusters/{0}/movies", "/api/v1/clusters/1/movies?page={0}", "/api/v1/users/{0}/recommendations",
        "/api/v1/users/1/recommendations?algorithm={0}", "/api/v1/users/1/recommendations?n={0}", "/api/v1/users/1/recommendations?year={0}",
        "/api/v1/me/ratings/{0}", "/api/v1/admin/model?x={0}", "/{0}", "/api/v1/{0}",
    ];

    private static readonly string[] BodyTemplates =
    [
        """{"ratings":[{"movieId":{0},"rating":4}]}""", """{"ratings":[{"movieId":1,"rating":{0}}]}""", """{"ratings":[],"n":{0}}""",
        """{"ratings":[],"algorithm":{0}}""", """{"ratings":{0}}""", """{0}""", """{"ratings":[{0}]}""", """{"ratings":[],"genre":{0},"year":{0}}""",
    ];

    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("MOVIEREC_FUZZ_ITERATIONS"), out int n) ? n : 400;

    [Fact]
    public async Task Random_bad_requests_get_4xx_problems_never_5xx()
    {
        var rng = new Random(20261123);
        var client = fixture.Client;
        var statuses = new Dictionary<int, int>();
        for (int k = 0; k < Iterations; k++)
        {
            string value = Nasty[rng.Next(Nasty.Length)];
            HttpResponseMessage response;
            string what;
            switch (rng.Next(3))
            {
                case 0:
                    {
                        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, GetTemplates[rng.Next(GetTemplates.Length)], Uri.EscapeDataString(value));
                        if (rng.Next(4) == 0) url = url.Replace(Uri.EscapeDataString(value), value.Replace(" ", "%20", StringComparison.Ordinal), StringComparison.Ordinal);
                        what = "GET " + url;
                        try
                        {
                            response = await client.GetAsync(new Uri(url, UriKind.Relative));
                        }
                        catch (UriFormatException)
                        {
                            continue; // the client itself refuses it; nothing reaches the server
                        }
                        catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
                        {
                            continue; // the in-memory test host refuses %00 in a path before the app (Kestrel answers 400)
                        }
                        break;
                    }
                case 1:
                    {
                        string literal = rng.Next(3) switch { 0 => value, 1 => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", _ => Mutate(value, rng) };
                        string body = BodyTemplates[rng.Next(BodyTemplates.Length)].Replace("{0}", literal, StringComparison.Ordinal);
                        what = "POST /api/v1/recommendations " + body[..Math.Min(body.Length, 120)];
                        response = await client.PostAsync("/api/v1/recommendations", new StringContent(body, Encoding.UTF8, "application/json"));
                        break;
                    }
                default:
                    {
                        var bytes = Encoding.UTF8.GetBytes("""{"ratings":[{"movieId":1,"rating":4}],"n":5}""");
                        for (int m = rng.Next(1, 4); m > 0; m--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256); // invalid UTF-8 and broken JSON
                        what = "POST mutated bytes " + Convert.ToHexString(bytes);
                        var content = new ByteArrayContent(bytes);
                        content.Headers.ContentType = new("application/json");
                        response = await client.PostAsync("/api/v1/recommendations", content);
                        break;
                    }
            }
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"{what} -> {status}: {text[..Math.Min(text.Length, 400)]}");
            if (status >= 400)
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what} -> {status} without ProblemDetails: {text[..Math.Min(text.Length, 200)]}");
            Assert.DoesNotContain("<script>", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack traces
        }
        Assert.True(statuses.Keys.Any(s => s >= 400), "the corpus produced no client errors at all");
    }

    private static string Mutate(string value, Random rng)
    {
        if (value.Length == 0) return "\"";
        var chars = value.ToCharArray();
        chars[rng.Next(chars.Length)] = "{}[]\",:\\"[rng.Next(8)];
        return new string(chars);
    }

    [Fact]
    public async Task Security_headers_are_on_every_response()
    {
        var response = await fixture.Client.GetAsync("/api/v1/movies/1");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var missing = await fixture.Client.GetAsync("/api/v1/movies/123456789");
        Assert.Equal("nosniff", missing.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_4xx_problems()
    {
        await (await fixture.Client.GetAsync("/api/v1/nothing-here")).AssertProblem(404);
        var method = await fixture.Client.DeleteAsync("/api/v1/movies/1");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
    }
}
