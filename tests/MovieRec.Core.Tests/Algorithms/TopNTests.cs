using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Tests.Algorithms;

public class TopNTests
{
    [Fact]
    public void Selects_the_best_k_excluding_rated_items_best_first()
    {
        float[] scores = [0.1f, 0.9f, 0.5f, 0.9f, 0.7f, float.NaN, 0.8f];
        var top = TopN.Select(scores, 3, exclude: [3]);
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
        var top = TopN.Select(scores, 25, exclude, filter: i => i % 7 != 0);
        var expected = Enumerable.Range(0, scores.Length)
            .Where(i => !exclude.Contains(i) && i % 7 != 0)
            .OrderByDescending(i => scores[i]).ThenBy(i => i).Take(25).ToArray();
        Assert.Equal(expected, top.Select(t => t.Item));
    }
}
