using MovieRec.Core.Data;

namespace MovieRec.Web.Hosting;

/// <summary>
/// The current model version behind one reference. Promotion swaps the reference atomically; a request reads it once
/// and keeps that version to the end, so nobody sees a half-loaded model. Until the first model is ready (first start
/// trains one) requests wait for it, and /health/ready says not ready.
/// </summary>
public sealed class ModelHost
{
    // Signals without a result: a completed TaskCompletionSource<T> keeps its result for ever, which kept the first
    // catalogue and model version (the ones without TMDB metadata, replaced at the metadata join: their ratings,
    // movies and indexes) alive for the life of the process. Waiters read the current ones once signalled.
    private readonly TaskCompletionSource _catalogSet = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPromoted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServingModel? _current;
    private CatalogIndex? _currentCatalog;

    /// <summary>The latest retrain attempt: promoted, kept the current model, or failed (for /admin/model).</summary>
    public RetrainOutcome? LastRetrain { get; set; }

    /// <summary>
    /// Set when start-up failed (the dataset is missing, say): a sentence saying what is missing and how to fix it
    /// (<see cref="StartupProblem"/>); requests then fail with it, /health/live too, so the orchestrator restarts.
    /// </summary>
    public string? StartupError { get; private set; }

    public ServingModel? Current => Volatile.Read(ref _current);

    public CatalogIndex? CatalogOrNull => Volatile.Read(ref _currentCatalog);

    public bool IsReady => Current is not null;

    /// <summary>Completes when start-up has finished: model serving and the dataset's metadata joined.</summary>
    public Task Started => _started.Task;

    /// <summary>Marks start-up finished (see <see cref="Started"/>).</summary>
    public void CompleteStartup()
    {
        // Training and warm-up left their temporaries in the large object heap; nothing is served by this replica yet.
        if (!Started.IsCompleted) HeapCompaction.Now();
        HeapCompaction.MarkStarted();
        _started.TrySetResult();
    }

    public Task<CatalogIndex> CatalogAsync(CancellationToken cancellationToken) =>
        CatalogOrNull is { } catalog ? Task.FromResult(catalog) : WaitForCatalogAsync(cancellationToken);

    private async Task<CatalogIndex> WaitForCatalogAsync(CancellationToken cancellationToken)
    {
        await _catalogSet.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return CatalogOrNull!;
    }

    public Dataset? Dataset => CatalogOrNull?.Dataset;

    public ValueTask<ServingModel> CurrentAsync(CancellationToken cancellationToken) =>
        Current is { } model ? ValueTask.FromResult(model) : new(WaitForModelAsync(cancellationToken));

    private async Task<ServingModel> WaitForModelAsync(CancellationToken cancellationToken)
    {
        await _firstPromoted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Current!;
    }

    /// <summary>Makes <paramref name="catalog"/> the one every new request uses (first at start, then with metadata joined).</summary>
    public void SetCatalog(CatalogIndex catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Volatile.Write(ref _currentCatalog, catalog);
        _catalogSet.TrySetResult();
    }

    /// <summary>Makes <paramref name="model"/> the one every new request uses.</summary>
    public void Promote(ServingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var replaced = Interlocked.Exchange(ref _current, model);
        _firstPromoted.TrySetResult();
        // The replaced version's arrays become garbage in the large object heap: give the memory back once they are.
        if (replaced is not null && Started.IsCompleted) HeapCompaction.Schedule(TimeSpan.FromSeconds(5));
    }

    /// <summary>Marks start-up failed with <paramref name="sentence"/>: every waiting and later request fails with it.</summary>
    public void Fail(string sentence, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        StartupError = sentence;
        var unavailable = new StartupFailedException(sentence, error);
        _catalogSet.TrySetException(unavailable);
        _firstPromoted.TrySetException(unavailable);
        _started.TrySetException(unavailable);
    }
}

/// <summary>What a retrain did.</summary>
public sealed record RetrainOutcome(DateTimeOffset At, bool Promoted, string Message, string? CandidateVersion, double? CandidateRmse, double? CurrentRmse);

/// <summary>Start-up failed and will not succeed without a fix: 503 with the sentence saying what to fix.</summary>
public sealed class StartupFailedException : Exception
{
    public StartupFailedException(string message, Exception inner) : base(message, inner) { }

    public StartupFailedException(string message) : base(message) { }

    public StartupFailedException() { }
}

/// <summary>The service cannot answer now (a database is down, start-up still running): 503 with Retry-After.</summary>
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException(string message, Exception inner) : base(message, inner) { }

    public ServiceUnavailableException(string message) : base(message) { }

    public ServiceUnavailableException() { }
}
