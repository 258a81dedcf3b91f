using MovieRec.Web.Api;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Queries;

/// <summary>What every recommendation request chooses: the algorithm, how many movies, and optional filters.</summary>
public interface IRecommendationChoices
{
    /// <summary>The algorithm (GET /algorithms lists them); none means the service's default (MovieRec:DefaultAlgorithm).</summary>
    string? Algorithm { get; }

    /// <summary>How many movies, 1 to 100 (default 10).</summary>
    int? N { get; }

    /// <summary>Only movies of this genre.</summary>
    string? Genre { get; }

    /// <summary>Only movies of this year (1995), decade (1990s) or range (1990-1999).</summary>
    string? Year { get; }
}

/// <summary>A (movie, rating) pair in a request body.</summary>
/// <param name="MovieId">The movie, by its id as the dataset spells it (a number for MovieLens, a string such as "track-123" for datasets of string ids).</param>
/// <param name="Rating">The rating, on the dataset's scale (0.5 to 5 in half stars for MovieLens).</param>
public sealed record RatingInput(MovieId? MovieId = null, float? Rating = null);

/// <summary>POST /recommendations: ratings of an anonymous visitor, how many, which algorithm, optional filters.</summary>
/// <param name="Ratings">The visitor's ratings (at most 1000; a movie rated twice keeps the last rating). None: well-liked movies.</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
/// <param name="Algorithm">The algorithm (GET /algorithms lists them); none means the service's default.</param>
/// <param name="Genre">Only movies of this genre.</param>
/// <param name="Year">Only movies of this year (1995), decade (1990s) or range (1990-1999).</param>
public sealed record RecommendationRequest(IReadOnlyList<RatingInput>? Ratings = null, int? N = null, string? Algorithm = null, string? Genre = null, string? Year = null)
    : IRecommendationChoices
{
    public const int MaxRatings = 1000;

    /// <summary>The ratings as a profile (the last rating of a movie rated twice), or the first rating's mistake, named by its JSON path.</summary>
    internal QueryResult<IReadOnlyList<MovieRating>> CheckRatings(CatalogIndex catalog)
    {
        var ratings = Ratings ?? [];
        if (ratings.Count > MaxRatings) return QueryError.Invalid("ratings", $"at most {MaxRatings} ratings per request, not {ratings.Count}.");
        var scale = catalog.Dataset.Ratings.Scale;
        var profile = new Dictionary<long, float>(ratings.Count);
        for (int k = 0; k < ratings.Count; k++)
        {
            var r = ratings[k];
            if (r is null) return QueryError.Invalid($"ratings[{k}]", "must be an object with movieId and rating.");
            if (r.MovieId is not MovieId id) return QueryError.Invalid($"ratings[{k}].movieId", "is required.");
            if (catalog.KeyOf(id) is not long movieId || catalog.Catalog[movieId] is null) return QueryError.Invalid($"ratings[{k}].movieId", $"no movie with id {QueryError.Echo(id.Value)}.");
            if (r.Rating is not float value) return QueryError.Invalid($"ratings[{k}].rating", "is required.");
            if (scale.Check(value) is { } problem) return QueryError.Invalid($"ratings[{k}].rating", problem + ".");
            profile[movieId] = value; // a movie rated twice keeps the last rating
        }
        return QueryResult<IReadOnlyList<MovieRating>>.Ok([.. profile.Select(p => new MovieRating(p.Key, p.Value))]);
    }
}

/// <summary>GET /me/recommendations: recommendations from the account's stored ratings.</summary>
/// <param name="Algorithm">The algorithm (GET /algorithms lists them); none means the service's default.</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
/// <param name="Genre">Only movies of this genre.</param>
/// <param name="Year">Only movies of this year (1995), decade (1990s) or range (1990-1999).</param>
public sealed record RecommendationQuery(string? Algorithm = null, int? N = null, string? Genre = null, string? Year = null) : IRecommendationChoices;

/// <summary>GET /users/{id}/recommendations: recommendations for a user of the dataset.</summary>
/// <param name="Id">The user's id in the dataset, as the dataset spells it.</param>
/// <param name="Algorithm">The algorithm (GET /algorithms lists them); none means the service's default.</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
/// <param name="Genre">Only movies of this genre.</param>
/// <param name="Year">Only movies of this year (1995), decade (1990s) or range (1990-1999).</param>
public sealed record DatasetUserRecommendationRequest(string Id, string? Algorithm = null, int? N = null, string? Genre = null, string? Year = null) : IRecommendationChoices;

/// <summary>
/// Recommendations for ratings in a request (an anonymous visitor), for an account's stored ratings (the API and the
/// recommendations page) and for a user of the dataset: validates the request, then asks the
/// <see cref="Recommender"/>. The same ratings and choices give the same list whichever way they come.
/// </summary>
public sealed class RecommendationQueries(ModelHost host, Recommender recommender, IRatingStore store, AlgorithmChoices algorithms)
{
    public const int DefaultN = 10;

    public async Task<QueryResult<RecommendationList>> ForRatingsAsync(RecommendationRequest? request, CancellationToken cancellationToken)
    {
        if (request is null) return QueryError.Invalid("body", "expects {\"ratings\":[{\"movieId\":1,\"rating\":4.5}],\"n\":10,\"algorithm\":\"hybrid\"}.");
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var choices = Check(request, catalog, forNewUsers: true);
        if (!choices.IsOk) return choices.Error;
        var profile = request.CheckRatings(catalog);
        if (!profile.IsOk) return profile.Error;
        var (algorithm, n, filter) = choices.Value;
        var (served, notice) = await WhileDefaultTrainsAsync(request.Algorithm, algorithm, cancellationToken).ConfigureAwait(false);
        return Noted(await recommender.ForRatingsAsync(profile.Value, served, n, filter, null, cancellationToken).ConfigureAwait(false), notice);
    }

    /// <summary>Recommendations from an account's stored ratings.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="request">The choices.</param>
    /// <param name="ratings">The account's ratings (catalogue keys, <see cref="CatalogIndex.FromStorage"/>) when the caller has just read them; null reads them from the store.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<QueryResult<RecommendationList>> ForAccountAsync(long accountId, IRecommendationChoices request, IReadOnlyList<StoredRating>? ratings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var choices = Check(request, catalog, forNewUsers: true);
        if (!choices.IsOk) return choices.Error;
        ratings ??= catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        var (algorithm, n, filter) = choices.Value;
        // Not the movies the account hid or keeps on its watchlist.
        filter = filter.Hiding(catalog.KeysFromStorage(await store.GetUnrecommendedAsync(accountId, cancellationToken).ConfigureAwait(false)));
        var (served, notice) = await WhileDefaultTrainsAsync(request.Algorithm, algorithm, cancellationToken).ConfigureAwait(false);
        return Noted(await recommender.ForRatingsAsync([.. ratings.Select(r => new MovieRating(r.MovieId, r.Rating))], served, n, filter, accountId, cancellationToken).ConfigureAwait(false), notice);
    }

    public async Task<QueryResult<RecommendationList>> ForDatasetUserAsync(DatasetUserRecommendationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var choices = Check(request, catalog, forNewUsers: false);
        if (!choices.IsOk) return choices.Error;
        var (algorithm, n, filter) = choices.Value;
        var (served, notice) = await WhileDefaultTrainsAsync(request.Algorithm, algorithm, cancellationToken).ConfigureAwait(false);
        var list = await recommender.ForDatasetUserAsync(request.Id, served, n, filter, cancellationToken).ConfigureAwait(false);
        return list is null ? QueryError.NotFound($"No user {QueryError.Echo(request.Id)} in the dataset.") : Noted(list, notice);
    }

    /// <summary>
    /// Algorithms that train in a second or two (ease about 1.8 s, item-knn 0.4 s, popularity 0.01 s on
    /// ml-latest-small; the default, taste, takes seconds more): the first one this deployment serves answers while the
    /// default trains. EASE first: its lists for five favourites are nearly taste's (new-user protocol P@10 0.405, HR@10
    /// 0.897 against item-knn's 0.315 and 0.799), for 1.8 s more on the first request of a fresh start.
    /// </summary>
    internal static readonly string[] QuickAlgorithms = ["ease", "item-knn", "popularity"];

    /// <summary>
    /// The algorithm to serve and, when it is not the one asked for, why. A request that names no algorithm gets the
    /// default; while the serving model is an interim one whose default is not trained (the first seconds after a
    /// fresh start: <see cref="ServingModel.Interim"/>), it gets a quick algorithm's list, which says so. A request
    /// that names its algorithm always gets that one, waiting for it if need be; so does every request outside
    /// start-up's warm-up (MovieRec:WarmUp off: the default is trained by the first request that needs it).
    /// </summary>
    private async Task<(string Algorithm, string? Notice)> WhileDefaultTrainsAsync(string? named, string algorithm, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(named)) return (algorithm, null);
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (!model.Interim || model.IsReady(algorithm)) return (algorithm, null);
        string? quick = Array.Find(QuickAlgorithms, a => a != algorithm && algorithms.IsServed(a) && AlgorithmChoices.IsForNewUsers(a));
        if (quick is null) return (algorithm, null);
        // The default is not trained on the interim model: the version replacing it in seconds trains it (training
        // it here too would take the cores the warm-up needs). The quick one is trained here, in under a second.
        await model.GetAsync(quick).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (quick, $"The default algorithm, {algorithm}, is still being trained (the service has just started): this list is {quick}'s. "
            + $"Ask again in a few seconds for {algorithm}'s, or name an algorithm to wait for it.");
    }

    private static RecommendationList Noted(RecommendationList list, string? notice) => notice is null ? list : list with { Notice = notice };

    /// <summary>
    /// The algorithm (the default when none is named; from a handful of ratings only one offered for new users), the
    /// count and the filter, or the first mistake.
    /// </summary>
    private QueryResult<Choices> Check(IRecommendationChoices request, CatalogIndex catalog, bool forNewUsers)
    {
        var algorithm = algorithms.Resolve(request.Algorithm, forNewUsers);
        if (!algorithm.IsOk) return algorithm.Error;
        if (QueryError.CheckCount(request.N, Recommender.MaxN) is { } bad) return bad;
        var filter = CatalogFilters.Resolve(catalog, request.Genre, request.Year);
        if (!filter.IsOk) return filter.Error;
        return new Choices(algorithm.Value, request.N ?? DefaultN, filter.Value);
    }

    private sealed record Choices(string Algorithm, int N, CandidateFilter Filter);
}
