using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Api;

/// <summary>A movie to rate when starting, with its cluster.</summary>
public sealed record OnboardingItem(MovieSummary Movie, int Cluster, string ClusterName);

/// <summary>A movie cluster with its representatives.</summary>
public sealed record ClusterSummary(int Id, string Name, int Size, IReadOnlyList<string> Genres, string Era, string RatingLevel, IReadOnlyList<MovieSummary> Representatives);

/// <summary>GET /search (semantic, else lexical), GET /onboarding, GET /clusters and /clusters/{id}/movies.</summary>
public static class DiscoveryApi
{
    public static RouteGroupBuilder MapDiscoveryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search).WithTags("Search").RequireRateLimiting(RateLimits.Expensive)
            .WithSummary("Search by describing a movie: semantic (sentence embeddings) when a model is configured, lexical (BM25) otherwise; the response says which.");
        api.MapGet("/onboarding", Onboarding).WithTags("Onboarding").WithSummary("Well-known, informative movies to rate first, covering the movie clusters.");
        api.MapGet("/clusters", Clusters).WithTags("Clusters").WithSummary("The K-Means movie clusters (k = 9) with names from their features.");
        api.MapGet("/clusters/{id:int}/movies", ClusterMovies).WithTags("Clusters").WithSummary("The movies of a cluster, best rated (IMDb weighted rating) first.");
        return api;
    }

    private static async Task<Results<Ok<SearchResults>, ValidationProblem>> Search(ModelHost host, string? q, int? n, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(q)) return ApiProblems.Field("q", "is required: words, a title or a description such as 'space adventure with robots'.");
        if (q.Length > 500) return ApiProblems.Field("q", "must be at most 500 characters.");
        if (ApiProblems.CheckCount(n, 100) is { } bad) return bad;
        int count = n ?? 10;
        IReadOnlyList<(Core.Data.Movie Movie, float Score)> hits;
        string mode;
        string? note = null;
        if (catalog.Semantic is { } semantic)
        {
            hits = semantic.Search(q, count);
            mode = "semantic";
        }
        else
        {
            hits = catalog.Lexical.Search(q, count);
            mode = "lexical";
            note = $"semantic search is unavailable ({catalog.SemanticDisabledReason}); these are lexical (BM25) matches";
        }
        IReadOnlyList<string>? didYouMean = hits.Count == 0 ? [.. catalog.Titles.Suggest(q, 5).Select(m => m.ToString())] : null;
        return TypedResults.Ok(new SearchResults(q, mode, note, [.. hits.Select(h => new ScoredMovie(MovieSummary.Of(h.Movie, catalog), MathF.Round(h.Score, 4)))], didYouMean));
    }

    private static async Task<Results<Ok<IReadOnlyList<OnboardingItem>>, ValidationProblem>> Onboarding(ModelHost host, int? n, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (ApiProblems.CheckCount(n, CatalogIndex.MaxOnboarding) is { } bad) return bad;
        var clusters = catalog.Clusters.Clusters;
        IReadOnlyList<OnboardingItem> items = [.. catalog.Onboarding.Take(n ?? 20)
            .Select(o => new OnboardingItem(MovieSummary.Of(o.Movie, catalog), o.Cluster, o.Cluster >= 0 && o.Cluster < clusters.Count ? clusters[o.Cluster].Name : ""))];
        return TypedResults.Ok(items);
    }

    private static async Task<Ok<IReadOnlyList<ClusterSummary>>> Clusters(ModelHost host, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ClusterSummary> clusters = [.. catalog.Clusters.Clusters.Select(c => Summary(c, catalog))];
        return TypedResults.Ok(clusters);
    }

    private static ClusterSummary Summary(MovieClusterInfo c, CatalogIndex catalog) =>
        new(c.Id, c.Name, c.Size, c.Genres, c.Era, c.RatingLevel, [.. c.Representatives.Select(m => MovieSummary.Of(m, catalog))]);

    private static async Task<Results<Ok<MoviePage>, ValidationProblem, ProblemHttpResult>> ClusterMovies(
        ModelHost host, int id, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var clusters = catalog.Clusters;
        if (id < 0 || id >= clusters.Clusters.Count) return ApiProblems.NotFound($"No cluster {id}; clusters are 0 to {clusters.Clusters.Count - 1}.");
        int p = page ?? 1, size = pageSize ?? 20;
        if (p < 1) return ApiProblems.Field("page", $"must be 1 or more, not {p}.");
        if (ApiProblems.CheckCount(size, MoviesApi.MaxPageSize, "pageSize") is { } bad) return bad;
        if ((long)p * size > MoviesApi.MaxResults) return ApiProblems.Field("page", $"page * pageSize must not exceed {MoviesApi.MaxResults}.");
        var members = catalog.Catalog.Movies.Where(m => clusters.ClusterOf(m.Id) == id)
            .OrderByDescending(m => catalog.Weighted[m.Id]).ThenBy(m => m.Id).ToList();
        return TypedResults.Ok(new MoviePage([.. members.Skip((p - 1) * size).Take(size).Select(m => MovieSummary.Of(m, catalog))], p, size, members.Count, null));
    }
}
