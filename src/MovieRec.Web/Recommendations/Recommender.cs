using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Models;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Recommendations;

/// <summary>A (movie, rating) pair as a client sends it.</summary>
public sealed record MovieRating(long MovieId, float Rating);

/// <summary>Which movies may be recommended: a genre and a year range (both optional).</summary>
public sealed record CandidateFilter(string? Genre, int? FromYear, int? ToYear)
{
    public static CandidateFilter None { get; } = new(null, null, null);

    public bool IsEmpty => Genre is null && FromYear is null && ToYear is null;

    public bool Accepts(Movie movie) =>
        (Genre is null || movie.Genres.Contains(Genre, StringComparer.OrdinalIgnoreCase))
        && (FromYear is null || movie.Year >= FromYear)
        && (ToYear is null || movie.Year <= ToYear);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Genre}|{FromYear}|{ToYear}");
}

/// <summary>One recommended movie with its score, the predicted rating and why.</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record RecommendedMovie(long MovieId, string Title, int? Year, IReadOnlyList<string> Genres, float Score, float PredictedRating, string Reason, long? BecauseOf);

/// <summary>A recommendation list, with the model version that made it. Immutable: the cache hands out the instance itself.</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record RecommendationList(IReadOnlyList<RecommendedMovie> Items, string Algorithm, string ModelVersion);

/// <summary>
/// The one place the service asks for recommendations: folds a list of ratings (an anonymous visitor, an account) or
/// takes a dataset user, scores every movie with the chosen algorithm, keeps the top n (movies already rated left
/// out), adds the SVD's predicted rating and a "because you liked" reason, and caches the list under a key that
/// carries the model version.
/// </summary>
public sealed class Recommender(ModelHost host, HybridCache cache, ServiceMetrics metrics)
{
    public const int MaxN = 100;
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(10), LocalCacheExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>The cache tag of an account's lists: dropped when the account's ratings change.</summary>
    public static string AccountTag(long accountId) => "account:" + accountId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Recommendations for someone who rated <paramref name="ratings"/> (fold-in: no retraining).</summary>
    public async Task<RecommendationList> ForRatingsAsync(IReadOnlyList<MovieRating> ratings, string algorithm, int n, CandidateFilter filter, long? accountId, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        string key = $"rec:{model.CacheKey}:{algorithm.ToLowerInvariant()}:{n}:{filter}:{ProfileHash(ratings)}";
        var tags = accountId is long id ? new[] { AccountTag(id) } : null;
        return await CachedAsync(key, tags, ct => ComputeForRatingsAsync(model, ratings, algorithm, n, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Recommendations for a user of the dataset, by raw user id; null when the dataset has no such user.</summary>
    public async Task<RecommendationList?> ForDatasetUserAsync(long userId, string algorithm, int n, CandidateFilter filter, CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (userId < 0 || model.Train.UserIds.ToDense(userId) < 0) return null;
        string key = $"rec:{model.CacheKey}:{algorithm.ToLowerInvariant()}:{n}:{filter}:user:{userId}";
        return await CachedAsync(key, null, ct => ComputeForUserAsync(model, userId, algorithm, n, filter, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached list under <paramref name="key"/>, computed once on a miss; counts hits and misses.</summary>
    private async Task<RecommendationList> CachedAsync(string key, string[]? tags, Func<CancellationToken, Task<RecommendationList>> compute, CancellationToken cancellationToken)
    {
        bool computed = false;
        var list = await cache.GetOrCreateAsync(key, compute, async (factory, ct) =>
        {
            computed = true;
            return await factory(ct).ConfigureAwait(false);
        }, Entry, tags, cancellationToken).ConfigureAwait(false);
        metrics.CacheLookup(hit: !computed);
        return list;
    }

    /// <summary>Drops an account's cached lists (its ratings changed).</summary>
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
            int item = train.ItemIds.ToDense(r.MovieId);
            if (item >= 0) profile.Add(new ItemRating(item, r.Rating));
        }
        var profileArray = profile.ToArray();
        int items = scorer.ItemCount;
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(items);
        try
        {
            var folded = scorer.FoldIn(scorer is IRatingPredictor ? profileArray : Liked(profileArray, train.Scale));
            scorer.Score(folded, scores.AsSpan(0, items));
            var svdUser = ReferenceEquals(scorer, model.Svd) ? folded : model.Svd.FoldIn(profileArray);
            var exclude = profileArray.Select(r => r.Item).Distinct().Order().ToArray();
            return Build(model, scorer, algorithm, scores.AsSpan(0, items), n, exclude, filter, profileArray, item => model.Svd.Predict(svdUser, item));
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
        }
    }

    private static async Task<RecommendationList> ComputeForUserAsync(ServingModel model, long userId, string algorithm, int n, CandidateFilter filter, CancellationToken cancellationToken)
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
        return Build(model, scorer, algorithm, scores, n, rated.ToArray(), filter, profile, item => model.Svd.Predict(svdUser, item));
    }

    /// <summary>
    /// What a top-N model (which reads a rating as "seen", not as "liked") should fold in: the ratings in the upper
    /// third of the scale (3.5 and up on 0.5-5 stars), or everything when nothing is rated that high. Rating
    /// predictors take every rating: a low one pushes similar movies down.
    /// </summary>
    internal static ItemRating[] Liked(ItemRating[] ratings, RatingScale scale)
    {
        float threshold = scale.Min + (scale.Max - scale.Min) * 2 / 3;
        var liked = Array.FindAll(ratings, r => r.Rating >= threshold);
        return liked.Length > 0 ? liked : ratings;
    }

    private static RecommendationList Build(ServingModel model, IRecommender scorer, string algorithm, ReadOnlySpan<float> scores, int n, int[] exclude, CandidateFilter filter,
        ItemRating[] profile, Func<int, float> predict)
    {
        var train = model.Train;
        Func<int, bool>? accept = filter.IsEmpty ? null : item => train.MovieOf(item) is { } m && filter.Accepts(m);
        var top = TopN.Select(scores, n, model.ItemTies, exclude, accept);
        var scale = train.Scale;
        bool predictsRatings = scorer is IRatingPredictor;
        var items = new List<RecommendedMovie>(top.Length);
        foreach (var (item, score) in top)
        {
            if (train.MovieOf(item) is not { } movie) continue;
            var why = model.Explainer.Explain(profile, item);
            float predicted = scale.Clip(predictsRatings ? score : predict(item));
            items.Add(new RecommendedMovie(movie.Id, movie.Title, movie.Year, movie.Genres, score, MathF.Round(predicted, 2), why.Text,
                why.BecauseOf is int b && train.MovieOf(b) is { } because ? because.Id : null));
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
            .Select((item, k) => new MovieRating(train.ItemIds.ToRawNumeric(item), k == 4 ? 2f : 5f)).ToList();
        await ComputeForRatingsAsync(model, popular, algorithm, 10, CandidateFilter.None, cancellationToken).ConfigureAwait(false);
        long user = train.UserIds.ToRawNumeric(0);
        if (user >= 0) await ComputeForUserAsync(model, user, algorithm, 10, CandidateFilter.None, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stable hash of a rating list regardless of order (the cache key of an anonymous request).</summary>
    private static string ProfileHash(IReadOnlyList<MovieRating> ratings)
    {
        var sorted = ratings.OrderBy(r => r.MovieId).ThenBy(r => r.Rating).ToArray();
        var bytes = new byte[sorted.Length * 12];
        for (int k = 0; k < sorted.Length; k++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(k * 12), sorted[k].MovieId);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(k * 12 + 8), sorted[k].Rating);
        }
        return ModelFile.Checksum(bytes).ToString("x16", CultureInfo.InvariantCulture);
    }
}
