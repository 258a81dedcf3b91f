using System.Net;
using System.Text.RegularExpressions;
using MovieRec.Core.Tests;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// Browsers get HTML error pages, API clients keep ProblemDetails (decided by the /api/ path and Accept); an offline
/// first start says on the page and in one log line what is missing and how to fix it (issue 16).
/// </summary>
public sealed class ErrorPageTests
{
    private static Task<HttpResponseMessage> Browse(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client.SendAsync(request);
    }

    private static async Task<string> AssertHtml(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<nav aria-label=\"Main\">", html, StringComparison.Ordinal); // the site's layout, not a bare message
        return html;
    }

    [Fact]
    public async Task Browsers_get_html_error_pages_and_api_clients_keep_problem_details()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();

        string missingMovie = await AssertHtml(await Browse(client, "/movies/999999999"), HttpStatusCode.NotFound);
        Assert.Contains("Page not found", missingMovie, StringComparison.Ordinal);
        Assert.Contains("999999999", missingMovie, StringComparison.Ordinal);
        string missingPage = await AssertHtml(await Browse(client, "/no/such/page"), HttpStatusCode.NotFound);
        Assert.Contains("There is no page at /no/such/page.", missingPage, StringComparison.Ordinal);

        // The same URLs for an API client (no text/html), and an API path even from a browser: ProblemDetails.
        await (await client.GetAsync("/movies/999999999")).AssertProblem(404);
        await (await Browse(client, "/api/v1/movies/999999999")).AssertProblem(404);
        await (await Browse(client, "/api/v1/no-such-endpoint")).AssertProblem(404);
    }

    [Fact]
    public async Task An_offline_first_start_says_what_is_missing_on_the_page_and_in_one_log_line()
    {
        using var data = TestData.NewFolder();
        using var cache = TestData.NewFolder();
        using var service = await ServiceProcess.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["MOVIEREC_DATA"] = null,
            ["XDG_CACHE_HOME"] = cache.Path,
            // Offline: the download's server refuses the connection at once.
            ["MOVIEREC_DOWNLOAD_URL"] = $"http://127.0.0.1:{ServerBinaries.FreePort()}/",
        }, waitForReady: false);
        using var client = service.Client();
        await ServerBinaries.WaitUntilAsync(async () => (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(60), "liveness did not fail after the failed start-up");

        foreach (string page in new[] { "/", "/recommendations", "/movies/1" })
        {
            string html = await AssertHtml(await Browse(client, page), HttpStatusCode.ServiceUnavailable);
            Assert.Contains("MovieRec could not start", html, StringComparison.Ordinal);
            Assert.Contains("set MOVIEREC_DATA to a folder holding ml-latest-small/", html, StringComparison.Ordinal);
            Assert.Contains("network access", html, StringComparison.Ordinal);
            Assert.DoesNotContain("A backing service is unavailable", html, StringComparison.Ordinal);
        }
        var api = await client.GetAsync(new Uri("/api/v1/movies", UriKind.Relative));
        Assert.Contains("MOVIEREC_DATA", (await api.AssertProblem(503)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        service.Kill();
        var lines = service.Log.Split('\n');
        var naming = lines.Where(l => l.Contains("MOVIEREC_DATA", StringComparison.Ordinal)).ToList();
        Assert.True(naming.Count == 1, $"{naming.Count} log lines name MOVIEREC_DATA:\n{service.Log}");
        Assert.Contains("Start-up failed: the dataset ml-latest-small is not on this machine", naming[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => Regex.IsMatch(l, @"^\s+at \S+\(")); // no stack trace
    }
}
