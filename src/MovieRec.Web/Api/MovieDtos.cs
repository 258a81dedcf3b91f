using MovieRec.Core.Data;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Api;

/// <summary>A movie in a list.</summary>
public sealed record MovieSummary(long MovieId, string Title, int? Year, IReadOnlyList<string> Genres, int RatingCount, double RatingMean, string PosterUrl)
{
    public static MovieSummary Of(Movie movie, CatalogIndex catalog)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(catalog);
        var stats = catalog.StatsOf(movie.Id);
        return new(movie.Id, movie.Title, movie.Year, movie.Genres, stats.Count, Math.Round(stats.Mean, 3), PosterPath(movie.Id));
    }

    public static string PosterPath(long movieId) => $"/api/v1/movies/{movieId}/poster";
}

/// <summary>A movie with a score (search relevance or similarity).</summary>
public sealed record ScoredMovie(MovieSummary Movie, float Score);

/// <summary>A page of movies.</summary>
public sealed record MoviePage(IReadOnlyList<MovieSummary> Items, int Page, int PageSize, int Total, IReadOnlyList<string>? DidYouMean);

/// <summary>One bar of a rating histogram.</summary>
public sealed record HistogramBar(float Rating, int Count);

/// <summary>
/// A movie's page: metadata, rating statistics, cluster. Runtime is TMDB's, else IMDb's; ImdbRating and ImdbVotes come
/// from IMDb's title.ratings.tsv when it was joined.
/// </summary>
public sealed record MovieDetails(
    long MovieId, string Title, int? Year, IReadOnlyList<string> Genres, string PosterUrl,
    string? Overview, string? Tagline, int? Runtime, DateOnly? ReleaseDate, IReadOnlyList<string> Directors,
    IReadOnlyList<string> Cast, IReadOnlyList<string> Keywords, string? ImdbId, int? TmdbId,
    int RatingCount, double RatingMean, IReadOnlyList<HistogramBar> Histogram, double WeightedRating, ClusterRef? Cluster,
    double? ImdbRating = null, int? ImdbVotes = null);

/// <summary>A cluster named in a movie's details.</summary>
public sealed record ClusterRef(int Id, string Name);

/// <summary>Similar movies, and how they were found.</summary>
public sealed record SimilarMovies(long MovieId, string By, IReadOnlyList<ScoredMovie> Items, string? Note);

/// <summary>Search results; mode is semantic or lexical (with the reason when semantic search is unavailable).</summary>
public sealed record SearchResults(string Query, string Mode, string? Note, IReadOnlyList<ScoredMovie> Items, IReadOnlyList<string>? DidYouMean);
