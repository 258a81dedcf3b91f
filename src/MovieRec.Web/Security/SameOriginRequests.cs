using MovieRec.Web.Accounts;

namespace MovieRec.Web.Security;

/// <summary>
/// Cross-site request forgery: a browser sends the session cookie with any request to this host, also one a page on
/// another site makes (a form POST replaced the victim's session, issue 16). So session creation (POST
/// /api/v1/sessions, which sets the cookie) and every cookie-authenticated write must come from our own pages:
/// <c>Sec-Fetch-Site</c> (sent by every current browser) must say same-origin, else <c>Origin</c> must be this host.
/// A request carrying neither is not from a browser (curl, an app) and is let through, as is any request with a
/// bearer token: the API with a token is unaffected, since no other site can make a browser send our token.
/// </summary>
public static class SameOriginRequests
{
    public const string SessionsPath = "/api/v1/sessions";

    public static IApplicationBuilder UseSameOriginWrites(this IApplicationBuilder app) => app.Use(CheckAsync);

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !(request.Path.Equals(SessionsPath, StringComparison.OrdinalIgnoreCase) || request.Cookies.ContainsKey(SessionTokens.CookieName))
            || IsSameOrigin(request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = 403,
                Detail = "Cross-site request refused: this request comes from another site's page; sessions and cookie-authenticated changes are accepted only from MovieRec's own pages (or with 'Authorization: Bearer <token>').",
            },
        }).ConfigureAwait(false);
    }

    /// <summary>Whether the browser says the request comes from a page of this origin (true when it says nothing: not a browser).</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false; // "null" (sandboxed frames, data: URLs) included
        if (!string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)) return false;
        // Behind a TLS-terminating proxy the Host header usually has no port: the host name decides. With a port, it must match.
        return request.Host.Port is not int port || port == uri.Port;
    }
}
