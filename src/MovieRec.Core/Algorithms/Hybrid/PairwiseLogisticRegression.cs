using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// A linear ranking function learnt from preference pairs: given rows d_k = x(positive) − x(negative), minimises
/// <c>(1/N) Σ_k log(1 + exp(−wᵀd_k)) + (λ/2)|w|²</c>, the BPR criterion of Rendle et al. 2009 ("BPR: Bayesian
/// personalized ranking from implicit feedback") over fixed features, i.e. logistic regression on differences
/// (RankNet's pairwise loss, Burges et al. 2005). Convex; solved by Newton's method with a Cholesky solve (a few
/// dozen features, so each step costs O(N F²)), damped by step halving should a full step raise the loss
/// (insurance: on every set of pairs tried so far the full steps never did).
/// </summary>
internal static class PairwiseLogisticRegression
{
    /// <summary>
    /// As <see cref="Fit(float[], int, double, ParallelOptions, int)"/>, with the weights of <paramref name="nonPositive"/>
    /// features held at or below 0: a feature whose unconstrained weight comes out positive is held at 0 and the rest
    /// refitted (an active-set loop; with w_f = 0 the others' optimum is the fit without f).
    /// </summary>
    public static double[] Fit(float[] differences, int features, double l2, ParallelOptions parallel, IReadOnlyList<int> nonPositive, int maxIterations = 30)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentNullException.ThrowIfNull(nonPositive);
        var held = new HashSet<int>();
        while (true)
        {
            var w = Fit(differences, features, l2, parallel, maxIterations);
            int added = 0;
            foreach (int f in nonPositive)
            {
                if (w[f] > 0 && held.Add(f)) added++;
            }
            if (added == 0) return w;
            // A held feature's differences are zeroed: its weight then has no pull but the L2 term's, which keeps it at 0.
            differences = (float[])differences.Clone();
            for (int k = 0; k < differences.Length / features; k++)
            {
                foreach (int f in held) differences[k * features + f] = 0;
            }
        }
    }

    public static double[] Fit(float[] differences, int features, double l2, ParallelOptions parallel, int maxIterations = 30)
    {
        ArgumentNullException.ThrowIfNull(differences);
        OptionChecks.Positive(features, nameof(features));
        OptionChecks.Positive(l2, nameof(l2));
        int n = differences.Length / features;
        var w = new double[features];
        if (n == 0) return w;
        var gradient = new double[features];
        var hessian = new double[features * features];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int k = 0; k < n; k++)
            {
                var d = differences.AsSpan(k * features, features);
                double z = 0;
                for (int f = 0; f < features; f++) z += w[f] * d[f];
                double p = 1 / (1 + Math.Exp(z)); // σ(−z): the pair's share of the gradient
                double h = p * (1 - p);
                for (int f = 0; f < features; f++)
                {
                    gradient[f] -= p * d[f];
                    if (d[f] == 0) continue;
                    double hf = h * d[f];
                    for (int g = 0; g <= f; g++) hessian[f * features + g] += hf * d[g];
                }
            }
            for (int f = 0; f < features; f++)
            {
                gradient[f] = gradient[f] / n + l2 * w[f];
                for (int g = 0; g <= f; g++)
                {
                    double v = hessian[f * features + g] / n + (f == g ? l2 : 0);
                    hessian[f * features + g] = v;
                    hessian[g * features + f] = v;
                }
            }
            DenseSpd.Invert(hessian, features, parallel);
            var delta = new double[features];
            for (int f = 0; f < features; f++)
            {
                for (int g = 0; g < features; g++) delta[f] += hessian[f * features + g] * gradient[g];
            }
            // Damped Newton: halve the step until the loss does not rise (pure Newton has no such guarantee).
            double before = Loss(differences, features, w, l2), t = 1, step = 0;
            var trial = new double[features];
            for (int halvings = 0; halvings < 30; halvings++, t /= 2)
            {
                for (int f = 0; f < features; f++) trial[f] = w[f] - t * delta[f];
                if (Loss(differences, features, trial, l2) <= before) break;
            }
            for (int f = 0; f < features; f++)
            {
                step = Math.Max(step, Math.Abs(trial[f] - w[f]));
                w[f] = trial[f];
            }
            if (step < 1e-7) break;
        }
        return w;
    }

    /// <summary>(1/N) Σ log(1 + exp(−wᵀd)) + (λ/2)|w|², computed stably.</summary>
    private static double Loss(float[] differences, int features, double[] w, double l2)
    {
        int n = differences.Length / features;
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            double z = 0;
            for (int f = 0; f < features; f++) z += w[f] * differences[k * features + f];
            sum += z > 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z));
        }
        double norm = 0;
        foreach (double v in w) norm += v * v;
        return sum / n + l2 / 2 * norm;
    }
}
