using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace MovieRec.Web.Tests;

/// <summary>Settings are checked at start: a bad one stops start-up with a sentence naming it, instead of failing requests.</summary>
public sealed class OptionsValidationTests
{
    private static Exception StartWith(string setting, string value)
    {
        using var factory = new ServiceFactory(new Dictionary<string, string?> { [setting] = value });
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    [Theory]
    [InlineData("MovieRec:DefaultAlgorithm", "magic", "MovieRec:DefaultAlgorithm is 'magic', which the service does not serve; use one of baseline, svd, svd-tuned, svdpp, popularity,")]
    [InlineData("MovieRec:DefaultAlgorithm", "svd", "MovieRec:DefaultAlgorithm is 'svd', which is not offered for recommendations from a handful of ratings; use one of ")]
    [InlineData("MovieRec:RateLimitPerMinute", "-5", "MovieRec:RateLimitPerMinute is -5; use 0 (no limit) to")]
    [InlineData("MovieRec:CacheMegabytes", "0", "MovieRec:CacheMegabytes is 0; use 1 to")]
    [InlineData("MovieRec:PromotionTolerance", "NaN", "MovieRec:PromotionTolerance is NaN;")]
    [InlineData("MovieRec:TrainingThreads", "-1", "MovieRec:TrainingThreads is -1;")]
    [InlineData("MovieRec:SessionLifetime", "00:00:00", "MovieRec:SessionLifetime is 00:00:00;")]
    [InlineData("MovieRec:ModelWatchInterval", "-00:00:01", "MovieRec:ModelWatchInterval is -00:00:01;")]
    [InlineData("MovieRec:TrustedProxies", "10.0.0.0/99", "MovieRec:TrustedProxies is '10.0.0.0/99': '10.0.0.0/99' is not a network")]
    [InlineData("MovieRec:TrustedProxies", "ingress", "MovieRec:TrustedProxies is 'ingress': 'ingress' is not an IP address or a network")]
    [InlineData("MovieRec:MetricsPort", "70000", "MovieRec:MetricsPort is 70000; use a port from 1 to 65535")]
    [InlineData("MovieRec:PurgeUnusedAccountsAfter", "00:00:00", "MovieRec:PurgeUnusedAccountsAfter is 00:00:00;")]
    [InlineData("ConnectionStrings:Ratings", "Host=127.0.0.1;Portt=5432;Password=hunter2", "ConnectionStrings:Ratings is not a valid PostgreSQL connection string: Npgsql knows no keyword 'portt'.")]
    [InlineData("ConnectionStrings:Ratings", "Host=127.0.0.1;Port=five;Password=hunter2", "ConnectionStrings:Ratings is not a valid PostgreSQL connection string: the value of 'port' is not valid.")]
    [InlineData("ConnectionStrings:Ratings", "Data Sourc=/tmp/ratings.db;Password=hunter2", "ConnectionStrings:Ratings is neither a PostgreSQL connection string (it has no Host=) nor a SQLite one ('data sourc' is not a SQLite keyword).")]
    [InlineData("ConnectionStrings:Ratings", "Host", "ConnectionStrings:Ratings is not a connection string")]
    [InlineData("Redis:Configuration", "127.0.0.1:six-three-seven-nine,password=hunter2", "Redis:Configuration names no server")]
    [InlineData("Redis:Configuration", "127.0.0.1:6379,ssl=maybe,password=hunter2", "Redis:Configuration is not a valid Redis configuration: the option 'ssl' has a value it does not accept.")]
    public void A_bad_setting_stops_start_up_with_a_sentence_naming_it(string setting, string value, string sentence)
    {
        var error = StartWith(setting, value);
        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(validation.Failures, f => f.StartsWith(sentence, StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", validation.Message, StringComparison.Ordinal); // connection strings hold passwords
    }

    [Fact]
    public async Task A_postgresql_connection_string_naming_its_server_with_server_selects_postgresql()
    {
        // Server= is Npgsql's other name for Host=; it used to select SQLite, whose builder threw at start.
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["ConnectionStrings:Ratings"] = "Server=127.0.0.1;Port=1;Username=postgres;Timeout=1" });
        var (_, checks) = await Servers.Clients.ReadinessAsync(factory.CreateClient());
        Assert.Equal(("Degraded", "The postgresql ratings database does not answer; writes and account pages answer 503 until it is back."), checks["database"]);
    }

    [Fact]
    public async Task The_built_service_stops_on_a_bad_setting_with_one_line_naming_it_and_exit_code_1()
    {
        using var data = MovieRec.Core.Tests.TestData.NewFolder();
        foreach (var (setting, value, naming) in new[]
        {
            ("ConnectionStrings__Ratings", "Host=127.0.0.1;Portt=5432;Password=hunter2", "ConnectionStrings:Ratings"),
            ("Redis__Configuration", "127.0.0.1:notaport", "Redis:Configuration"),
            ("MovieRec__RateLimitPerMinute", "-1", "MovieRec:RateLimitPerMinute"),
        })
        {
            var (exitCode, log) = await Servers.ServiceProcess.RunToExitAsync(data.Path, new Dictionary<string, string?> { [setting] = value }, TimeSpan.FromSeconds(60));
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exitCode == 1, $"exit code {exitCode} for {setting}:\n{log}");
            Assert.True(lines.Length == 1, $"{lines.Length} lines for {setting}:\n{log}");
            Assert.StartsWith("Start-up failed: " + naming, lines[0], StringComparison.Ordinal);
            Assert.EndsWith("Fix the setting; then restart the service.", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_setting_that_is_not_a_number_names_the_setting()
    {
        var error = StartWith("MovieRec:RateLimitPerMinute", "lots");
        Assert.Contains("MovieRec:RateLimitPerMinute", error.Message + error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_default_algorithm_serves_the_api_and_the_page()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = " EASE " });
        var client = await factory.ReadyClientAsync();
        var list = await (await client.PostJson("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5 } }, n = 3 })).Json();
        Assert.Equal("ease", list.GetProperty("algorithm").GetString());
        var user = await (await client.GetAsync("/api/v1/users/1/recommendations?n=3")).Json();
        Assert.Equal("ease", user.GetProperty("algorithm").GetString());
        var session = await client.PostAsync("/api/v1/sessions", null);
        Assert.Equal(System.Net.HttpStatusCode.Created, session.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 5 })).StatusCode);
        string html = await client.GetStringAsync("/recommendations");
        Assert.Contains("id=\"rec-list\" class=\"grid\" data-algorithm=\"ease\"", html, StringComparison.Ordinal);
        int first = html.IndexOf("<a href=\"/recommendations?algorithm=", StringComparison.Ordinal);
        Assert.StartsWith("<a href=\"/recommendations?algorithm=ease\"", html[first..], StringComparison.Ordinal); // the default leads the switcher
        var mine = await (await client.GetAsync("/api/v1/me/recommendations?n=3")).Json();
        Assert.Equal("ease", mine.GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task A_default_named_by_an_alias_is_the_one_the_page_marks_as_shown()
    {
        // "knn" is item-knn: the switcher's entry for it is the current one, whether the default or the URL says so.
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = "knn" });
        var client = await factory.ReadyClientAsync();
        foreach (var page in new[] { "/recommendations", "/recommendations?algorithm=KNN", "/recommendations?algorithm=item-knn" })
        {
            string html = await client.GetStringAsync(page);
            var current = System.Text.RegularExpressions.Regex.Matches(html, "data-algorithm=\"([^\"]+)\"[^>]*aria-current=\"page\"");
            Assert.Equal(["item-knn"], current.Select(m => m.Groups[1].Value));
        }
    }
}
