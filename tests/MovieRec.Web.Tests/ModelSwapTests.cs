using System.Net;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>Hot swaps under concurrent requests, and a replica picking up a published model (and refusing a corrupt one).</summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelSwapTests
{
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
    public async Task A_replica_picks_up_a_published_model_and_refuses_a_corrupt_one()
    {
        string models = TestData.NewFolder().Path;
        var watch = new Dictionary<string, string?> { ["MovieRec:ModelDirectory"] = models, ["MovieRec:ModelWatchInterval"] = "00:00:00.2" };
        await using var publisher = new ServiceFactory(watch);
        await using var replica = new ServiceFactory(watch);
        await publisher.ReadyClientAsync();
        var replicaClient = await replica.ReadyClientAsync();
        Assert.Equal(publisher.Host.Current!.Version, replica.Host.Current!.Version);

        var retrain = await (await publisher.AdminClient().PostAsync("/api/v1/admin/retrain", null)).Json();
        Assert.True(retrain.GetProperty("promoted").GetBoolean());
        string published = publisher.Host.Current!.Version;
        await ServiceFactory.WaitFor(() => replica.Host.Current!.Version == published);

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
}
