using System.Net;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>
/// The service trains every servable catalogue entry with its options from configuration
/// (MovieRec:Algorithms:{name}:{option}), checked at start: a mistake fails start-up with a sentence naming the setting.
/// </summary>
public sealed class AlgorithmSettingsTests
{
    private static string StartFailure(Dictionary<string, string?> settings)
    {
        using var factory = new ServiceFactory(settings);
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(e);
        return e.Message;
    }

    [Fact]
    public void An_unknown_option_fails_start_up_naming_the_setting_and_the_known_options()
    {
        string message = StartFailure(new() { ["MovieRec:Algorithms:svd:factor"] = "50" });
        Assert.Contains("MovieRec:Algorithms:svd:factor: Unknown option 'factor' for svd. Known: factors (n_factors)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_an_unknown_algorithm_and_an_unserved_default_each_fail_start_up()
    {
        string message = StartFailure(new()
        {
            ["MovieRec:Algorithms:ease:lambda"] = "-3",
            ["MovieRec:Algorithms:svdd:factors"] = "10",
            ["MovieRec:Algorithms:slope-one:surprise-int-ratings"] = "true",
            ["MovieRec:DefaultAlgorithm"] = "normal",
        });
        Assert.Contains("MovieRec:Algorithms:ease:lambda: ease: lambda must be positive, not -3.", message, StringComparison.Ordinal);
        Assert.Contains("MovieRec:Algorithms:svdd names 'svdd', which the service does not serve (no such algorithm)", message, StringComparison.Ordinal);
        Assert.Contains("MovieRec:Algorithms:slope-one names 'slope-one', which the service does not serve (not served: its dense item x item deviation matrix", message, StringComparison.Ordinal);
        Assert.Contains("MovieRec:DefaultAlgorithm is 'normal', which the service does not serve", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_and_its_name_both_configured_fail_start_up()
    {
        string message = StartFailure(new() { ["MovieRec:Algorithms:knn:k"] = "7", ["MovieRec:Algorithms:item-knn:k"] = "9" });
        Assert.Contains("both configure item-knn; keep one section.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_options_reach_the_persisted_svd_and_the_models_trained_on_first_use()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["MovieRec:Algorithms:svd:factors"] = "12",
            ["MovieRec:Algorithms:svd:n_epochs"] = "3",
            ["MovieRec:Algorithms:knn:k"] = "7",
            ["MovieRec:DefaultAlgorithm"] = "knn",
        });
        var client = await factory.ReadyClientAsync();
        var model = factory.Host.Current!;
        Assert.StartsWith("svd(factors=12, epochs=3,", model.Svd.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("item-knn(k=7,", (await model.GetAsync("item-knn")).ToString(), StringComparison.Ordinal);
        Assert.Same(await model.GetAsync("item-knn"), await model.GetAsync("knn"));
        // The default algorithm answers a request that names none.
        var body = await (await client.PostJson("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5 } }, n = 5 })).Json();
        Assert.Equal("knn", body.GetProperty("algorithm").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/1/recommendations?n=5&algorithm=item-knn")).StatusCode);
        Assert.Contains("item-knn", ServingModel.Algorithms.Keys);
    }
}
