using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>Three models trained once for the lock tests (a service on ml-latest-small trains them).</summary>
public sealed class TrainedModels : IAsyncLifetime
{
    private readonly ServiceFactory _service = new();

    public IReadOnlyList<ServingModel> Models { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await _service.ReadyClientAsync();
        var catalog = await _service.Host.CatalogAsync(CancellationToken.None);
        var trainer = _service.Services.GetRequiredService<ModelTrainer>();
        Models = [.. Enumerable.Range(0, 3).Select(_ => trainer.Train(catalog, [], CancellationToken.None))];
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();
}

/// <summary>
/// The model manifest's lock (current.json.lock) between replicas sharing a model folder. It was an exclusive FileStream
/// on a file that stayed: flock(2) on Linux, advisory, turned off by DOTNET_SYSTEM_IO_DISABLEFILELOCKING and a no-op on
/// some NFS mounts, so a replica whose lock was not seen published over another's check. Now the lock is the file,
/// created exclusively (O_CREAT|O_EXCL) and deleted after the step; one left behind by a dead owner is taken over.
/// </summary>
public sealed class ManifestLockTests(TrainedModels trained) : IClassFixture<TrainedModels>
{
    private readonly ErrorLog _log = new(LogLevel.Warning);

    private ModelTrainer Saver(string folder, TimeSpan staleAfter) =>
        new(new MovieRecOptions { ModelDirectory = folder }, LoggerFactory.Create(b => b.AddProvider(_log)).CreateLogger<ModelTrainer>())
        {
            ManifestLockStaleAfter = staleAfter,
        };

    [Fact]
    public async Task A_lock_file_held_without_any_flock_excludes_a_publisher_until_it_is_removed()
    {
        using var folder = TestData.NewFolder();
        var saver = Saver(folder.Path, staleAfter: TimeSpan.FromMinutes(5));
        var models = trained.Models;
        Assert.True(saver.PublishFirst(models[0], seenHash: null));
        // Removed after each step: the folder holds the model and its manifest only.
        Assert.Equal(new[] { models[0].Report.File, ModelTrainer.ManifestName }.Order(StringComparer.Ordinal),
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Another replica holds the lock the way flock cannot see: its file exists, and nobody has it open (NFS without
        // lock support, DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1, or simply another host).
        await File.WriteAllTextAsync(saver.ManifestLockPath, $"host=another-replica\npid=1\ntoken=0\nat={DateTimeOffset.UtcNow:O}\n");
        var publish = Task.Run(() => saver.PublishOver(models[1], basedOn: models[0].Version));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        // Before the fix the publisher opened the file, took a flock nobody else held and renamed its manifest at once.
        Assert.False(publish.IsCompleted, "the publisher did not wait for the lock another replica holds");
        Assert.Equal(models[0].Version, saver.InspectManifest().Report!.Version);

        File.Delete(saver.ManifestLockPath); // the other replica is done
        Assert.True(await publish.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(models[1].Version, saver.InspectManifest().Report!.Version);
        Assert.False(File.Exists(saver.ManifestLockPath));
        Assert.Empty(_log.Errors);
    }

    [Fact]
    public async Task A_lock_left_behind_on_another_host_is_taken_over_once_it_has_stayed_unchanged()
    {
        using var folder = TestData.NewFolder();
        var saver = Saver(folder.Path, staleAfter: TimeSpan.FromMilliseconds(300));
        var models = trained.Models;
        Assert.True(saver.PublishFirst(models[0], seenHash: null));
        await File.WriteAllTextAsync(saver.ManifestLockPath, "host=crashed-replica\npid=1\ntoken=0\nat=2026-01-01T00:00:00Z\n");

        Assert.True(await Task.Run(() => saver.PublishOver(models[1], basedOn: models[0].Version)).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(models[1].Version, saver.InspectManifest().Report!.Version);
        Assert.False(File.Exists(saver.ManifestLockPath));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.break"));
        Assert.Contains(_log.Errors, e => e.Contains("Took over the model manifest lock", StringComparison.Ordinal) && e.Contains("host=crashed-replica", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lock_left_by_a_process_of_this_host_that_no_longer_runs_is_taken_over_at_once()
    {
        using var folder = TestData.NewFolder();
        // Stale only after an hour: a publish that waited for that would fail after the lock wait (30 s).
        var saver = Saver(folder.Path, staleAfter: TimeSpan.FromHours(1));
        var models = trained.Models;
        Assert.True(saver.PublishFirst(models[0], seenHash: null));
        using var gone = System.Diagnostics.Process.Start("true")!;
        await gone.WaitForExitAsync();
        await File.WriteAllTextAsync(saver.ManifestLockPath, $"host={Environment.MachineName}\npid={gone.Id}\ntoken=0\nat={DateTimeOffset.UtcNow:O}\n");

        Assert.True(await Task.Run(() => saver.PublishOver(models[1], basedOn: models[0].Version)).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(models[1].Version, saver.InspectManifest().Report!.Version);
        Assert.False(File.Exists(saver.ManifestLockPath));
    }

    [Fact]
    public async Task Two_publishers_finding_one_stale_lock_take_it_over_one_at_a_time()
    {
        using var folder = TestData.NewFolder();
        var savers = new[] { Saver(folder.Path, TimeSpan.FromMilliseconds(200)), Saver(folder.Path, TimeSpan.FromMilliseconds(200)) };
        var models = trained.Models;
        Assert.True(savers[0].PublishFirst(models[0], seenHash: null));
        await File.WriteAllTextAsync(savers[0].ManifestLockPath, "host=crashed-replica\npid=1\ntoken=0\nat=2026-01-01T00:00:00Z\n");

        using var start = new Barrier(2);
        var published = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return savers[i].PublishOver(models[1 + i], basedOn: models[0].Version);
        }))).WaitAsync(TimeSpan.FromSeconds(30));

        // Exactly one publish from the first version is accepted, as without a stale lock (ModelRetrainRaceTests).
        Assert.Single(published, p => p);
        Assert.Equal(models[1 + Array.IndexOf(published, true)].Version, savers[0].InspectManifest().Report!.Version);
        Assert.False(File.Exists(savers[0].ManifestLockPath));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.break"));
    }
}
