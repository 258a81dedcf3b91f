using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Api;

/// <summary>GET /search (semantic, else lexical), GET /onboarding, GET /clusters and /clusters/{id}/movies.</summary>
public static class DiscoveryApi
{
    public static RouteGroupBuilder MapDiscoveryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search).WithTags("Search").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Search by describing a movie: semantic (sentence embeddings) when a model is configured, lexical (BM25) otherwise; the response says which.");
        api.MapGet("/onboarding", Onboarding).WithTags("Onboarding").WithSummary("Well-known, informative movies to rate first, covering the movie clusters.");
        api.MapGet("/clusters", Clusters).WithTags("Clusters").WithSummary("The K-Means movie clusters (k = 9) with names from their features.");
        api.MapGet("/clusters/{id}/movies", ClusterMovies).WithTags("Clusters").WithSummary("The movies of a cluster, best rated (IMDb weighted rating) first.")
            .ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("id", "The cluster, from 0.");
        return api;
    }

    private static async Task<Results<Ok<SearchResults>, ValidationProblem, ProblemHttpResult>> Search(
        [AsParameters] SearchRequest request, SearchQueries search, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await search.SearchAsync(request, cancellationToken).ConfigureAwait(false), SearchResults.Of);

    private static async Task<Results<Ok<IReadOnlyList<OnboardingItem>>, ValidationProblem, ProblemHttpResult>> Onboarding(
        [AsParameters] OnboardingRequest request, DiscoveryQueries discovery, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await discovery.OnboardingAsync(request, cancellationToken).ConfigureAwait(false),
            entries => (IReadOnlyList<OnboardingItem>)[.. entries.Select(OnboardingItem.Of)]);

    private static async Task<Ok<IReadOnlyList<ClusterSummary>>> Clusters(DiscoveryQueries discovery, CancellationToken cancellationToken)
    {
        var clusters = await discovery.ClustersAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<ClusterSummary>>([.. clusters.Select(ClusterSummary.Of)]);
    }

    private static async Task<Results<Ok<MoviePage>, ValidationProblem, ProblemHttpResult>> ClusterMovies(
        [AsParameters] ClusterMoviesRequest request, MovieListQueries movies, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await movies.ClusterAsync(request, cancellationToken).ConfigureAwait(false), MoviePage.Of);
}
