using MovieRec.Core.Algorithms.Hybrid;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

public class PairwiseLogisticRegressionTests
{
    [Fact]
    public void Finds_the_minimum_of_the_regularised_pairwise_loss()
    {
        // Pairs whose first feature usually favours the positive, the second is noise.
        var rng = new Random(3);
        const int n = 2000, f = 2;
        var d = new float[n * f];
        for (int k = 0; k < n; k++)
        {
            d[k * f] = (float)(rng.NextDouble() * 2 - 0.6);
            d[k * f + 1] = (float)(rng.NextDouble() * 2 - 1);
        }
        const double l2 = 1e-3;
        var w = PairwiseLogisticRegression.Fit(d, f, l2, new ParallelOptions());
        Assert.True(w[0] > 1, $"w = {w[0]}, {w[1]}");
        Assert.True(Math.Abs(w[1]) < Math.Abs(w[0]) / 4, $"w = {w[0]}, {w[1]}");
        // At the optimum the gradient (1/N) Σ −σ(−wᵀd) d + λ w vanishes.
        for (int c = 0; c < f; c++)
        {
            double g = 0;
            for (int k = 0; k < n; k++)
            {
                double z = w[0] * d[k * f] + w[1] * d[k * f + 1];
                g -= d[k * f + c] / (1 + Math.Exp(z));
            }
            Assert.True(Math.Abs(g / n + l2 * w[c]) < 1e-6, $"gradient {c}: {g / n + l2 * w[c]}");
        }
    }

    [Fact]
    public void No_pairs_give_zero_weights()
    {
        Assert.Equal([0.0, 0.0, 0.0], PairwiseLogisticRegression.Fit([], 3, 1e-4, new ParallelOptions()));
    }

    [Fact]
    public void Separable_pairs_with_a_tiny_penalty_give_finite_weights_at_the_optimum()
    {
        // Every pair prefers the positive on feature 0: without the penalty the loss has no minimum; with a tiny one
        // the weights are large but finite and the solver still reaches the penalised optimum.
        var rng = new Random(7);
        const int n = 500, f = 2;
        var d = new float[n * f];
        for (int k = 0; k < n; k++)
        {
            d[k * f] = (float)(0.5 + rng.NextDouble());
            d[k * f + 1] = (float)(rng.NextDouble() - 0.5);
        }
        const double l2 = 1e-6;
        var w = PairwiseLogisticRegression.Fit(d, f, l2, new ParallelOptions(), maxIterations: 200);
        Assert.All(w, v => Assert.True(double.IsFinite(v)));
        Assert.True(w[0] > 5, $"w = {w[0]}, {w[1]}");
        double g0 = 0;
        for (int k = 0; k < n; k++) g0 -= d[k * f] / (1 + Math.Exp(w[0] * d[k * f] + w[1] * d[k * f + 1]));
        Assert.True(Math.Abs(g0 / n + l2 * w[0]) < 1e-6, $"gradient {g0 / n + l2 * w[0]}");
    }
}
