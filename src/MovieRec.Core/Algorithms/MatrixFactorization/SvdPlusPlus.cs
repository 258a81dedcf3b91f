using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// Hyperparameters of <see cref="SvdPlusPlus"/>. Defaults are Surprise's SVDpp: 20 factors, 20 epochs, lr_all 0.007,
/// reg_all 0.02, init N(0, 0.1). Per-parameter values (LrYj, RegYj, ...) override the "all" value.
/// </summary>
public sealed record SvdPlusPlusOptions
{
    public int Factors { get; init; } = 20;
    public int Epochs { get; init; } = 20;
    public double InitMean { get; init; }
    public double InitStdDev { get; init; } = 0.1;
    public double LrAll { get; init; } = 0.007;
    public double RegAll { get; init; } = 0.02;
    public double? LrBu { get; init; }
    public double? LrBi { get; init; }
    public double? LrPu { get; init; }
    public double? LrQi { get; init; }
    public double? LrYj { get; init; }
    public double? RegBu { get; init; }
    public double? RegBi { get; init; }
    public double? RegPu { get; init; }
    public double? RegQi { get; init; }
    public double? RegYj { get; init; }

    /// <summary>Every learning rate is multiplied by this after each epoch (ours; 1 = Surprise).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>
    /// True (default): Surprise's SVDpp, every y_j of N(u) moved after each of u's ratings (computed in O(f) per rating,
    /// see <see cref="SvdPlusPlus"/>). False: a different algorithm, the y gradient summed over the user's ratings and
    /// applied once per user per epoch (the usual fast SVD++ form); 5-fold RMSE on ml-latest-small 0.8632 against the
    /// exact update's 0.8630 (docs/benchmarks.md), so exact is the default.
    /// </summary>
    public bool ExactUpdates { get; init; } = true;

    /// <summary>Ridge λ of the fold-in solve, per rating (see <see cref="SvdOptions.FoldInRegularization"/>).</summary>
    public double FoldInRegularization { get; init; } = 0.1;

    /// <summary>Prior strength of the fold-in, in ratings (see <see cref="SvdOptions.FoldInPrior"/>).</summary>
    public double FoldInPrior { get; init; } = 10;

    public double EffLrBu => LrBu ?? LrAll;
    public double EffLrBi => LrBi ?? LrAll;
    public double EffLrPu => LrPu ?? LrAll;
    public double EffLrQi => LrQi ?? LrAll;
    public double EffLrYj => LrYj ?? LrAll;
    public double EffRegBu => RegBu ?? RegAll;
    public double EffRegBi => RegBi ?? RegAll;
    public double EffRegPu => RegPu ?? RegAll;
    public double EffRegQi => RegQi ?? RegAll;
    public double EffRegYj => RegYj ?? RegAll;

    public static SvdPlusPlusOptions Default { get; } = new();

    public void Validate()
    {
        SvdOptions.ValidateSgd(Factors, Epochs, InitMean, InitStdDev, LearningRateDecay, FoldInRegularization, FoldInPrior,
            [("lr-all", LrAll), ("lr-bu", EffLrBu), ("lr-bi", EffLrBi), ("lr-pu", EffLrPu), ("lr-qi", EffLrQi), ("lr-yj", EffLrYj)],
            [("reg-all", RegAll), ("reg-bu", EffRegBu), ("reg-bi", EffRegBi), ("reg-pu", EffRegPu), ("reg-qi", EffRegQi), ("reg-yj", EffRegYj)]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"factors={Factors}, epochs={Epochs}, init=N({InitMean}, {InitStdDev}), lr-bu={EffLrBu}, lr-bi={EffLrBi}, lr-pu={EffLrPu}, lr-qi={EffLrQi}, lr-yj={EffLrYj}, reg-bu={EffRegBu}, reg-bi={EffRegBi}, reg-pu={EffRegPu}, reg-qi={EffRegQi}, reg-yj={EffRegYj}, lr-decay={LearningRateDecay}, exact={ExactUpdates}, fold-in-reg={FoldInRegularization}, fold-in-prior={FoldInPrior}");
}

/// <summary>
/// SVD++ (Koren, "Factorization Meets the Neighborhood", KDD 2008), Surprise's SVDpp semantics:
/// <c>r̂_ui = μ + b_u + b_i + q_iᵀ(p_u + |N(u)|^-1/2 Σ_{j∈N(u)} y_j)</c>, N(u) the items u rated in training. SGD with
/// <c>e = r − r̂</c>: <c>b_u += γ(e − λb_u)</c>, <c>b_i += γ(e − λb_i)</c>, <c>p_u += γ(e q_i − λp_u)</c>,
/// <c>q_i += γ(e (p_u + |N(u)|^-1/2 Σ y_j) − λq_i)</c>, <c>y_j += γ(e |N(u)|^-1/2 q_i − λy_j)</c> for j ∈ N(u).
/// <para>
/// Exact (default, <see cref="SvdPlusPlusOptions.ExactUpdates"/>): Surprise's algorithm, the updates above after every
/// rating, users in <c>trainset.all_ratings()</c> order. Surprise recomputes z_u = |N(u)|^-1/2 Σ y_j and moves every
/// y_j at each rating, O(|R(u)| |N(u)| f) per user; here the sum is kept current in O(f) per rating and each y_j is
/// written once per user pass, the same updates by exact algebra (see ExactPass), O((|R(u)| + |N(u)|) f) per user.
/// </para>
/// <para>
/// Approximate (<c>exact=false</c>), a different algorithm: z_u is computed once per user per epoch and the y gradient
/// <c>Σ_r e q_i |N(u)|^-1/2 − |R(u)| λ y_j</c> is accumulated over the user's ratings and applied once at the end (as
/// in LibRec and most fast SVD++ codes): within one user's pass y and z_u stay at their values from its start, so the
/// trajectory and the fitted model differ from Surprise's.
/// </para>
/// <para>
/// With more threads users are processed in parallel (Hogwild, users shuffled each epoch); with one thread training is
/// deterministic and, in exact mode, Surprise's sequence of updates.
/// <see cref="FactorModel.EpochLoss"/>: Σe²/n over the epoch's SGD steps (training MSE as seen during the pass).
/// </para>
/// </summary>
public sealed class SvdPlusPlus : FactorModel
{
    private float[] _implicit = [];

    public SvdPlusPlus(SvdPlusPlusOptions? options = null, string name = "svdpp")
    {
        Options = options ?? SvdPlusPlusOptions.Default;
        Options.Validate();
        Name = name;
        Factors = Options.Factors;
        Biased = true;
    }

    public SvdPlusPlusOptions Options { get; }

    public override string Name { get; }

    protected override double FoldInRegularization => Options.FoldInRegularization;

    protected override double FoldInPrior => Options.FoldInPrior;

    /// <summary>The trained y_j (items × factors), for the golden tests.</summary>
    internal float[] TrainedImplicitFactors => _implicit;

    /// <summary>The trained q_i (items × factors), for the golden tests.</summary>
    internal float[] TrainedItemFactors => ItemFactors;

    /// <summary>The prediction vectors x_u = p_u + |N(u)|^-1/2 Σ y_j (users × factors), for the golden tests.</summary>
    internal float[] TrainedUserVectors => UserVectors;

    protected override double FoldInBiasRegularization => Options.EffRegBu;

    public override string OptionsJson => JsonSerializer.Serialize(Options);

    protected override void Train(RatingDataset train, TrainingContext context)
    {
        var o = Options;
        int f = o.Factors, users = train.UserCount, items = train.ItemCount;
        var rng = new Random(context.Seed);
        UserBias = new float[users];
        ItemBias = new float[items];
        var pu = new float[users * f];
        var qi = new float[items * f];
        var yj = new float[items * f];
        GaussianFill.Fill(rng, pu, o.InitMean, o.InitStdDev);
        GaussianFill.Fill(rng, qi, o.InitMean, o.InitStdDev);
        GaussianFill.Fill(rng, yj, o.InitMean, o.InitStdDev);
        // The exact pass runs on rows padded to whole SIMD vectors (the padding stays 0 under every update).
        int stride = o.ExactUpdates ? (f + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count : f;
        pu = Restride(pu, f, stride);
        qi = Restride(qi, f, stride);
        yj = Restride(yj, f, stride);
        ItemFactors = qi;
        _implicit = yj;
        var groups = UserGroupedRatings.Build(train);
        int groupCount = groups.GroupCount;
        int threads = Math.Min(context.EffectiveThreads, Math.Max(1, groupCount));
        var order = new int[groupCount];
        for (int g = 0; g < groupCount; g++) order[g] = g;
        float mu = (float)train.GlobalMean;
        double decay = 1;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double d = decay;
            double sq;
            if (threads == 1)
                sq = Pass(groups, order, 0, groupCount, pu, stride, mu, d);
            else
            {
                rng.Shuffle(order);
                var partial = new double[threads];
                Parallel.For(0, threads, context.ParallelOptions, t =>
                {
                    long start = (long)groupCount * t / threads, end = (long)groupCount * (t + 1) / threads;
                    partial[t] = Pass(groups, order, (int)start, (int)end, pu, stride, mu, d);
                });
                sq = partial.Sum();
            }
            RecordEpoch(context, epoch, o.Epochs, sq / Math.Max(1, train.Count));
            decay *= o.LearningRateDecay;
        }
        pu = Restride(pu, stride, f);
        ItemFactors = Restride(qi, stride, f);
        _implicit = Restride(yj, stride, f);
        // Prediction-time vectors x_u = p_u + |N(u)|^-1/2 Σ y_j, computed once.
        var x = new float[users * f];
        var z = new float[f];
        for (int u = 0; u < users; u++)
        {
            ImplicitSum(RatedBy(u), z);
            TensorPrimitives.Add(pu.AsSpan(u * f, f), z, x.AsSpan(u * f, f));
        }
        UserVectors = x;
    }

    /// <summary>The rows of <paramref name="values"/> copied from <paramref name="from"/> floats apart to <paramref name="to"/> (zero-padded).</summary>
    private static float[] Restride(float[] values, int from, int to)
    {
        if (from == to) return values;
        int rows = values.Length / from, width = Math.Min(from, to);
        var result = new float[rows * to];
        for (int r = 0; r < rows; r++) values.AsSpan(r * from, width).CopyTo(result.AsSpan(r * to));
        return result;
    }

    private void ImplicitSum(ReadOnlySpan<int> items, Span<float> z)
    {
        z.Clear();
        if (items.IsEmpty) return;
        int f = Factors;
        foreach (int j in items) TensorPrimitives.Add(z, _implicit.AsSpan(j * f, f), z);
        TensorPrimitives.Multiply(z, 1f / MathF.Sqrt(items.Length), z);
    }

    private double Pass(UserGroupedRatings groups, int[] order, int start, int end, float[] pAll, int stride, float mu, double decay) =>
        Options.ExactUpdates ? ExactPass(groups, order, start, end, pAll, stride, mu, decay) : FastPass(groups, order, start, end, pAll, mu, decay);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double FastPass(UserGroupedRatings groups, int[] order, int start, int end, float[] pAll, float mu, double decay)
    {
        var o = Options;
        float lrBu = (float)(o.EffLrBu * decay), lrBi = (float)(o.EffLrBi * decay), lrPu = (float)(o.EffLrPu * decay);
        float lrQi = (float)(o.EffLrQi * decay), lrYj = (float)(o.EffLrYj * decay);
        float regBu = (float)o.EffRegBu, regBi = (float)o.EffRegBi, regPu = (float)o.EffRegPu, regQi = (float)o.EffRegQi, regYj = (float)o.EffRegYj;
        int f = Factors;
        var bu = UserBias;
        var bi = ItemBias;
        var z = new float[f];
        var x = new float[f];
        var grad = new float[f];
        double sq = 0;
        for (int k = start; k < end; k++)
        {
            int g = order[k], u = groups.Users[g];
            var implicitSet = RatedBy(u);
            float norm = 1f / MathF.Sqrt(implicitSet.Length);
            var p = pAll.AsSpan(u * f, f);
            ImplicitSum(implicitSet, z);
            Array.Clear(grad);
            for (int r = groups.Starts[g]; r < groups.Starts[g + 1]; r++)
            {
                int i = groups.Items[r];
                var q = ItemFactors.AsSpan(i * f, f);
                TensorPrimitives.Add(p, z, x);
                float err = groups.Values[r] - (mu + bu[u] + bi[i] + TensorPrimitives.Dot(q, x));
                sq += (double)err * err;
                bu[u] += lrBu * (err - regBu * bu[u]);
                bi[i] += lrBi * (err - regBi * bi[i]);
                Step(p, q, z, grad, err, norm, lrPu, regPu, lrQi, regQi);
            }
            UpdateImplicit(implicitSet, grad, lrYj, regYj, groups.Starts[g + 1] - groups.Starts[g]);
        }
        return sq;
    }

    /// <summary>
    /// One epoch of Surprise's exact SVDpp update over the given users, each user's ratings contiguously in
    /// <c>trainset.all_ratings()</c> order, in O(|R(u)| f + |N(u)| f) per user instead of Surprise's O(|R(u)| |N(u)| f).
    /// <para>
    /// Surprise moves every y_j, j ∈ N(u), after each rating t of u by the same rule
    /// <c>y_j ← a y_j + c_t q_t</c> with <c>a = 1 − γ_y λ_y</c>, <c>c_t = γ_y e_t |N(u)|^-1/2</c> and q_t the rated item's
    /// factors before the step. Within u's pass nothing but u's own implicit sum reads those y_j, so (exact algebra):
    /// after t steps every <c>y_j = a^t y_j⁰ + D_t</c> with <c>D_t = a D_{t−1} + c_t q_t</c>, the same D for every j, and the
    /// sum <c>S = Σ_{j∈N(u)} y_j</c> follows <c>S_t = a S_{t−1} + |N(u)| c_t q_t</c>. So S (hence z_u = |N(u)|^-1/2 S) is
    /// kept current in O(f) per rating and each y_j is written once, at the end of u's pass: <c>y_j ← a^T y_j + D_T</c>.
    /// S, D and a^T are doubles during the pass (as Surprise's arrays are) so the running sum does not drift over a heavy
    /// user's thousands of ratings; the start-of-pass sum and the final write are in floats, like the stored factors.
    /// Rows are <paramref name="stride"/> floats, a whole number of SIMD vectors (zero padding stays zero). Single-threaded
    /// this is Surprise's sequence of updates up to float rounding (SvdPlusPlusExactTests checks it against a plain
    /// per-rating loop); with more threads users run Hogwild, as in the fast pass.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ExactPass(UserGroupedRatings groups, int[] order, int start, int end, float[] pAll, int stride, float mu, double decay)
    {
        var o = Options;
        float lrBu = (float)(o.EffLrBu * decay), lrBi = (float)(o.EffLrBi * decay), lrPu = (float)(o.EffLrPu * decay);
        float lrQi = (float)(o.EffLrQi * decay);
        double lrYj = o.EffLrYj * decay;
        float regBu = (float)o.EffRegBu, regBi = (float)o.EffRegBi, regPu = (float)o.EffRegPu, regQi = (float)o.EffRegQi;
        double shrink = 1.0 - lrYj * o.EffRegYj;
        int w = Vector<float>.Count;
        var bu = UserBias;
        var bi = ItemBias;
        var y = _implicit;
        var qAll = ItemFactors;
        var items = groups.Items;
        var values = groups.Values;
        // Per pass, not per rating: S and D as pairs of double vectors per float vector of the row.
        var sum = new Vector<double>[2 * stride / w];
        var pending = new Vector<double>[2 * stride / w];
        var z = new float[stride];
        var total = new float[stride];
        double sq = 0;
        for (int k = start; k < end; k++)
        {
            int g = order[k], u = groups.Users[g];
            var implicitSet = RatedBy(u);
            int n = implicitSet.Length;
            double norm = 1.0 / Math.Sqrt(n);
            Array.Clear(total);
            foreach (int j in implicitSet)
            {
                var yj = y.AsSpan(j * stride, stride);
                for (int c = 0; c < stride; c += w)
                    (new Vector<float>(total.AsSpan(c)) + new Vector<float>(yj.Slice(c))).CopyTo(total.AsSpan(c));
            }
            var normV = new Vector<double>(norm);
            for (int c = 0, v = 0; c < stride; c += w, v += 2)
            {
                Vector.Widen(new Vector<float>(total.AsSpan(c)), out sum[v], out sum[v + 1]);
                pending[v] = pending[v + 1] = Vector<double>.Zero;
                Vector.Narrow(sum[v] * normV, sum[v + 1] * normV).CopyTo(z.AsSpan(c));
            }
            double scale = 1;
            var p = pAll.AsSpan(u * stride, stride);
            for (int r = groups.Starts[g]; r < groups.Starts[g + 1]; r++)
            {
                int i = items[r];
                var q = qAll.AsSpan(i * stride, stride);
                var dotV = Vector<float>.Zero;
                for (int c = 0; c < stride; c += w)
                    dotV += new Vector<float>(q.Slice(c)) * (new Vector<float>(p.Slice(c)) + new Vector<float>(z.AsSpan(c)));
                float err = values[r] - (mu + bu[u] + bi[i] + Vector.Sum(dotV));
                sq += (double)err * err;
                bu[u] += lrBu * (err - regBu * bu[u]);
                bi[i] += lrBi * (err - regBi * bi[i]);
                double step = lrYj * err * norm;
                var stepV = new Vector<double>(step);
                var stepAllV = new Vector<double>(step * n);
                var shrinkV = new Vector<double>(shrink);
                for (int c = 0, v = 0; c < stride; c += w, v += 2)
                {
                    var pv = new Vector<float>(p.Slice(c));
                    var qv = new Vector<float>(q.Slice(c));
                    var zv = new Vector<float>(z.AsSpan(c));
                    (pv + lrPu * (err * qv - regPu * pv)).CopyTo(p.Slice(c));
                    (qv + lrQi * (err * (pv + zv) - regQi * qv)).CopyTo(q.Slice(c));
                    Vector.Widen(qv, out var qLow, out var qHigh);
                    pending[v] = shrinkV * pending[v] + stepV * qLow;
                    pending[v + 1] = shrinkV * pending[v + 1] + stepV * qHigh;
                    var sLow = shrinkV * sum[v] + stepAllV * qLow;
                    var sHigh = shrinkV * sum[v + 1] + stepAllV * qHigh;
                    sum[v] = sLow;
                    sum[v + 1] = sHigh;
                    Vector.Narrow(sLow * normV, sHigh * normV).CopyTo(z.AsSpan(c));
                }
                scale *= shrink;
            }
            // y_j ← a^T y_j + D_T, in floats (D rounded once per user).
            for (int c = 0, v = 0; c < stride; c += w, v += 2) Vector.Narrow(pending[v], pending[v + 1]).CopyTo(total.AsSpan(c));
            float scaleF = (float)scale;
            foreach (int j in implicitSet)
            {
                var yj = y.AsSpan(j * stride, stride);
                for (int c = 0; c < stride; c += w)
                    (scaleF * new Vector<float>(yj.Slice(c)) + new Vector<float>(total.AsSpan(c))).CopyTo(yj.Slice(c));
            }
        }
        return sq;
    }

    /// <summary>p += γp(e q − λp p); q += γq(e (p + z) − λq q); g += e |N(u)|^-1/2 q, from the old p and q (SIMD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Step(Span<float> p, Span<float> q, ReadOnlySpan<float> z, Span<float> grad, float err, float norm, float lrP, float regP, float lrQ, float regQ)
    {
        int f = p.Length, c = 0;
        float scaled = err * norm;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; c <= f - w; c += w)
            {
                var pv = new Vector<float>(p.Slice(c));
                var qv = new Vector<float>(q.Slice(c));
                var zv = new Vector<float>(z.Slice(c));
                (pv + lrP * (err * qv - regP * pv)).CopyTo(p.Slice(c));
                (qv + lrQ * (err * (pv + zv) - regQ * qv)).CopyTo(q.Slice(c));
                (new Vector<float>(grad.Slice(c)) + scaled * qv).CopyTo(grad.Slice(c));
            }
        }
        for (; c < f; c++)
        {
            float pf = p[c], qf = q[c];
            p[c] = pf + lrP * (err * qf - regP * pf);
            q[c] = qf + lrQ * (err * (pf + z[c]) - regQ * qf);
            grad[c] += scaled * qf;
        }
    }

    /// <summary>y_j += γ(g − steps·λ y_j) for every j in the implicit set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateImplicit(ReadOnlySpan<int> implicitSet, ReadOnlySpan<float> gradient, float lr, float reg, int steps)
    {
        int f = Factors;
        float shrink = 1f - lr * reg * steps;
        foreach (int j in implicitSet)
        {
            var yj = _implicit.AsSpan(j * f, f);
            // y = y (1 − γ·steps·λ) + γ g
            TensorPrimitives.Multiply(yj, shrink, yj);
            TensorPrimitives.MultiplyAdd(gradient, lr, yj, yj);
        }
    }

    protected override void ImplicitOffset(ReadOnlySpan<ItemRating> profile, Span<float> offset)
    {
        offset.Clear();
        if (profile.IsEmpty) return;
        int f = Factors;
        foreach (var r in profile) TensorPrimitives.Add(offset, _implicit.AsSpan(r.Item * f, f), offset);
        TensorPrimitives.Multiply(offset, 1f / MathF.Sqrt(profile.Length), offset);
    }

    public override void WriteArrays(ModelWriter writer)
    {
        base.WriteArrays(writer);
        writer.Write("implicit_factors", _implicit);
    }

    protected internal override void ReadArrays(ModelContents contents)
    {
        base.ReadArrays(contents);
        _implicit = contents.Floats("implicit_factors");
        if (_implicit.Length != ItemFactors.Length) throw ModelFileError.Create(contents.Path, "implicit_factors has the wrong size");
    }

    internal static SvdPlusPlus Restore(ModelContents contents)
    {
        var model = new SvdPlusPlus(JsonSerializer.Deserialize<SvdPlusPlusOptions>(contents.OptionsJson), contents.Algorithm);
        model.ReadArrays(contents);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}
