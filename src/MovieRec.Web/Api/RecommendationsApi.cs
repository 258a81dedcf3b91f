using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Api;

/// <summary>POST /recommendations (anonymous fold-in), GET /users/{id}/recommendations (users of the dataset), GET /algorithms.</summary>
public static class RecommendationsApi
{
    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/recommendations", Anonymous).WithTags("Recommendations").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Recommendations for the ratings in the body, folded into the model without retraining.");
        api.MapGet("/users/{id}/recommendations", DatasetUser).WithTags("Recommendations").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Recommendations for a user of the dataset.").ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("id", "The user's id in the dataset, as the dataset spells it.");
        api.MapGet("/algorithms", Algorithms).WithTags("Recommendations")
            .WithSummary("The algorithms a request may name (those this deployment serves, MovieRec:ServedAlgorithms), with what each one is; ?forNewUsers=true: those offered for recommendations from a handful of ratings (POST /recommendations, /me/recommendations).");
        return api;
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem, ProblemHttpResult>> Anonymous(
        RecommendationRequest? request, RecommendationQueries recommendations, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await recommendations.ForRatingsAsync(request, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem, ProblemHttpResult>> DatasetUser(
        [AsParameters] DatasetUserRecommendationRequest request, RecommendationQueries recommendations, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await recommendations.ForDatasetUserAsync(request, cancellationToken).ConfigureAwait(false));

    /// <param name="forNewUsers">Only the algorithms offered for recommendations from a handful of ratings.</param>
    /// <param name="algorithms">What this deployment serves (MovieRec:ServedAlgorithms).</param>
    private static Ok<Dictionary<string, string>> Algorithms(bool? forNewUsers, AlgorithmChoices algorithms) =>
        TypedResults.Ok(algorithms.Served.Where(a => forNewUsers != true || a.ForNewUsers).ToDictionary(a => a.Name, a => a.Description));
}
