using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Api;

/// <summary>Per-client rate limits (by remote address) on writes and on expensive endpoints; 429 ProblemDetails.</summary>
public static class RateLimits
{
    public const string Writes = "writes";
    public const string Expensive = "expensive";

    public static IServiceCollection AddMovieRecRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Writes, context => Partition(context, PerMinute(context)));
            // Reads of recommendations and similar movies cost more than a write but are asked for more often.
            limiter.AddPolicy(Expensive, context => Partition(context, PerMinute(context) * 10));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = "Rate limit reached; retry after the time in Retry-After." },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }

    private static int PerMinute(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<MovieRecOptions>>().Value.RateLimitPerMinute;

    private static RateLimitPartition<string> Partition(HttpContext context, int perMinute)
    {
        if (perMinute <= 0) return RateLimitPartition.GetNoLimiter("off");
        string client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
