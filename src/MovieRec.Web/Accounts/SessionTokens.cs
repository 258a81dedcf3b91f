using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Accounts;

/// <summary>
/// Password-less accounts: POST /sessions makes an account and a random 256-bit token; only the token's SHA-256 is
/// stored, with an expiry. The token comes back in <c>Authorization: Bearer</c> or in the session cookie (web UI).
/// Expiry slides: a session expires <c>MovieRec:SessionLifetime</c> after its last use, not after its creation.
/// </summary>
public static class SessionTokens
{
    public const string Scheme = "MovieRecToken";
    public const string CookieName = "movierec_session";
    public const string AccountClaim = "account";

    private const string UnreadableItem = "movierec.session-unreadable";

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Whether this request carried a session token that could not be checked because the database did not answer
    /// (the request went on as anonymous): pages must not show such a visitor as someone who has rated nothing.
    /// </summary>
    public static bool SessionUnreadable(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.ContainsKey(UnreadableItem);
    }

    internal static void MarkSessionUnreadable(HttpContext context) => context.Items[UnreadableItem] = true;

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    public static long AccountId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return long.Parse(user.FindFirstValue(AccountClaim) ?? throw new InvalidOperationException("Not signed in."), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The session cookie: HttpOnly, SameSite=Lax, Secure when the client's connection is HTTPS (also behind a trusted TLS-terminating proxy).</summary>
    public static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = request.IsHttps,
            Expires = expires,
            IsEssential = true,
            Path = "/",
        };
    }

    /// <summary>
    /// How stale a session's last use may get before a request records a new one (and moves the expiry): a write per
    /// request would be wasteful; an hour (less for short lifetimes) is precise enough for expiry and the purge.
    /// </summary>
    public static TimeSpan SlideStep(TimeSpan lifetime) => lifetime / 10 < TimeSpan.FromHours(1) ? lifetime / 10 : TimeSpan.FromHours(1);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates a request by its session token (header, else cookie) against the rating store.</summary>
public sealed class SessionTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IRatingStore store, TimeProvider clock,
    IOptions<Hosting.MovieRecOptions> settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // Tokens are 43 characters; anything much longer is not ours and is not hashed or looked up.
    private const int MaxTokenLength = 128;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        bool fromCookie = false;
        string header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header["Bearer ".Length..].Trim();
        else if (Request.Cookies.TryGetValue(SessionTokens.CookieName, out var cookie)) (token, fromCookie) = (cookie, true);
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        if (token.Length > MaxTokenLength) return AuthenticateResult.Fail("Malformed token.");
        var now = clock.GetUtcNow();
        SessionInfo? session;
        try
        {
            session = await store.FindSessionAsync(SessionTokens.Hash(token), now, Context.RequestAborted).ConfigureAwait(false);
            if (session is not null) await SlideAsync(session, token, fromCookie, now).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException) when (Context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null)
        {
            // The database is down: endpoints that need no signed-in user (pages, anonymous API, /health/ready) go on
            // as anonymous for a client sending the cookie, marked so that pages say so; /me endpoints still answer 503.
            SessionTokens.MarkSessionUnreadable(Context);
            return AuthenticateResult.NoResult();
        }
        if (session is null) return AuthenticateResult.Fail("Unknown or expired token.");
        var identity = new ClaimsIdentity([new Claim(SessionTokens.AccountClaim, session.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture))], SessionTokens.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SessionTokens.Scheme));
    }

    /// <summary>Sliding expiry: a use more than a step after the last recorded one moves the expiry (and the cookie's) on.</summary>
    private async Task SlideAsync(SessionInfo session, string token, bool fromCookie, DateTimeOffset now)
    {
        var lifetime = settings.Value.SessionLifetime;
        if (now - session.LastSeenAt < SessionTokens.SlideStep(lifetime)) return;
        var expires = now + lifetime;
        await store.TouchSessionAsync(session.AccountId, now, expires, Context.RequestAborted).ConfigureAwait(false);
        if (fromCookie && !Response.HasStarted) Response.Cookies.Append(SessionTokens.CookieName, token, SessionTokens.CookieOptions(Request, expires));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Detail = "Send the token from POST /api/v1/sessions as 'Authorization: Bearer <token>'." },
        }).ConfigureAwait(false);
    }
}
