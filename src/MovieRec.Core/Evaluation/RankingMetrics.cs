using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>Which items a held-out item competes with.</summary>
public enum RankingProtocol
{
    /// <summary>Every item the user has not rated in training (full-catalogue ranking).</summary>
    FullCatalogue,

    /// <summary>
    /// The NCF protocol (He et al., "Neural Collaborative Filtering", WWW 2017): the held-out items among a fixed number
    /// of items sampled uniformly without replacement from those the user never rated, in training or test.
    /// </summary>
    Sampled,
}

/// <summary>How <see cref="RankingMetrics.Rank"/> builds each user's ranking.</summary>
public sealed record RankingOptions
{
    public RankingProtocol Protocol { get; init; } = RankingProtocol.FullCatalogue;

    /// <summary>
    /// Test ratings at or above this value are relevant; null makes every test rating relevant (leave-latest-out,
    /// where the held-out rating is the target whatever its value).
    /// </summary>
    public double? RelevanceThreshold { get; init; }

    /// <summary>Negatives per user for <see cref="RankingProtocol.Sampled"/> (100 in the NCF protocol).</summary>
    public int SampledNegatives { get; init; } = 100;

    /// <summary>Seed of the negative sampling.</summary>
    public int Seed { get; init; }

    /// <summary>Length of each user's recommendation list kept for coverage and novelty (0: none).</summary>
    public int ListLength { get; init; }
}

/// <summary>
/// One user's ranking: the 0-based rank of each relevant item (ascending), where rank = the number of candidate items
/// ordered before it in the order recommendation lists use (<see cref="TopN.Select"/>): a higher score, or an equal
/// score and more training ratings (then the lower item id). Ties therefore never count in the item's favour: a model
/// that gives hundreds of items the same score gets the ranks a list would show, not the best rank for each of them.
/// Relevant items that tie each other take consecutive ranks. The user's top recommendations (best first) serve
/// coverage and novelty.
/// </summary>
public sealed record RankedUser(int User, int[] RelevantRanks, int[] TopItems);

/// <summary>
/// Top-N metrics at a cut-off K from per-user ranks. Per user with relevant set R and hits = relevant items ranked
/// below K: HR = [hits &gt; 0]; precision = hits / K; recall = hits / |R|; NDCG = Σ_hits 1/log2(rank+2) divided by the
/// ideal Σ_{i&lt;min(|R|,K)} 1/log2(i+2); AP = Σ_j (j+1)/(rank_j+1) over hits j in rank order, divided by min(|R|,K);
/// RR = 1/(first rank + 1) when it is below K. Each is averaged over users (with one held-out item per user HR is
/// hits / users and NDCG is 1/log2(rank+2) over hits, exactly the reference's definitions). Catalogue coverage is the
/// share of items that appear in any user's top K; novelty is the mean self-information -log2(p) of recommended
/// items, p being the share of training users who rated the item (at least one, so unrated items stay finite).
/// </summary>
public static class RankingMetrics
{
    /// <summary>Ranks each evaluated user's relevant test items among their candidates with the model's scores.</summary>
    /// <remarks>
    /// Users are those with at least one training rating and at least one relevant test rating, in ascending raw id
    /// order (the order the sampled protocol draws negatives in, with one seeded generator). Scoring runs in parallel
    /// over users with the context's thread budget; the result does not depend on it. Equal scores are ordered by
    /// <see cref="TieBreak.ByTrainingRatings(RatingDataset)"/> on <paramref name="train"/>, as served lists are.
    /// </remarks>
    public static IReadOnlyList<RankedUser> Rank(IRecommender model, RatingDataset train, RatingDataset test, RankingOptions options, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var trainRows = train.ByUser;
        var testRows = test.ByUser;
        int itemCount = train.ItemCount;
        if (model.ItemCount != itemCount)
            throw new ArgumentException($"The model scores {model.ItemCount} items but the dataset has {itemCount}.", nameof(model));

        var users = new List<int>();
        for (int u = 0; u < testRows.Rows; u++)
        {
            if (u < trainRows.Rows && trainRows.RowLength(u) > 0 && Relevant(testRows, u, options.RelevanceThreshold).Length > 0)
                users.Add(u);
        }
        var userIds = train.UserIds;
        if (userIds.IsNumeric) users.Sort((a, b) => userIds.ToRawNumeric(a).CompareTo(userIds.ToRawNumeric(b)));
        else users.Sort((a, b) => string.CompareOrdinal(userIds.ToRaw(a), userIds.ToRaw(b)));

        int[][]? negatives = options.Protocol == RankingProtocol.Sampled ? SampleNegatives(users, train, test, options.SampledNegatives, options.Seed) : null;
        var ties = TieBreak.ByTrainingRatings(train);

        var result = new RankedUser[users.Count];
        Parallel.For(0, users.Count, context.ParallelOptions, () => new float[itemCount], (n, _, scores) =>
        {
            int u = users[n];
            model.Score(u, scores);
            var relevant = Relevant(testRows, u, options.RelevanceThreshold);
            result[n] = negatives is null
                ? RankFull(u, scores, trainRows.RowColumns(u), relevant, options.ListLength, ties)
                : RankSampled(u, scores, negatives[n], relevant, options.ListLength, ties);
            return scores;
        }, _ => { });
        return result;
    }

    private static int[] Relevant(CsrMatrix testRows, int user, double? threshold)
    {
        if (user >= testRows.Rows) return [];
        var items = testRows.RowColumns(user);
        if (threshold is null) return items.ToArray();
        var values = testRows.RowValues(user);
        var list = new List<int>(items.Length);
        for (int k = 0; k < items.Length; k++)
        {
            if (values[k] >= threshold.Value) list.Add(items[k]);
        }
        return [.. list];
    }

    private static RankedUser RankFull(int user, float[] scores, ReadOnlySpan<int> trainItems, int[] relevant, int listLength, TieBreak ties)
    {
        // Items rated in training are not candidates: NaN is never ordered before anything, and TopN skips NaN.
        foreach (int i in trainItems) scores[i] = float.NaN;
        int candidates = 0;
        foreach (float s in scores)
        {
            if (!float.IsNaN(s)) candidates++;
        }
        var ranks = new int[relevant.Length];
        // A few relevant items: one pass each. Many (k-fold): sort the candidates' keys once and binary-search.
        long[]? sorted = null;
        if (relevant.Length > 8)
        {
            sorted = new long[candidates];
            int w = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (!float.IsNaN(scores[i])) sorted[w++] = OrderKey(scores[i], ties.Position(i));
            }
            Array.Sort(sorted);
        }
        for (int r = 0; r < relevant.Length; r++)
        {
            int target = relevant[r];
            float score = scores[target];
            if (float.IsNaN(score))
            {
                ranks[r] = candidates;
                continue;
            }
            ranks[r] = sorted is null ? CountBefore(scores, target, ties) : LowerBound(sorted, OrderKey(score, ties.Position(target)));
        }
        int[] top = [];
        if (listLength > 0)
        {
            var selected = TopN.Select(scores, listLength, ties);
            top = new int[selected.Length];
            for (int k = 0; k < selected.Length; k++) top[k] = selected[k].Item;
        }
        return new RankedUser(user, Normalise(ranks), top);
    }

    private static RankedUser RankSampled(int user, float[] scores, int[] negatives, int[] relevant, int listLength, TieBreak ties)
    {
        var candidates = new int[negatives.Length + relevant.Length];
        negatives.CopyTo(candidates, 0);
        relevant.CopyTo(candidates, negatives.Length);
        var ranks = new int[relevant.Length];
        for (int r = 0; r < relevant.Length; r++)
        {
            int target = relevant[r];
            float score = scores[target];
            if (float.IsNaN(score))
            {
                ranks[r] = candidates.Length - 1;
                continue;
            }
            int before = 0;
            foreach (int c in candidates)
            {
                if (c != target && ties.Before(scores[c], c, score, target)) before++;
            }
            ranks[r] = before;
        }
        int[] top = [];
        if (listLength > 0)
        {
            var local = new float[candidates.Length];
            for (int k = 0; k < candidates.Length; k++) local[k] = scores[candidates[k]];
            var selected = TopN.Select(local, listLength, ties.Local(candidates));
            top = new int[selected.Length];
            for (int k = 0; k < selected.Length; k++) top[k] = candidates[selected[k].Item];
        }
        return new RankedUser(user, Normalise(ranks), top);
    }

    /// <summary>The candidates ordered before <paramref name="target"/> (NaN scores are not candidates).</summary>
    private static int CountBefore(ReadOnlySpan<float> scores, int target, TieBreak ties)
    {
        float score = scores[target];
        int before = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            float s = scores[i];
            if (s > score || (s == score && i != target && ties.Position(i) < ties.Position(target))) before++;
        }
        return before;
    }

    /// <summary>
    /// One ascending key per candidate for the order of <see cref="TopN.Select"/>: the score descending (as an order-
    /// preserving unsigned integer, complemented), then the tie position ascending.
    /// </summary>
    private static long OrderKey(float score, int position)
    {
        uint bits = BitConverter.SingleToUInt32Bits(score == 0 ? 0f : score);
        uint ascending = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return (long)((ulong)~ascending << 32 | (uint)position) ^ long.MinValue;
    }

    /// <summary>The number of entries of an ascending array that are &lt; <paramref name="key"/>.</summary>
    private static int LowerBound(long[] sorted, long key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Sorts ranks and separates relevant items that tie each other (they occupy consecutive positions).</summary>
    private static int[] Normalise(int[] ranks)
    {
        Array.Sort(ranks);
        for (int j = 1; j < ranks.Length; j++)
            ranks[j] = Math.Max(ranks[j], ranks[j - 1] + 1);
        return ranks;
    }

    /// <summary>
    /// Seeded negatives per user: <paramref name="count"/> items drawn uniformly without replacement from those the user
    /// rated in neither <paramref name="train"/> nor <paramref name="test"/> (all of them when fewer), one generator
    /// drawing for the users in the given order.
    /// </summary>
    public static int[][] SampleNegatives(IReadOnlyList<int> users, RatingDataset train, RatingDataset test, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        OptionChecks.Positive(count, nameof(count));
        var trainRows = train.ByUser;
        var testRows = test.ByUser;
        int itemCount = train.ItemCount;
        var rng = new Random(seed);
        var rated = new bool[itemCount];
        var pool = new int[itemCount];
        var result = new int[users.Count][];
        for (int n = 0; n < users.Count; n++)
        {
            int u = users[n];
            foreach (int i in trainRows.RowColumns(u)) rated[i] = true;
            if (u < testRows.Rows)
            {
                foreach (int i in testRows.RowColumns(u)) rated[i] = true;
            }
            int size = 0;
            for (int i = 0; i < itemCount; i++)
            {
                if (!rated[i]) pool[size++] = i;
            }
            int m = Math.Min(count, size);
            // Partial Fisher-Yates: the first m slots become a uniform sample without replacement.
            for (int j = 0; j < m; j++)
            {
                int pick = j + rng.Next(size - j);
                (pool[j], pool[pick]) = (pool[pick], pool[j]);
            }
            result[n] = pool.AsSpan(0, m).ToArray();
            foreach (int i in trainRows.RowColumns(u)) rated[i] = false;
            if (u < testRows.Rows)
            {
                foreach (int i in testRows.RowColumns(u)) rated[i] = false;
            }
        }
        return result;
    }

    /// <summary>The value of a ranking metric at its cut-off, averaged over <paramref name="users"/>.</summary>
    /// <param name="metric">A ranking metric with its cut-off.</param>
    /// <param name="users">The rankings from <see cref="Rank"/>.</param>
    /// <param name="itemCount">Catalogue size for coverage.</param>
    /// <param name="train">Training set for novelty's popularity (may be null for other metrics).</param>
    public static double Compute(Metric metric, IReadOnlyList<RankedUser> users, int itemCount, RatingDataset? train)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (metric.IsRating) throw new ArgumentException($"{metric} is not a ranking metric.", nameof(metric));
        if (users.Count == 0) return double.NaN;
        int k = metric.K;
        switch (metric.Kind)
        {
            case MetricKind.Coverage:
                return Coverage(users, k, itemCount);
            case MetricKind.Novelty:
                ArgumentNullException.ThrowIfNull(train);
                return Novelty(users, k, train);
        }
        double sum = 0;
        foreach (var user in users)
            sum += PerUser(metric.Kind, user.RelevantRanks, k);
        return sum / users.Count;
    }

    /// <summary>One user's value of a list metric from the sorted ranks of their relevant items.</summary>
    public static double PerUser(MetricKind kind, ReadOnlySpan<int> ranks, int k)
    {
        int hits = 0;
        while (hits < ranks.Length && ranks[hits] < k) hits++;
        switch (kind)
        {
            case MetricKind.HitRate:
                return hits > 0 ? 1 : 0;
            case MetricKind.Precision:
                return (double)hits / k;
            case MetricKind.Recall:
                return ranks.Length == 0 ? 0 : (double)hits / ranks.Length;
            case MetricKind.Ndcg:
                {
                    double dcg = 0, ideal = 0;
                    for (int j = 0; j < hits; j++) dcg += 1 / Math.Log2(ranks[j] + 2);
                    int best = Math.Min(ranks.Length, k);
                    for (int j = 0; j < best; j++) ideal += 1 / Math.Log2(j + 2);
                    return ideal == 0 ? 0 : dcg / ideal;
                }
            case MetricKind.Map:
                {
                    double sum = 0;
                    for (int j = 0; j < hits; j++) sum += (j + 1.0) / (ranks[j] + 1);
                    int best = Math.Min(ranks.Length, k);
                    return best == 0 ? 0 : sum / best;
                }
            case MetricKind.Mrr:
                return hits > 0 ? 1.0 / (ranks[0] + 1) : 0;
            default:
                throw new ArgumentException($"{kind} is not a per-user list metric.", nameof(kind));
        }
    }

    private static double Coverage(IReadOnlyList<RankedUser> users, int k, int itemCount)
    {
        var seen = new bool[itemCount];
        int distinct = 0;
        foreach (var user in users)
        {
            int n = Math.Min(k, user.TopItems.Length);
            for (int j = 0; j < n; j++)
            {
                int i = user.TopItems[j];
                if (!seen[i])
                {
                    seen[i] = true;
                    distinct++;
                }
            }
        }
        return itemCount == 0 ? double.NaN : (double)distinct / itemCount;
    }

    private static double Novelty(IReadOnlyList<RankedUser> users, int k, RatingDataset train)
    {
        var byItem = train.ByItem;
        int activeUsers = train.ActiveUserCount();
        double sum = 0;
        long count = 0;
        foreach (var user in users)
        {
            int n = Math.Min(k, user.TopItems.Length);
            for (int j = 0; j < n; j++)
            {
                int i = user.TopItems[j];
                int raters = i < byItem.Rows ? Math.Max(1, byItem.RowLength(i)) : 1;
                sum += -Math.Log2((double)raters / activeUsers);
                count++;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
