using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MovieRec.Web.Accounts;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>A new session's token.</summary>
public sealed record SessionCreated(string Token, DateTimeOffset ExpiresAt);

/// <summary>POST /sessions, and /me/ratings, /me/recommendations for the token's own account only.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapPost("/sessions", CreateSession).WithTags("Account").RequireRateLimiting(RateLimits.Writes)
            .WithSummary("A new password-less account: returns a token (and sets the session cookie).");
        var me = api.MapGroup("/me").WithTags("Account").RequireAuthorization();
        me.MapDelete("", DeleteAccount).RequireRateLimiting(RateLimits.Writes)
            .WithSummary("Delete your account and all its ratings (the token stops working, the session cookie is cleared).");
        me.MapGet("/ratings", Ratings).WithSummary("Your ratings, most recent first.");
        me.MapPut("/ratings/{movieId}", Rate).RequireRateLimiting(RateLimits.Writes).ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("movieId", "The movie.").WithSummary("Rate a movie (acknowledged once durably stored).");
        me.MapDelete("/ratings/{movieId}", Unrate).RequireRateLimiting(RateLimits.Writes).ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("movieId", "The movie.").WithSummary("Remove your rating of a movie.");
        me.MapPost("/ratings/import", Import).RequireRateLimiting(RateLimits.Writes).Accepts<string>(ImportTypes[0], ImportTypes[1..])
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Import ratings from an IMDb or Letterboxd export, or a CSV of movieId / imdbId / tmdbId / title (and year) with rating.")
            .WithDescription("The body is the CSV itself (text/csv), or a form with the file in field \"file\". All rows are stored in one transaction; " +
                "a malformed row stores nothing and the 400 names its line and column. Rows whose movie is not in the catalogue are listed, not stored. " +
                "Letterboxd's export as downloaded (.zip, application/zip or a form's file) gives its ratings.csv, and its watchlist.csv goes to your watchlist (\"watchlist\" in the answer). " +
                "Up to 8 MiB and 50,000 ratings; ?name=ratings.csv names the file in messages.");
        me.MapGet("/ratings/export", Export).Produces(StatusCodes.Status200OK, contentType: "text/csv").WithSummary("Your ratings as CSV (movieId, imdbId, tmdbId, title, year, rating, ratedAt), most recent first; the import reads it back.");
        MapMovieList(me, "hidden", MovieList.Hidden, "The movies you said you are not interested in, most recently hidden first.",
            "Not interested: never recommend this movie to you (until you take it back).", "Take a \"not interested\" back: the movie may be recommended again.");
        MapMovieList(me, "watchlist", MovieList.Watchlist, "Your watchlist, most recently added first.",
            "Keep a movie to watch later (it is not recommended to you again; rating it takes it off).", "Take a movie off your watchlist.");
        me.MapPost("/watchlist/import", ImportWatchlist).RequireRateLimiting(RateLimits.Writes).Accepts<string>(ImportTypes[0], ImportTypes[1..])
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Add the movies of a watchlist export to your watchlist: IMDb's watchlist export, Letterboxd's watchlist.csv, or a CSV with a movieId / imdbId / tmdbId / title (and year) column.")
            .WithDescription("The body is the CSV itself (text/csv), or a form with the file in field \"file\". All movies are added in one transaction; " +
                "a malformed row adds nothing and the 400 names its line and column. Movies you have rated are left off; rows whose movie is not in the catalogue are listed. " +
                "Up to 8 MiB and 50,000 movies; ?name=watchlist.csv names the file in messages.");
        MapMovieList(me, "seen", MovieList.Seen, "The movies you have seen but not rated (an imported history), most recently seen first.",
            "Seen it: not recommended to you again (rating it moves it to your ratings).", "Take a movie off the movies you have seen.");
        me.MapPost("/seen/import", ImportSeen).RequireRateLimiting(RateLimits.Writes).Accepts<string>(ImportTypes[0], ImportTypes[1..])
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Add the movies of a list of films you have seen (Letterboxd's watched.csv, any CSV with a movie column) to the movies you have seen: not recommended again.")
            .WithDescription("As POST /me/watchlist/import: the CSV as the body or a form's \"file\", one transaction, movies you have rated left off, unmatched rows listed.");
        me.MapGet("/predictions/{movieId}", Predict).ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("movieId", "The movie.")
            .WithSummary("The stars you would give a movie, predicted from your other ratings (fold-in), and why it suits you.");
        me.MapGet("/recommendations", Recommend).RequireRateLimiting(RateLimits.Expensive).WithSummary("Recommendations from your stored ratings (fold-in, no retraining).");
        return api;
    }

    private static async Task<Created<SessionCreated>> CreateSession(
        HttpContext http, IRatingStore store, IOptions<MovieRecOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        string token = SessionTokens.NewToken();
        var now = clock.GetUtcNow();
        var expires = now + options.Value.SessionLifetime;
        await store.CreateAccountAsync(SessionTokens.Hash(token), now, expires, cancellationToken).ConfigureAwait(false);
        http.Response.Cookies.Append(SessionTokens.CookieName, token, SessionTokens.CookieOptions(http.Request, expires));
        return TypedResults.Created("/api/v1/me/ratings", new SessionCreated(token, expires));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAccount(
        HttpContext http, ClaimsPrincipal user, IRatingStore store, Recommender recommender, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        long account = user.AccountId();
        if (!await store.DeleteAccountAsync(account, cancellationToken).ConfigureAwait(false))
            return ApiProblems.NotFound("The account no longer exists.");
        await recommender.ForgetAccountAsync(account, cancellationToken).ConfigureAwait(false);
        http.Response.Cookies.Delete(SessionTokens.CookieName, SessionTokens.CookieOptions(http.Request, DateTimeOffset.UnixEpoch));
        logs.CreateLogger(typeof(AccountApi)).LogInformation("Account {Account} deleted with its ratings at its owner's request", account);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MyRatings>> Ratings(ClaimsPrincipal user, AccountRatings ratings, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ratings.ListAsync(user.AccountId(), cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<MyRating>, ValidationProblem, ProblemHttpResult>> Rate(
        ClaimsPrincipal user, MovieId movieId, RatingBody? body, AccountRatings ratings, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await ratings.RateAsync(user.AccountId(), movieId, body, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<NoContent, ProblemHttpResult>> Unrate(ClaimsPrincipal user, MovieId movieId, AccountRatings ratings, CancellationToken cancellationToken) =>
        await ratings.UnrateAsync(user.AccountId(), movieId, cancellationToken).ConfigureAwait(false) is { } missing
            ? ApiProblems.NotFound(missing.Message)
            : TypedResults.NoContent();

    // name: the file's name for messages ("ratings.csv, line 12, ..."); a form upload carries its own.
    /// <summary>
    /// What an import's body may be: the CSV (text/plain and octet-stream too, which is what some clients send for a
    /// file), Letterboxd's zip (application/x-zip-compressed is what browsers on Windows say), or a form with the file.
    /// </summary>
    private static readonly string[] ImportTypes = ["text/csv", "multipart/form-data", "application/zip", "application/x-zip-compressed", "text/plain", "application/octet-stream"];

    private static Task<Results<Ok<RatingsImported>, ValidationProblem, ProblemHttpResult>> Import(
        HttpContext http, ClaimsPrincipal user, AccountRatings ratings, string? name, CancellationToken cancellationToken) =>
        WithUploadAsync(http.Request, name, "ratings export", (body, file) => ratings.ImportAsync(user.AccountId(), body, file, cancellationToken), cancellationToken);

    private static Task<Results<Ok<ListImported>, ValidationProblem, ProblemHttpResult>> ImportWatchlist(
        HttpContext http, ClaimsPrincipal user, AccountRatings ratings, string? name, CancellationToken cancellationToken) =>
        WithUploadAsync(http.Request, name, "watchlist export",
            (body, file) => ratings.ImportListAsync(user.AccountId(), MovieList.Watchlist, body, file, cancellationToken), cancellationToken);

    private static Task<Results<Ok<ListImported>, ValidationProblem, ProblemHttpResult>> ImportSeen(
        HttpContext http, ClaimsPrincipal user, AccountRatings ratings, string? name, CancellationToken cancellationToken) =>
        WithUploadAsync(http.Request, name, "list of films seen",
            (body, file) => ratings.ImportListAsync(user.AccountId(), MovieList.Seen, body, file, cancellationToken), cancellationToken);

    /// <summary>Runs an import on the uploaded file, buffered: the body itself, or a form's "file" field; JSON is a 415.</summary>
    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> WithUploadAsync<T>(
        HttpRequest request, string? name, string what, Func<Stream, string, Task<QueryResult<T>>> import, CancellationToken cancellationToken)
        where T : class
    {
        string file = Path.GetFileName(name) is { Length: > 0 } given ? QueryError.Echo(given) : "the uploaded file";
        Stream body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            if (form.Files.GetFile("file") is not { } upload)
                return ApiProblems.Field("file", "is missing: send the CSV as the form's \"file\" field, or as the body with Content-Type text/csv.");
            file = Path.GetFileName(upload.FileName) is { Length: > 0 } uploaded ? QueryError.Echo(uploaded) : file;
            body = upload.OpenReadStream();
        }
        else if (request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send the {what} itself as the body (Content-Type text/csv), or as a form's \"file\" field; not JSON.");
        }
        else
        {
            // Buffered: the CSV reader is synchronous, and Kestrel allows no synchronous reads of a request body.
            var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            body = buffer;
        }
        await using (body.ConfigureAwait(false))
        {
            return ApiProblems.Answer(await import(body, file).ConfigureAwait(false));
        }
    }

    private static async Task<FileContentHttpResult> Export(ClaimsPrincipal user, AccountRatings ratings, CancellationToken cancellationToken)
    {
        var csv = await ratings.ExportAsync(user.AccountId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "movierec-ratings.csv");
    }

    /// <summary>GET /me/{name}, PUT and DELETE /me/{name}/{movieId}: one of the account's lists of movies.</summary>
    private static void MapMovieList(RouteGroupBuilder me, string name, MovieList list, string listSummary, string addSummary, string removeSummary)
    {
        me.MapGet("/" + name, async Task<Ok<ListedMovies>> (ClaimsPrincipal user, AccountRatings ratings, CancellationToken cancellationToken) =>
            TypedResults.Ok(await ratings.ListAsync(user.AccountId(), list, cancellationToken).ConfigureAwait(false))).WithSummary(listSummary);
        me.MapPut($"/{name}/{{movieId}}", async Task<Results<NoContent, ProblemHttpResult>> (ClaimsPrincipal user, MovieId movieId, AccountRatings ratings, CancellationToken cancellationToken) =>
                NoContentOr404(await ratings.AddToListAsync(user.AccountId(), list, movieId, cancellationToken).ConfigureAwait(false)))
            .RequireRateLimiting(RateLimits.Writes).ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("movieId", "The movie.").WithSummary(addSummary);
        me.MapDelete($"/{name}/{{movieId}}", async Task<Results<NoContent, ProblemHttpResult>> (ClaimsPrincipal user, MovieId movieId, AccountRatings ratings, CancellationToken cancellationToken) =>
                NoContentOr404(await ratings.RemoveFromListAsync(user.AccountId(), list, movieId, cancellationToken).ConfigureAwait(false)))
            .RequireRateLimiting(RateLimits.Writes).ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("movieId", "The movie.").WithSummary(removeSummary);
    }

    private static Results<NoContent, ProblemHttpResult> NoContentOr404(QueryError? missing) =>
        missing is null ? TypedResults.NoContent() : ApiProblems.NotFound(missing.Message);

    private static async Task<Results<Ok<MyPrediction>, ValidationProblem, ProblemHttpResult>> Predict(
        ClaimsPrincipal user, MovieId movieId, AccountRatings ratings, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await ratings.PredictAsync(user.AccountId(), movieId, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem, ProblemHttpResult>> Recommend(
        ClaimsPrincipal user, [AsParameters] RecommendationQuery request, RecommendationQueries recommendations, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await recommendations.ForAccountAsync(user.AccountId(), request, null, cancellationToken).ConfigureAwait(false));
}
