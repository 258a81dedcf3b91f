using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Api;

/// <summary>ProblemDetails answers for a client's mistakes, each naming the offending field.</summary>
public static class ApiProblems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "Invalid request");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>
    /// A query's answer as HTTP: 200 with <paramref name="map"/> of the value, 400 naming the field, or 404.
    /// </summary>
    public static Results<Ok<TDto>, ValidationProblem, ProblemHttpResult> Answer<T, TDto>(QueryResult<T> result, Func<T, TDto> map)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(map);
        if (result.IsOk) return TypedResults.Ok(map(result.Value));
        var error = result.Error;
        return error.Field is { } field ? Field(field, error.Message) : NotFound(error.Message);
    }

    /// <summary>A query's answer as HTTP, the value itself as the body.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Answer<T>(QueryResult<T> result)
        where T : class => Answer(result, value => value);
}

/// <summary>
/// Turns exceptions into ProblemDetails: a request the server cannot read (malformed JSON, a value of the wrong type,
/// a body over the limit) is the client's 4xx; a database or cache that is down is 503 with Retry-After; anything else
/// is a 500 without internals.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // The path the client asked for: the middleware has already pointed the request at the error page.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value;
        int status;
        string title, detail;
        switch (exception)
        {
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                title = status switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Bad request",
                };
                detail = bad.InnerException is JsonException json ? $"The body is not valid JSON for this request. {Clean(json.Message)}" : Describe(bad, httpContext.Request);
                break;
            case StartupFailedException startup:
                // Retrying does not help until someone fixes what the sentence names; it was logged once at start-up.
                status = StatusCodes.Status503ServiceUnavailable;
                title = "Service unavailable";
                detail = startup.Message;
                logger.LogDebug("503 for {Path}: start-up failed", path);
                break;
            case ServiceUnavailableException or DbException or TimeoutException or StackExchange.Redis.RedisException:
                status = StatusCodes.Status503ServiceUnavailable;
                title = "Service unavailable";
                detail = exception is ServiceUnavailableException unavailable ? unavailable.Message : "A backing service is unavailable; retry shortly.";
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                logger.LogWarning("503 for {Path}: {Problem}", path, exception.Message);
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                status = StatusCodes.Status500InternalServerError;
                title = "Internal error";
                detail = "The server failed to answer; the error is logged.";
                logger.LogError(exception, "Unhandled error for {Method} {Path}", httpContext.Request.Method, path);
                break;
        }
        httpContext.Response.StatusCode = status;
        if (Pages.BrowserRequests.WantsHtml(httpContext.Request))
        {
            // A browser gets the HTML error page (the exception handler re-runs the request on /error).
            Pages.ErrorPages.SetExceptionStatus(httpContext, status);
            Pages.ErrorPages.SetReason(httpContext, detail);
            return false;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    // "Failed to bind parameter "Nullable<int> Page" from "abc"." names the field (a property of an [AsParameters]
    // record, so camel-cased as the client wrote it); the client's value is not echoed.
    private static string Describe(BadHttpRequestException bad, HttpRequest request)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return UnsupportedMediaType(request);
        var bind = System.Text.RegularExpressions.Regex.Match(bad.Message, "^Failed to bind parameter \"(?:[^\"]*? )?([A-Za-z_][A-Za-z0-9_]*)\"");
        if (bind.Success) return $"{JsonNamingPolicy.CamelCase.ConvertName(bind.Groups[1].Value)}: the value is not valid for this parameter.";
        return bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.";
    }

    /// <summary>What a 415 says: the body must be JSON, and what the client sent instead.</summary>
    internal static string UnsupportedMediaType(HttpRequest request) =>
        request.ContentType is { Length: > 0 } given
            ? $"Content-Type: the body must be JSON (application/json), not '{given[..Math.Min(given.Length, 100)]}'."
            : "Content-Type: the body must be JSON; send Content-Type: application/json.";

    // System.Text.Json's messages end with the .NET type and line numbers; keep the path, which names the field.
    private static string Clean(string message)
    {
        int path = message.IndexOf("Path:", StringComparison.Ordinal);
        if (path < 0) return "The JSON is malformed.";
        int end = message.IndexOf('|', path);
        return (end > 0 ? message[path..end] : message[path..]).Trim().TrimEnd('.', ' ') + ".";
    }
}
