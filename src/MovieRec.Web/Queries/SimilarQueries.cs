using MovieRec.Core.Data;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>GET /movies/{id}/similar: movies like one movie.</summary>
/// <param name="Id">The movie, by its id as the dataset spells it.</param>
/// <param name="By">content (directors, top-3 cast, keywords, genres, MovieLens tags, decade; default), text (TF-IDF of overview and tags), semantic (sentence embeddings; text when no embedding model is configured, content when the movie has no overview and no tags, with a note saying so) or ratings (people who liked it also liked: the movies its likers liked, relative to how widely each is liked, with at least 3 co-likers; each item's reason gives the count).</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
public sealed record SimilarRequest(MovieId Id, string? By = null, int? N = null)
{
    public const int MaxN = 100;
    public const int DefaultN = 10;

    /// <summary>The ways of comparing movies, as <see cref="By"/> names them.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["content", "text", "semantic", "ratings"];

    internal QueryError? Check(out string mode)
    {
        mode = (By ?? "content").Trim().ToLowerInvariant();
        if (QueryError.CheckCount(N, MaxN) is { } bad) return bad;
        return Modes.Contains(mode) ? null : QueryError.Invalid("by", $"must be content, text, semantic or ratings, not '{QueryError.Echo(By)}'.");
    }
}

/// <summary>Similar movies and how they were found (<paramref name="By"/>); <paramref name="Note"/> says why when there are none or when a fallback was used.</summary>
public sealed record SimilarAnswer(MovieId MovieId, string By, IReadOnlyList<MovieHit> Items, string? Note);

/// <summary>Movies similar to one movie, by content, text, sentence embeddings or ratings. GET /movies/{id}/similar and the movie page.</summary>
public sealed class SimilarQueries(ModelHost host)
{
    public async Task<QueryResult<SimilarAnswer>> SimilarAsync(SimilarRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.Check(out string mode) is { } bad) return bad;
        if (catalog.Find(request.Id) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(request.Id.Value)}.");
        long id = movie.Id;
        int count = request.N ?? SimilarRequest.DefaultN;
        string? note = null;
        IReadOnlyList<(Movie Movie, float Similarity)> similar;
        if (mode is "ratings") return CoLiked(catalog, movie, count);
        switch (mode)
        {
            case "content":
                similar = catalog.Content.Similar(id, count);
                break;
            case "semantic" when catalog.Semantic is not null && !movie.IsDescribed:
                // Its embedding would be of the title and genres alone: Enter the Dragon's nearest were Double Dragon,
                // Dragonheart 3 and Red Dragon, films that share a word of the title.
                note = $"there is no description of {movie.ShortTitle} (no overview, no tags) to compare by meaning; showing content similarity";
                mode = "content";
                similar = catalog.Content.Similar(id, count);
                break;
            case "semantic" when catalog.Semantic is { } semantic:
                similar = semantic.Similar(id, count);
                break;
            case "semantic":
                note = $"semantic similarity is unavailable ({catalog.SemanticDisabledReason}); showing text (TF-IDF) similarity";
                mode = "text";
                similar = catalog.Text.Similar(id, count);
                break;
            case "text":
            default:
                similar = catalog.Text.Similar(id, count);
                break;
        }
        if (similar.Count == 0 && note is null) note = "no metadata to compare for this movie";
        return new SimilarAnswer(MovieId.Of(movie), mode, [.. similar.Select(s => MovieHit.Of(s.Movie, catalog, s.Similarity))], note);
    }

    /// <summary>People who liked the movie also liked: each with the count that makes the heading true.</summary>
    private static SimilarAnswer CoLiked(CatalogIndex catalog, Movie movie, int count)
    {
        var coLiked = catalog.CoLiked(movie.Id, count);
        string? note = coLiked.Count == 0 ? catalog.WhyNoCoLiked(movie.Id) : null;
        return new SimilarAnswer(MovieId.Of(movie), "ratings",
            [.. coLiked.Select(c => MovieHit.Of(c.Movie, catalog, c.Link.Score, $"{c.Link.Both} of the {c.Link.LikedSource} people who liked {movie.ShortTitle} liked this too"))], note);
    }
}
