using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Tests.Algorithms;

public class TopNTests
{
    [Fact]
    public void Selects_the_best_k_excluding_rated_items_best_first()
    {
        float[] scores = [0.1f, 0.9f, 0.5f, 0.9f, 0.7f, float.NaN, 0.8f];
        var top = TopN.Select(scores, 3, TieBreak.ById, exclude: [3]);
        Assert.Equal([1, 6, 4], top.Select(t => t.Item));
        Assert.Equal(0.9f, top[0].Score);
    }

    [Fact]
    public void Matches_a_full_sort_on_random_scores()
    {
        var rng = new Random(1);
        var scores = new float[5000];
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)Math.Round(rng.NextDouble(), 2);
        int[] exclude = [3, 10, 400, 4999];
        var top = TopN.Select(scores, 25, TieBreak.ById, exclude, filter: i => i % 7 != 0);
        var expected = Enumerable.Range(0, scores.Length)
            .Where(i => !exclude.Contains(i) && i % 7 != 0)
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(25).ToArray();
        Assert.Equal(expected, top.Select(t => t.Item));
    }

    [Fact]
    public void Ties_go_to_more_training_ratings_then_to_the_lower_item_id()
    {
        // Items 0..5 all score 1 except item 5 (2); training counts 1, 3, 3, 0, 7, 0.
        float[] scores = [1, 1, 1, 1, 1, 2];
        var ties = TieBreak.ByTrainingRatings([1, 3, 3, 0, 7, 0]);
        var top = TopN.Select(scores, 6, ties);
        Assert.Equal([5, 4, 1, 2, 0, 3], top.Select(t => t.Item));
        // A partial selection keeps the same order.
        Assert.Equal([5, 4, 1], TopN.Select(scores, 3, ties).Select(t => t.Item));
        Assert.Equal([5, 0, 1], TopN.Select(scores, 3, TieBreak.ById).Select(t => t.Item));
    }

    [Fact]
    public void Matches_a_full_sort_with_ties_broken_by_training_ratings()
    {
        var rng = new Random(3);
        var scores = new float[3000];
        var counts = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = rng.Next(5);
            counts[i] = rng.Next(4);
        }
        var top = TopN.Select(scores, 200, TieBreak.ByTrainingRatings(counts));
        var expected = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenByDescending(i => counts[i]).ThenBy(i => i).Take(200).ToArray();
        Assert.Equal(expected, top.Select(t => t.Item));
    }
}
