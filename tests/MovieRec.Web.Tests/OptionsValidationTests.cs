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
    public void A_bad_setting_stops_start_up_with_a_sentence_naming_it(string setting, string value, string sentence)
    {
        var error = StartWith(setting, value);
        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(validation.Failures, f => f.StartsWith(sentence, StringComparison.Ordinal));
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
