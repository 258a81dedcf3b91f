using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>Admin endpoints, retrain and promotion, hot swap under load, restart from the saved model, bad model files.</summary>
public sealed class ModelLifecycleTests
{
    private static HttpClient Admin(ServiceFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        return client;
    }

    [Fact]
    public async Task Admin_endpoints_need_the_key()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        await (await client.GetAsync("/api/v1/admin/model")).AssertProblem(401);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.PostAsync("/api/v1/admin/retrain", null)).AssertProblem(401);
        await using var noKey = new ServiceFactory(new Dictionary<string, string?> { ["Admin:ApiKey"] = "" });
        await (await (await noKey.ReadyClientAsync()).GetAsync("/api/v1/admin/model")).AssertProblem(403);
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/memory?arrays=maybe")]
    [InlineData("POST", "/api/v1/admin/retrain?wait=maybe")]
    [InlineData("GET", "/api/v1/admin/memory?arrays=2")]
    public async Task Admin_endpoints_ask_for_the_key_before_looking_at_the_parameters(string method, string url)
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Without the key, a parameter of the wrong type is not the client's first problem: the key is.
        var body = await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(401);
        Assert.Contains("X-Api-Key", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(401);
        // With the key, the parameter is the problem.
        await (await Admin(factory).SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(400);
    }

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
        using var admin = Admin(factory);
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
    public async Task Model_status_reports_training_metrics_loss_and_data()
    {
        await using var factory = new ServiceFactory();
        await factory.ReadyClientAsync();
        var status = await (await Admin(factory).GetAsync("/api/v1/admin/model")).Json();
        var model = status.GetProperty("model");
        Assert.Equal(factory.Host.Current!.Version, model.GetProperty("version").GetString());
        Assert.InRange(model.GetProperty("holdoutRmse").GetDouble(), 0.80, 0.92);
        Assert.Equal(20, model.GetProperty("epochLoss").GetArrayLength());
        var loss = model.GetProperty("epochLoss").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.True(loss[^1] < loss[0]);
        Assert.Equal(100836, model.GetProperty("ratings").GetInt32());
        Assert.Equal(610, status.GetProperty("dataset").GetProperty("users").GetInt32());
        Assert.Equal("sqlite", status.GetProperty("ratingStore").GetString());
        Assert.True(status.GetProperty("ratingStoreAnswers").GetBoolean());
        Assert.Equal(0, status.GetProperty("storedRatings").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("ratingStoreProblem").ValueKind);
    }

    [Fact]
    public async Task Memory_report_charges_each_part_once_and_names_the_arrays()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        // Two algorithms that share one EASE weight matrix, trained by their first requests.
        foreach (string algorithm in new[] { "ease", "hybrid" })
        {
            var body = new { ratings = RecommendationApiTests.AnimatedFamily.Select(id => new { movieId = id, rating = 5 }), algorithm };
            (await client.PostAsJsonAsync("/api/v1/recommendations", body)).EnsureSuccessStatusCode();
        }
        await (await client.GetAsync("/api/v1/admin/memory")).AssertProblem(401);
        var report = await (await Admin(factory).GetAsync("/api/v1/admin/memory?arrays=true")).Json();
        var parts = report.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("part").GetString()!, p => p);
        double ease = parts["ease"].GetProperty("miB").GetDouble();
        Assert.InRange(ease, 20, 32); // B over the ~3,650 items with at least 5 ratings, in half precision
        Assert.Contains(parts["ease"].GetProperty("largeArrays").EnumerateArray(), a => a.GetString()!.StartsWith("Ease._b: Half[", StringComparison.Ordinal));
        Assert.InRange(parts["hybrid"].GetProperty("miB").GetDouble(), 0.1, 15); // its EASE is ease's, charged there
        Assert.True(parts.ContainsKey("movies (titles, genres, TMDB cast, directors, keywords, overviews)"));
        double sum = parts.Values.Sum(p => p.GetProperty("miB").GetDouble());
        Assert.Equal(sum, report.GetProperty("partsMiB").GetDouble(), 0.1);
        Assert.True(report.GetProperty("gcHeapMiB").GetDouble() >= sum * 0.8, report.ToString());
        Assert.True(report.GetProperty("workingSetMiB").GetDouble() > report.GetProperty("gcHeapMiB").GetDouble() * 0.5, report.ToString());
    }

    [Fact]
    public async Task A_model_trained_on_its_first_request_is_followed_by_a_compacting_collection()
    {
        // Warm-up off (the factory's default): ease trains on the request that first names it, after start-up, and its
        // temporaries (the float64 Gram matrix and inverse) are garbage in the large object heap that nothing else
        // compacts.
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        await factory.Host.Started;
        long before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        var body = new { ratings = RecommendationApiTests.AnimatedFamily.Select(id => new { movieId = id, rating = 5 }), algorithm = "ease" };
        (await client.PostAsJsonAsync("/api/v1/recommendations", body)).EnsureSuccessStatusCode();
        await WaitFor(() => GC.GetGCMemoryInfo(GCKind.FullBlocking) is { Compacted: true } info && info.Index > before);
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

        var outcome = await (await Admin(factory).PostAsync("/api/v1/admin/retrain", null)).Json();
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
        var admin = Admin(factory);
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
        await WaitFor(() => factory.Host.Current!.Version != first);
        Assert.True(factory.Host.LastRetrain!.Promoted);
        // Same data, same seed, one thread: the candidate's holdout RMSE equals the current one's.
        Assert.Equal(factory.Host.LastRetrain.CurrentRmse, factory.Host.LastRetrain.CandidateRmse);
    }

    [Fact]
    public async Task A_hot_swap_under_concurrent_requests_fails_none()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        var trainer = (ModelTrainer)factory.Services.GetService(typeof(ModelTrainer))!;
        var catalog = await factory.Host.CatalogAsync(CancellationToken.None);
        var versions = new HashSet<string> { factory.Host.Current!.Version };
        using var stop = new CancellationTokenSource();
        int requests = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                int user = 1 + rng.Next(600);
                // The persisted SVD (for the dataset's users): what a swap hands over; the default would train on each new version's first request.
                var response = await client.GetAsync($"/api/v1/users/{user}/recommendations?n=5&algorithm=svd");
                Interlocked.Increment(ref requests);
                if (response.StatusCode != HttpStatusCode.OK) failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                else seen.Add((await response.Json()).GetProperty("modelVersion").GetString()!);
            }
        })).ToArray();
        for (int swap = 0; swap < 3; swap++)
        {
            var candidate = await Task.Run(() => trainer.Train(catalog, [], CancellationToken.None));
            versions.Add(candidate.Version);
            factory.Host.Promote(candidate);
            await Task.Delay(100);
        }
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.Empty(failures);
        Assert.True(requests > 20, $"only {requests} requests ran");
        Assert.Subset(versions, seen.ToHashSet());
        Assert.Contains(factory.Host.Current!.Version, seen);
    }

    [Fact]
    public async Task A_restart_loads_the_saved_model_instead_of_training()
    {
        string folder = TestData.NewFolder().Path;
        string version;
        float[] before = new float[40];
        await using (var first = new ServiceFactory(dataDirectory: folder))
        {
            await first.ReadyClientAsync();
            version = first.Host.Current!.Version;
            Predictions(first.Host.Current, before);
        }
        await using var second = new ServiceFactory(dataDirectory: folder);
        await second.ReadyClientAsync();
        var loaded = second.Host.Current!;
        Assert.Equal(version, loaded.Version);
        // The file's copy of each user's ratings is dropped for the training ratings' own rows (one copy, not two),
        // and the model predicts and excludes exactly as the one that was saved.
        Assert.True(loaded.Svd.SharesRatingsWith(loaded.Train.ByUser));
        float[] after = new float[40];
        Predictions(loaded, after);
        Assert.Equal(before, after);
    }

    private static void Predictions(ServingModel model, float[] into)
    {
        var train = model.Train;
        for (int k = 0; k < into.Length; k++)
        {
            int user = k * 13 % train.UserCount, item = k * 97 % train.ItemCount;
            into[k] = model.Svd.Predict(user, item) + model.Svd.RatedBy(user).Length;
        }
    }

    [Fact]
    public async Task A_corrupt_saved_model_is_refused_at_start_and_a_new_one_trained()
    {
        string folder = TestData.NewFolder().Path;
        string version, file;
        await using (var first = new ServiceFactory(dataDirectory: folder))
        {
            await first.ReadyClientAsync();
            version = first.Host.Current!.Version;
            file = Path.Combine(folder, "models", first.Host.Current!.Report.File);
        }
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length / 2)]);
        await using var second = new ServiceFactory(dataDirectory: folder);
        var client = await second.ReadyClientAsync();
        Assert.NotEqual(version, second.Host.Current!.Version);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/1/recommendations")).StatusCode);
    }

    [Fact]
    public async Task A_replica_picks_up_a_published_model_and_refuses_a_corrupt_one()
    {
        string models = TestData.NewFolder().Path;
        var watch = new Dictionary<string, string?> { ["MovieRec:ModelDirectory"] = models, ["MovieRec:ModelWatchInterval"] = "00:00:00.2" };
        await using var publisher = new ServiceFactory(watch);
        await using var replica = new ServiceFactory(watch);
        await publisher.ReadyClientAsync();
        var replicaClient = await replica.ReadyClientAsync();
        Assert.Equal(publisher.Host.Current!.Version, replica.Host.Current!.Version);

        var retrain = await (await Admin(publisher).PostAsync("/api/v1/admin/retrain", null)).Json();
        Assert.True(retrain.GetProperty("promoted").GetBoolean());
        string published = publisher.Host.Current!.Version;
        await WaitFor(() => replica.Host.Current!.Version == published);

        // A truncated model behind a new manifest: the replica keeps serving the one it has.
        var trainer = (ModelTrainer)publisher.Services.GetService(typeof(ModelTrainer))!;
        var manifest = trainer.ReadManifest()!;
        string bad = Path.Combine(models, "svd-bad.mrec");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(models, manifest.File));
        await File.WriteAllBytesAsync(bad, bytes[..1000]);
        await File.WriteAllTextAsync(trainer.ManifestPath, System.Text.Json.JsonSerializer.Serialize(manifest with { Version = "bad", File = "svd-bad.mrec" }, System.Text.Json.JsonSerializerOptions.Web));
        await Task.Delay(1000);
        Assert.Equal(published, replica.Host.Current!.Version);
        Assert.Equal(HttpStatusCode.OK, (await replicaClient.GetAsync("/api/v1/users/1/recommendations")).StatusCode);
    }

    [Fact]
    public async Task Writes_are_rate_limited_per_client_with_429_problems()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:RateLimitPerMinute"] = "3" });
        var client = await factory.ReadyClientAsync();
        for (int k = 0; k < 3; k++) Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/sessions", null)).StatusCode);
        var limited = await client.PostAsync("/api/v1/sessions", null);
        await limited.AssertProblem(429);
        Assert.True(limited.Headers.RetryAfter is not null);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(50);
        }
    }
}
