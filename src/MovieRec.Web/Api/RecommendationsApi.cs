using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Api;

/// <summary>A (movie, rating) pair in a request body.</summary>
public sealed record RatingInput(long? MovieId, float? Rating);

/// <summary>POST /recommendations: ratings of an anonymous visitor, how many, which algorithm, optional filters.</summary>
public sealed record RecommendationRequest(IReadOnlyList<RatingInput>? Ratings, int? N, string? Algorithm, string? Genre, string? Year);

/// <summary>POST /recommendations (anonymous fold-in) and GET /users/{id}/recommendations (users of the dataset).</summary>
public static class RecommendationsApi
{
    public const int MaxRatings = 1000;

    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/recommendations", Anonymous).WithTags("Recommendations").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Recommendations for the ratings in the body, folded into the model without retraining.");
        api.MapGet("/users/{id:long}/recommendations", DatasetUser).WithTags("Recommendations").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Recommendations for a user of the dataset.");
        api.MapGet("/algorithms", () => TypedResults.Ok(ServingModel.Algorithms)).WithTags("Recommendations").WithSummary("The algorithms a request may name.");
        return api;
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem>> Anonymous(
        ModelHost host, Recommender recommender, MovieRecOptions options, RecommendationRequest? request, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Field("body", "expects {\"ratings\":[{\"movieId\":1,\"rating\":4.5}],\"n\":10,\"algorithm\":\"svd\"}.");
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (Validate(request.Algorithm, request.N, options, out string algorithm, out int n) is { } bad) return bad;
        if (ValidateFilter(catalog, request.Genre, request.Year, out var filter) is { } badFilter) return badFilter;
        var ratings = request.Ratings ?? [];
        if (ratings.Count > MaxRatings) return ApiProblems.Field("ratings", $"at most {MaxRatings} ratings per request, not {ratings.Count}.");
        var scale = catalog.Dataset.Ratings.Scale;
        var profile = new Dictionary<long, float>(ratings.Count);
        for (int k = 0; k < ratings.Count; k++)
        {
            var r = ratings[k];
            if (r is null) return ApiProblems.Field($"ratings[{k}]", "must be an object with movieId and rating.");
            if (r.MovieId is not long movieId) return ApiProblems.Field($"ratings[{k}].movieId", "is required.");
            if (catalog.Catalog[movieId] is null) return ApiProblems.Field($"ratings[{k}].movieId", $"no movie with id {movieId}.");
            if (r.Rating is not float value) return ApiProblems.Field($"ratings[{k}].rating", "is required.");
            if (scale.Check(value) is { } problem) return ApiProblems.Field($"ratings[{k}].rating", problem + ".");
            profile[movieId] = value; // a movie rated twice keeps the last rating
        }
        var list = await recommender.ForRatingsAsync([.. profile.Select(p => new MovieRating(p.Key, p.Value))], algorithm, n, filter, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem, ProblemHttpResult>> DatasetUser(
        ModelHost host, Recommender recommender, MovieRecOptions options, long id, string? algorithm, int? n, string? genre, string? year, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (Validate(algorithm, n, options, out string name, out int count) is { } bad) return bad;
        if (ValidateFilter(catalog, genre, year, out var filter) is { } badFilter) return badFilter;
        var list = await recommender.ForDatasetUserAsync(id, name, count, filter, cancellationToken).ConfigureAwait(false);
        return list is null ? ApiProblems.NotFound($"No user {id} in the dataset.") : TypedResults.Ok(list);
    }

    internal static ValidationProblem? Validate(string? algorithm, int? n, MovieRecOptions options, out string name, out int count)
    {
        name = string.IsNullOrWhiteSpace(algorithm) ? options.DefaultAlgorithm : algorithm.Trim().ToLowerInvariant();
        count = n ?? 10;
        if (ServingModel.Find(name) is null)
            return ApiProblems.Field("algorithm", $"unknown algorithm '{algorithm}'. Known: {string.Join(", ", ServingModel.Algorithms.Keys)}.");
        return ApiProblems.CheckCount(n, Recommender.MaxN);
    }

    internal static ValidationProblem? ValidateFilter(CatalogIndex catalog, string? genre, string? year, out CandidateFilter filter)
    {
        filter = CandidateFilter.None;
        string? genreName = null;
        if (!string.IsNullOrWhiteSpace(genre))
        {
            genreName = catalog.Genres.FirstOrDefault(g => string.Equals(g, genre.Trim(), StringComparison.OrdinalIgnoreCase));
            if (genreName is null) return ApiProblems.Field("genre", $"unknown genre '{genre}'.");
        }
        if (!MoviesApi.TryParseYears(year, out int? from, out int? to))
            return ApiProblems.Field("year", $"expects a year (1995), a decade (1990s) or a range (1990-1999), not '{year}'.");
        filter = new CandidateFilter(genreName, from, to);
        return null;
    }
}
