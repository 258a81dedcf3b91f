using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Queries;

/// <summary>GET /movies: movies by title, genre and year, a page at a time.</summary>
/// <param name="Q">Words of the title: prefix and fuzzy matching, accent-insensitive (at most 200 characters). Without it, the most rated movies first.</param>
/// <param name="Genre">Only movies of this genre (any case), e.g. Animation.</param>
/// <param name="Year">Only movies of this year (1995), decade (1990s) or range (1990-1999).</param>
/// <param name="Page">The page, from 1 (default 1).</param>
/// <param name="PageSize">Movies per page, 1 to 100 (default 20); page * pageSize may not exceed 10,000.</param>
public sealed record MovieListRequest(string? Q = null, string? Genre = null, string? Year = null, int? Page = null, int? PageSize = null)
{
    public const int DefaultPageSize = 20;
    public const int MaxQuery = 200;

    /// <summary>The request's client mistakes, or its page, page size and filter.</summary>
    internal QueryError? Check(CatalogIndex catalog, out int page, out int size, out CandidateFilter filter)
    {
        filter = CandidateFilter.None;
        if (CatalogFilters.CheckPage(Page, PageSize, DefaultPageSize, out page, out size) is { } bad) return bad;
        if (Q is { Length: > MaxQuery }) return QueryError.Invalid("q", $"must be at most {MaxQuery} characters.");
        var resolved = CatalogFilters.Resolve(catalog, Genre, Year);
        if (!resolved.IsOk) return resolved.Error;
        filter = resolved.Value;
        return null;
    }
}

/// <summary>GET /clusters/{id}/movies: the movies of a movie cluster, best rated first.</summary>
/// <param name="Id">The cluster, from 0.</param>
/// <param name="Page">The page, from 1 (default 1).</param>
/// <param name="PageSize">Movies per page, 1 to 100 (default 20).</param>
public sealed record ClusterMoviesRequest(int Id, int? Page = null, int? PageSize = null);

/// <summary>A page of movies; <paramref name="DidYouMean"/> holds close titles when a title query matched nothing.</summary>
public sealed record MovieListing(IReadOnlyList<MovieHit> Items, int Page, int PageSize, int Total, IReadOnlyList<Movie>? DidYouMean, CandidateFilter Filter);

/// <summary>
/// Listing movies: by title (prefix and fuzzy), genre and year, or all of them most rated first; and the members of a
/// movie cluster. GET /movies, GET /clusters/{id}/movies and the search page's title search.
/// </summary>
public sealed class MovieListQueries(ModelHost host)
{
    public async Task<QueryResult<MovieListing>> ListAsync(MovieListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.Check(catalog, out int page, out int size, out var filter) is { } bad) return bad;
        List<Movie> matches;
        IReadOnlyList<Movie>? didYouMean = null;
        if (!string.IsNullOrWhiteSpace(request.Q))
        {
            // Every match, so the total is the number of matching titles (a pager needs it), not the page's end.
            matches = [.. catalog.Titles.Search(request.Q, int.MaxValue, filter.IsEmpty ? null : filter.Accepts).Select(h => h.Movie)];
            if (matches.Count == 0) didYouMean = catalog.Titles.Suggest(request.Q, 5);
        }
        else
        {
            matches = [.. catalog.Catalog.Movies.Where(filter.Accepts).OrderByDescending(m => catalog.StatsOf(m.Id).Count).ThenBy(m => m.Id)];
        }
        var items = matches.Skip((page - 1) * size).Take(size).Select(m => MovieHit.Of(m, catalog)).ToList();
        return new MovieListing(items, page, size, matches.Count, didYouMean, filter);
    }

    /// <summary>The genres a listing may be filtered by, in alphabetical order.</summary>
    public async Task<IReadOnlyList<string>> GenresAsync(CancellationToken cancellationToken) =>
        (await host.CatalogAsync(cancellationToken).ConfigureAwait(false)).Genres;

    public async Task<QueryResult<MovieListing>> ClusterAsync(ClusterMoviesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var clusters = catalog.Clusters;
        if (request.Id < 0 || request.Id >= clusters.Clusters.Count)
            return QueryError.NotFound($"No cluster {request.Id}; clusters are 0 to {clusters.Clusters.Count - 1}.");
        if (CatalogFilters.CheckPage(request.Page, request.PageSize, MovieListRequest.DefaultPageSize, out int page, out int size) is { } bad) return bad;
        var members = catalog.Catalog.Movies.Where(m => clusters.ClusterOf(m.Id) == request.Id)
            .OrderByDescending(m => catalog.Weighted[m.Id]).ThenBy(m => m.Id).ToList();
        var items = members.Skip((page - 1) * size).Take(size).Select(m => MovieHit.Of(m, catalog)).ToList();
        return new MovieListing(items, page, size, members.Count, null, CandidateFilter.None);
    }
}
