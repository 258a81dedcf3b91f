using MovieRec.Web.Api;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Queries;

/// <summary>PUT /me/ratings/{movieId} body.</summary>
/// <param name="Rating">The rating, on the dataset's scale (0.5 to 5 in half stars for MovieLens).</param>
public sealed record RatingBody(float? Rating = null);

/// <summary>An account's rating of a movie (its id as the dataset spells it).</summary>
public sealed record MyRating(MovieId MovieId, string Title, int? Year, float Rating, DateTimeOffset UpdatedAt);

/// <summary>An account's ratings.</summary>
public sealed record MyRatings(IReadOnlyList<MyRating> Items);

/// <summary>
/// The stars predicted for the account on one movie (the serving SVD folded in from the account's other ratings, as
/// shown beside recommendations), how many ratings it used, and why the movie suits them (null when no link holds).
/// <paramref name="PredictedRating"/> is null, with a note, when none of the account's ratings can be used yet.
/// </summary>
public sealed record MyPrediction(MovieId MovieId, string Title, int? Year, float? PredictedRating, int FromRatings, string? Reason, MovieId? BecauseOf,
    float? YourRating, string? Note, string ModelVersion);

/// <summary>
/// An account's own ratings: list them, rate a movie, remove a rating. A change drops the account's cached
/// recommendation lists, so its next list folds in the new ratings at once.
/// </summary>
public sealed class AccountRatings(ModelHost host, IRatingStore store, Recommender recommender)
{
    public async Task<MyRatings> ListAsync(long accountId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var stored = catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        return new MyRatings([.. stored.Select(r =>
        {
            var movie = catalog.Catalog[r.MovieId];
            return new MyRating(catalog.IdOf(r.MovieId), movie?.Title ?? "", movie?.Year, r.Rating, r.UpdatedAt);
        })]);
    }

    /// <summary>Stores the rating (acknowledged once durable); a missing movie is 404, a missing or off-scale rating names "rating".</summary>
    public async Task<QueryResult<MyRating>> RateAsync(long accountId, MovieId movieId, RatingBody? body, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        if (body?.Rating is not float rating) return QueryError.Invalid("rating", "is required, e.g. {\"rating\": 4.5}.");
        if (catalog.Dataset.Ratings.Scale.Check(rating) is { } problem) return QueryError.Invalid("rating", problem + ".");
        // To the millisecond, as the store keeps it: the acknowledgement says what GET /me/ratings will.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (!await store.UpsertRatingAsync(accountId, catalog.StorageKeyOf(movie.Id), rating, now, cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound("The account no longer exists (it was deleted); start a new one with POST /api/v1/sessions.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return new MyRating(MovieId.Of(movie), movie.Title, movie.Year, rating, now);
    }

    /// <summary>What the account would give <paramref name="movieId"/>, predicted from its other ratings; a missing movie is 404.</summary>
    public async Task<QueryResult<MyPrediction>> PredictAsync(long accountId, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        var stored = catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        var ratings = stored.Select(r => new MovieRating(r.MovieId, r.Rating)).ToList();
        float? yours = stored.FirstOrDefault(r => r.MovieId == movie.Id)?.Rating;
        var predicted = await recommender.PredictAsync(ratings, movie.Id, cancellationToken).ConfigureAwait(false);
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (predicted is null)
            return new MyPrediction(MovieId.Of(movie), movie.Title, movie.Year, null, 0, null, null, yours,
                ratings.Count(r => r.MovieId != movie.Id) == 0 ? "Rate a movie or two first: a prediction folds in your other ratings." : "None of your other rated movies is known to the serving model yet.",
                model.Version);
        return new MyPrediction(MovieId.Of(movie), movie.Title, movie.Year, predicted.Stars, predicted.From, predicted.Reason,
            predicted.BecauseOf is long b && catalog.Catalog[b] is { } because ? MovieId.Of(because) : null, yours, null, predicted.ModelVersion);
    }

    /// <summary>Removes the account's rating of a movie; null when done, the 404 when there was none.</summary>
    public async Task<QueryError?> UnrateAsync(long accountId, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.KeyOf(movieId) is not long key || !await store.DeleteRatingAsync(accountId, catalog.StorageKeyOf(key), cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound($"You have not rated movie {QueryError.Echo(movieId.Value)}.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
