using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace MovieRec.Web.Pages;

/// <summary>Whether a request is a browser's page request (HTML answers) or an API client's (ProblemDetails).</summary>
public static class BrowserRequests
{
    /// <summary>
    /// A browser asking for a page: not under /api/ and accepting text/html (a navigation sends
    /// <c>Accept: text/html,...</c>; fetch, curl and HTTP libraries do not unless told to).
    /// </summary>
    public static bool WantsHtml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) return false;
        foreach (var accept in request.Headers.Accept)
            if (accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

/// <summary>
/// HTML error pages for browsers: a status without a body (404 of a missing movie or page, 429, 503 while start-up
/// failed) and unhandled exceptions re-run the pipeline on <c>/error</c>, which shows the status and the reason set
/// by whoever answered. API clients keep their ProblemDetails.
/// </summary>
public static class ErrorPages
{
    public const string Path = "/error";
    private const string ReasonKey = "movierec.error-reason";
    private const string StatusKey = "movierec.error-status";

    /// <summary>The sentence the error page shows for this request (a missing movie's id, the rate limit's wait).</summary>
    public static void SetReason(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ReasonKey] = reason;
    }

    public static string? Reason(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ReasonKey, out var reason) ? reason as string : null;
    }

    /// <summary>The status an exception turned into (set by the exception handler before the error page runs).</summary>
    public static void SetExceptionStatus(HttpContext context, int status)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StatusKey] = status;
    }

    public static int ExceptionStatus(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(StatusKey, out var status) && status is int value ? value : StatusCodes.Status500InternalServerError;
    }

    /// <summary>
    /// Status code pages: HTML for browsers (the pipeline re-run on /error), ProblemDetails for everyone else.
    /// Must come before routing (UseRouting), so the re-run request is routed to the error page.
    /// </summary>
    public static IApplicationBuilder UseMovieRecStatusCodePages(this IApplicationBuilder app)
    {
        return app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (BrowserRequests.WantsHtml(http.Request))
            {
                // The page says why too (a 404's own sentence, "There is no page at", is the page's).
                if (Reason(http) is null && http.Response.StatusCode != StatusCodes.Status404NotFound && DefaultReason(http) is { } reason) SetReason(http, reason);
                await ReExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = http.Response.StatusCode, Detail = Reason(http) ?? DefaultReason(http) },
            }).ConfigureAwait(false);
        });
    }

    // A status answered without a body (no endpoint, a method it does not take, a body over the limit found while
    // reading it) still says what was wrong.
    private static string? DefaultReason(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound when http.GetEndpoint() is null =>
            $"No endpoint at {http.Request.Path}; the API is described at /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed =>
            $"{http.Request.Path} does not take {http.Request.Method}; it takes {http.Response.Headers.Allow}.",
        StatusCodes.Status413PayloadTooLarge => $"Request bodies are limited to {ServiceSetup.MaxBodyBytes / 1024} KiB.",
        StatusCodes.Status415UnsupportedMediaType => Api.ApiExceptionHandler.UnsupportedMediaType(http.Request),
        // The static files' answers to a client's conditional and range requests.
        StatusCodes.Status412PreconditionFailed =>
            $"A precondition does not hold (If-Match, If-Unmodified-Since): {http.Request.Path} has changed; GET it again without them.",
        StatusCodes.Status416RangeNotSatisfiable =>
            $"Range: the bytes asked for are not in {http.Request.Path}, which is {FileLength(http)} long (Content-Range: {http.Response.Headers.ContentRange}).",
        // The endpoint read the body and the server could not (a chunk size that is not hexadecimal, a body shorter
        // than its Content-Length): Kestrel's exception is caught by the endpoint's binding, which answers a bare 400.
        StatusCodes.Status400BadRequest when HasBody(http.Request) && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not null =>
            "The request body could not be read: it ended before its Content-Length, or its chunked transfer encoding is malformed.",
        _ => null,
    };

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    // "bytes */1234" names the file's length.
    private static string FileLength(HttpContext http)
    {
        string range = http.Response.Headers.ContentRange.ToString();
        int slash = range.LastIndexOf('/');
        return slash >= 0 && long.TryParse(range.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out long bytes)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:N0} bytes")
            : "shorter";
    }

    // What UseStatusCodePagesWithReExecute does, for browser requests only.
    private static async Task ReExecuteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var originalPath = http.Request.Path;
        var originalQuery = http.Request.QueryString;
        var endpoint = http.GetEndpoint();
        var routeValues = http.Features.Get<IRouteValuesFeature>();
        var originalRouteValues = routeValues?.RouteValues is { } values ? new RouteValueDictionary(values) : null;
        http.Features.Set<IStatusCodeReExecuteFeature>(new ReExecuted
        {
            OriginalPathBase = http.Request.PathBase.Value!,
            OriginalPath = originalPath.Value!,
            OriginalQueryString = originalQuery.HasValue ? originalQuery.Value : null,
            OriginalStatusCode = http.Response.StatusCode,
            Endpoint = endpoint,
            RouteValues = originalRouteValues,
        });
        http.SetEndpoint(null);
        routeValues?.RouteValues?.Clear();
        http.Request.Path = Path;
        http.Request.QueryString = QueryString.Empty;
        try
        {
            await context.Next(http).ConfigureAwait(false);
        }
        finally
        {
            http.Request.Path = originalPath;
            http.Request.QueryString = originalQuery;
            http.Features.Set<IStatusCodeReExecuteFeature?>(null);
        }
    }

    private sealed class ReExecuted : IStatusCodeReExecuteFeature
    {
        public string OriginalPathBase { get; set; } = "";

        public string OriginalPath { get; set; } = "";

        public string? OriginalQueryString { get; set; }

        public int OriginalStatusCode { get; init; }

        public Endpoint? Endpoint { get; init; }

        public RouteValueDictionary? RouteValues { get; init; }
    }
}
