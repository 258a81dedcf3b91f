using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;
using MovieRec.Core.Models;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Recommendations;

/// <summary>A (movie, rating) pair as a client sends it, the movie by its catalogue key (<see cref="Movie.Id"/>).</summary>
public sealed record MovieRating(long MovieId, float Rating);

/// <summary>Which movies may be recommended: a genre and a year range (both optional).</summary>
public sealed record CandidateFilter(string? Genre, int? FromYear, int? ToYear)
{
    // FrozenSet's Empty, not a static field of this type: static initialisers run in the order written, and None,
    // above such a field, was built while it was still null (None.IsEmpty threw, and every start-up warm-up failed).
    public static CandidateFilter None { get; } = new(null, null, null);

    /// <summary>Movies (catalogue keys) the person said they are not interested in: never recommended to them.</summary>
    public IReadOnlySet<long> Hidden { get; private init; } = System.Collections.Frozen.FrozenSet<long>.Empty;

    private string _hiddenKey = "";

    /// <summary>This filter, also leaving out <paramref name="movies"/>.</summary>
    public CandidateFilter Hiding(IReadOnlyCollection<long> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        if (movies.Count == 0) return this;
        // In cache keys: the count and a hash of the sorted ids (an account may hide hundreds).
        var sorted = movies.Order().ToArray();
        ulong hash = Core.Models.ModelFile.Checksum(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sorted.AsSpan()));
        return this with { Hidden = sorted.ToHashSet(), _hiddenKey = string.Create(CultureInfo.InvariantCulture, $"|hidden:{sorted.Length}:{hash:x16}") };
    }

    public bool IsEmpty => Genre is null && FromYear is null && ToYear is null && Hidden.Count == 0;

    public bool Accepts(Movie movie) =>
        (Genre is null || movie.Genres.Contains(Genre, StringComparer.OrdinalIgnoreCase))
        && (FromYear is null || movie.Year >= FromYear)
        && (ToYear is null || movie.Year <= ToYear)
        && !Hidden.Contains(movie.Id);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Genre}|{FromYear}|{ToYear}{_hiddenKey}");
}

/// <summary>One recommended movie with its score, the predicted rating and why (ids as the dataset spells them).</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record RecommendedMovie(MovieId MovieId, string Title, int? Year, IReadOnlyList<string> Genres, float Score, float PredictedRating, string Reason, MovieId? BecauseOf);

/// <summary>
/// A recommendation list, with the algorithm and model version that made it. <paramref name="Notice"/> is set when the
/// list is not what the request would normally get (the default algorithm still training at start-up: another one's
/// list, saying so). Immutable: the cache hands out the instance itself.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record RecommendationList(IReadOnlyList<RecommendedMovie> Items, string Algorithm, string ModelVersion, string? Notice = null);

/// <summary>
/// The stars the serving SVD predicts a person would give one movie, folded in from their ratings (as shown beside
/// every recommendation), how many of their ratings it used, and why the movie suits them when a link holds and their
/// ratings raised the prediction above what the movie gets from anyone.
/// </summary>
public sealed record PredictedStars(float Stars, int From, string? Reason, long? BecauseOf, string ModelVersion);

/// <summary>
/// The one place the service asks for recommendations: folds a list of ratings (an anonymous visitor, an account) or
/// takes a dataset user, scores every movie with the chosen algorithm, keeps the top n (movies already rated left
/// out), adds the SVD's predicted rating and a "because you liked" reason, and caches the list under a key that
/// carries the model version.
/// </summary>
public sealed class Recommender(ModelHost host, HybridCache cache, ServiceMetrics metrics, IEnumerable<Microsoft.Extensions.Caching.Distributed.IDistributedCache> distributed)
{
    public const int MaxN = 100;
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(10), LocalCacheExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>A profile's first sighting: read both tiers, write only the shared one (Redis), not this process's memory.</summary>
    private static readonly HybridCacheEntryOptions SharedOnly = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite,
    };

    /// <summary>Whether a shared tier (Redis) sits behind the in-memory one.</summary>
    private readonly bool _shared = distributed.Any();

    /// <summary>
    /// The keys of rating lists requested recently, one hash per slot (a "doorkeeper", as in TinyLFU): a list goes into
    /// the in-memory cache only when its key comes a second time. New visitors' profiles almost never repeat; storing
    /// each one made every request leave a few kilobytes that survived the young collections (about 1.9 MB per gen0
    /// collection at 5,000 requests/s, promoted on to gen2), which was the service's tail under all-miss traffic.
    /// </summary>
    private readonly int[] _recentKeys = new int[1 << 16];

    /// <summary>The cache tag of an account's lists: dropped when the account's ratings change.</summary>
    public static string AccountTag(long accountId) => "account:" + accountId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Recommendations for someone who rated <paramref name="ratings"/> (fold-in: no retraining).</summary>
    public async Task<RecommendationList> ForRatingsAsync(IReadOnlyList<MovieRating> ratings, string algorithm, int n, CandidateFilter filter, long? accountId, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        string key = $"rec:{model.CacheKey}:{algorithm.ToLowerInvariant()}:{n}:{filter}:{ProfileHash(ratings)}";
        var tags = accountId is long id ? new[] { AccountTag(id) } : null;
        if (!SeenBefore(key))
        {
            // First sighting: nothing kept in this process's memory (and without Redis, no cache at all).
            if (_shared) return await CachedAsync(key, tags, ct => ComputeForRatingsAsync(model, ratings, algorithm, n, filter, ct), cancellationToken, SharedOnly).ConfigureAwait(false);
            var list = await ComputeForRatingsAsync(model, ratings, algorithm, n, filter, cancellationToken).ConfigureAwait(false);
            metrics.CacheLookup(hit: false);
            return list;
        }
        return await CachedAsync(key, tags, ct => ComputeForRatingsAsync(model, ratings, algorithm, n, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="key"/> was asked for recently (<see cref="_recentKeys"/>); marks it as asked for.</summary>
    private bool SeenBefore(string key)
    {
        int hash = key.GetHashCode(StringComparison.Ordinal) | 1; // never 0, the empty slot
        ref int slot = ref _recentKeys[hash & (_recentKeys.Length - 1)];
        if (Volatile.Read(ref slot) == hash) return true;
        Volatile.Write(ref slot, hash);
        return false;
    }

    /// <summary>
    /// Recommendations for a user of the dataset, by raw user id as the dataset spells it ("1", "listener-07"); null
    /// when the dataset has no such user (accounts' users, raw id -accountId, are not dataset users).
    /// </summary>
    public async Task<RecommendationList?> ForDatasetUserAsync(string userId, string algorithm, int n, CandidateFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        bool account = long.TryParse(userId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) && number < 0;
        if (account || model.Train.UserIds.ToDense(userId) < 0) return null;
        string key = $"rec:{model.CacheKey}:{algorithm.ToLowerInvariant()}:{n}:{filter}:user:{userId}";
        return await CachedAsync(key, null, ct => ComputeForUserAsync(model, userId, algorithm, n, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached list under <paramref name="key"/>, computed once on a miss; counts hits and misses.</summary>
    private async Task<RecommendationList> CachedAsync(string key, string[]? tags, Func<CancellationToken, Task<RecommendationList>> compute, CancellationToken cancellationToken, HybridCacheEntryOptions? options = null)
    {
        bool computed = false;
        var list = await cache.GetOrCreateAsync(key, compute, async (factory, ct) =>
        {
            computed = true;
            return await factory(ct).ConfigureAwait(false);
        }, options ?? Entry, tags, cancellationToken).ConfigureAwait(false);
        metrics.CacheLookup(hit: !computed);
        return list;
    }

    /// <summary>Drops an account's cached lists (its ratings changed).</summary>
    /// <summary>
    /// What the serving SVD predicts for <paramref name="movieId"/> from <paramref name="ratings"/> (fold-in, clipped to
    /// the scale) and the explainer's reason; null when none of the ratings is of a movie the model knows or the movie
    /// itself is unknown to it. Not cached: one fold-in and one dot product.
    /// </summary>
    public async Task<PredictedStars?> PredictAsync(IReadOnlyList<MovieRating> ratings, long movieId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var train = model.Train;
        int item = CatalogIndex.ItemOf(train.ItemIds, movieId);
        if (item < 0 || !model.Svd.IsItemKnown(item)) return null;
        var profile = new List<ItemRating>(ratings.Count);
        foreach (var r in ratings)
        {
            int rated = CatalogIndex.ItemOf(train.ItemIds, r.MovieId);
            if (rated >= 0 && rated != item) profile.Add(new ItemRating(rated, r.Rating));
        }
        if (profile.Count == 0) return null;
        var array = profile.ToArray();
        var user = model.Svd.FoldIn(array);
        float stars = MathF.Round(train.Scale.Clip(model.Svd.Predict(user, item)), 1);
        // "because you liked X" goes with a prediction above what the movie gets from anyone (μ + b_i, no personal
        // term): there the person's ratings raised it. Below it (A Bug's Life for a horror fan who gave Toy Story one
        // star), a link to a movie they liked would explain the opposite of what is shown.
        float anyone = model.Svd.Predict(model.Svd.FoldIn([]), item);
        if (stars <= anyone) return new PredictedStars(stars, array.Length, null, null, model.Version);
        var why = model.Explainer.Explain(array, item);
        long? because = why.BecauseOf is int b && train.MovieOf(b) is { } m ? m.Id : null;
        return new PredictedStars(stars, array.Length, why.Text is { Length: > 0 } text ? text : null, because, model.Version);
    }

    public async ValueTask ForgetAccountAsync(long accountId, CancellationToken cancellationToken)
    {
        try
        {
            await cache.RemoveByTagAsync(AccountTag(accountId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Redis down: the rating is already stored, so the write must not fail (503 would make clients retry a
            // stored write). No stale list is served: a list's key carries the hash of the ratings it was made from.
        }
    }

    private static async Task<RecommendationList> ComputeForRatingsAsync(ServingModel model, IReadOnlyList<MovieRating> ratings, string algorithm, int n, CandidateFilter filter, CancellationToken cancellationToken)
    {
        var scorer = await model.GetAsync(algorithm).WaitAsync(cancellationToken).ConfigureAwait(false);
        var train = model.Train;
        var profile = new List<ItemRating>(ratings.Count);
        foreach (var r in ratings)
        {
            int item = CatalogIndex.ItemOf(train.ItemIds, r.MovieId);
            if (item >= 0) profile.Add(new ItemRating(item, r.Rating));
        }
        var profileArray = profile.ToArray();
        // The one new-user path (the new-user protocol measures exactly this): fold in, score, leave out what was rated.
        var top = NewUserRecommendations.Recommend(scorer, profileArray, train.Scale, n, model.ItemTies, Accept(model, filter));
        var svdUser = ReferenceEquals(scorer, model.Svd) ? null : model.Svd.FoldIn(profileArray);
        return Build(model, scorer, algorithm, top, profileArray, item => svdUser is null ? float.NaN : model.Svd.Predict(svdUser, item));
    }

    private static async Task<RecommendationList> ComputeForUserAsync(ServingModel model, string userId, string algorithm, int n, CandidateFilter filter, CancellationToken cancellationToken)
    {
        var scorer = await model.GetAsync(algorithm).WaitAsync(cancellationToken).ConfigureAwait(false);
        var train = model.Train;
        int user = train.UserIds.ToDense(userId);
        var scores = new float[scorer.ItemCount];
        // Every model trained on the same data shares its user ids; the SVD loaded from a file has its own map.
        int scorerUser = scorer is Core.Algorithms.MatrixFactorization.FactorModel factor ? factor.UserIds.ToDense(userId) : user;
        scorer.Score(scorerUser, scores);
        var rated = train.ByUser.RowColumns(user);
        var values = train.ByUser.RowValues(user);
        var profile = new ItemRating[rated.Length];
        for (int k = 0; k < rated.Length; k++) profile[k] = new ItemRating(rated[k], values[k]);
        int svdUser = model.Svd.UserIds.ToDense(userId);
        var top = TopN.Select(scores, n, model.ItemTies, rated, Accept(model, filter));
        return Build(model, scorer, algorithm, top, profile, item => model.Svd.Predict(svdUser, item));
    }

    private static Func<int, bool>? Accept(ServingModel model, CandidateFilter filter) =>
        filter.IsEmpty ? null : item => model.Train.MovieOf(item) is { } m && filter.Accepts(m);

    private static RecommendationList Build(ServingModel model, IRecommender scorer, string algorithm, ScoredItem[] top, ItemRating[] profile, Func<int, float> predict)
    {
        var train = model.Train;
        var scale = train.Scale;
        bool predictsRatings = scorer is IRatingPredictor;
        var items = new List<RecommendedMovie>(top.Length);
        foreach (var (item, score) in top)
        {
            if (train.MovieOf(item) is not { } movie) continue;
            var why = model.Explainer.Explain(profile, item);
            float predicted = scale.Clip(predictsRatings ? score : predict(item));
            items.Add(new RecommendedMovie(MovieId.Of(movie), movie.Title, movie.Year, movie.Genres, score, MathF.Round(predicted, 2), why.Text is { Length: > 0 } text ? text : Explainer.Standing(train, item),
                why.BecauseOf is int b && train.MovieOf(b) is { } because ? MovieId.Of(because) : null));
        }
        return new RecommendationList(items, algorithm.ToLowerInvariant(), model.Version);
    }

    /// <summary>
    /// Builds, without caching, what the first requests for <paramref name="algorithm"/> on <paramref name="model"/>
    /// would: a list for a new visitor (fold-in of the five most rated movies) and one for the first dataset user
    /// (see <see cref="ModelWarmer"/>).
    /// </summary>
    internal static async Task WarmAsync(ServingModel model, string algorithm, CancellationToken cancellationToken)
    {
        var train = model.Train;
        var popular = Enumerable.Range(0, train.ItemCount).OrderByDescending(i => train.ByItem.RowColumns(i).Length).Take(5)
            .Select((item, k) => new MovieRating(train.ItemIds.IsNumeric ? train.ItemIds.ToRawNumeric(item) : item, k == 4 ? 2f : 5f)).ToList();
        await ComputeForRatingsAsync(model, popular, algorithm, 10, CandidateFilter.None, cancellationToken).ConfigureAwait(false);
        if (train.UserCount > 0) await ComputeForUserAsync(model, train.UserIds.ToRaw(0), algorithm, 10, CandidateFilter.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stable hash of a rating list regardless of order (the cache key of an anonymous request).</summary>
    private static string ProfileHash(IReadOnlyList<MovieRating> ratings)
    {
        // Sorted by movie, then rating, on the stack for a request's handful (MaxRatings bounds the rest).
        int n = ratings.Count;
        Span<(long MovieId, float Rating)> sorted = n <= 64 ? stackalloc (long, float)[n] : new (long, float)[n];
        for (int k = 0; k < n; k++) sorted[k] = (ratings[k].MovieId, ratings[k].Rating);
        sorted.Sort();
        Span<byte> bytes = n <= 64 ? stackalloc byte[n * 12] : new byte[n * 12];
        for (int k = 0; k < n; k++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes[(k * 12)..], sorted[k].MovieId);
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(k * 12 + 8)..], sorted[k].Rating);
        }
        return ModelFile.Checksum(bytes).ToString("x16", CultureInfo.InvariantCulture);
    }
}
