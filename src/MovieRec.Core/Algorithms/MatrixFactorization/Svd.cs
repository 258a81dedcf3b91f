using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// Biased matrix factorisation trained by SGD ("Funk SVD"; Koren, Bell &amp; Volinsky, "Matrix Factorization
/// Techniques for Recommender Systems", IEEE Computer 2009), with Surprise's SVD semantics:
/// <c>r̂_ui = μ + b_u + b_i + q_iᵀp_u</c>; for each rating, with <c>e = r − r̂</c>,
/// <c>b_u += γ_bu(e − λ_bu b_u)</c>, <c>b_i += γ_bi(e − λ_bi b_i)</c>, <c>p_u += γ_pu(e q_i − λ_pu p_u)</c>,
/// <c>q_i += γ_qi(e p_u − λ_qi q_i)</c> (both from the old values). Biases start at 0, factors at N(init_mean,
/// init_std_dev). Unbiased (<c>biased=false</c>): <c>r̂ = q_iᵀp_u</c>.
/// <para>
/// Order: with one thread (<see cref="TrainingContext.Deterministic"/>) each epoch visits the ratings grouped by
/// user as Surprise iterates <c>trainset.all_ratings()</c> (users by first appearance, each user's ratings in dataset
/// order; see <see cref="UserGroupedRatings"/>); the same seed gives a bit-identical model. With T > 1 threads,
/// stratified SGD (DSGD; Gemulla, Nijkamp, Haas &amp; Sismanis, "Large-Scale Matrix Factorization with Distributed
/// Stochastic Gradient Descent", KDD 2011): users and items are split into T blocks of about equal rating counts
/// (items in seeded random chunks), and each epoch runs T sub-epochs in which thread t trains user block t against
/// item block (t + s) mod T, its users in an order shuffled with the seed every epoch. No two threads touch the same
/// parameter at once, so there are no races and the same seed and thread count give a bit-identical model; a
/// different thread count gives a different (equally good) order.
/// </para>
/// <para>
/// The SGD step is computed as <c>p_u ← (1 − γ_pu λ_pu)p_u + γ_pu e q_i</c> (likewise q_i), and the next rating's
/// dot product is carried from the update loop (see <see cref="Pass256"/>): both equal the formulas above up to
/// float rounding.
/// </para>
/// <para>
/// <see cref="FactorModel.EpochLoss"/>: the regularised objective per rating,
/// <c>(Σ e² + Σ_u n_u(λ_bu b_u² + λ_pu|p_u|²) + Σ_i n_i(λ_bi b_i² + λ_qi|q_i|²)) / n</c>, with e the error
/// seen by each SGD step during the epoch and the regulariser at the epoch's end.
/// </para>
/// </summary>
public sealed class Svd : FactorModel
{
    public Svd(SvdOptions? options = null, string name = "svd")
    {
        Options = options ?? SvdOptions.Default;
        Options.Validate();
        Name = name;
        Factors = Options.Factors;
        Biased = Options.Biased;
    }

    public SvdOptions Options { get; }

    public override string Name { get; }

    protected override double FoldInRegularization => Options.FoldInRegularization;

    protected override double FoldInPrior => Options.FoldInPrior;

    protected override double FoldInBiasRegularization => Options.EffRegBu;

    public override string OptionsJson => Options.ToJson();

    protected override void Train(RatingDataset train, TrainingContext context)
    {
        var o = Options;
        int f = o.Factors, users = train.UserCount, items = train.ItemCount;
        // The same initial factors as GaussianFill.Fill(new Random(seed), ...) on p then q, drawn straight into rows padded
        // with zeros to whole SIMD vectors (the padding stays zero: its gradient is 0).
        var init = new SubtractiveRandom(context.Seed);
        UserBias = new float[users];
        ItemBias = new float[items];
        int stride = PaddedStride(f);
        var pTrain = new float[users * stride];
        var qTrain = new float[items * stride];
        int pValues = users * f, qValues = items * f;
        if (context.EffectiveThreads == 1 || qValues < 1 << 16)
        {
            GaussianFill.Fill(init, pTrain, 0, pValues, pValues, f, stride, o.InitMean, o.InitStdDev);
            GaussianFill.Fill(init, qTrain, 0, qValues, qValues, f, stride, o.InitMean, o.InitStdDev);
        }
        else
        {
            // Two halves at once: the second half's generator skips the draws of p and of q's first half.
            int half = qValues / 4 * 2;
            var second = init.Clone();
            Parallel.Invoke(context.ParallelOptions,
                () =>
                {
                    GaussianFill.Fill(init, pTrain, 0, pValues, pValues, f, stride, o.InitMean, o.InitStdDev);
                    GaussianFill.Fill(init, qTrain, 0, half, qValues, f, stride, o.InitMean, o.InitStdDev);
                },
                () =>
                {
                    second.Skip(GaussianFill.DrawsFor(pValues) + half);
                    GaussianFill.Fill(second, qTrain, half, qValues - half, qValues, f, stride, o.InitMean, o.InitStdDev);
                });
        }
        var groups = UserGroupedRatings.Build(train);
        int groupCount = groups.GroupCount;
        float mu = Biased ? (float)train.GlobalMean : 0f;
        int threads = Math.Min(context.EffectiveThreads, Math.Max(1, groupCount));
        var order = new int[groupCount];
        for (int g = 0; g < groupCount; g++) order[g] = g;
        var userCounts = new int[users];
        var itemCounts = new int[items];
        foreach (int u in train.Users) userCounts[u]++;
        foreach (int i in train.Items) itemCounts[i]++;
        var segments = groups.Starts;
        int[] userBlocks = [0, groupCount];
        int[][] itemBlocks = [];
        if (threads > 1)
        {
            // Stratified SGD: users and items in `threads` blocks of about equal rating counts; sub-epoch s runs
            // user block t against item block (t + s) mod threads on thread t, so no two threads touch the same
            // parameter (no races, no cache lines bouncing between cores).
            // Items go to blocks in seeded random chunks of 16 (a cache line of biases): contiguous id ranges would
            // half-sort each user's ratings by item id, which costs accuracy (see UserGroupedRatings).
            var blockOfItem = new int[items];
            int chunks = (items + ItemChunk - 1) / ItemChunk;
            var chunkOrder = new int[chunks];
            for (int c = 0; c < chunks; c++) chunkOrder[c] = c;
            new Random(DerivedSeed(context.Seed, 2)).Shuffle(chunkOrder);
            var cumulative = 0L;
            foreach (int c in chunkOrder)
            {
                int block = (int)Math.Min(threads - 1, cumulative * threads / Math.Max(1, train.Count));
                for (int i = c * ItemChunk; i < Math.Min(items, (c + 1) * ItemChunk); i++)
                {
                    blockOfItem[i] = block;
                    cumulative += itemCounts[i];
                }
            }
            segments = groups.PartitionByItemBlock(blockOfItem, threads);
            itemBlocks = new int[threads][];
            var blockSize = new int[threads];
            foreach (int b in blockOfItem) blockSize[b]++;
            for (int b = 0; b < threads; b++) itemBlocks[b] = new int[blockSize[b]];
            Array.Clear(blockSize);
            for (int i = 0; i < items; i++) itemBlocks[blockOfItem[i]][blockSize[blockOfItem[i]]++] = i;
            userBlocks = new int[threads + 1];
            cumulative = 0;
            for (int g = 0, b = 1; g < groupCount; g++)
            {
                cumulative += groups.Starts[g + 1] - groups.Starts[g];
                while (b < threads && cumulative * threads >= (long)b * train.Count) userBlocks[b++] = g + 1;
            }
            userBlocks[threads] = groupCount;
        }
        // The strata's user orders are shuffled every epoch by a generator of their own (the fill consumed the
        // seeded one's first draws).
        var rng = new Random(DerivedSeed(context.Seed, 1));
        var partial = new double[threads];
        var partialReg = new double[threads];
        double decay = 1;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            var rates = new Rates(o, decay, mu, f, Biased);
            double loss;
            if (threads == 1)
            {
                double sq = Pass(groups, order, 0, groupCount, segments, 1, 0, rates, pTrain, qTrain, stride);
                loss = Objective(userCounts, itemCounts, sq, pTrain, qTrain, stride);
            }
            else
            {
                for (int t = 0; t < threads; t++) rng.Shuffle(order.AsSpan(userBlocks[t], userBlocks[t + 1] - userBlocks[t]));
                Array.Clear(partial);
                Array.Clear(partialReg);
                for (int step = 0; step < threads; step++)
                {
                    // Which item block comes last for a user rotates with the epoch.
                    int sub = (step + epoch) % threads;
                    bool last = step == threads - 1;
                    Parallel.For(0, threads, context.ParallelOptions, t =>
                    {
                        partial[t] += Pass(groups, order, userBlocks[t], userBlocks[t + 1], segments, threads + 1, (t + sub) % threads, rates, pTrain, qTrain, stride);
                        // The last sub-epoch leaves thread t's users and its item block final for this epoch: their
                        // share of the regulariser is summed here, on their thread, while they are in its cache.
                        if (last)
                            partialReg[t] = UserRegulariser(groups, order, userBlocks[t], userBlocks[t + 1], pTrain, stride)
                                + ItemRegulariser(itemBlocks[(t + sub) % threads], itemCounts, qTrain, stride);
                    });
                }
                double sqSum = 0, reg = 0;
                for (int t = 0; t < threads; t++)
                {
                    sqSum += partial[t];
                    reg += partialReg[t];
                }
                loss = (sqSum + reg) / Math.Max(1, train.Count);
            }
            RecordEpoch(context, epoch, o.Epochs, loss);
            decay *= o.LearningRateDecay;
        }
        UserVectors = Unpad(pTrain, f, stride, 1, context.ParallelOptions);
        ItemFactors = Unpad(qTrain, f, stride, threads, context.ParallelOptions);
    }

    private const int ItemChunk = 16;

    /// <summary>A seed for a second generator (HashCode.Combine would differ between processes).</summary>
    private static int DerivedSeed(int seed, int stream) => unchecked((seed * -1640531535) + (stream * 40503));

    /// <summary>Row length rounded up to whole 256-bit vectors.</summary>
    private static int PaddedStride(int f)
    {
        // 256-bit rows: on AVX-512 hardware the 512-bit loop measured no faster (0.049 vs 0.050 s per fold).
        int w = Vector256.IsHardwareAccelerated ? Vector256<float>.Count : 1;
        return (f + w - 1) / w * w;
    }

    private static float[] Unpad(float[] padded, int f, int stride, int threads, ParallelOptions parallel)
    {
        if (stride == f) return padded;
        int n = padded.Length / stride;
        var rows = new float[n * f];
        if (threads == 1 || n < 1024)
            Copy(0, n);
        else
            Parallel.For(0, threads, parallel, t => Copy((int)((long)n * t / threads), (int)((long)n * (t + 1) / threads)));
        return rows;

        void Copy(int from, int to)
        {
            for (int r = from; r < to; r++) padded.AsSpan(r * stride, f).CopyTo(rows.AsSpan(r * f));
        }
    }

    private readonly record struct Rates(float LrBu, float LrBi, float LrPu, float LrQi, float RegBu, float RegBi, float RegPu, float RegQi, float Mu, int F, bool Biased)
    {
        public Rates(SvdOptions o, double decay, float mu, int f, bool biased)
            : this((float)(o.EffLrBu * decay), (float)(o.EffLrBi * decay), (float)(o.EffLrPu * decay), (float)(o.EffLrQi * decay),
                (float)o.EffRegBu, (float)o.EffRegBi, (float)o.EffRegPu, (float)o.EffRegQi, mu, f, biased)
        {
        }
    }

    /// <summary>
    /// SGD over the ratings of user groups order[start..end), group g's ratings being
    /// <c>segments[g·segStride+block] .. segments[g·segStride+block+1]</c>; returns the sum of squared errors seen.
    /// </summary>
    private double Pass(UserGroupedRatings groups, int[] order, int start, int end, int[] segments, int segStride, int block, Rates r, float[] pAll, float[] qAll, int stride)
    {
        if (stride % Vector256<float>.Count == 0 && Vector256.IsHardwareAccelerated)
            return Pass256(groups, order, start, end, segments, segStride, block, r, UserBias, ItemBias, pAll, qAll, stride);
        return PassScalar(groups, order, start, end, segments, segStride, block, r, UserBias, ItemBias, pAll, qAll, stride);
    }

    /// <summary>
    /// The SGD loop with 256-bit vectors over rows padded to whole vectors, without bounds checks (every index comes
    /// from the training CSR, checked when it was built). The update is written as
    /// <c>p ← (1 − γλ)p + (γe)q</c> (one multiply and one FMA per vector). Within a user's ratings the next rating's
    /// dot product is not recomputed from the updated p_u, which would make every step wait for the previous one's
    /// stores and a full dot product: the update loop of rating j also accumulates <c>p_old·q_next</c> and
    /// <c>q_j·q_next</c> from the values it loads anyway, and <c>p_newᵀq_next = (1 − γ_pu λ_pu)(p_oldᵀq_next) +
    /// γ_pu e (q_jᵀq_next)</c> exactly (q_next is not q_j: a user rates an item once). This equals the direct dot product
    /// up to float rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Pass256(UserGroupedRatings groups, int[] order, int start, int end, int[] segments, int segStride, int block, Rates r, float[] bu, float[] bi, float[] pAll, float[] qAll, int stride)
    {
        var users = groups.Users;
        ref int cols = ref MemoryMarshal.GetArrayDataReference(groups.Items);
        ref float vals = ref MemoryMarshal.GetArrayDataReference(groups.Values);
        ref float p0 = ref MemoryMarshal.GetArrayDataReference(pAll);
        ref float q0 = ref MemoryMarshal.GetArrayDataReference(qAll);
        ref float bi0 = ref MemoryMarshal.GetArrayDataReference(bi);
        int w = Vector256<float>.Count;
        float keepPs = 1f - r.LrPu * r.RegPu;
        var keepP = Vector256.Create(keepPs);
        var keepQ = Vector256.Create(1f - r.LrQi * r.RegQi);
        bool biased = r.Biased;
        double sq = 0;
        for (int k = start; k < end; k++)
        {
            int g = order[k], u = users[g];
            int j = segments[g * segStride + block], stop = segments[g * segStride + block + 1];
            if (j == stop) continue;
            ref float p = ref Unsafe.Add(ref p0, (nint)u * stride);
            float bu_u = bu[u];
            int i = Unsafe.Add(ref cols, j);
            ref float q = ref Unsafe.Add(ref q0, (nint)i * stride);
            float dot = Dot256(ref p, ref q, stride);
            while (true)
            {
                float err;
                if (biased)
                {
                    ref float b_i = ref Unsafe.Add(ref bi0, i);
                    err = Unsafe.Add(ref vals, j) - (r.Mu + bu_u + b_i + dot);
                    bu_u += r.LrBu * (err - r.RegBu * bu_u);
                    b_i += r.LrBi * (err - r.RegBi * b_i);
                }
                else
                {
                    err = Unsafe.Add(ref vals, j) - dot;
                }
                sq += (double)err * err;
                float eps = r.LrPu * err;
                var eP = Vector256.Create(eps);
                var eQ = Vector256.Create(r.LrQi * err);
                if (++j == stop)
                {
                    for (int c = 0; c < stride; c += w)
                    {
                        var pv = Vector256.LoadUnsafe(ref p, (nuint)c);
                        var qv = Vector256.LoadUnsafe(ref q, (nuint)c);
                        Vector256.FusedMultiplyAdd(eP, qv, keepP * pv).StoreUnsafe(ref p, (nuint)c);
                        Vector256.FusedMultiplyAdd(eQ, pv, keepQ * qv).StoreUnsafe(ref q, (nuint)c);
                    }
                    break;
                }
                i = Unsafe.Add(ref cols, j);
                ref float qn = ref Unsafe.Add(ref q0, (nint)i * stride);
                var d0 = Vector256<float>.Zero;
                var d1 = Vector256<float>.Zero;
                var c0 = Vector256<float>.Zero;
                var c1 = Vector256<float>.Zero;
                int x = 0;
                for (; x <= stride - 2 * w; x += 2 * w)
                {
                    var pv = Vector256.LoadUnsafe(ref p, (nuint)x);
                    var qv = Vector256.LoadUnsafe(ref q, (nuint)x);
                    var nv = Vector256.LoadUnsafe(ref qn, (nuint)x);
                    d0 = Vector256.FusedMultiplyAdd(pv, nv, d0);
                    c0 = Vector256.FusedMultiplyAdd(qv, nv, c0);
                    Vector256.FusedMultiplyAdd(eP, qv, keepP * pv).StoreUnsafe(ref p, (nuint)x);
                    Vector256.FusedMultiplyAdd(eQ, pv, keepQ * qv).StoreUnsafe(ref q, (nuint)x);
                    var pv1 = Vector256.LoadUnsafe(ref p, (nuint)(x + w));
                    var qv1 = Vector256.LoadUnsafe(ref q, (nuint)(x + w));
                    var nv1 = Vector256.LoadUnsafe(ref qn, (nuint)(x + w));
                    d1 = Vector256.FusedMultiplyAdd(pv1, nv1, d1);
                    c1 = Vector256.FusedMultiplyAdd(qv1, nv1, c1);
                    Vector256.FusedMultiplyAdd(eP, qv1, keepP * pv1).StoreUnsafe(ref p, (nuint)(x + w));
                    Vector256.FusedMultiplyAdd(eQ, pv1, keepQ * qv1).StoreUnsafe(ref q, (nuint)(x + w));
                }
                if (x < stride)
                {
                    var pv = Vector256.LoadUnsafe(ref p, (nuint)x);
                    var qv = Vector256.LoadUnsafe(ref q, (nuint)x);
                    var nv = Vector256.LoadUnsafe(ref qn, (nuint)x);
                    d0 = Vector256.FusedMultiplyAdd(pv, nv, d0);
                    c0 = Vector256.FusedMultiplyAdd(qv, nv, c0);
                    Vector256.FusedMultiplyAdd(eP, qv, keepP * pv).StoreUnsafe(ref p, (nuint)x);
                    Vector256.FusedMultiplyAdd(eQ, pv, keepQ * qv).StoreUnsafe(ref q, (nuint)x);
                }
                dot = keepPs * Vector256.Sum(d0 + d1) + eps * Vector256.Sum(c0 + c1);
                q = ref qn;
            }
            bu[u] = bu_u;
        }
        return sq;
    }

    /// <summary>pᵀq over a padded row with four independent accumulators: the SGD step waits on this dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot256(ref float p, ref float q, int stride)
    {
        int w = Vector256<float>.Count, c = 0;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        for (; c <= stride - 4 * w; c += 4 * w)
        {
            a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)c), Vector256.LoadUnsafe(ref q, (nuint)c), a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(c + w)), Vector256.LoadUnsafe(ref q, (nuint)(c + w)), a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(c + 2 * w)), Vector256.LoadUnsafe(ref q, (nuint)(c + 2 * w)), a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(c + 3 * w)), Vector256.LoadUnsafe(ref q, (nuint)(c + 3 * w)), a3);
        }
        if (c < stride) { a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)c), Vector256.LoadUnsafe(ref q, (nuint)c), a0); c += w; }
        if (c < stride) { a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)c), Vector256.LoadUnsafe(ref q, (nuint)c), a1); c += w; }
        if (c < stride) { a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)c), Vector256.LoadUnsafe(ref q, (nuint)c), a2); }
        return Vector256.Sum((a0 + a1) + (a2 + a3));
    }

    /// <summary>The portable loop, for hardware without 256-bit SIMD.</summary>
    private static double PassScalar(UserGroupedRatings groups, int[] order, int start, int end, int[] segments, int segStride, int block, Rates r, float[] bu, float[] bi, float[] pAll, float[] qAll, int stride)
    {
        var cols = groups.Items;
        var vals = groups.Values;
        int f = r.F;
        double sq = 0;
        for (int k = start; k < end; k++)
        {
            int g = order[k], u = groups.Users[g];
            var p = pAll.AsSpan(u * stride, f);
            for (int j = segments[g * segStride + block], stop = segments[g * segStride + block + 1]; j < stop; j++)
            {
                int i = cols[j];
                var q = qAll.AsSpan(i * stride, f);
                float dot = TensorPrimitives.Dot(p, q);
                float err = r.Biased ? vals[j] - (r.Mu + bu[u] + bi[i] + dot) : vals[j] - dot;
                sq += (double)err * err;
                if (r.Biased)
                {
                    bu[u] += r.LrBu * (err - r.RegBu * bu[u]);
                    bi[i] += r.LrBi * (err - r.RegBi * bi[i]);
                }
                Step(p, q, err, r.LrPu, r.RegPu, r.LrQi, r.RegQi);
            }
        }
        return sq;
    }

    /// <summary>p += γp(e q − λp p); q += γq(e p − λq q), both from the old values, SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Step(Span<float> p, Span<float> q, float err, float lrP, float regP, float lrQ, float regQ)
    {
        int f = p.Length, c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; c <= f - w; c += w)
            {
                var pv = new Vector<float>(p.Slice(c));
                var qv = new Vector<float>(q.Slice(c));
                (pv + lrP * (err * qv - regP * pv)).CopyTo(p.Slice(c));
                (qv + lrQ * (err * pv - regQ * qv)).CopyTo(q.Slice(c));
            }
        }
        for (; c < f; c++)
        {
            float pf = p[c], qf = q[c];
            p[c] = pf + lrP * (err * qf - regP * pf);
            q[c] = qf + lrQ * (err * pf - regQ * qf);
        }
    }

    private double Objective(int[] userCounts, int[] itemCounts, double sq, float[] pAll, float[] qAll, int stride)
    {
        var o = Options;
        int f = Factors;
        double reg = 0;
        long total = 0;
        for (int u = 0; u < userCounts.Length; u++)
        {
            int n = userCounts[u];
            total += n;
            if (n == 0) continue;
            var p = pAll.AsSpan(u * stride, f);
            reg += n * (o.EffRegBu * UserBias[u] * UserBias[u] + o.EffRegPu * TensorPrimitives.Dot(p, p));
        }
        for (int i = 0; i < itemCounts.Length; i++)
        {
            int n = itemCounts[i];
            if (n == 0) continue;
            var q = qAll.AsSpan(i * stride, f);
            reg += n * (o.EffRegBi * ItemBias[i] * ItemBias[i] + o.EffRegQi * TensorPrimitives.Dot(q, q));
        }
        return (sq + reg) / Math.Max(1, total);
    }

    /// <summary>Σ n_u(λ_bu b_u² + λ_pu|p_u|²) over the users of groups order[start..end).</summary>
    private double UserRegulariser(UserGroupedRatings groups, int[] order, int start, int end, float[] pAll, int stride)
    {
        var o = Options;
        double reg = 0;
        for (int k = start; k < end; k++)
        {
            int g = order[k], u = groups.Users[g], n = groups.Starts[g + 1] - groups.Starts[g];
            var p = pAll.AsSpan(u * stride, Factors);
            reg += n * (o.EffRegBu * UserBias[u] * UserBias[u] + o.EffRegPu * TensorPrimitives.Dot(p, p));
        }
        return reg;
    }

    /// <summary>Σ n_i(λ_bi b_i² + λ_qi|q_i|²) over the given items.</summary>
    private double ItemRegulariser(int[] items, int[] itemCounts, float[] qAll, int stride)
    {
        var o = Options;
        double reg = 0;
        foreach (int i in items)
        {
            int n = itemCounts[i];
            if (n == 0) continue;
            var q = qAll.AsSpan(i * stride, Factors);
            reg += n * (o.EffRegBi * ItemBias[i] * ItemBias[i] + o.EffRegQi * TensorPrimitives.Dot(q, q));
        }
        return reg;
    }

    /// <summary>A model read from a file.</summary>
    internal static Svd Restore(ModelContents contents)
    {
        var model = new Svd(SvdOptions.FromJson(contents.OptionsJson), contents.Algorithm);
        model.ReadArrays(contents);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}
