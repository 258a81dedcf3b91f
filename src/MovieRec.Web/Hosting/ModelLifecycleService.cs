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
    ModelHost host, ModelTrainer trainer, IRatingStore store, MovieRecOptions options, ServiceMetrics metrics, ModelWarmer warmer,
    Microsoft.AspNetCore.Hosting.Server.IServer server, IHostApplicationLifetime lifetime, ILogger<ModelLifecycleService> logger)
    : BackgroundService
{
    private readonly Channel<TaskCompletionSource<RetrainOutcome>> _requests = Channel.CreateUnbounded<TaskCompletionSource<RetrainOutcome>>();
    private readonly SemaphoreSlim _training = new(1, 1);

    /// <summary>
    /// Queues a retrain and completes when it has finished (promoted or not); fails at once with the reason when
    /// start-up failed (nothing would ever serve the queue).
    /// </summary>
    public Task<RetrainOutcome> RequestRetrainAsync()
    {
        if (host.StartupError is { } error) return Task.FromException<RetrainOutcome>(new StartupFailedException(error));
        var done = new TaskCompletionSource<RetrainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.Writer.TryWrite(done)) done.TrySetException(new StartupFailedException(host.StartupError ?? "The service is stopping."));
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
#pragma warning disable CA1031 // Start-up failures are reported by /health/live, /health/ready and every request, not by crashing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // One line saying what is missing and how to fix it; a stack trace only for failures not foreseen.
            string sentence = StartupProblem.Describe(e, options, out bool expected);
            if (expected) logger.LogError("{Problem}", sentence);
            else logger.LogError(e, "{Problem}", sentence);
            host.Fail(sentence, e);
            // Retrain requests already queued would wait for ever: answer them with the reason.
            _requests.Writer.TryComplete();
            while (_requests.Reader.TryRead(out var request)) request.TrySetException(new StartupFailedException(sentence, e));
            return;
        }
        await Task.WhenAll(ServeRetrainRequests(stoppingToken), RetrainOnSchedule(stoppingToken), WatchModelDirectory(stoppingToken)).ConfigureAwait(false);
    }

    private async Task StartAsync_(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        string path = await Task.Run(() => DataLocator.ResolveOrDownload(options.Dataset, m => logger.LogInformation("{Message}", m)), cancellationToken).ConfigureAwait(false);
        // Ratings and titles first (a fifth of a second): the service answers while TMDB metadata (cast, directors,
        // keywords: most of the load time) is joined in the background and swapped in with its content indexes.
        var dataset = await Task.Run(() => DatasetLoader.Load(path, new LoadOptions { IncludeTmdb = false }), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Loaded {Name}: {Ratings} ratings, {Movies} movies ({Seconds:0.000} s)", dataset.Name, dataset.Ratings.Count, dataset.Catalog.Count, clock.Elapsed.TotalSeconds);
        if (dataset.Ratings.Count == 0) throw new NoRatingsException(dataset.Name, dataset.Catalog.Count);
        var catalog = new CatalogIndex(dataset, generation: 1, options.EmbeddingModel, options.EmbeddingCache);
        host.SetCatalog(catalog);
        var stored = await store.GetAllRatingsAsync(cancellationToken).ConfigureAwait(false);
        ServingModel? model = null;
        var seen = trainer.InspectManifest();
        if (seen.Problem is { } unusable) logger.LogWarning("Ignoring the model manifest {Path}: {Problem}", trainer.ManifestPath, unusable);
        if (seen.Report is { } manifest)
        {
            try
            {
                model = trainer.Load(manifest, catalog, stored);
                logger.LogInformation("Loaded model {Version} from {Directory}", manifest.Version, trainer.ModelDirectory);
            }
            catch (InvalidDataException e)
            {
                // Truncated, corrupt, missing or unreadable: train a new one, as on a first start.
                logger.LogWarning("Not using the saved model: {Problem} Training a new one.", e.Message);
            }
        }
        if (model is null)
        {
            model = await Task.Run(() => trainer.Train(catalog, stored, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!trainer.PublishFirst(model, seen.Hash)) model = await ServePublishedAsync(model, fallback: model, catalog, stored, warm: false, cancellationToken).ConfigureAwait(false);
        }
        // Served at once, before anything but the persisted model is trained on it; with warm-up on, the version warmed
        // next replaces it as soon as its default algorithm is trained (JoinMetadata), and meanwhile a request naming
        // no algorithm gets a quick one's list, saying so, rather than waiting seconds for the default (8.7 s measured: docs/reliability.md).
        model.Interim = options.WarmUp;
        host.Promote(model);
        logger.LogInformation("Serving model {Version} {Seconds:0.000} s after start-up began", model.Version, clock.Elapsed.TotalSeconds);
        await JoinMetadata(path, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Another replica published a model while this one trained <paramref name="own"/> (replicas starting together on
    /// an empty shared folder, or retraining at about the same time): serve that one, so every replica serves one
    /// version, the one the manifest names. Should it not load, <paramref name="own"/> is published over exactly that
    /// manifest after all; should the manifest change again meanwhile (a third publisher), the newer one is tried, a
    /// few times, then <paramref name="fallback"/> is served and the watcher picks up whatever is published.
    /// </summary>
    private async Task<ServingModel> ServePublishedAsync(ServingModel own, ServingModel fallback, CatalogIndex catalog, IReadOnlyList<AccountRating> stored,
        bool warm, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var published = trainer.InspectManifest();
            try
            {
                var model = trainer.Load(published.Report ?? throw new InvalidDataException($"{trainer.ManifestPath}: {published.Problem ?? "it is gone."}"), catalog, stored);
                if (warm) await WarmAsync(model, catalog, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Serving model {Version}, published by another replica while this one trained {Trained}", model.Version, own.Version);
                return model;
            }
            catch (InvalidDataException e)
            {
                logger.LogWarning("Not using the model another replica published: {Problem} Publishing {Version}.", e.Message, own.Version);
            }
            if (trainer.PublishFirst(own, published.Hash)) return own;
        }
        logger.LogWarning("The model manifest kept changing while {Version} was being published; serving {Fallback}", own.Version, fallback.Version);
        return fallback;
    }

    /// <summary>
    /// Loads the dataset with its TMDB metadata and swaps in the richer catalogue, serving the same model version; with
    /// warm-up on (the default) the catalogue and the model are warmed first, and start-up (so /health/ready) completes
    /// only then.
    /// </summary>
    private async Task JoinMetadata(string path, IReadOnlyList<AccountRating> stored, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Without TMDB files to join, a second load would only read every rating again (25 million at the ml-25m shape:
        // seconds and a second copy of the ratings in memory until it is dropped).
        // Through the parsed-metadata cache the CLI uses: with it the join took 0.39 s instead of 1.63 s on a 2-GHz
        // core (TMDB's 40 MB of JSON parsed); a stale, damaged or unwritable entry falls back to the parse.
        var loadOptions = new LoadOptions { MetadataCacheFolder = DataLocator.MetadataCacheDirectory };
        var full = DatasetLoader.HasTmdbToJoin(path) ? await Task.Run(() => DatasetLoader.Load(path, loadOptions), cancellationToken).ConfigureAwait(false) : null;
        var current = host.Current!;
        CatalogIndex catalog;
        if (full is not null && full.Catalog.WithTmdbCount > 0)
        {
            catalog = new CatalogIndex(full, generation: 2, options.EmbeddingModel, options.EmbeddingCache);
            var model = new ServingModel(current.Report, current.Svd, ModelTrainer.BuildTrainingData(full, stored), catalog, options).Prepare();
            void Promote()
            {
                // Only when no retrain promoted a newer version meanwhile (that one already has the metadata).
                if (!ReferenceEquals(host.Current, current)) return;
                host.SetCatalog(catalog);
                host.Promote(model);
                logger.LogInformation("Serving model {Version} with TMDB metadata {Seconds:0.000} s into the join", model.Version, clock.Elapsed.TotalSeconds);
            }
            // Promoted as soon as the default algorithm is warm: the interim model has nothing else trained either, so
            // the algorithms still warming are no colder here, and requests get the default's list seconds earlier.
            await WarmAsync(model, catalog, cancellationToken, defaultWarm: Promote).ConfigureAwait(false);
            Promote();
            logger.LogInformation("Joined TMDB metadata for {Count} movies in {Seconds:0.000} s", full.Catalog.WithTmdbCount, clock.Elapsed.TotalSeconds);
        }
        else
        {
            catalog = host.CatalogOrNull!;
            await WarmAsync(current, catalog, cancellationToken).ConfigureAwait(false);
            // Warmed (or its warm-up failed and was logged): from now on a request naming no algorithm gets the default,
            // trained on demand if need be, never a quick list saying it is still being trained.
            current.Interim = false;
        }
        if (options.WarmUp)
        {
            // The code paths of the first requests too (once per process), before /health/ready turns green.
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(cancellationToken).ConfigureAwait(false);
            await warmer.WarmRequestsAsync(server, cancellationToken).ConfigureAwait(false);
        }
        host.CompleteStartup();
        catalog.StartSemantic();
    }

    /// <summary>
    /// Warms <paramref name="model"/> before it is promoted (MovieRec:WarmUp, on by default; see <see cref="ModelWarmer"/>).
    /// A failure is logged, not fatal: the algorithm that failed trains again on its first request.
    /// </summary>
    private async Task WarmAsync(ServingModel model, CatalogIndex catalog, CancellationToken cancellationToken, Action? defaultWarm = null)
    {
        if (!options.WarmUp) return;
        try
        {
            // Until start-up completes nothing waits on this replica (not ready): every core. Afterwards a candidate is
            // warmed beside the serving model: one low-priority thread.
            var mode = host.Started.IsCompleted ? ModelWarmer.WarmMode.Background : ModelWarmer.WarmMode.Start;
            await warmer.WarmAsync(model, catalog, mode, cancellationToken, defaultWarm).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A warm-up failure surfaces again on the request that needs the part; log it only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Warm-up of model {Version} failed: {Message}", model.Version, e.Message);
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
                // Warmed before the swap: no request waits for an algorithm of the new version to train.
                await WarmAsync(candidate, catalog, cancellationToken).ConfigureAwait(false);
                // Published only over the version this retrain started from: another replica sharing the folder may
                // have published its own retrain meanwhile, and then this one serves that (replicas agree on one version).
                var serve = trainer.PublishOver(candidate, current.Version)
                    ? candidate
                    : await ServePublishedAsync(candidate, fallback: current, catalog, stored, warm: true, cancellationToken).ConfigureAwait(false);
                outcome = ReferenceEquals(serve, candidate)
                    ? new(DateTimeOffset.UtcNow, true, $"promoted {candidate.Version}", candidate.Version, candidate.Report.HoldoutRmse, current.Report.HoldoutRmse)
                    : new(DateTimeOffset.UtcNow, false,
                        ReferenceEquals(serve, current)
                            ? $"kept {current.Version}: the model manifest kept changing while {candidate.Version} was being published"
                            : $"serving {serve.Version}, published by another replica while this retrain (from {current.Version}) ran; its candidate {candidate.Version} was not published",
                        candidate.Version, candidate.Report.HoldoutRmse, current.Report.HoldoutRmse);
                // Recorded before the swap: whoever sees the new version (an admin's GET /admin/model) sees why it
                // serves. Set after it, a reader could find the new model beside the previous retrain's outcome.
                host.LastRetrain = outcome;
                if (!ReferenceEquals(serve, current)) host.Promote(serve);
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
                // Every request waiting now shares this retrain: it reads every rating stored before it starts, which
                // is all any of them asked for. An admin's double click or a client retrying after its timeout used
                // to queue one full retrain each, every caller waiting for all those ahead of it.
                var waiting = new List<TaskCompletionSource<RetrainOutcome>> { request };
                while (_requests.Reader.TryRead(out var more)) waiting.Add(more);
                try
                {
                    var outcome = await RetrainAsync(stoppingToken).ConfigureAwait(false);
                    // Counted once per retrain run, however many callers shared it (and scheduled ones too).
                    metrics.Retrained(outcome);
                    foreach (var caller in waiting) caller.TrySetResult(outcome);
                }
#pragma warning disable CA1031 // A failed retrain is reported to its callers; the current model keeps serving.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    logger.LogError(e, "Retrain failed");
                    if (!stoppingToken.IsCancellationRequested) metrics.RetrainFailed();
                    host.LastRetrain = new(DateTimeOffset.UtcNow, false, $"failed: {e.Message}", null, null, host.Current?.Report.HoldoutRmse);
                    foreach (var caller in waiting) caller.TrySetException(e);
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
    /// version (replicas pick it up) and moved to incoming/done; a file that cannot serve (corrupt, crafted, for other
    /// movies) goes to incoming/rejected with the reason beside it, is counted, and the current model keeps serving.
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
            string? reason = null;
            try
            {
                var catalog = await host.CatalogAsync(stoppingToken).ConfigureAwait(false);
                var stored = await store.GetAllRatingsAsync(stoppingToken).ConfigureAwait(false);
                var model = trainer.Import(file.FullName, catalog, stored);
                await WarmAsync(model, catalog, stoppingToken).ConfigureAwait(false);
                trainer.Publish(model);
                host.LastRetrain = new(DateTimeOffset.UtcNow, true, $"imported {file.Name} as {model.Version}", model.Version, model.Report.HoldoutRmse, null);
                host.Promote(model);
                outcome = "done";
            }
            catch (Exception e) when (IsRefusal(e))
            {
                reason = Reason(e);
                outcome = "rejected";
            }
            finally
            {
                _training.Release();
            }
            string folder = Path.Combine(trainer.IncomingDirectory, outcome);
            Directory.CreateDirectory(folder);
            file.MoveTo(Path.Combine(folder, file.Name), overwrite: true);
            if (reason is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, file.Name + ".txt"), reason + Environment.NewLine, stoppingToken).ConfigureAwait(false);
                metrics.ModelRefused("incoming");
                logger.LogError("Refused the incoming model {File}: {Problem} Moved to {Folder}; the current model keeps serving.", file.Name, reason, folder);
            }
        }
    }

    /// <summary>
    /// Loads a model another replica (or the nightly job) published, when its version differs from ours. A manifest
    /// that cannot serve (not JSON, a null file, a missing, truncated or crafted model file) is logged, counted and
    /// moved to rejected/ with the reason, so it is refused once; one made for another dataset is refused and left
    /// (a replica with that dataset may serve it). No error ends the loop: the next valid model is still picked up.
    /// </summary>
    private async Task WatchModelDirectory(CancellationToken stoppingToken)
    {
        if (options.ModelWatchInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.ModelWatchInterval);
        string? refused = null; // the hash of the last manifest refused: not tried again until another is published
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ImportIncoming(stoppingToken).ConfigureAwait(false);
                    refused = await CheckManifest(refused, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
                {
                    // The database or the shared folder is unavailable for now: the next tick tries again.
                    metrics.WatchError();
                    logger.LogWarning("Model directory check failed: {Problem} Trying again in {Interval}.", e.Message, options.ModelWatchInterval);
                }
#pragma warning disable CA1031 // The watcher must outlive any one bad tick; the error is logged and counted.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    metrics.WatchError();
                    logger.LogError(e, "Model directory check failed unexpectedly; the watcher goes on.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at the manifest; returns the hash of the manifest now refused (or still refused).</summary>
    private async Task<string?> CheckManifest(string? refused, CancellationToken stoppingToken)
    {
        var manifest = trainer.InspectManifest();
        if (manifest.Hash is null || manifest.Hash == refused) return refused;
        if (manifest.Report is { } report && report.Version == host.Current?.Version) return refused;
        if (!await _training.WaitAsync(0, stoppingToken).ConfigureAwait(false)) return refused;
        try
        {
            if (manifest.Problem is { } problem)
            {
                // A manifest written in place (by hand, or by a publisher that does not rename) can be read half
                // written: like a file still being copied into incoming/, it is judged once it has been still a second.
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(trainer.ManifestPath) < TimeSpan.FromSeconds(1)) return refused;
                Refuse(manifest, $"{trainer.ManifestPath}: {problem}", moveAside: true);
                return manifest.Hash;
            }
            var catalog = await host.CatalogAsync(stoppingToken).ConfigureAwait(false);
            if (manifest.Report!.DatasetFingerprint != Core.Models.ModelFile.Fingerprint(catalog.Dataset.Ratings))
            {
                Refuse(manifest, $"{manifest.Report.File} was trained on another dataset than {catalog.Dataset.Name}.", moveAside: false);
                return manifest.Hash;
            }
            var stored = await store.GetAllRatingsAsync(stoppingToken).ConfigureAwait(false);
            var model = trainer.Load(manifest.Report, catalog, stored);
            await WarmAsync(model, catalog, stoppingToken).ConfigureAwait(false);
            host.Promote(model);
            logger.LogInformation("Picked up model {Version} from the model directory", model.Version);
            return null;
        }
        catch (Exception e) when (IsRefusal(e))
        {
            Refuse(manifest, Reason(e), moveAside: true);
            return manifest.Hash;
        }
        finally
        {
            _training.Release();
        }
    }

    /// <summary>Logs and counts a refused manifest; moves it (and its model file) to rejected/ with the reason, unless a newer one replaced it meanwhile.</summary>
    private void Refuse(ManifestState manifest, string reason, bool moveAside)
    {
        metrics.ModelRefused("manifest");
        if (!moveAside)
        {
            logger.LogError("Refused the published model: {Problem} The current model keeps serving.", reason);
            return;
        }
        string folder = Path.Combine(trainer.ModelDirectory, "rejected");
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Directory.CreateDirectory(folder);
            // Only the manifest that was refused: a publisher may have renamed a new one over it since.
            if (trainer.MoveManifestAside(manifest.Hash!, Path.Combine(folder, $"current-{stamp}.json")))
            {
                File.WriteAllText(Path.Combine(folder, $"current-{stamp}.json.txt"), reason + Environment.NewLine);
                if (manifest.Report is { } report && File.Exists(Path.Combine(trainer.ModelDirectory, report.File)))
                    File.Move(Path.Combine(trainer.ModelDirectory, report.File), Path.Combine(folder, report.File), overwrite: true);
            }
            logger.LogError("Refused the published model: {Problem} Moved to {Folder}; the current model keeps serving.", reason, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Refused the published model: {Problem} (could not move it aside: {MoveProblem}); the current model keeps serving.", reason, e.Message);
        }
    }

    // What a refused model file or manifest can throw: the reader's checks (InvalidDataException naming the file) and
    // anything a crafted file might still provoke. Not cancellation, and not a database or folder that is unavailable
    // for now (the loop tries again next tick instead of refusing a good model).
    private static bool IsRefusal(Exception e) =>
        e is not (OperationCanceledException or System.Data.Common.DbException or IOException or UnauthorizedAccessException);

    private static string Reason(Exception e) => e is InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
