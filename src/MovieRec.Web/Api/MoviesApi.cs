using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Posters;

namespace MovieRec.Web.Api;

/// <summary>GET /movies (title search with filters), /movies/{id}, /movies/{id}/similar, /movies/{id}/poster.</summary>
public static class MoviesApi
{
    public const int MaxPageSize = 100;
    public const int MaxResults = 10_000;

    public static RouteGroupBuilder MapMoviesApi(this RouteGroupBuilder api)
    {
        var movies = api.MapGroup("/movies").WithTags("Movies");
        movies.MapGet("/", List).WithSummary("Movies by title (prefix and fuzzy, accent-insensitive), genre and year, most rated first without a query.");
        movies.MapGet("/{id:long}", Details).WithSummary("A movie with metadata and rating statistics.");
        movies.MapGet("/{id:long}/similar", Similar).WithSummary("Similar movies by content, text, semantic embeddings or ratings.").RequireRateLimiting(RateLimits.Expensive);
        movies.MapGet("/{id:long}/poster", Poster).WithSummary("The movie's poster: OMDb when configured, otherwise a generated SVG.").ExcludeFromDescription();
        return api;
    }

    private static async Task<Results<Ok<MoviePage>, ValidationProblem>> List(
        ModelHost host, string? q, string? genre, string? year, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        int p = page ?? 1, size = pageSize ?? 20;
        if (p < 1) return ApiProblems.Field("page", $"must be 1 or more, not {p}.");
        if (ApiProblems.CheckCount(size, MaxPageSize, "pageSize") is { } bad) return bad;
        if ((long)p * size > MaxResults) return ApiProblems.Field("page", $"page * pageSize must not exceed {MaxResults}.");
        if (q is { Length: > 200 }) return ApiProblems.Field("q", "must be at most 200 characters.");
        if (RecommendationsApi.ValidateFilter(catalog, genre, year, out var filter) is { } badFilter) return badFilter;
        List<Movie> matches;
        IReadOnlyList<string>? didYouMean = null;
        if (!string.IsNullOrWhiteSpace(q))
        {
            matches = [.. catalog.Titles.Search(q, p * size, filter.IsEmpty ? null : filter.Accepts).Select(h => h.Movie)];
            if (matches.Count == 0) didYouMean = [.. catalog.Titles.Suggest(q, 5).Select(m => m.ToString())];
        }
        else
        {
            matches = [.. catalog.Catalog.Movies.Where(filter.Accepts).OrderByDescending(m => catalog.StatsOf(m.Id).Count).ThenBy(m => m.Id)];
        }
        var items = matches.Skip((p - 1) * size).Take(size).Select(m => MovieSummary.Of(m, catalog)).ToList();
        return TypedResults.Ok(new MoviePage(items, p, size, matches.Count, didYouMean));
    }

    internal static bool TryParseYears(string? text, out int? from, out int? to)
    {
        from = to = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        text = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (text.EndsWith('s') && int.TryParse(text[..^1], NumberStyles.None, inv, out int decade) && decade % 10 == 0 && decade is >= 1800 and <= 2100)
        {
            (from, to) = (decade, decade + 9);
            return true;
        }
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(text[..dash], NumberStyles.None, inv, out int a) && int.TryParse(text[(dash + 1)..], NumberStyles.None, inv, out int b) && a <= b && a is >= 1800 and <= 2100 && b <= 2100)
        {
            (from, to) = (a, b);
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, inv, out int y) && y is >= 1800 and <= 2100)
        {
            (from, to) = (y, y);
            return true;
        }
        return false;
    }

    private static async Task<Results<Ok<MovieDetails>, ProblemHttpResult>> Details(ModelHost host, long id, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Catalog[id] is not { } movie) return ApiProblems.NotFound($"No movie with id {id}.");
        var stats = catalog.StatsOf(id);
        var scale = catalog.Dataset.Ratings.Scale;
        var bars = new HistogramBar[stats.Histogram.Count];
        for (int k = 0; k < bars.Length; k++)
            bars[k] = new HistogramBar(scale.Min + (scale.Max - scale.Min) * k / (bars.Length - 1), stats.Histogram[k]);
        int cluster = catalog.Clusters.ClusterOf(id);
        var tmdb = movie.Tmdb;
        return TypedResults.Ok(new MovieDetails(
            movie.Id, movie.Title, movie.Year, movie.Genres, MovieSummary.PosterPath(movie.Id),
            tmdb?.Overview, tmdb?.Tagline, movie.RuntimeMinutes, tmdb?.ReleaseDate, tmdb?.Directors ?? [],
            [.. (tmdb?.Cast ?? []).Take(8)], [.. (tmdb?.Keywords ?? []).Take(12)], movie.ImdbTconst, movie.TmdbId,
            stats.Count, Math.Round(stats.Mean, 3), bars, Math.Round(catalog.Weighted[id], 3),
            cluster >= 0 ? new ClusterRef(cluster, catalog.Clusters.Clusters[cluster].Name) : null,
            ImdbRating: movie.ImdbRating, ImdbVotes: movie.ImdbVotes));
    }

    private static async Task<Results<Ok<SimilarMovies>, ValidationProblem, ProblemHttpResult>> Similar(
        ModelHost host, long id, string? by, int? n, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (ApiProblems.CheckCount(n, 100) is { } bad) return bad;
        if (catalog.Catalog[id] is null) return ApiProblems.NotFound($"No movie with id {id}.");
        int count = n ?? 10;
        string mode = (by ?? "content").Trim().ToLowerInvariant();
        string? note = null;
        IReadOnlyList<(Movie Movie, float Similarity)> similar;
        switch (mode)
        {
            case "content":
                similar = catalog.Content.Similar(id, count);
                break;
            case "text":
                similar = catalog.Text.Similar(id, count);
                break;
            case "semantic" when catalog.Semantic is { } semantic:
                similar = semantic.Similar(id, count);
                break;
            case "semantic":
                note = $"semantic similarity is unavailable ({catalog.SemanticDisabledReason}); showing text (TF-IDF) similarity";
                mode = "text";
                similar = catalog.Text.Similar(id, count);
                break;
            case "ratings":
                similar = catalog.RatingSimilar(id, count);
                break;
            default:
                return ApiProblems.Field("by", $"must be content, text, semantic or ratings, not '{by}'.");
        }
        if (similar.Count == 0 && note is null)
            note = mode is "ratings" ? "nobody in the dataset rated this movie" : "no metadata to compare for this movie";
        var items = similar.Select(s => new ScoredMovie(MovieSummary.Of(s.Movie, catalog), MathF.Round(s.Similarity, 4))).ToList();
        return TypedResults.Ok(new SimilarMovies(id, mode, items, note));
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult, ProblemHttpResult>> Poster(ModelHost host, PosterService posters, long id, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Catalog[id] is not { } movie) return ApiProblems.NotFound($"No movie with id {id}.");
        if (await posters.FindUrlAsync(movie, cancellationToken).ConfigureAwait(false) is { } url) return TypedResults.Redirect(url);
        return TypedResults.Content(GeneratedPoster.Svg(movie), "image/svg+xml");
    }
}
