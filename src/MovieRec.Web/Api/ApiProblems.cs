using System.Data.Common;
using System.Reflection;
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
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: Title(StatusCodes.Status400BadRequest));

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: Title(StatusCodes.Status404NotFound));

    /// <summary>
    /// A problem's title: the status's HTTP reason phrase ("Bad Request", "Content Too Large", "Unsupported Media
    /// Type"), one per status whoever answers (an endpoint, the exception handler, the status code pages, the rate
    /// limiter), as RFC 9457 asks of a problem without a type of its own. The detail says what was wrong.
    /// </summary>
    public static string Title(int status) => status switch
    {
        // RFC 9110's names where .NET's table still has RFC 7231's ("Payload Too Large", "Unprocessable Entity").
        StatusCodes.Status413PayloadTooLarge => "Content Too Large",
        StatusCodes.Status414UriTooLong => "URI Too Long",
        StatusCodes.Status416RangeNotSatisfiable => "Range Not Satisfiable",
        StatusCodes.Status422UnprocessableEntity => "Unprocessable Content",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };

    /// <summary>Every problem written through <see cref="IProblemDetailsService"/> gets its status's <see cref="Title"/>.</summary>
    public static void UseStatusTitle(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProblemDetails.Status is int status) context.ProblemDetails.Title = Title(status);
    }

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
        string detail;
        Dictionary<string, string[]>? errors = null;
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException { InnerException: not JsonException } wrongType }:
                // Valid JSON with a value of the wrong type ("rating": "4", "n": 99999999999, a body that is an
                // array): the field and what it expects, like the other 400s (not "the body is not valid JSON").
                status = StatusCodes.Status400BadRequest;
                var (field, expects) = WrongType(wrongType, httpContext);
                detail = $"{field}: {expects}";
                errors = new() { [field] = [expects] };
                break;
            case BadHttpRequestException unbound when BindFailure(unbound) is { } failure:
                // A query or route value that is not of its type (?page=abc, ?n=, ?personalise=maybe).
                status = StatusCodes.Status400BadRequest;
                detail = $"{failure.Field}: {failure.Expects}";
                errors = new() { [failure.Field] = [failure.Expects] };
                break;
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                detail = bad.InnerException is JsonException json ? $"The body is not valid JSON for this request. {Clean(json.Message)}" : Describe(bad, httpContext.Request);
                break;
            case StartupFailedException startup:
                // Retrying does not help until someone fixes what the sentence names; it was logged once at start-up.
                status = StatusCodes.Status503ServiceUnavailable;
                detail = startup.Message;
                logger.LogDebug("503 for {Path}: start-up failed", path);
                break;
            case ServiceUnavailableException or DbException or TimeoutException or StackExchange.Redis.RedisException:
                status = StatusCodes.Status503ServiceUnavailable;
                detail = exception is ServiceUnavailableException unavailable ? unavailable.Message : "A backing service is unavailable; retry shortly.";
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                logger.LogWarning("503 for {Path}: {Problem}", path, exception.Message);
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                status = StatusCodes.Status500InternalServerError;
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
        var problem = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = ApiProblems.Title(status), Detail = detail },
        };
        if (errors is not null) problem.ProblemDetails.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(problem).ConfigureAwait(false);
    }

    /// <summary>
    /// The field (the JSON path without "$.", "body" for the whole body) and what it expects: the type found by
    /// following the path through the endpoint's body type (the serializer's message names only the enclosing type).
    /// </summary>
    private static (string Field, string Expects) WrongType(JsonException json, HttpContext httpContext)
    {
        string path = json.Path ?? "$";
        string field = path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        Type? type = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        foreach (System.Text.RegularExpressions.Match segment in System.Text.RegularExpressions.Regex.Matches(path, @"\.([^.\[]+)|\[(\d+)\]"))
        {
            if (type is null) break;
            type = segment.Groups[1].Success
                ? type.GetProperty(segment.Groups[1].Value, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType
                : ElementType(type);
        }
        return (field, $"expects {Expected(type)} (JSON path {path}).");
    }

    private static string Expected(Type? type)
    {
        if (type is null) return "a value of another type";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(MovieId)) return "a movie id: a number such as 1, or a non-empty string";
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal)) return "a number, such as 4.5";
        if (type == typeof(int)) return "a whole number from -2147483648 to 2147483647";
        if (type == typeof(long)) return "a whole number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a string";
        return ElementType(type) is not null ? "an array" : "an object";
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
            ?.GetGenericArguments()[0];

    // "Failed to bind parameter "Nullable<int> Page" from "abc"." names the field (a property of an [AsParameters]
    // record, so camel-cased as the client wrote it) and its type; the client's value is not echoed.
    private static (string Field, string Expects)? BindFailure(BadHttpRequestException bad)
    {
        var bind = System.Text.RegularExpressions.Regex.Match(bad.Message, "^Failed to bind parameter \"(?:([^\"]*?) )?([A-Za-z_][A-Za-z0-9_]*)\"");
        if (!bind.Success) return null;
        string type = bind.Groups[1].Value;
        // "int", "Nullable<int>", "bool?": the C# keyword names the type.
        string expects = System.Text.RegularExpressions.Regex.Match(type, @"\b(int|long|bool|float|double)\b").Value switch
        {
            "int" or "long" => "expects a whole number.",
            "bool" => "expects true or false.",
            "float" or "double" => "expects a number.",
            _ => "the value is not valid for this parameter.",
        };
        return (JsonNamingPolicy.CamelCase.ConvertName(bind.Groups[2].Value), expects);
    }

    private static string Describe(BadHttpRequestException bad, HttpRequest request)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return UnsupportedMediaType(request);
        return bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.";
    }

    /// <summary>What a 415 says: the body must be JSON (a file for the imports), and what the client sent instead.</summary>
    internal static string UnsupportedMediaType(HttpRequest request)
    {
        string must = ServiceSetup.IsImportPath(request.Path)
            ? "the body must be the file itself (text/csv, or application/zip for Letterboxd's export) or a form (multipart/form-data) with it in field \"file\""
            : "the body must be JSON (application/json)";
        return request.ContentType is { Length: > 0 } given
            ? $"Content-Type: {must}, not '{given[..Math.Min(given.Length, 100)]}'."
            : $"Content-Type: {must}.";
    }

    // System.Text.Json's messages end with the .NET type and line numbers; keep the path, which names the field.
    private static string Clean(string message)
    {
        int path = message.IndexOf("Path:", StringComparison.Ordinal);
        if (path < 0) return "The JSON is malformed.";
        int end = message.IndexOf('|', path);
        return (end > 0 ? message[path..end] : message[path..]).Trim().TrimEnd('.', ' ') + ".";
    }
}
