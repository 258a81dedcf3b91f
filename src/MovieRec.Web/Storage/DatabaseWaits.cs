using System.Data.Common;

namespace MovieRec.Web.Storage;

/// <summary>
/// The ratings database did not answer: within the store's wait limit (the connection string's Command Timeout), or
/// earlier in the same request. A <see cref="DbException"/>, so every caller that already treats a database failure as
/// "unavailable" (503 with Retry-After, a session that cannot be read, the dashboard's notice) treats this one alike.
/// </summary>
public sealed class RatingStoreUnavailableException : DbException
{
    public RatingStoreUnavailableException()
    {
    }

    public RatingStoreUnavailableException(string message)
        : base(message)
    {
    }

    public RatingStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public override bool IsTransient => true;
}

/// <summary>
/// One bounded database wait per request. The first store call of a request that finds the database unavailable (it
/// timed out, or the driver could not connect) marks the request; every later call in that request fails at once
/// instead of waiting again. Without it a request paid one wait per query: the session lookup, then the endpoint's own
/// query (POST /sessions with a session cookie waited twice the connect timeout while PostgreSQL was frozen).
/// </summary>
public static class DatabaseWaits
{
    private static readonly AsyncLocal<RequestState?> Current = new();

    /// <summary>Starts a request's scope (middleware, before anything reads the store); the async flow below it shares it.</summary>
    public static IApplicationBuilder UseOneDatabaseWaitPerRequest(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        Current.Value = new RequestState();
        await next(context).ConfigureAwait(false);
    });

    /// <summary>Why the database is already known to be unavailable in this request, or null.</summary>
    internal static string? UnavailableInThisRequest => Current.Value?.Reason;

    internal static void MarkUnavailable(string reason)
    {
        if (Current.Value is { } state) state.Reason ??= reason;
    }

    private sealed class RequestState
    {
        public string? Reason { get; set; }
    }
}
