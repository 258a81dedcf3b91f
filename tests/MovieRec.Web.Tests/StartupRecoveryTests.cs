using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// Start-up that recovers (issue 16): a missing or unreadable model file, or a manifest naming no file, is retrained
/// like a truncated one; a start-up that cannot succeed fails liveness with a sentence saying what to fix, and admin
/// calls answer 503 with that reason instead of hanging.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class StartupRecoveryTests
{
    private static HttpClient Admin(ServiceFactory factory)
    {
        var client = factory.AdminClient();
        client.Timeout = TimeSpan.FromSeconds(20);
        return client;
    }

    [Fact]
    public async Task A_missing_or_unreadable_model_file_or_a_manifest_without_a_file_is_retrained()
    {
        using var folder = TestData.NewFolder();
        string version, file;
        await using (var first = new ServiceFactory(dataDirectory: folder.Path))
        {
            await first.ReadyClientAsync();
            version = first.Host.Current!.Version;
            file = Path.Combine(folder.Path, "models", first.Host.Current!.Report.File);
        }

        // Missing.
        File.Delete(file);
        await using (var second = new ServiceFactory(dataDirectory: folder.Path))
        {
            var client = await second.ReadyClientAsync();
            Assert.NotEqual(version, second.Host.Current!.Version);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            version = second.Host.Current!.Version;
            file = Path.Combine(folder.Path, "models", second.Host.Current!.Report.File);
        }

        // Unreadable (a folder where the file should be: reading it fails even for root).
        File.Delete(file);
        Directory.CreateDirectory(file);
        await using (var third = new ServiceFactory(dataDirectory: folder.Path))
        {
            await third.ReadyClientAsync();
            Assert.NotEqual(version, third.Host.Current!.Version);
            version = third.Host.Current!.Version;
        }

        // A manifest naming no file.
        string manifestPath = Path.Combine(folder.Path, "models", ModelTrainer.ManifestName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!.AsObject();
        manifest["file"] = null;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        await using (var fourth = new ServiceFactory(dataDirectory: folder.Path))
        {
            await fourth.ReadyClientAsync();
            Assert.NotEqual(version, fourth.Host.Current!.Version);
        }
    }

    [Fact]
    public async Task A_start_up_that_cannot_succeed_fails_liveness_with_a_sentence_and_admin_calls_answer_at_once()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:Dataset"] = "no-such-dataset" });
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (factory.Host.StartupError is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "start-up did not fail");
            await Task.Delay(50);
        }

        // Liveness fails (the orchestrator restarts the pod); both texts are the same sentence, no exception message.
        foreach (string path in new[] { "/health/live", "/health/ready" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Json();
            string text = body.GetProperty("checks").GetProperty(path == "/health/live" ? "startup" : "model").GetProperty("description").GetString()!;
            AssertSentence(text);
        }

        // Admin calls answer 503 with the reason, at once.
        using var admin = Admin(factory);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var retrain = await admin.PostAsync("/api/v1/admin/retrain", null);
        AssertSentence((await retrain.AssertProblem(503)).GetProperty("detail").GetString()!);
        AssertSentence((await (await admin.GetAsync("/api/v1/admin/model")).AssertProblem(503)).GetProperty("detail").GetString()!);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"the admin calls took {timer.Elapsed}");

        // API clients get the sentence too, not "a backing service is unavailable".
        AssertSentence((await (await client.GetAsync("/api/v1/movies")).AssertProblem(503)).GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task An_admin_call_during_start_up_waits_a_bounded_time_then_answers_503()
    {
        // Start-up is held before it trains (its read of the stored ratings waits for the test), so the call surely comes
        // before a model serves: timing it by a slow training raced the machine (200 SVD epochs took under a second).
        string data = TestData.NewFolder().Path;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:AdminWait"] = "00:00:00.05" }, data)
        {
            TestServices = services => services.AddSingleton(_ => InterceptingStore.Wrap(new SqliteRatingStore($"Data Source={Path.Combine(data, "ratings.db")}"),
                (store, method, args) => method.Name == nameof(IRatingStore.GetAllRatingsAsync) && !release.Task.IsCompleted
                    ? HeldAsync(store, release.Task)
                    : null)),
        };
        using var admin = Admin(factory);
        Assert.False(factory.Host.IsReady);
        var response = await admin.PostAsync("/api/v1/admin/retrain", null);
        var problem = await response.AssertProblem(503);
        Assert.Contains("still starting", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter is not null);
        release.SetResult();
        await factory.Host.Started.WaitAsync(TimeSpan.FromMinutes(2));
        var outcome = await (await admin.PostAsync("/api/v1/admin/retrain", null)).Json();
        Assert.True(outcome.GetProperty("promoted").GetBoolean(), outcome.ToString());

        static async Task<IReadOnlyList<AccountRating>> HeldAsync(IRatingStore store, Task released)
        {
            await released.ConfigureAwait(false);
            return await store.GetAllRatingsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A dataset without ratings (a header-only ratings.csv: a catalogue) cannot be served: liveness fails with a
    /// sentence saying why and what to do (it was "Start-up failed (ArgumentException: .NET number values such as
    /// positive and negative infinity cannot be written as valid JSON ...").
    /// </summary>
    [Fact]
    public async Task A_dataset_without_ratings_fails_start_up_with_a_sentence_saying_why()
    {
        using var folder = TestData.NewFolder();
        folder.Write("catalogue/ratings.csv", "userId,movieId,rating,timestamp\r\n");
        folder.Write("catalogue/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation|Children\n2,Heat (1995),Action\n");
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["MovieRec:Dataset"] = Path.Combine(folder.Path, "catalogue"),
            ["MovieRec:ModelDirectory"] = Path.Combine(folder.Path, "models"),
        });
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (factory.Host.StartupError is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "start-up did not fail");
            await Task.Delay(50);
        }
        var response = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        string text = (await response.Json()).GetProperty("checks").GetProperty("startup").GetProperty("description").GetString()!;
        Assert.StartsWith("Start-up failed: the dataset catalogue has no ratings (a catalogue of 2 movies)", text, StringComparison.Ordinal);
        Assert.Contains("MovieRec:Dataset", text, StringComparison.Ordinal);
        Assert.EndsWith(".", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static void AssertSentence(string text)
    {
        Assert.StartsWith("Start-up failed: the dataset no-such-dataset was not found", text, StringComparison.Ordinal);
        Assert.Contains("MOVIEREC_DATA", text, StringComparison.Ordinal);
        Assert.EndsWith(".", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
