using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// Two replicas sharing one model folder retrain at about the same time (POST /admin/retrain on each, or the schedule),
/// both starting from the version the manifest names. Only the first publish is accepted; the other replica finds the
/// manifest moved on, drops its candidate and serves the published model. Before, each published over the other and
/// served its own: the replicas served two versions, one of them named by no manifest (what a restart would not load).
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelRetrainRaceTests
{
    [Fact]
    public async Task Two_replicas_retraining_together_on_one_folder_serve_the_version_the_manifest_names()
    {
        using var folder = TestData.NewFolder();
        // The watcher is off (ServiceFactory): neither replica picks up the other's model by watching the folder, as
        // when both publish within one MovieRec:ModelWatchInterval.
        var settings = new Dictionary<string, string?> { ["MovieRec:ModelDirectory"] = folder.Path };
        await using var first = new ReplicaFactory(settings);
        await first.ReadyClientAsync();
        await using var second = new ReplicaFactory(settings);
        await second.ReadyClientAsync();
        string start = first.Host.Current!.Version;
        Assert.Equal(start, second.Host.Current!.Version); // the second loaded what the first published

        var outcomes = await Task.WhenAll(RetrainAsync(first), RetrainAsync(second));

        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.Path, ModelTrainer.ManifestName))).RootElement;
        string published = manifest.GetProperty("version").GetString()!;
        Assert.NotEqual(start, published);
        Assert.Equal(published, first.Host.Current!.Version);
        Assert.Equal(published, second.Host.Current!.Version);
        // One retrain promoted its candidate; the other says it serves that one and did not publish its own.
        var promoted = Assert.Single(outcomes, o => o.GetProperty("promoted").GetBoolean());
        Assert.Equal(published, promoted.GetProperty("candidateVersion").GetString());
        var declined = Assert.Single(outcomes, o => !o.GetProperty("promoted").GetBoolean());
        Assert.Contains($"serving {published}, published by another replica", declined.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, $"svd-{declined.GetProperty("candidateVersion").GetString()}.mrec")));

        // A restart serves the version both replicas serve.
        await using var restarted = new ServiceFactory(settings);
        await restarted.ReadyClientAsync();
        Assert.Equal(published, restarted.Host.Current!.Version);
    }

    [Fact]
    public async Task Of_two_retrains_from_one_version_exactly_one_publishes_and_a_publish_from_an_older_version_is_declined()
    {
        await using var service = new ServiceFactory();
        await service.ReadyClientAsync();
        var catalog = await service.Host.CatalogAsync(CancellationToken.None);
        var trainer = service.Services.GetRequiredService<ModelTrainer>();
        var models = Enumerable.Range(0, 4).Select(_ => trainer.Train(catalog, [], CancellationToken.None)).ToArray();

        using var folder = TestData.NewFolder();
        var options = new MovieRecOptions { ModelDirectory = folder.Path };
        var savers = new[] { new ModelTrainer(options, NullLogger<ModelTrainer>.Instance), new ModelTrainer(options, NullLogger<ModelTrainer>.Instance) };
        Assert.True(savers[0].PublishFirst(models[0], seenHash: null));

        // Both retrained from models[0] and publish at the same moment.
        using var start = new Barrier(2);
        var published = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return savers[i].PublishOver(models[1 + i], basedOn: models[0].Version);
        })));
        Assert.Single(published, p => p);
        var winner = models[1 + Array.IndexOf(published, true)];
        var loser = models[1 + Array.IndexOf(published, false)];
        Assert.Equal(winner.Version, savers[0].InspectManifest().Report!.Version);
        Assert.False(File.Exists(Path.Combine(folder.Path, loser.Report.File)));

        // A retrain from the winner's version publishes; one from the first version no longer does.
        Assert.False(savers[1].PublishOver(models[3], basedOn: models[0].Version));
        Assert.Equal(winner.Version, savers[1].InspectManifest().Report!.Version);
        Assert.True(savers[1].PublishOver(models[3], basedOn: winner.Version));
        Assert.Equal(models[3].Version, savers[0].InspectManifest().Report!.Version);
    }

    private static async Task<JsonElement> RetrainAsync(ServiceFactory replica)
    {
        var client = replica.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.AdminKey);
        var response = await client.PostAsync(new Uri("/api/v1/admin/retrain", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
