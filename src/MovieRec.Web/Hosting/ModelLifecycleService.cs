using System.Threading.Channels;
using MovieRec.Core.Data;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Starts the service's data and models, then keeps them fresh: retrains on demand (POST /admin/retrain) and on the
/// configured schedule with every stored rating, promotes a candidate only when its holdout RMSE is not worse than the
/// current model's, and picks up a newer model another replica published in the shared model directory.
/// </summary>
public sealed class ModelLifecycleService(
    ModelHost host, ModelTrainer trainer, IRatingStore store, MovieRecOptions options, ILogger<ModelLifecycleService> logger) : BackgroundService
{
    private readonly Channel<TaskCompletionSource<RetrainOutcome>> _requests = Channel.CreateUnbounded<TaskCompletionSource<RetrainOutcome>>();
    private readonly SemaphoreSlim _training = new(1, 1);

    /// <summary>Queues a retrain and completes when it has finished (promoted or not).</summary>
    public Task<RetrainOutcome> RequestRetrainAsync()
    {
        var done = new TaskCompletionSource<RetrainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Writer.TryWrite(done);
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await StartAsync_(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Start-up failures are reported by /health/ready and every request, not by crashing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Start-up failed: {Message}", e.Message);
            host.Fail(e);
            return;
        }
        await Task.WhenAll(ServeRetrainRequests(stoppingToken), RetrainOnSchedule(stoppingToken), WatchModelDirectory(stoppingToken)).ConfigureAwait(false);
    }

    private async Task StartAsync_(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        string path = await Task.Run(() => DataLocator.ResolveOrDownload(options.Dataset, m => logger.LogInformation("{Message}", m)), cancellationToken).ConfigureAwait(false);
        // Ratings and titles first (a fifth of a second): the service answers while TMDB metadata (cast, crew,
        // keywords: most of the load time) is joined in the background and swapped in with its content indexes.
        var dataset = await Task.Run(() => DatasetLoader.Load(path, new LoadOptions { IncludeTmdb = false }), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Loaded {Name}: {Ratings} ratings, {Movies} movies ({Seconds:0.000} s)", dataset.Name, dataset.Ratings.Count, dataset.Catalog.Count, clock.Elapsed.TotalSeconds);
        var catalog = new CatalogIndex(dataset, generation: 1, options.EmbeddingModel, options.EmbeddingCache);
        host.SetCatalog(catalog);
        var stored = await store.GetAllRatingsAsync(cancellationToken).ConfigureAwait(false);
        ServingModel? model = null;
        if (trainer.ReadManifest() is { } manifest)
        {
            try
            {
                model = trainer.Load(manifest, catalog, stored);
                logger.LogInformation("Loaded model {Version} from {Directory}", manifest.Version, trainer.ModelDirectory);
            }
            catch (InvalidDataException e)
            {
                logger.LogWarning("Not using the saved model: {Problem} Training a new one.", e.Message);
            }
        }
        if (model is null)
        {
            model = await Task.Run(() => trainer.Train(catalog, stored, cancellationToken), cancellationToken).ConfigureAwait(false);
            trainer.Publish(model);
        }
        host.Promote(model);
        logger.LogInformation("Serving model {Version} {Seconds:0.000} s after start-up began", model.Version, clock.Elapsed.TotalSeconds);
        await Task.Run(() => JoinMetadata(path, stored), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads the dataset with its TMDB metadata and swaps in the richer catalogue, serving the same model version.</summary>
    private void JoinMetadata(string path, IReadOnlyList<AccountRating> stored)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var full = DatasetLoader.Load(path);
        var current = host.Current!;
        CatalogIndex catalog;
        if (full.Catalog.WithTmdbCount > 0)
        {
            catalog = new CatalogIndex(full, generation: 2, options.EmbeddingModel, options.EmbeddingCache);
            var model = new ServingModel(current.Report, current.Svd, ModelTrainer.BuildTrainingData(full, stored), catalog, options).Prepare();
            host.SetCatalog(catalog);
            // Only when no retrain promoted a newer version meanwhile (that one already has the metadata).
            if (ReferenceEquals(host.Current, current)) host.Promote(model);
            logger.LogInformation("Joined TMDB metadata for {Count} movies in {Seconds:0.000} s", full.Catalog.WithTmdbCount, clock.Elapsed.TotalSeconds);
        }
        else
        {
            catalog = host.CatalogOrNull!;
        }
        host.CompleteStartup();
        catalog.StartSemantic();
        if (options.WarmUp) _ = Task.Run(() => WarmUp(catalog, host.Current!));
    }

    private void WarmUp(CatalogIndex catalog, ServingModel model)
    {
        try
        {
            catalog.WarmUp();
            _ = model.Explainer;
            foreach (var algorithm in ServingModel.Algorithms.Keys) model.GetAsync(algorithm).Wait();
        }
#pragma warning disable CA1031 // A warm-up failure surfaces again on the request that needs the part; log it only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Warm-up failed: {Message}", e.Message);
        }
    }

    /// <summary>Trains a candidate on every stored rating and promotes it unless it is worse than the current one.</summary>
    public async Task<RetrainOutcome> RetrainAsync(CancellationToken cancellationToken)
    {
        await _training.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
            var current = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var stored = await store.GetAllRatingsAsync(cancellationToken).ConfigureAwait(false);
            var candidate = await Task.Run(() => trainer.Train(catalog, stored, cancellationToken), cancellationToken).ConfigureAwait(false);
            RetrainOutcome outcome;
            if (candidate.Report.HoldoutRmse <= current.Report.HoldoutRmse + options.PromotionTolerance)
            {
                trainer.Publish(candidate);
                host.Promote(candidate);
                if (options.WarmUp) _ = Task.Run(() => WarmUp(catalog, candidate), CancellationToken.None);
                outcome = new(DateTimeOffset.UtcNow, true, $"promoted {candidate.Version}", candidate.Version, candidate.Report.HoldoutRmse, current.Report.HoldoutRmse);
            }
            else
            {
                outcome = new(DateTimeOffset.UtcNow, false,
                    $"kept {current.Version}: the candidate's holdout RMSE {candidate.Report.HoldoutRmse:0.0000} is worse than {current.Report.HoldoutRmse:0.0000}",
                    candidate.Version, candidate.Report.HoldoutRmse, current.Report.HoldoutRmse);
            }
            logger.LogInformation("Retrain: {Message}", outcome.Message);
            host.LastRetrain = outcome;
            return outcome;
        }
        finally
        {
            _training.Release();
        }
    }

    private async Task ServeRetrainRequests(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    request.TrySetResult(await RetrainAsync(stoppingToken).ConfigureAwait(false));
                }
#pragma warning disable CA1031 // A failed retrain is reported to its caller; the current model keeps serving.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    logger.LogError(e, "Retrain failed");
                    host.LastRetrain = new(DateTimeOffset.UtcNow, false, $"failed: {e.Message}", null, null, host.Current?.Report.HoldoutRmse);
                    request.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RetrainOnSchedule(CancellationToken stoppingToken)
    {
        if (options.RetrainInterval is not { } interval || interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await RequestRetrainAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Logged by the request loop; the schedule goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Serves a model file dropped into the incoming folder (the Spark hand-over): imported, published as the current
    /// version (replicas pick it up) and moved to incoming/done; a file that cannot serve goes to incoming/rejected
    /// with the reason beside it, and the current model keeps serving.
    /// </summary>
    private async Task ImportIncoming(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(trainer.IncomingDirectory)) return;
        foreach (var file in new DirectoryInfo(trainer.IncomingDirectory).GetFiles("*.mrec").OrderBy(f => f.LastWriteTimeUtc))
        {
            // A file still being copied in is left for the next tick.
            if (DateTime.UtcNow - file.LastWriteTimeUtc < TimeSpan.FromSeconds(1)) continue;
            if (!await _training.WaitAsync(0, stoppingToken).ConfigureAwait(false)) return;
            string outcome;
            try
            {
                var catalog = await host.CatalogAsync(stoppingToken).ConfigureAwait(false);
                var stored = await store.GetAllRatingsAsync(stoppingToken).ConfigureAwait(false);
                var model = trainer.Import(file.FullName, catalog, stored);
                trainer.Publish(model);
                host.Promote(model);
                outcome = "done";
                host.LastRetrain = new(DateTimeOffset.UtcNow, true, $"imported {file.Name} as {model.Version}", model.Version, model.Report.HoldoutRmse, null);
            }
            catch (InvalidDataException e)
            {
                logger.LogError("Refused the incoming model: {Problem} The current model keeps serving.", e.Message);
                outcome = "rejected";
                Directory.CreateDirectory(Path.Combine(trainer.IncomingDirectory, outcome));
                await File.WriteAllTextAsync(Path.Combine(trainer.IncomingDirectory, outcome, file.Name + ".txt"), e.Message, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                _training.Release();
            }
            Directory.CreateDirectory(Path.Combine(trainer.IncomingDirectory, outcome));
            file.MoveTo(Path.Combine(trainer.IncomingDirectory, outcome, file.Name), overwrite: true);
        }
    }

    /// <summary>Loads a model another replica (or the nightly job) published, when its version differs from ours.</summary>
    private async Task WatchModelDirectory(CancellationToken stoppingToken)
    {
        if (options.ModelWatchInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.ModelWatchInterval);
        try
        {
            string? refused = null;
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ImportIncoming(stoppingToken).ConfigureAwait(false);
                    if (trainer.ReadManifest() is not { } manifest || manifest.Version == host.Current?.Version || manifest.Version == refused) continue;
                    if (!await _training.WaitAsync(0, stoppingToken).ConfigureAwait(false)) continue;
                    try
                    {
                        var catalog = await host.CatalogAsync(stoppingToken).ConfigureAwait(false);
                        var stored = await store.GetAllRatingsAsync(stoppingToken).ConfigureAwait(false);
                        var model = trainer.Load(manifest, catalog, stored);
                        host.Promote(model);
                        logger.LogInformation("Picked up model {Version} from the model directory", model.Version);
                    }
                    catch (InvalidDataException e)
                    {
                        refused = manifest.Version; // not retried until another version is published
                        logger.LogError("Refused the published model: {Problem} The current model keeps serving.", e.Message);
                    }
                    finally
                    {
                        _training.Release();
                    }
                }
                catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
                {
                    // The database or the shared folder is unavailable for now: the next tick tries again.
                    logger.LogWarning("Model directory check failed: {Problem}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
