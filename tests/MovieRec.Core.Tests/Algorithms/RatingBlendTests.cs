using MovieRec.Core.Algorithms.Hybrid;

namespace MovieRec.Core.Tests.Algorithms;

public class RatingBlendTests
{
    [Fact]
    public void Ridge_solve_recovers_a_known_linear_combination()
    {
        var rng = new Random(3);
        int n = 2000;
        var a = new float[n];
        var b = new float[n];
        var y = new float[n];
        for (int k = 0; k < n; k++)
        {
            a[k] = (float)rng.NextDouble() * 5;
            b[k] = (float)rng.NextDouble() * 5;
            y[k] = 0.5f + 0.3f * a[k] + 0.6f * b[k];
        }
        var w = RatingBlend.SolveRidge([a, b], y, ridge: 0);
        Assert.Equal(0.5, w[0], 3);
        Assert.Equal(0.3, w[1], 3);
        Assert.Equal(0.6, w[2], 3);
    }

    [Fact]
    public void Holdout_split_partitions_the_ratings()
    {
        var r = TestData.MovieLensSmall.Ratings;
        var (rest, holdout) = RatingBlend.SplitHoldout(r, 0.1, seed: 1);
        Assert.Equal(r.Count, rest.Count + holdout.Count);
        Assert.Equal(r.Count / 10, holdout.Count);
        Assert.Same(r.ItemIds, holdout.ItemIds);
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => new RatingBlend(new RatingBlendOptions { Members = [] }));
        Assert.Equal("Members", e.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() => new RatingBlend(new RatingBlendOptions { Members = [() => new Core.Algorithms.MatrixFactorization.Svd()], HoldoutFraction = 0.9 }));
        Assert.Equal("HoldoutFraction", e2.ParamName);
    }
}
