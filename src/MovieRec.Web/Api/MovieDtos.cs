using MovieRec.Core.Data;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Api;

/// <summary>A movie in a list.</summary>
public sealed record MovieSummary(MovieId MovieId, string Title, int? Year, IReadOnlyList<string> Genres, int RatingCount, double RatingMean, string PosterUrl)
{
    public static MovieSummary Of(MovieHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var movie = hit.Movie;
        var id = MovieId.Of(movie);
        return new(id, movie.Title, movie.Year, movie.Genres, hit.Stats.Count, Math.Round(hit.Stats.Mean, 3), PosterPath(id));
    }

    public static string PosterPath(MovieId movieId) => $"/api/v1/movies/{movieId.Escaped}/poster";
}

/// <summary>A movie with a score (search relevance or similarity) and, for similar movies by ratings, the reason it is listed.</summary>
public sealed record ScoredMovie(MovieSummary Movie, float Score, string? Reason = null)
{
    public static ScoredMovie Of(MovieHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new(MovieSummary.Of(hit), MathF.Round(hit.Score, 4), hit.Reason);
    }
}

/// <summary>A page of movies; didYouMean holds close titles when a title query matched nothing.</summary>
public sealed record MoviePage(IReadOnlyList<MovieSummary> Items, int Page, int PageSize, int Total, IReadOnlyList<string>? DidYouMean)
{
    public static MoviePage Of(MovieListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return new([.. listing.Items.Select(MovieSummary.Of)], listing.Page, listing.PageSize, listing.Total, Titles(listing.DidYouMean));
    }

    internal static IReadOnlyList<string>? Titles(IReadOnlyList<Movie>? movies) => movies is null ? null : [.. movies.Select(m => m.ToString())];
}

/// <summary>
/// A movie's page: metadata, rating statistics, cluster. Runtime is TMDB's, else IMDb's; ImdbRating and ImdbVotes come
/// from IMDb's title.ratings.tsv when it was joined.
/// </summary>
public sealed record MovieDetails(
    MovieId MovieId, string Title, int? Year, IReadOnlyList<string> Genres, string PosterUrl,
    string? Overview, string? Tagline, int? Runtime, DateOnly? ReleaseDate, IReadOnlyList<string> Directors,
    IReadOnlyList<string> Cast, IReadOnlyList<string> Keywords, string? ImdbId, int? TmdbId,
    int RatingCount, double RatingMean, IReadOnlyList<HistogramBar> Histogram, double WeightedRating, ClusterRef? Cluster,
    double? ImdbRating = null, int? ImdbVotes = null)
{
    public static MovieDetails Of(MovieDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var movie = detail.Movie;
        var tmdb = movie.Tmdb;
        return new(
            MovieId.Of(movie), movie.Title, movie.Year, movie.Genres, MovieSummary.PosterPath(MovieId.Of(movie)),
            tmdb?.Overview, tmdb?.Tagline, movie.RuntimeMinutes, tmdb?.ReleaseDate, tmdb?.Directors ?? [],
            [.. (tmdb?.Cast ?? []).Take(8)], [.. (tmdb?.Keywords ?? []).Take(12)], movie.ImdbTconst, movie.TmdbId,
            detail.Stats.Count, Math.Round(detail.Stats.Mean, 3), detail.Histogram, Math.Round(detail.WeightedRating, 3),
            detail.Cluster is { } cluster ? new ClusterRef(cluster.Id, cluster.Name) : null,
            ImdbRating: movie.ImdbRating, ImdbVotes: movie.ImdbVotes);
    }
}

/// <summary>A cluster named in a movie's details.</summary>
public sealed record ClusterRef(int Id, string Name);

/// <summary>Similar movies, and how they were found.</summary>
public sealed record SimilarMovies(MovieId MovieId, string By, IReadOnlyList<ScoredMovie> Items, string? Note)
{
    public static SimilarMovies Of(SimilarAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(answer.MovieId, answer.By, [.. answer.Items.Select(ScoredMovie.Of)], answer.Note);
    }
}

/// <summary>
/// Search results; mode is hybrid, lexical (with the reason when semantic search is unavailable), similar (the query
/// named a movie, "movies like Ocean's Eleven": similarTo is that movie, the items its neighbours; null otherwise) or
/// browse (the query asked only for years, people, genres or a studio: "90s movies", "horror movies", "pixar movies";
/// the items are the best-known of those, era, people, genres and studio say what was read);
/// genres: the genres "movies like The Matrix but funnier" asked the neighbours to be, or, without similarTo, the genres
/// a query that asked only for kinds of movie named ("horror movies", "funny movie for kids": Comedy and Children; the
/// items are then the best-known movies of all of them); null: none asked. studio: the production company such a
/// query named ("pixar movies": "Pixar"; the items are all its movies); null: none. language: the original language
/// it named ("korean thriller": "Korean", "foreign films": "foreign-language"); topic: the subject it named, matched
/// against TMDB keywords and MovieLens tags ("dog movies": "dog"); null: none.
/// </summary>
public sealed record SearchResults(string Query, string Mode, string? Note, IReadOnlyList<ScoredMovie> Items, IReadOnlyList<string>? DidYouMean, bool Personalised,
    MovieSummary? SimilarTo, SearchEra? Era, IReadOnlyList<MovieSummary>? SimilarToAll, IReadOnlyList<string>? People, IReadOnlyList<string>? Genres, string? Studio,
    string? Language, string? Topic)
{
    public static SearchResults Of(SearchAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(answer.Query, answer.Mode, answer.Note, [.. answer.Items.Select(ScoredMovie.Of)], MoviePage.Titles(answer.DidYouMean), answer.Personalised,
            answer.SimilarTo is { } named ? MovieSummary.Of(named) : null, answer.Era is { } era ? new SearchEra(era.From, era.To, era.Label) : null,
            answer.SimilarToAll is { } all ? [.. all.Select(MovieSummary.Of)] : null, answer.People, answer.Genres, answer.Studio, answer.Language, answer.Topic);
    }
}

/// <summary>
/// The release years a search asked for ("80s teen comedy": 1980-1989, "the 1980s"); its results are all from them.
/// Null when the query names no years.
/// </summary>
public sealed record SearchEra(int From, int To, string Label);

/// <summary>A movie to rate when starting, with its cluster.</summary>
public sealed record OnboardingItem(MovieSummary Movie, int Cluster, string ClusterName)
{
    public static OnboardingItem Of(OnboardingEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(MovieSummary.Of(entry.Movie), entry.Cluster?.Id ?? -1, entry.Cluster?.Name ?? "");
    }
}

/// <summary>A movie cluster with its representatives.</summary>
public sealed record ClusterSummary(int Id, string Name, int Size, IReadOnlyList<string> Genres, string Era, string RatingLevel, IReadOnlyList<MovieSummary> Representatives)
{
    public static ClusterSummary Of(ClusterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var c = entry.Info;
        return new(c.Id, c.Name, c.Size, c.Genres, c.Era, c.RatingLevel, [.. entry.Representatives.Select(MovieSummary.Of)]);
    }
}
