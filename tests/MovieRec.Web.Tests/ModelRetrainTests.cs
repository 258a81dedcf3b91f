using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>Retrain: stored ratings included, promotion, shared waits, the schedule, and failures counted in the metrics.</summary>
[LongRunning]
public sealed class ModelRetrainTests
{
    /// <summary>
    /// movierec_retrains_total counts every retrain run by outcome, a failed one too: it counted only those an admin
    /// call waited for and that finished (promoted or kept), so a retrain failing every night showed nothing.
    /// </summary>
    [Fact]
    public async Task A_failed_retrain_is_counted_in_the_retrains_metric()
    {
        string data = TestData.NewFolder().Path;
        bool unavailable = false;
        await using var factory = new ServiceFactory(dataDirectory: data)
        {
            TestServices = services => services.AddSingleton(_ => InterceptingStore.Wrap(new SqliteRatingStore($"Data Source={Path.Combine(data, "ratings.db")}"),
                (_, method, _) => Volatile.Read(ref unavailable) && method.Name == nameof(IRatingStore.GetAllRatingsAsync)
                    ? Task.FromException<IReadOnlyList<AccountRating>>(new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14))
                    : null)),
        };
        var client = await factory.ReadyClientAsync();
        using var admin = factory.AdminClient();
        // The registry is the process's (prometheus-net's default), shared with the tests running beside this one, whose
        // retrains count too: so what this test checks is that its own retrains add to their series.
        var metrics = factory.Services.GetRequiredService<ServiceMetrics>();
        Assert.Contains("movierec_retrains_total{outcome=\"failed\"} ", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        double failedBefore = metrics.Retrains("failed");

        // The ratings store is unavailable: the retrain fails (503 with why), the current model serves on, and it is counted.
        Volatile.Write(ref unavailable, true);
        var serving = factory.Host.Current!.Version;
        var failed = await (await admin.PostAsync("/api/v1/admin/retrain", null)).AssertProblem(503);
        Assert.Contains("unable to open database file", failed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(serving, factory.Host.Current!.Version);
        Assert.True(metrics.Retrains("failed") >= failedBefore + 1, $"failed retrains {failedBefore} -> {metrics.Retrains("failed")}");
        Assert.Contains($"movierec_retrains_total{{outcome=\"failed\"}} {metrics.Retrains("failed")}", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // Back: the next retrain finishes and is counted under its own outcome.
        Volatile.Write(ref unavailable, false);
        double promotedBefore = metrics.Retrains("promoted"), keptBefore = metrics.Retrains("kept");
        var outcome = await (await admin.PostAsync("/api/v1/admin/retrain", null)).Json();
        string label = outcome.GetProperty("promoted").GetBoolean() ? "promoted" : "kept";
        Assert.True(metrics.Retrains(label) >= (label == "promoted" ? promotedBefore : keptBefore) + 1, $"{label} retrains did not grow");
    }

    [Fact]
    public async Task Retrain_includes_stored_ratings_and_promotes_a_model_that_is_not_worse()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        string before = factory.Host.Current!.Version;
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        foreach (long id in RecommendationApiTests.AnimatedFamily) await client.PutAsJsonAsync($"/api/v1/me/ratings/{id}", new { rating = 4.5 });

        var outcome = await (await factory.AdminClient().PostAsync("/api/v1/admin/retrain", null)).Json();
        Assert.True(outcome.GetProperty("promoted").GetBoolean(), outcome.ToString());
        var current = factory.Host.Current!;
        Assert.NotEqual(before, current.Version);
        Assert.Equal(outcome.GetProperty("candidateVersion").GetString(), current.Version);
        Assert.Equal(10, current.Report.StoredRatings);
        Assert.Equal(100846, current.Train.Count);
        Assert.Equal(current.Version, (await client.PostJson("/api/v1/recommendations", new { ratings = Array.Empty<object>() })).Headers.GetValues("X-Model-Version").Single());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "models", current.Report.File)));
    }

    [Fact]
    public async Task Retrain_requests_that_wait_together_share_one_retrain()
    {
        // Found live: three POST /admin/retrain at once ran three full retrains one after another (the last caller
        // waited 177 s); a client retrying after its timeout queued one more each time.
        await using var factory = new ServiceFactory();
        await factory.ReadyClientAsync();
        var admin = factory.AdminClient();
        admin.Timeout = TimeSpan.FromMinutes(5);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await (await admin.PostAsync("/api/v1/admin/retrain", null)).Json()));

        // The first request may start its retrain before the others arrive; they then share the next one.
        var versions = outcomes.Select(o => o.GetProperty("candidateVersion").GetString()).Distinct().ToList();
        Assert.True(versions.Count <= 2, $"{versions.Count} retrains for 4 requests: {string.Join(", ", versions)}");
    }

    [Fact]
    public async Task Scheduled_retraining_promotes_new_versions_without_a_request()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:RetrainInterval"] = "00:00:02" });
        await factory.ReadyClientAsync();
        string first = factory.Host.Current!.Version;
        await ServiceFactory.WaitFor(() => factory.Host.Current!.Version != first);
        Assert.True(factory.Host.LastRetrain!.Promoted);
        // Same data, same seed, one thread: the candidate's holdout RMSE equals the current one's.
        Assert.Equal(factory.Host.LastRetrain.CurrentRmse, factory.Host.LastRetrain.CandidateRmse);
    }
}
