using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Web.Hosting;
using MovieRec.Web.Posters;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Api;

/// <summary>GET /movies (title search with filters), /movies/{id}, /movies/{id}/similar, /movies/{id}/poster.</summary>
public static class MoviesApi
{
    public static RouteGroupBuilder MapMoviesApi(this RouteGroupBuilder api)
    {
        var movies = api.MapGroup("/movies").WithTags("Movies");
        movies.MapGet("/", List).WithSummary("Movies by title (prefix and fuzzy, accent-insensitive), genre and year, most rated first without a query.");
        movies.MapGet("/{id}", Details).WithSummary("A movie with metadata and rating statistics.").ProducesProblem(StatusCodes.Status404NotFound)
            .DescribeRouteValue("id", "The movie, by its id as the dataset spells it (1, track-123).");
        movies.MapGet("/{id}/similar", Similar).WithSummary("Similar movies by content, text, semantic embeddings or ratings.")
            .ProducesProblem(StatusCodes.Status404NotFound).DescribeRouteValue("id", "The movie, by its id as the dataset spells it.").RequireRateLimiting(RateLimits.Expensive);
        movies.MapGet("/{id}/poster", Poster).WithSummary("The movie's poster: OMDb when configured, otherwise a generated SVG.").ExcludeFromDescription();
        return api;
    }

    private static async Task<Results<Ok<MoviePage>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] MovieListRequest request, MovieListQueries movies, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await movies.ListAsync(request, cancellationToken).ConfigureAwait(false), MoviePage.Of);

    private static async Task<Results<Ok<MovieDetails>, ProblemHttpResult>> Details(MovieId id, MovieDetailQueries details, CancellationToken cancellationToken)
    {
        var detail = await details.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return detail.IsOk ? TypedResults.Ok(MovieDetails.Of(detail.Value)) : ApiProblems.NotFound(detail.Error.Message);
    }

    private static async Task<Results<Ok<SimilarMovies>, ValidationProblem, ProblemHttpResult>> Similar(
        [AsParameters] SimilarRequest request, SimilarQueries similar, CancellationToken cancellationToken) =>
        ApiProblems.Answer(await similar.SimilarAsync(request, cancellationToken).ConfigureAwait(false), SimilarMovies.Of);

    private static async Task<Results<RedirectHttpResult, ContentHttpResult, ProblemHttpResult>> Poster(ModelHost host, PosterService posters, MovieId id, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(id) is not { } movie) return ApiProblems.NotFound($"No movie with id {QueryError.Echo(id.Value)}.");
        if (await posters.FindUrlAsync(movie, cancellationToken).ConfigureAwait(false) is { } url) return TypedResults.Redirect(url);
        return TypedResults.Content(GeneratedPoster.Svg(movie), "image/svg+xml");
    }
}
