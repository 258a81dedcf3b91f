using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;
using MovieRec.Web.Pages;
using MovieRec.Web.Security;

namespace MovieRec.Web.Api;

/// <summary>
/// Per-client rate limits on writes and on expensive reads, one limiter for the API and the pages: a page that
/// searches or recommends counts against the same bucket as the API call doing the same. The client is the
/// connection's peer, or the address a trusted proxy forwarded (<see cref="ProxyTrust"/>). A refused request gets 429
/// with <c>Retry-After</c> saying when the client's window really reopens (ProblemDetails for API clients, an HTML
/// page for browsers).
/// </summary>
public static class RateLimits
{
    public const string Writes = "writes";
    public const string Expensive = "expensive";

    /// <summary>The window every limit counts in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddMovieRecRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Writes, context => Partition(context, Writes, PerMinute(context)));
            // Reads of recommendations, similar movies, search and the pages that show them cost more than a write
            // but are asked for more often.
            limiter.AddPolicy(Expensive, context => Partition(context, Expensive, PerMinute(context) * 10));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
                int seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                string detail = $"Rate limit reached; retry in {seconds} s (Retry-After).";
                // Browsers get the HTML error page (status code pages); API clients a problem.
                if (BrowserRequests.WantsHtml(http.Request))
                {
                    ErrorPages.SetReason(http, detail);
                    return;
                }
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Detail = detail },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }

    private static int PerMinute(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<MovieRecOptions>>().Value.RateLimitPerMinute;

    private static RateLimitPartition<string> Partition(HttpContext context, string policy, int perMinute)
    {
        if (perMinute <= 0) return RateLimitPartition.GetNoLimiter("off");
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        string client = ProxyTrust.ClientKey(context.Connection.RemoteIpAddress);
        return RateLimitPartition.Get($"{policy}:{perMinute}:{client}", _ => new WindowLimiter(perMinute, Window, clock));
    }
}

/// <summary>
/// A fixed window per client that knows when it reopens: .NET's FixedWindowRateLimiter answers a whole window as
/// Retry-After whatever is left of it. The window starts at the client's first request after the last one ended.
/// </summary>
internal sealed class WindowLimiter(int permits, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private int _used;

    /// <summary>Idle (so removable) only once the window is over: forgetting a full window early would reset the client.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                if (_start == DateTimeOffset.MinValue) return TimeSpan.Zero;
                var over = clock.GetUtcNow() - (_start + window);
                return over > TimeSpan.Zero ? over : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock) return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, permits - _used) };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_start == DateTimeOffset.MinValue || now >= _start + window)
            {
                _start = now;
                _used = 0;
            }
            if (_used + permitCount <= permits)
            {
                _used += permitCount;
                return Lease.Granted;
            }
            return new Lease(false, _start + window - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = after;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
