using MovieRec.Core.Data;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>
/// A movie in a query's answer, with its rating statistics, where the query ranks its score, and where the query can
/// say why the movie is listed, the reason (a fact that holds in the data).
/// </summary>
public sealed record MovieHit(Movie Movie, MovieRatingStats Stats, float Score, string? Reason = null)
{
    public static MovieHit Of(Movie movie, CatalogIndex catalog, float score = 0, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(catalog);
        return new(movie, catalog.StatsOf(movie.Id), score, reason);
    }
}
