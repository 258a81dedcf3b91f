using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// Replicas starting together on an empty shared model folder: each finds no manifest and trains. Only the first to
/// publish makes its model current; the others serve that one and delete their own file. Before, each published over
/// the other and the loser's model file stayed in the folder, named by no manifest.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelStartRaceTests
{
    [Fact]
    public async Task Two_replicas_starting_together_on_an_empty_folder_leave_one_model_that_both_serve()
    {
        using var folder = TestData.NewFolder();
        string models = folder.Path;
        var settings = new Dictionary<string, string?> { ["MovieRec:ModelDirectory"] = models };
        await using var first = new ReplicaFactory(settings);
        await using var second = new ReplicaFactory(settings);

        // Together: each start-up finds the folder empty, trains (a second or two) and publishes.
        await Task.WhenAll(Task.Run(first.ReadyClientAsync), Task.Run(second.ReadyClientAsync));

        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(models, ModelTrainer.ManifestName))).RootElement;
        string current = manifest.GetProperty("file").GetString()!;
        var files = Directory.GetFiles(models).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        // No orphaned model file, no temp file, no lock file left (see ModelTrainer.ManifestLockPath).
        Assert.Equal(new[] { current, ModelTrainer.ManifestName }.Order(StringComparer.Ordinal), files);
        Assert.Equal(manifest.GetProperty("version").GetString(), first.Host.Current!.Version);
        Assert.Equal(first.Host.Current!.Version, second.Host.Current!.Version);
    }

    [Fact]
    public async Task Of_two_savers_that_found_no_manifest_exactly_one_publishes_and_the_other_leaves_nothing()
    {
        await using var service = new ServiceFactory();
        await service.ReadyClientAsync();
        var catalog = await service.Host.CatalogAsync(CancellationToken.None);
        var trainer = service.Services.GetRequiredService<ModelTrainer>();
        var models = new[] { trainer.Train(catalog, [], CancellationToken.None), trainer.Train(catalog, [], CancellationToken.None) };
        Assert.NotEqual(models[0].Version, models[1].Version);

        using var folder = TestData.NewFolder();
        var options = new MovieRecOptions { ModelDirectory = folder.Path };
        var savers = new[] { new ModelTrainer(options, NullLogger<ModelTrainer>.Instance), new ModelTrainer(options, NullLogger<ModelTrainer>.Instance) };
        // Both saw an empty folder (seenHash null) and publish at the same moment.
        using var start = new Barrier(2);
        var published = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return savers[i].PublishFirst(models[i], seenHash: null);
        })));

        Assert.Single(published, p => p);
        var winner = models[Array.IndexOf(published, true)];
        Assert.Equal(winner.Version, savers[0].InspectManifest().Report!.Version);
        var files = Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { winner.Report.File, ModelTrainer.ManifestName }.Order(StringComparer.Ordinal), files);

        // A saver that saw an unusable manifest replaces it only while it is still that one.
        string unusable = Path.Combine(folder.Path, ModelTrainer.ManifestName);
        await File.WriteAllTextAsync(unusable, "not json");
        string seen = savers[0].InspectManifest().Hash!;
        var third = trainer.Train(catalog, [], CancellationToken.None);
        Assert.True(savers[0].PublishFirst(third, seen));
        Assert.Equal(third.Version, savers[1].InspectManifest().Report!.Version);
        var fourth = trainer.Train(catalog, [], CancellationToken.None);
        Assert.False(savers[1].PublishFirst(fourth, seen)); // the manifest it saw was replaced meanwhile
        Assert.Equal(third.Version, savers[1].InspectManifest().Report!.Version);
        Assert.False(File.Exists(Path.Combine(folder.Path, fourth.Report.File)));
    }
}
