using System.Diagnostics;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.IO;
using MovieRec.Core.Models;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Hosting;

/// <summary>The model manifest as found on disk: <see cref="Report"/> when usable, else <see cref="Problem"/> (both null: none).</summary>
public sealed record ManifestState(ModelReport? Report, string? Problem, string? Hash)
{
    public static ManifestState None { get; } = new(null, null, null);
}

/// <summary>
/// Trains model versions and reads and writes them in the model directory: <c>{algorithm}-{version}.mrec</c> files
/// and the manifest <c>current.json</c> naming the promoted one; models trained elsewhere are handed over by dropping
/// them into <c>incoming/</c> (see <see cref="Import"/>). The manifest is replaced atomically (write, then rename), so
/// replicas watching the directory never read a half-written model.
/// </summary>
public sealed class ModelTrainer(MovieRecOptions options, ILogger<ModelTrainer> logger)
{
    public const string ManifestName = "current.json";

    /// <summary>
    /// The catalogue algorithm each model version trains, persists and is promoted by (its options come from
    /// <c>MovieRec:Algorithms:svd</c>); the other algorithms are trained from the same data on first use.
    /// </summary>
    public const string Algorithm = "svd";
    private const double HoldoutFraction = 0.1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ModelDirectory => options.ResolvedModelDirectory;

    public string ManifestPath => Path.Combine(ModelDirectory, ManifestName);

    /// <summary>Where an operator drops a model file trained elsewhere (Spark ALS import, <c>movierec train</c>).</summary>
    public string IncomingDirectory => Path.Combine(ModelDirectory, "incoming");

    /// <summary>
    /// The dataset's ratings plus stored ratings, users of accounts as raw id -accountId ("-7" in a dataset of string
    /// user ids). Stored ratings of movies no dataset user rated are left out: a factor model cannot learn an item from
    /// a handful of ratings (content-based models still reach those movies). Item ids stay the dataset's, so every
    /// model version shares them; stored movie ids are mapped back through <see cref="StoredMovieIds"/>.
    /// </summary>
    public static RatingDataset BuildTrainingData(Dataset dataset, IReadOnlyList<AccountRating> stored)
    {
        var ratings = dataset.Ratings;
        if (stored.Count == 0) return ratings;
        var builder = new RatingDatasetBuilder(Copy(ratings.UserIds), Copy(ratings.ItemIds), ratings.Count + stored.Count);
        for (int k = 0; k < ratings.Count; k++) builder.Add(ratings.Users[k], ratings.Items[k], ratings.Values[k], ratings.Timestamps[k]);
        var byStoredId = StoredMovieIds.ItemsByStoredId(ratings.ItemIds);
        foreach (var r in stored)
        {
            int item = StoredMovieIds.ItemOf(ratings.ItemIds, byStoredId, r.MovieId);
            if (item < 0) continue;
            builder.Add(builder.UserIds.GetOrAdd(-r.AccountId), item, r.Rating, r.UnixSeconds);
        }
        var train = builder.Build(ratings.Scale);
        train.Catalog = ratings.Catalog; // for display (titles); models get the catalogue through TrainingData
        return train;
    }

    private static IdMap Copy(IdMap map) => map.IsNumeric ? IdMap.FromNumeric(map.NumericIds) : IdMap.FromStrings(map.StringIds);

    /// <summary>Trains a candidate: SVD fitted on 90 % to measure the holdout, then on everything to serve.</summary>
    public ServingModel Train(CatalogIndex catalog, IReadOnlyList<AccountRating> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dataset = catalog.Dataset;
        var clock = Stopwatch.StartNew();
        var train = BuildTrainingData(dataset, stored);
        var context = new TrainingContext { Seed = options.Seed, Threads = options.TrainingThreads, Cancellation = cancellationToken };

        var split = Splits.StableHoldout(train, HoldoutFraction, options.Seed);
        var probe = NewSvd();
        probe.Fit(new TrainingData(split.Train), context);
        var (rmse, mae) = Evaluate(probe, split.Test);

        var svd = NewSvd();
        svd.Fit(new TrainingData(train), context);
        var created = DateTimeOffset.UtcNow;
        var report = Report(svd, ModelFile.Fingerprint(train) + created.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), created, clock.Elapsed.TotalSeconds, (rmse, mae), dataset, train, stored);
        logger.LogInformation("Trained model {Version} on {Ratings} ratings in {Seconds:0.00} s: holdout RMSE {Rmse:0.0000}",
            report.Version, train.Count, report.TrainingSeconds, report.HoldoutRmse);
        return new ServingModel(report, svd, train, catalog, options).Prepare();
    }

    /// <summary>
    /// Where publishers take turns: every change of the manifest (publish, move aside) is made holding this lock file,
    /// so a publisher's check of the manifest and its rename are one step for every other publisher. It is a
    /// <see cref="LockFile"/> (created exclusively, holding its owner, deleted once the step is done; no flock(2)). A lock
    /// file its owner left behind (the process died within the step) is taken over: at once when the owner is a process
    /// of this host that no longer runs, else once it has stayed the same for <see cref="ManifestLockStaleAfter"/>.
    /// </summary>
    public string ManifestLockPath => ManifestPath + ".lock";

    /// <summary>How long a publisher waits for another to finish its check and rename (milliseconds, normally).</summary>
    private static readonly TimeSpan ManifestLockWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A manifest lock this publisher has seen unchanged this long is taken over as left behind by its owner (the step
    /// it guards takes milliseconds). Timed by this process's clock, so clocks that differ between hosts do not matter.
    /// </summary>
    public TimeSpan ManifestLockStaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Writes the model file, then the manifest that makes it current over any manifest there: an operator's hand-over
    /// (incoming/). A retrain publishes with <see cref="PublishOver"/>.
    /// </summary>
    public void Publish(ServingModel model) => Publish(model, _ => true);

    /// <summary>
    /// Publishes a retrained model only if the manifest still names <paramref name="basedOn"/>, the version the retrain
    /// started from (or names none that can serve), so that two replicas retraining at about the same time on one
    /// folder do not publish one over the other: the later one finds the manifest moved on, declines (its file is
    /// deleted) and serves the published model instead. Before, each published its own and served it, the manifest
    /// naming only the last.
    /// </summary>
    public bool PublishOver(ServingModel model, string basedOn) =>
        Publish(model, manifest => manifest.Report is null || manifest.Report.Version == basedOn);

    /// <summary>
    /// Publishes a model trained at start-up only if the manifest is still what start-up saw (<paramref name="seenHash"/>:
    /// the hash of an unusable manifest, or null for none), so that replicas starting together on one folder agree on
    /// one model. False when another publisher came first: this model's file is deleted (it was left behind, named by
    /// no manifest) and the caller serves the published one.
    /// </summary>
    public bool PublishFirst(ServingModel model, string? seenHash) => Publish(model, manifest => manifest.Hash == seenHash);

    /// <summary>
    /// Moves the manifest to <paramref name="destination"/> if it is still the one hashed <paramref name="hash"/>
    /// (a refused manifest), not one a publisher renamed over it since.
    /// </summary>
    public bool MoveManifestAside(string hash, string destination) => WithManifestLock(() =>
    {
        if (InspectManifest().Hash != hash) return false;
        File.Move(ManifestPath, destination, overwrite: true);
        return true;
    });

    /// <summary>
    /// Saves the model file and its manifest beside the current one, then, holding the manifest lock, moves it into
    /// place if <paramref name="accept"/> accepts the manifest there now; else declines (false) and deletes the file.
    /// </summary>
    private bool Publish(ServingModel model, Func<ManifestState, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(ModelDirectory);
        string file = Path.Combine(ModelDirectory, model.Report.File);
        ModelFile.Save(file, model.Svd, model.Report.DatasetFingerprint);
        string temp = WriteManifestBeside(model.Report);
        bool claimed;
        try
        {
            claimed = WithManifestLock(() =>
            {
                var manifest = InspectManifest();
                if (!accept(manifest)) return false;
                if (manifest.Hash is not null)
                {
                    File.Move(temp, ManifestPath, overwrite: true);
                    return true;
                }
                try
                {
                    // None there: claimed without overwriting (link(2)), in case a publisher that takes no lock
                    // (an earlier version of the service, during a rolling update) writes one meanwhile.
                    File.Move(temp, ManifestPath, overwrite: false);
                    return true;
                }
                catch (IOException) when (File.Exists(ManifestPath))
                {
                    return false;
                }
            });
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        if (!claimed)
        {
            File.Delete(file);
            logger.LogInformation("Another replica published a model first; not publishing {Version} (its file is deleted)", model.Version);
            return false;
        }
        RemoveOldModels(keep: model.Report.File);
        return true;
    }

    /// <summary>Runs <paramref name="action"/> holding the manifest lock (<see cref="ManifestLockPath"/>).</summary>
    private T WithManifestLock<T>(Func<T> action) => new LockFile(ManifestLockPath)
    {
        StaleAfter = ManifestLockStaleAfter,
        Wait = ManifestLockWait,
        Poll = TimeSpan.FromMilliseconds(10),
        Purpose = "publish a model",
        Events = LogManifestLock,
    }.Run(action);

    private void LogManifestLock(LockFileEvent e)
    {
        switch (e.Kind)
        {
            case LockFileEventKind.TakenOver:
                logger.LogWarning("Took over the model manifest lock {Path}, left behind by {Holder} (unchanged for {Seconds:0.0} s)",
                    e.Path, e.Holder.ReplaceLineEndings(" ").Trim(), e.UnchangedFor.TotalSeconds);
                break;
            case LockFileEventKind.LostWhileHeld:
                logger.LogWarning("The model manifest lock {Path} was taken over while this publisher held it", e.Path);
                break;
            default:
                logger.LogWarning("Could not remove the model manifest lock {Path}: {Problem}", e.Path, e.Problem);
                break;
        }
    }

    /// <summary>
    /// The manifest written to a temp file beside it, flushed to disk. The name is unique to this call: replicas in
    /// containers often all have process id 1, and a name made of the process id alone was opened by two replicas at
    /// once (one start-up failed: "being used by another process").
    /// </summary>
    private string WriteManifestBeside(ModelReport report)
    {
        string temp = $"{ManifestPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        JsonSerializer.Serialize(stream, report, Json);
        stream.Flush(flushToDisk: true);
        return temp;
    }

    /// <summary>The manifest's report, or null when there is none (or it cannot be used: then a model is trained).</summary>
    public ModelReport? ReadManifest()
    {
        var manifest = InspectManifest();
        if (manifest.Problem is { } problem) logger.LogWarning("Ignoring the model manifest {Path}: {Problem}", ManifestPath, problem);
        return manifest.Report;
    }

    /// <summary>
    /// The manifest as it is on disk: absent, a report naming a model file, or the reason it cannot be used (not JSON,
    /// a field missing or null, a file name with a folder in it), with a hash of its bytes to recognise it again.
    /// </summary>
    public ManifestState InspectManifest()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(ManifestPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ManifestState.None;
        }
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        ModelReport? report;
        try
        {
            report = JsonSerializer.Deserialize<ModelReport>(bytes, Json);
        }
        catch (JsonException e)
        {
            return new(null, $"it is not a model manifest ({e.Message.Split('.')[0]}).", hash);
        }
        string? problem = report switch
        {
            null => "it is empty (null).",
            { Version: null or "" } => "its \"version\" is missing.",
            { File: null or "" } => "its \"file\" is missing or null.",
            _ when Path.GetFileName(report.File) != report.File || !report.File.EndsWith(".mrec", StringComparison.Ordinal) =>
                $"its \"file\" ('{report.File}') is not the name of a .mrec file in the model directory.",
            { DatasetFingerprint: null or "" } => "its \"datasetFingerprint\" is missing.",
            _ => null,
        };
        return problem is null ? new(report, null, hash) : new(null, problem, hash);
    }
    /// <summary>
    /// Loads the model a manifest names. Throws <see cref="InvalidDataException"/> naming the file when it is corrupt,
    /// truncated or made for another dataset; the caller keeps serving what it has.
    /// </summary>
    public ServingModel Load(ModelReport report, CatalogIndex catalog, IReadOnlyList<AccountRating> stored)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dataset = catalog.Dataset;
        string file = Path.Combine(ModelDirectory, Path.GetFileName(report.File));
        if (report.DatasetFingerprint != ModelFile.Fingerprint(dataset.Ratings))
            throw ModelFileError.Create(file, $"it was trained on another dataset than {dataset.Name}");
        ModelContents contents;
        try
        {
            contents = ModelFile.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: as unusable as a truncated file (start-up trains a new model; the watcher refuses it).
            throw ModelFileError.Create(file, $"it cannot be read ({e.Message})");
        }
        if (PersistentModels.Restore(contents) is not FactorModel svd)
            throw ModelFileError.Create(file, "not a factor model");
        if (svd.ItemIds.Count != dataset.Ratings.ItemCount)
            throw ModelFileError.Create(file, $"it knows {svd.ItemIds.Count} items, the dataset {dataset.Ratings.ItemCount}");
        return new ServingModel(report, svd, BuildTrainingData(dataset, stored), catalog, options).Prepare();
    }

    /// <summary>A new SVD with the configured options (<c>MovieRec:Algorithms:svd</c>).</summary>
    private FactorModel NewSvd()
    {
        var entry = AlgorithmCatalog.Get(Algorithm);
        return (FactorModel)entry.Create(options.ParametersOf(entry));
    }

    /// <summary>
    /// A version's report; the version is the creation time (to the second) plus a hash of <paramref name="identity"/>,
    /// which includes the exact creation ticks: two models trained within one second still get different versions.
    /// </summary>
    private static ModelReport Report(FactorModel model, string identity, DateTimeOffset created, double seconds, (double Rmse, double Mae) holdout,
        Dataset dataset, RatingDataset train, IReadOnlyList<AccountRating> stored)
    {
        string hash = ModelFile.Checksum(System.Text.Encoding.UTF8.GetBytes(identity)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        string version = $"{created:yyyyMMdd'T'HHmmss'Z'}-{hash[..8]}";
        return new ModelReport
        {
            Version = version,
            Algorithm = model.Name,
            Hyperparameters = model.ToString(),
            Created = created,
            TrainingSeconds = seconds,
            HoldoutRmse = holdout.Rmse,
            HoldoutMae = holdout.Mae,
            EpochLoss = [.. model.EpochLoss],
            Ratings = train.Count,
            Users = train.UserCount,
            Items = train.ItemCount,
            StoredRatings = stored.Count,
            DatasetFingerprint = ModelFile.Fingerprint(dataset.Ratings),
            File = $"{model.Name}-{version}.mrec",
        };
    }

    private static (double Rmse, double Mae) Evaluate(FactorModel model, RatingDataset test)
    {
        var predicted = new float[test.Count];
        for (int k = 0; k < test.Count; k++)
            predicted[k] = model.Predict(model.UserIds.ToDense(test.UserIds.ToRaw(test.Users[k])), model.ItemIds.ToDense(test.ItemIds.ToRaw(test.Items[k])));
        return (RatingMetrics.Rmse(test.Values, predicted), RatingMetrics.Mae(test.Values, predicted));
    }

    /// <summary>
    /// A factor model trained elsewhere (<c>movierec import spark-als --data</c>, or <c>movierec train</c>) as a model
    /// version: its movie ids must be the dataset's; its RMSE is measured on the stable holdout (optimistic when the
    /// model saw those ratings: reported, not used to refuse an operator's explicit hand-over).
    /// </summary>
    public ServingModel Import(string file, CatalogIndex catalog, IReadOnlyList<AccountRating> stored)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dataset = catalog.Dataset;
        if (PersistentModels.Restore(ModelFile.Read(file)) is not FactorModel model)
            throw ModelFileError.Create(file, "not a factor model");
        var items = dataset.Ratings.ItemIds;
        if (!model.ItemIds.IsNumeric || !items.IsNumeric || !model.ItemIds.NumericIds.SequenceEqual(items.NumericIds))
            throw ModelFileError.Create(file, $"its movie ids are not those of {dataset.Name} (import it with --data {dataset.Name})");
        var train = BuildTrainingData(dataset, stored);
        var (rmse, mae) = Evaluate(model, Splits.StableHoldout(train, HoldoutFraction, options.Seed).Test);
        var created = DateTimeOffset.UtcNow;
        var report = Report(model, file + created.ToUnixTimeMilliseconds(), created, 0, (rmse, mae), dataset, train, stored);
        logger.LogInformation("Imported {Algorithm} model {File} as {Version}: holdout RMSE {Rmse:0.0000}", model.Name, Path.GetFileName(file), report.Version, rmse);
        return new ServingModel(report, model, train, catalog, options).Prepare();
    }

    private void RemoveOldModels(string keep)
    {
        // Keep the newest few so a replica still loading the previous one does not lose its file.
        var old = new DirectoryInfo(ModelDirectory).GetFiles("*.mrec")
            .Where(f => f.Name != keep).OrderByDescending(f => f.LastWriteTimeUtc).Skip(2);
        foreach (var file in old)
        {
            try
            {
                file.Delete();
            }
            catch (IOException e)
            {
                logger.LogDebug("Could not remove old model {File}: {Problem}", file.Name, e.Message);
            }
        }
    }
}
