using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public class RankingTests
{
    // Items 100..105 get dense ids 0..5; the fixed scorer gives them 9, 8, 7, 6, 5, 4.
    private static readonly float[] Scores = [9, 8, 7, 6, 5, 4];

    /// <summary>User 1 trains on 100, 101 and holds out 103 (3 stars); user 2 trains on 100, 104 and holds out 105 (5 stars);
    /// user 3 trains on 100, 101 and holds out 102 (4 stars).</summary>
    private static (RatingDataset Train, RatingDataset Test) Fixture()
    {
        var b = new RatingDatasetBuilder();
        for (long i = 100; i <= 105; i++) b.ItemIds.GetOrAdd(i);
        b.Add(1L, 100L, 5, 1); b.Add(1L, 101L, 4, 2); b.Add(1L, 103L, 3, 3);
        b.Add(2L, 100L, 3, 1); b.Add(2L, 104L, 4, 2); b.Add(2L, 105L, 5, 3);
        b.Add(3L, 100L, 4, 1); b.Add(3L, 101L, 2, 2); b.Add(3L, 102L, 4, 3);
        var all = b.Build();
        return (all.Subset([0, 1, 3, 4, 6, 7]), all.Subset([2, 5, 8]));
    }

    private static IReadOnlyList<RankedUser> Rank(float[] scores, RankingOptions options)
    {
        var (train, test) = Fixture();
        return RankingMetrics.Rank(new FixedScorer(scores), train, test, options, TrainingContext.Deterministic());
    }

    [Fact]
    public void Full_catalogue_rank_counts_unrated_candidates_scoring_strictly_higher()
    {
        var ranked = Rank(Scores, new RankingOptions { ListLength = 2 });
        // User 1: candidates 102..105, only 102 (7) beats 103 (6). User 2: 101, 102, 103 beat 105. User 3: 102 is best.
        Assert.Equal([1, 3, 0], ranked.Select(r => r.RelevantRanks.Single()));
        Assert.Equal([2, 3], ranked[0].TopItems);
        Assert.Equal([1, 2], ranked[1].TopItems);
    }

    [Fact]
    public void Ranking_metrics_match_hand_computation()
    {
        var (train, _) = Fixture();
        var ranked = Rank(Scores, new RankingOptions { ListLength = 10 });
        double Value(string metric) => RankingMetrics.Compute(Metric.Parse(metric), ranked, 6, train);
        Assert.Equal(1.0 / 3, Value("hr@1"), 12);
        Assert.Equal(2.0 / 3, Value("hr@2"), 12);
        Assert.Equal(1.0, Value("hr@4"), 12);
        Assert.Equal((1 / Math.Log2(3) + 1) / 3, Value("ndcg@2"), 12);
        Assert.Equal((1.0 / 2 + 1.0 / 4 + 1) / 3, Value("mrr@10"), 12);
        Assert.Equal(2.0 / 3 / 2, Value("precision@2"), 12);
        // Top-2 lists: {102, 103}, {101, 102}, {102, 103}: three of six items.
        Assert.Equal(3.0 / 6, Value("coverage@2"), 12);
        // Training raters among 3 users: 101 has 2, 102 and 103 none (counted as 1).
        double expected = (5 * Math.Log2(3) + Math.Log2(1.5)) / 6;
        Assert.Equal(expected, Value("novelty@2"), 12);
    }

    [Fact]
    public void Ties_are_ordered_as_lists_are_never_in_the_held_out_items_favour()
    {
        // Training counts: 100 has 3 ratings, 101 has 2, 104 has 1, the others none.
        // User 1 holds out 103 (score 3), tied with 102 (no ratings either, lower id: first) and below 104 and 105 (5).
        // User 2 holds out 105 (score 5), tied with 101 (2 training ratings: first).
        float[] tied = [9, 5, 3, 3, 5, 5];
        var ranked = Rank(tied, new RankingOptions { ListLength = 4 });
        Assert.Equal(3, ranked[0].RelevantRanks.Single());
        Assert.Equal(1, ranked[1].RelevantRanks.Single());
        // The ranks are the positions in the list TopN serves.
        Assert.Equal([4, 5, 2, 3], ranked[0].TopItems);
        Assert.Equal([1, 5, 2, 3], ranked[1].TopItems);
    }

    [Fact]
    public void Ranks_equal_the_positions_in_the_served_list_for_tie_heavy_scores_in_both_paths()
    {
        // One user, 60 items, 10 rated in training; 3 or 30 relevant test items (the second takes the sorted path).
        foreach (int relevant in new[] { 3, 30 })
        {
            var rng = new Random(relevant);
            var b = new RatingDatasetBuilder();
            for (long i = 0; i < 60; i++) b.ItemIds.GetOrAdd(i);
            for (long i = 0; i < 10; i++) b.Add(1L, i, 4, 1);
            for (long u = 2; u < 6; u++)
            {
                for (long i = 10; i < 60; i += u) b.Add(u, i, 3, 1);
            }
            for (long i = 10; i < 10 + relevant; i++) b.Add(1L, i, 5, 2);
            var all = b.Build();
            var trainIdx = Enumerable.Range(0, all.Count).Where(k => all.Timestamps[k] == 1).ToArray();
            var testIdx = Enumerable.Range(0, all.Count).Where(k => all.Timestamps[k] == 2).ToArray();
            var (train, test) = (all.Subset(trainIdx), all.Subset(testIdx));
            var scores = new float[60];
            for (int i = 0; i < 60; i++) scores[i] = rng.Next(3);
            var user = RankingMetrics.Rank(new FixedScorer(scores), train, test, new RankingOptions(), TrainingContext.Deterministic()).Single();
            var masked = (float[])scores.Clone();
            foreach (int i in train.ByUser.RowColumns(train.UserIds.ToDense(1L))) masked[i] = float.NaN;
            var list = TopN.Select(masked, 60, TieBreak.ByTrainingRatings(train)).Select(s => s.Item).ToList();
            var expected = test.ByUser.RowColumns(test.UserIds.ToDense(1L)).ToArray().Select(i => list.IndexOf(i)).Order().ToArray();
            Assert.Equal(expected, user.RelevantRanks);
        }
    }

    [Fact]
    public void Relevance_threshold_keeps_only_high_test_ratings()
    {
        var ranked = Rank(Scores, new RankingOptions { RelevanceThreshold = 4 });
        var (train, _) = Fixture();
        Assert.Equal([train.UserIds.ToDense(2), train.UserIds.ToDense(3)], ranked.Select(r => r.User));
    }

    [Fact]
    public void Sampled_protocol_ranks_among_the_sampled_negatives_only()
    {
        // With only 3 never-rated items per user at most, every one is sampled: same candidates as the full catalogue.
        var ranked = Rank(Scores, new RankingOptions { Protocol = RankingProtocol.Sampled, SampledNegatives = 100, ListLength = 2 });
        Assert.Equal([1, 3, 0], ranked.Select(r => r.RelevantRanks.Single()));
        // One negative per user: the held-out item competes with it alone.
        var one = Rank(Scores, new RankingOptions { Protocol = RankingProtocol.Sampled, SampledNegatives = 1, ListLength = 2 });
        Assert.All(one, r => Assert.InRange(r.RelevantRanks.Single(), 0, 1));
        Assert.All(one, r => Assert.Equal(2, r.TopItems.Length));
    }
}
