using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MovieRec.Web.Api;

/// <summary>
/// The charset of a request body's Content-Type, checked before anything reads the body: a quoted charset
/// (<c>charset="utf-8"</c>, the same as unquoted in HTTP) is unquoted, and one that names no encoding .NET knows is a
/// 415 ProblemDetails naming it. Without this the JSON reader throws on either, which was a 500.
/// </summary>
public static class RequestCharset
{
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } contentType && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.Charset.HasValue)
        {
            string charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString().Trim();
            if (!IsKnown(charset))
            {
                // The status code pages (outside this middleware) write the problem with this sentence as its detail.
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                Pages.ErrorPages.SetReason(context, $"Content-Type: charset '{charset}' is not a known encoding; send the body as UTF-8 (Content-Type: application/json).");
                return;
            }
            if (!StringSegment.Equals(mediaType.Charset, charset, StringComparison.Ordinal))
            {
                mediaType.Charset = charset;
                request.ContentType = mediaType.ToString();
            }
        }
        await next(context).ConfigureAwait(false);
    }

    private static bool IsKnown(string charset)
    {
        if (charset.Length == 0) return false;
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
