using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>One bar of a rating histogram: how many ratings were (about) <paramref name="Rating"/>.</summary>
public sealed record HistogramBar(float Rating, int Count);

/// <summary>
/// A movie with what its page shows: metadata (on <see cref="Movie"/>), rating statistics, the histogram over the
/// rating scale, the IMDb weighted rating and its movie cluster.
/// </summary>
public sealed record MovieDetail(Movie Movie, MovieRatingStats Stats, IReadOnlyList<HistogramBar> Histogram, double WeightedRating, MovieClusterInfo? Cluster);

/// <summary>A movie's details. GET /movies/{id} and the movie page.</summary>
public sealed class MovieDetailQueries(ModelHost host)
{
    /// <summary>The movie <paramref name="movieId"/> names (as the dataset spells it), or 404.</summary>
    public async Task<QueryResult<MovieDetail>> FindAsync(MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        long id = movie.Id;
        var stats = catalog.StatsOf(id);
        var scale = catalog.Dataset.Ratings.Scale;
        var bars = new HistogramBar[stats.Histogram.Count];
        // Bucket k of the histogram stands for the k-th step from the scale's minimum to its maximum.
        for (int k = 0; k < bars.Length; k++)
            bars[k] = new HistogramBar(scale.Min + (scale.Max - scale.Min) * k / (bars.Length - 1), stats.Histogram[k]);
        int cluster = catalog.Clusters.ClusterOf(id);
        return new MovieDetail(movie, stats, bars, catalog.Weighted[id], cluster >= 0 ? catalog.Clusters.Clusters[cluster] : null);
    }
}
