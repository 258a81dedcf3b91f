using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Accounts;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Api;

/// <summary>A new session's token.</summary>
public sealed record SessionCreated(string Token, DateTimeOffset ExpiresAt);

/// <summary>PUT /me/ratings/{movieId} body.</summary>
public sealed record RatingBody(float? Rating);

/// <summary>An account's rating of a movie.</summary>
public sealed record MyRating(long MovieId, string Title, int? Year, float Rating, DateTimeOffset UpdatedAt);

/// <summary>An account's ratings.</summary>
public sealed record MyRatings(IReadOnlyList<MyRating> Items);

/// <summary>POST /sessions, and /me/ratings, /me/recommendations for the token's own account only.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapPost("/sessions", CreateSession).WithTags("Account").RequireRateLimiting(RateLimits.Writes)
            .WithSummary("A new password-less account: returns a token (and sets the session cookie).");
        var me = api.MapGroup("/me").WithTags("Account").RequireAuthorization();
        me.MapGet("/ratings", Ratings).WithSummary("Your ratings, most recent first.");
        me.MapPut("/ratings/{movieId:long}", Rate).RequireRateLimiting(RateLimits.Writes).WithSummary("Rate a movie (acknowledged once durably stored).");
        me.MapDelete("/ratings/{movieId:long}", Unrate).RequireRateLimiting(RateLimits.Writes).WithSummary("Remove your rating of a movie.");
        me.MapGet("/recommendations", Recommend).RequireRateLimiting(RateLimits.Expensive).WithSummary("Recommendations from your stored ratings (fold-in, no retraining).");
        return api;
    }

    private static async Task<Created<SessionCreated>> CreateSession(HttpContext http, IRatingStore store, MovieRecOptions options, CancellationToken cancellationToken)
    {
        string token = SessionTokens.NewToken();
        var expires = DateTimeOffset.UtcNow + options.SessionLifetime;
        await store.CreateAccountAsync(SessionTokens.Hash(token), expires, cancellationToken).ConfigureAwait(false);
        http.Response.Cookies.Append(SessionTokens.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Expires = expires,
            IsEssential = true,
        });
        return TypedResults.Created("/api/v1/me/ratings", new SessionCreated(token, expires));
    }

    private static async Task<Ok<MyRatings>> Ratings(ClaimsPrincipal user, IRatingStore store, ModelHost host, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var stored = await store.GetRatingsAsync(user.AccountId(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new MyRatings([.. stored.Select(r =>
        {
            var movie = catalog.Catalog[r.MovieId];
            return new MyRating(r.MovieId, movie?.Title ?? "", movie?.Year, r.Rating, r.UpdatedAt);
        })]));
    }

    private static async Task<Results<Ok<MyRating>, ValidationProblem, ProblemHttpResult>> Rate(
        ClaimsPrincipal user, long movieId, RatingBody? body, IRatingStore store, ModelHost host, Recommender recommender, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Catalog[movieId] is not { } movie) return ApiProblems.NotFound($"No movie with id {movieId}.");
        if (body?.Rating is not float rating) return ApiProblems.Field("rating", "is required, e.g. {\"rating\": 4.5}.");
        if (catalog.Dataset.Ratings.Scale.Check(rating) is { } problem) return ApiProblems.Field("rating", problem + ".");
        long account = user.AccountId();
        var now = DateTimeOffset.UtcNow;
        await store.UpsertRatingAsync(account, movieId, rating, now, cancellationToken).ConfigureAwait(false);
        await recommender.ForgetAccountAsync(account, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new MyRating(movieId, movie.Title, movie.Year, rating, now));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Unrate(
        ClaimsPrincipal user, long movieId, IRatingStore store, Recommender recommender, CancellationToken cancellationToken)
    {
        long account = user.AccountId();
        if (!await store.DeleteRatingAsync(account, movieId, cancellationToken).ConfigureAwait(false))
            return ApiProblems.NotFound($"You have not rated movie {movieId}.");
        await recommender.ForgetAccountAsync(account, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem>> Recommend(
        ClaimsPrincipal user, IRatingStore store, Recommender recommender, MovieRecOptions options, ModelHost host,
        string? algorithm, int? n, string? genre, string? year, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (RecommendationsApi.Validate(algorithm, n, options, out string name, out int count) is { } bad) return bad;
        if (RecommendationsApi.ValidateFilter(catalog, genre, year, out var filter) is { } badFilter) return badFilter;
        long account = user.AccountId();
        var stored = await store.GetRatingsAsync(account, cancellationToken).ConfigureAwait(false);
        var list = await recommender.ForRatingsAsync([.. stored.Select(r => new MovieRating(r.MovieId, r.Rating))], name, count, filter, account, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list);
    }
}
