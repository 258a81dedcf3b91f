using MovieRec.Core.Data;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>A movie in a query's answer, with its rating statistics and, where the query ranks, its score.</summary>
public sealed record MovieHit(Movie Movie, MovieRatingStats Stats, float Score)
{
    public static MovieHit Of(Movie movie, CatalogIndex catalog, float score = 0)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(catalog);
        return new(movie, catalog.StatsOf(movie.Id), score);
    }
}
