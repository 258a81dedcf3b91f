using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MovieRec.Web.Api;

/// <summary>
/// The limits on a request's URL and headers, answered as ProblemDetails naming the limit. Kestrel refuses a request
/// over its own limits before any application code runs, with an empty body that cannot be customised
/// (aspnet/KestrelHttpServer#2947): so Kestrel's limits are set well above the product's, and the product's are
/// enforced here, first in the pipeline. Only a request beyond Kestrel's raised limits, or one Kestrel cannot parse,
/// still gets Kestrel's bare 4xx (docs/api.md).
/// </summary>
public static class RequestLimits
{
    /// <summary>The request target (path and query, as sent): Kestrel's default request line limit.</summary>
    public const int MaxUrlBytes = 8 * 1024;

    /// <summary>Every header line (name, value, separators), as Kestrel's default counts it.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Header lines: Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's own limits, eight to ten times the product's: requests between the two reach <see cref="CheckAsync"/>.</summary>
    public const int ServerRequestLineBytes = 64 * 1024;

    public const int ServerHeaderBytes = 256 * 1024;

    public const int ServerHeaderCount = 1000;

    /// <summary>Raises Kestrel's limits above the product's (Kestrel buffers up to 1 MiB of a request anyway: MaxRequestBufferSize).</summary>
    public static void RaiseServerLimits(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = ServerRequestLineBytes;
        limits.MaxRequestHeadersTotalSize = ServerHeaderBytes;
        limits.MaxRequestHeaderCount = ServerHeaderCount;
    }

    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // The browser's error page re-runs the request on /error with the same headers: checked once, not again.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null) return next(context);
        var request = context.Request;
        int url = UrlBytes(context);
        if (url > MaxUrlBytes)
        {
            return RefuseAsync(context, StatusCodes.Status414UriTooLong, string.Create(CultureInfo.InvariantCulture,
                $"The URL (path and query) is {url:N0} bytes; it is limited to {MaxUrlBytes / 1024} KiB ({MaxUrlBytes:N0} bytes). Send long inputs in a request body."));
        }
        int count = 0;
        long bytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (string? value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0) + 4; // "name: value\r\n"
            }
        }
        if (count > MaxHeaderCount)
        {
            return RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"The request has {count} header lines; it is limited to {MaxHeaderCount} header lines."));
        }
        if (bytes > MaxHeaderBytes)
        {
            return RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"The request headers are {bytes:N0} bytes; they are limited to {MaxHeaderBytes / 1024} KiB ({MaxHeaderBytes:N0} bytes) in all."));
        }
        return next(context);
    }

    /// <summary>The request target as the client sent it (percent-encoded), else as the server decoded it.</summary>
    private static int UrlBytes(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw) return raw.Length;
        var request = context.Request;
        return request.PathBase.Value!.Length + request.Path.Value!.Length + (request.QueryString.Value?.Length ?? 0);
    }

    /// <summary>
    /// The status and its sentence; the status code pages (outside this middleware) answer it: the HTML error page for
    /// a browser, ProblemDetails with the sentence as detail for everyone else.
    /// </summary>
    private static Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        Pages.ErrorPages.SetReason(context, detail);
        return Task.CompletedTask;
    }
}
