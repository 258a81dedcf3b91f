using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Neighborhood;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

public class SimilarityTests
{
    private static SimilarityMatrix Compute(SimilarityMeasure measure, bool userBased = true, int minSupport = 1, BaselineEstimates? baselines = null, int threads = 1) =>
        Similarities.Compute(NeighborhoodTestData.Tiny(), new SimilarityOptions { Measure = measure, UserBased = userBased, MinSupport = minSupport }, baselines,
            new TrainingContext { Threads = threads });

    [Fact]
    public void Msd_is_one_over_mean_squared_difference_plus_one()
    {
        var sim = Compute(SimilarityMeasure.Msd);
        // u0-u1 share i0, i1 (differences 2, 2): 1 / (8/2 + 1); u0-u2 share i2 (2): 1/5; u1-u2 share i3 (-3): 1/10.
        Assert.Equal(0.2f, sim[0, 1], 6);
        Assert.Equal(0.2f, sim[1, 0], 6);
        Assert.Equal(0.2f, sim[0, 2], 6);
        Assert.Equal(0.1f, sim[1, 2], 6);
        Assert.Equal(1f, sim[1, 1]);
    }

    [Fact]
    public void Item_based_msd_uses_the_users_in_common()
    {
        var sim = Compute(SimilarityMeasure.Msd, userBased: false);
        Assert.Equal(4, sim.Size);
        Assert.Equal(0.2f, sim[0, 1], 6); // u0, u1: 2, 2
        Assert.Equal(0.5f, sim[0, 3], 6); // u1: 1
        Assert.Equal(0.1f, sim[2, 3], 6); // u2: -3
        Assert.Equal(0.5f, sim[1, 2], 6); // u0 only: (3-4)² -> 1/(1+1)
    }

    [Fact]
    public void Cosine_pearson_and_euclidean_match_hand_computation()
    {
        var cos = Compute(SimilarityMeasure.Cosine);
        Assert.Equal(18 / Math.Sqrt(34 * 10), cos[0, 1], 5);
        Assert.Equal(1f, cos[0, 2], 6);
        var pearson = Compute(SimilarityMeasure.Pearson);
        // n = 2: (2·18 − 8·4) / sqrt((2·34 − 64)(2·10 − 16)) = 1.
        Assert.Equal(1f, pearson[0, 1], 6);
        // One common item: zero variance, so 0 (Surprise's denominator-zero rule).
        Assert.Equal(0f, pearson[0, 2]);
        var euclid = Compute(SimilarityMeasure.Euclidean);
        Assert.Equal(1 / (1 + Math.Sqrt(8)), euclid[0, 1], 5);
        Assert.Equal(1 / (1 + 3.0), euclid[1, 2], 5);
    }

    [Fact]
    public void Pairs_below_min_support_get_zero()
    {
        var sim = Compute(SimilarityMeasure.Msd, minSupport: 2);
        Assert.Equal(0.2f, sim[0, 1], 6);
        Assert.Equal(0f, sim[0, 2]);
        Assert.Equal(0f, sim[1, 2]);
    }

    [Fact]
    public void Pearson_baseline_is_the_shrunk_correlation_of_baseline_residuals()
    {
        var data = NeighborhoodTestData.Tiny();
        var b = BaselineEstimates.Compute(data, BaselineOptions.Als);
        var sim = Similarities.Compute(data, new SimilarityOptions { Measure = SimilarityMeasure.PearsonBaseline, Shrinkage = 1 }, b, TrainingContext.Deterministic());
        // u0 and u1 share items 0 and 1.
        double Res(int u, int i, double r) => r - (b.GlobalMean + b.UserBias[u] + b.ItemBias[i]);
        double[] d0 = [Res(0, 0, 5), Res(0, 1, 3)], d1 = [Res(1, 0, 3), Res(1, 1, 1)];
        double expected = (d0[0] * d1[0] + d0[1] * d1[1]) / Math.Sqrt((d0[0] * d0[0] + d0[1] * d0[1]) * (d1[0] * d1[0] + d1[1] * d1[1])) * (1.0 / (1 + 1));
        Assert.Equal(expected, sim[0, 1], 5);
        // One common item: (n − 1) = 0 shrinks it to 0.
        Assert.Equal(0f, sim[0, 2]);
    }

    [Fact]
    public void Parallel_and_single_threaded_matrices_are_identical_on_real_data()
    {
        var (train, _) = NeighborhoodTestData.MovieLensSmall8020;
        var options = new SimilarityOptions { Measure = SimilarityMeasure.Pearson, UserBased = true };
        var one = Similarities.Compute(train, options, null, TrainingContext.Deterministic());
        var many = Similarities.Compute(train, options, null, new TrainingContext { Threads = 4 });
        Assert.Equal(one.Values, many.Values);
        for (int a = 0; a < one.Size; a += 37)
        {
            for (int c = 0; c < one.Size; c += 11) Assert.Equal(one[a, c], one[c, a]);
        }
    }

    [Fact]
    public void Unknown_similarity_names_throw_naming_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => Similarities.Parse("jaccard"));
        Assert.Equal("sim", e.ParamName);
        Assert.Equal(SimilarityMeasure.PearsonBaseline, Similarities.Parse("pearson_baseline"));
    }
}
