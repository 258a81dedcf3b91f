using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

/// <summary>Ranking figures of one model under leave-latest-out.</summary>
public readonly record struct RankingFigures(double FullHr10, double FullNdcg10, double SampledHr10, double SampledNdcg10, int Users)
{
    public override string ToString() =>
        FormattableString.Invariant($"full HR@10 {FullHr10:F4} NDCG@10 {FullNdcg10:F4}; sampled HR@10 {SampledHr10:F4} NDCG@10 {SampledNdcg10:F4} ({Users} users)");
}

/// <summary>
/// A small private leave-latest-out protocol (the reference README's): per user the rating with the largest
/// timestamp is held out (ties: the larger movie id), the rest is the training set. Full catalogue: rank = number of
/// items the user did not rate in training that a list orders before the held-out item (a higher score, or an equal
/// one with more training ratings, then a lower id: <see cref="TieBreak"/>); HR@10 = share of users
/// with rank &lt; 10; NDCG@10 = mean of 1 / log2(rank + 2) over hits. Sampled: the held-out item among 100 items the
/// user never rated, drawn uniformly (seeded System.Random, so not numpy's draw).
/// </summary>
public sealed class LeaveLatestOut
{
    private LeaveLatestOut(RatingDataset all, RatingDataset train, int[] heldOut)
    {
        All = all;
        Train = train;
        HeldOut = heldOut;
    }

    public RatingDataset All { get; }

    public RatingDataset Train { get; }

    /// <summary>The held-out item per user, or -1 for users without ratings.</summary>
    public int[] HeldOut { get; }

    private static readonly Lazy<LeaveLatestOut> Small = new(() => Split(TestData.MovieLensSmall.Ratings));

    public static LeaveLatestOut MovieLensSmall => Small.Value;

    public static LeaveLatestOut Split(RatingDataset all)
    {
        var heldOut = new int[all.UserCount];
        var heldIndex = new int[all.UserCount];
        Array.Fill(heldOut, -1);
        Array.Fill(heldIndex, -1);
        for (int k = 0; k < all.Count; k++)
        {
            int u = all.Users[k];
            int best = heldIndex[u];
            if (best < 0 || all.Timestamps[k] > all.Timestamps[best]
                || (all.Timestamps[k] == all.Timestamps[best] && MovieId(all, all.Items[k]) > MovieId(all, all.Items[best])))
                heldIndex[u] = k;
        }
        var keep = new List<int>(all.Count);
        var held = new bool[all.Count];
        for (int u = 0; u < all.UserCount; u++)
        {
            if (heldIndex[u] >= 0)
            {
                held[heldIndex[u]] = true;
                heldOut[u] = all.Items[heldIndex[u]];
            }
        }
        for (int k = 0; k < all.Count; k++)
        {
            if (!held[k]) keep.Add(k);
        }
        return new LeaveLatestOut(all, all.Subset(keep.ToArray()), heldOut);
    }

    private static long MovieId(RatingDataset all, int item) =>
        all.ItemIds.ToRawNumeric(item);

    public RankingFigures Evaluate(IRecommender model, int seed = 0)
    {
        int n = Train.ItemCount;
        var scores = new float[n];
        var rng = new Random(seed);
        double hits = 0, ndcg = 0, sHits = 0, sNdcg = 0;
        int users = 0;
        var candidates = new List<int>();
        var ties = TieBreak.ByTrainingRatings(Train);
        for (int u = 0; u < Train.UserCount; u++)
        {
            int target = HeldOut[u];
            if (target < 0) continue;
            users++;
            model.Score(u, scores);
            float ts = scores[target];
            var rated = Train.ByUser.RowColumns(u);
            int rank = 0, e = 0;
            bool scorable = !float.IsNaN(ts);
            for (int i = 0; i < n && scorable; i++)
            {
                while (e < rated.Length && rated[e] < i) e++;
                if (e < rated.Length && rated[e] == i) continue;
                if (i != target && ties.Before(scores[i], i, ts, target)) rank++;
            }
            if (scorable && rank < 10)
            {
                hits++;
                ndcg += 1 / Math.Log2(rank + 2);
            }
            // Sampled: 100 items the user never rated (train or held out).
            var all = All.ByUser.RowColumns(u);
            candidates.Clear();
            for (int i = 0, a = 0; i < n; i++)
            {
                while (a < all.Length && all[a] < i) a++;
                if (a < all.Length && all[a] == i) continue;
                candidates.Add(i);
            }
            for (int k = 0; k < 100 && k < candidates.Count; k++)
            {
                int j = rng.Next(k, candidates.Count);
                (candidates[k], candidates[j]) = (candidates[j], candidates[k]);
            }
            if (!scorable) continue;
            int sRank = 0;
            for (int k = 0; k < 100 && k < candidates.Count; k++)
            {
                if (ties.Before(scores[candidates[k]], candidates[k], ts, target)) sRank++;
            }
            if (sRank < 10)
            {
                sHits++;
                sNdcg += 1 / Math.Log2(sRank + 2);
            }
        }
        return new RankingFigures(hits / users, ndcg / users, sHits / users, sNdcg / users, users);
    }
}
