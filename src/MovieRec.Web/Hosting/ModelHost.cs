using MovieRec.Core.Data;

namespace MovieRec.Web.Hosting;

/// <summary>
/// The current model version behind one reference. Promotion swaps the reference atomically; a request reads it once
/// and keeps that version to the end, so nobody sees a half-loaded model. Until the first model is ready (first start
/// trains one) requests wait for it, and /health/ready says not ready.
/// </summary>
public sealed class ModelHost
{
    private readonly TaskCompletionSource<CatalogIndex> _catalog = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ServingModel> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServingModel? _current;

    /// <summary>The latest retrain attempt: promoted, kept the current model, or failed (for /admin/model).</summary>
    public RetrainOutcome? LastRetrain { get; set; }

    /// <summary>Set when start-up failed (the dataset is missing, say): requests then fail with this message.</summary>
    public string? StartupError { get; private set; }

    public ServingModel? Current => Volatile.Read(ref _current);

    public CatalogIndex? CatalogOrNull => _catalog.Task.IsCompletedSuccessfully ? _catalog.Task.Result : null;

    public bool IsReady => Current is not null;

    public Task<CatalogIndex> CatalogAsync(CancellationToken cancellationToken) => _catalog.Task.WaitAsync(cancellationToken);

    public Dataset? Dataset => CatalogOrNull?.Dataset;

    public ValueTask<ServingModel> CurrentAsync(CancellationToken cancellationToken) =>
        Current is { } model ? ValueTask.FromResult(model) : new(_first.Task.WaitAsync(cancellationToken));

    public void SetCatalog(CatalogIndex catalog) => _catalog.TrySetResult(catalog);

    /// <summary>Makes <paramref name="model"/> the one every new request uses.</summary>
    public void Promote(ServingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Volatile.Write(ref _current, model);
        _first.TrySetResult(model);
    }

    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        StartupError = error.Message;
        var unavailable = new ServiceUnavailableException(error.Message, error);
        _catalog.TrySetException(unavailable);
        _first.TrySetException(unavailable);
    }
}

/// <summary>What a retrain did.</summary>
public sealed record RetrainOutcome(DateTimeOffset At, bool Promoted, string Message, string? CandidateVersion, double? CandidateRmse, double? CurrentRmse);

/// <summary>The service cannot answer now (start-up failed, a database is down): 503 with Retry-After.</summary>
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException(string message, Exception inner) : base(message, inner) { }

    public ServiceUnavailableException(string message) : base(message) { }

    public ServiceUnavailableException() { }
}
