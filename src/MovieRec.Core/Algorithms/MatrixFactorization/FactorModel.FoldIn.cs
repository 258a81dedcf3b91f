using System.Numerics.Tensors;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>Fold-in: a new user's bias and vector solved with the item parameters fixed.</summary>
public abstract partial class FactorModel
{
    /// <summary>A user folded into a factor model: their bias and prediction-time vector.</summary>
    public sealed class FoldedFactorUser : FoldedUser
    {
        internal FoldedFactorUser(ItemRating[] ratings, float bias, float[] vector, bool hasRatings) : base(ratings)
        {
            Bias = bias;
            Vector = vector;
            HasRatings = hasRatings;
        }

        public float Bias { get; }

        public float[] Vector { get; }

        /// <summary>False when none of the ratings was for an item the model knows: predictions fall back.</summary>
        public bool HasRatings { get; }
    }

    /// <summary>
    /// Solves a new user's bias and factors with the item parameters fixed (see <see cref="SolveUser"/>). Ratings
    /// of items the model does not know are ignored; a later rating of the same item replaces an earlier one.
    /// </summary>
    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        CheckFitted();
        var profile = Normalise(ratings);
        var vector = new float[Factors];
        float bias = 0;
        if (profile.Length > 0) SolveUser(profile, out bias, vector);
        return new FoldedFactorUser(profile, bias, vector, profile.Length > 0);
    }

    /// <summary>
    /// The ratings of known items, one per item (the last given), sorted by item: keys item·2³² + position sorted in
    /// place, so a request allocates only the result.
    /// </summary>
    private ItemRating[] Normalise(ReadOnlySpan<ItemRating> ratings)
    {
        int known = 0;
        foreach (var r in ratings)
        {
            if (float.IsNaN(r.Rating)) throw new ArgumentException($"The rating of item {r.Item} is not a number.", nameof(ratings));
            if (IsItemKnown(r.Item)) known++;
        }
        long[]? rented = known > 256 ? System.Buffers.ArrayPool<long>.Shared.Rent(known) : null;
        Span<long> keys = rented is null ? stackalloc long[known] : rented.AsSpan(0, known);
        try
        {
            int c = 0;
            for (int k = 0; k < ratings.Length; k++)
            {
                if (IsItemKnown(ratings[k].Item)) keys[c++] = ((long)ratings[k].Item << 32) | (uint)k;
            }
            keys.Sort();
            int distinct = 0;
            for (int k = 0; k < known; k++)
            {
                if (k + 1 == known || keys[k + 1] >> 32 != keys[k] >> 32) distinct++;
            }
            var result = new ItemRating[distinct];
            int d = 0;
            for (int k = 0; k < known; k++)
            {
                // The last of an item's keys is its last rating: a later rating replaces an earlier one.
                if (k + 1 == known || keys[k + 1] >> 32 != keys[k] >> 32) result[d++] = ratings[(int)(keys[k] & 0xFFFFFFFF)];
            }
            return result;
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <summary>Every item's unclipped estimate for a folded-in user: the same SIMD pass as for a known user.</summary>
    public override void Score(FoldedUser user, Span<float> scores)
    {
        CheckFitted();
        var folded = FoldedBy<FoldedFactorUser>(user);
        if (!folded.HasRatings)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = (float)(Biased ? GlobalMean + (IsItemKnown(i) ? ItemBias[i] : 0) : GlobalMean);
            return;
        }
        ScoreVector(folded.Vector, Biased ? (float)(GlobalMean + folded.Bias) : 0f, scores);
    }

    protected override double Estimate(FoldedUser user, int item)
    {
        var folded = FoldedBy<FoldedFactorUser>(user);
        bool knownItem = IsItemKnown(item);
        if (!Biased)
            return folded.HasRatings && knownItem ? TensorPrimitives.Dot(folded.Vector, ItemFactors.AsSpan(item * Factors, Factors)) : double.NaN;
        double est = GlobalMean;
        if (folded.HasRatings) est += folded.Bias;
        if (knownItem) est += ItemBias[item];
        if (folded.HasRatings && knownItem) est += TensorPrimitives.Dot(folded.Vector, ItemFactors.AsSpan(item * Factors, Factors));
        return est;
    }

    /// <summary>
    /// The implicit part of x_u for a user rating <paramref name="profile"/> (zero except for SVD++).
    /// </summary>
    protected virtual void ImplicitOffset(ReadOnlySpan<ItemRating> profile, Span<float> offset) => offset.Clear();

    /// <summary>
    /// Regularised least squares for one user with the item parameters fixed. With t_k = r_k − μ − b_k − q_kᵀo
    /// (o the implicit offset), it alternates three times between
    /// <c>p = (QᵀQ + λn'I)⁻¹ Qᵀ(t − b_u)</c> (dense Cholesky: factors × factors, or ratings × ratings through
    /// <c>Qᵀ(QQᵀ + λn'I)⁻¹</c> when there are fewer ratings than factors) and
    /// <c>b_u = Σ(t_k − q_kᵀp) / (n'(1 + λ_b))</c>, with n' = n + n₀ (<see cref="FoldInPrior"/>): the minimiser of
    /// Σ e_k² + n'(λ_b b_u² + λ|p|²), the per-rating regularised SGD objective plus n₀ ratings' worth of pull towards
    /// the population (b_u = 0, p = 0), so a handful of ratings moves a new user only part of the way (Koren 2010's
    /// damped baselines). The result is x_u = p + o.
    /// </summary>
    protected virtual void SolveUser(ReadOnlySpan<ItemRating> profile, out float bias, Span<float> vector)
    {
        int n = profile.Length, f = Factors;
        // Ridge regression of the targets on the rated items' factors Q (n x f), ridge lambda*n' (n' = n + n₀):
        // p = (QᵀQ + λn'I_f)⁻¹ Qᵀy. With fewer ratings than factors (a new user's handful), the same p is
        // Qᵀ(QQᵀ + λn'I_n)⁻¹ y (push-through identity), an n x n system: 50x less work for 10 ratings and 100 factors.
        double ridge = FoldInRegularization * (n + FoldInPrior);
        double biasDenominator = (n + FoldInPrior) * (1 + FoldInBiasRegularization);
        bool dual = n < f;
        int m = dual ? n : f;
        // One pooled buffer for the system and the vectors: a fold-in is on every request's path.
        int length = m * m + m + 3 * n + f;
        var pooled = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        float[]? pooledOffset = f > 512 ? System.Buffers.ArrayPool<float>.Shared.Rent(f) : null;
        try
        {
            var buffer = pooled.AsSpan(0, length);
            buffer.Clear();
            var a = buffer[..(m * m)];
            var rhs = buffer.Slice(m * m, m);
            var targets = buffer.Slice(m * m + m, n);
            var y = buffer.Slice(m * m + m + n, n);
            var z = buffer.Slice(m * m + m + 2 * n, n);
            var p = buffer.Slice(m * m + m + 3 * n, f);
            Span<float> offset = pooledOffset is null ? stackalloc float[f] : pooledOffset.AsSpan(0, f);
            offset.Clear();
            ImplicitOffset(profile, offset);
            for (int k = 0; k < n; k++)
            {
                var q = ItemFactors.AsSpan(profile[k].Item * f, f);
                double t = profile[k].Rating - TensorPrimitives.Dot(q, offset);
                if (Biased) t -= GlobalMean + ItemBias[profile[k].Item];
                targets[k] = t;
            }
            if (dual)
            {
                for (int r = 0; r < n; r++)
                {
                    var qr = ItemFactors.AsSpan(profile[r].Item * f, f);
                    for (int c = 0; c <= r; c++) a[r * n + c] = DotD(qr, ItemFactors.AsSpan(profile[c].Item * f, f));
                }
            }
            else
            {
                for (int k = 0; k < n; k++)
                {
                    var q = ItemFactors.AsSpan(profile[k].Item * f, f);
                    for (int r = 0; r < f; r++)
                    {
                        double qr = q[r];
                        var row = a.Slice(r * f, r + 1);
                        for (int c = 0; c <= r; c++) row[c] += qr * q[c];
                    }
                }
            }
            for (int r = 0; r < m; r++) a[r * m + r] += ridge;
            DenseCholesky.Factor(a, m);
            double bu = 0;
            int rounds = Biased ? 3 : 1;
            for (int round = 0; round < rounds; round++)
            {
                if (Biased)
                {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += targets[k] - DotD(ItemFactors.AsSpan(profile[k].Item * f, f), p);
                    bu = s / biasDenominator;
                }
                for (int k = 0; k < n; k++) y[k] = targets[k] - bu;
                if (dual)
                {
                    DenseCholesky.Solve(a, n, y, z);
                    p.Clear();
                    for (int k = 0; k < n; k++)
                    {
                        var q = ItemFactors.AsSpan(profile[k].Item * f, f);
                        double zk = z[k];
                        for (int c = 0; c < f; c++) p[c] += zk * q[c];
                    }
                }
                else
                {
                    rhs.Clear();
                    for (int k = 0; k < n; k++)
                    {
                        var q = ItemFactors.AsSpan(profile[k].Item * f, f);
                        double t = y[k];
                        for (int c = 0; c < f; c++) rhs[c] += q[c] * t;
                    }
                    DenseCholesky.Solve(a, f, rhs, p);
                }
            }
            if (Biased)
            {
                // One last bias step so b_u matches the final p.
                double s = 0;
                for (int k = 0; k < n; k++) s += targets[k] - DotD(ItemFactors.AsSpan(profile[k].Item * f, f), p);
                bu = s / biasDenominator;
            }
            for (int c = 0; c < f; c++) vector[c] = (float)p[c] + offset[c];
            bias = (float)bu;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(pooled);
            if (pooledOffset is not null) System.Buffers.ArrayPool<float>.Shared.Return(pooledOffset);
        }
    }

    private static double DotD(ReadOnlySpan<float> q, ReadOnlySpan<float> p)
    {
        double s = 0;
        for (int c = 0; c < q.Length; c++) s += (double)q[c] * p[c];
        return s;
    }

    private static double DotD(ReadOnlySpan<float> q, ReadOnlySpan<double> p)
    {
        double s = 0;
        for (int c = 0; c < q.Length; c++) s += q[c] * p[c];
        return s;
    }
}
