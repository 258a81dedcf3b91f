using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// What the latent-factor models (SVD, SVD++, NMF) share once trained: biases <c>b_u</c>, <c>b_i</c>, a
/// prediction-time user vector <c>x_u</c> and item factors <c>q_i</c>, so that
/// <c>r̂_ui = μ + b_u + b_i + q_iᵀx_u</c> (biased) or <c>q_iᵀx_u</c> (unbiased), with Surprise's fallbacks:
/// unknown user <c>μ + b_i</c>, unknown item <c>μ + b_u</c>, both unknown <c>μ</c> (unbiased models fall back to
/// <c>μ</c>). For SVD <c>x_u = p_u</c>; for SVD++ <c>x_u = p_u + |N(u)|^-1/2 Σ_{j∈N(u)} y_j</c>.
/// Item factors are stored row-major and contiguous, so ranking every item is one SIMD dot product per item.
/// </summary>
public abstract class FactorModel : RatingPredictorBase, IFoldIn, IIncrementalUserUpdate, IIterativeModel, IPersistentModel, IUserHistory
{
    private readonly List<double> _loss = [];
    private readonly Dictionary<int, ItemRating[]> _updatedProfiles = [];
    private bool[] _knownUsers = [];
    private bool[] _knownItems = [];

    /// <summary>Number of latent factors.</summary>
    public int Factors { get; protected set; }

    /// <summary>Whether the model has the μ + b_u + b_i terms.</summary>
    public bool Biased { get; protected set; }

    protected float[] UserBias { get; set; } = [];
    protected float[] ItemBias { get; set; } = [];

    /// <summary>Prediction-time user vectors x_u, row-major (users × factors).</summary>
    protected float[] UserVectors { get; set; } = [];

    /// <summary>Item factors q_i, row-major (items × factors).</summary>
    protected float[] ItemFactors { get; set; } = [];

    /// <summary>Each user's training ratings (CSR, columns sorted): the implicit set N(u) and the items to exclude.</summary>
    protected int[] RatedOffsets { get; set; } = [0];
    protected int[] RatedItems { get; set; } = [];
    protected float[] RatedValues { get; set; } = [];

    /// <summary>The training set's raw id maps (also restored from a model file).</summary>
    public IdMap UserIds { get; private set; } = IdMap.CreateNumeric();
    public IdMap ItemIds { get; private set; } = IdMap.CreateNumeric();

    /// <summary>
    /// The training loss after each epoch (see each algorithm's docs for which loss). Empty for a model read from
    /// a file.
    /// </summary>
    public IReadOnlyList<double> EpochLoss => _loss;

    /// <summary>Ridge strength λ of the fold-in solve (scaled by the number of ratings).</summary>
    protected abstract double FoldInRegularization { get; }

    /// <summary>Bias regularisation of the fold-in solve (scaled by the number of ratings).</summary>
    protected abstract double FoldInBiasRegularization { get; }

    /// <summary>Options as JSON, stored in model files.</summary>
    public abstract string OptionsJson { get; }

    /// <summary>b_u (0 for a user without training ratings or an unbiased model).</summary>
    public float UserBiasOf(int user) => IsUserKnown(user) ? UserBias[user] : 0f;

    /// <summary>b_i (0 for an item without training ratings or an unbiased model).</summary>
    public float ItemBiasOf(int item) => IsItemKnown(item) ? ItemBias[item] : 0f;

    /// <summary>The user's training ratings (sorted by item).</summary>
    public ReadOnlySpan<int> RatedBy(int user) =>
        (uint)user < (uint)(RatedOffsets.Length - 1) ? RatedItems.AsSpan(RatedOffsets[user], RatedOffsets[user + 1] - RatedOffsets[user]) : default;

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        _loss.Clear();
        _updatedProfiles.Clear();
        UserIds = train.UserIds;
        ItemIds = train.ItemIds;
        var byUser = train.ByUser;
        RatedOffsets = byUser.Offsets;
        RatedItems = byUser.Columns;
        RatedValues = byUser.Values;
        _knownUsers = new bool[train.UserCount];
        _knownItems = new bool[train.ItemCount];
        foreach (int u in train.Users) _knownUsers[u] = true;
        foreach (int i in train.Items) _knownItems[i] = true;
        Train(train, context);
        RestoreFitted(train.Scale, train.GlobalMean, _knownUsers, _knownItems);
    }

    /// <summary>Learns the parameters; <see cref="RecordEpoch"/> after each epoch.</summary>
    protected abstract void Train(RatingDataset train, TrainingContext context);

    protected void RecordEpoch(TrainingContext context, int epoch, int epochs, double loss)
    {
        _loss.Add(loss);
        context.Progress?.Report(new TrainingProgress("epoch", epoch + 1, epochs, loss));
        context.Cancellation.ThrowIfCancellationRequested();
    }

    protected override double Estimate(int user, int item)
    {
        bool ku = IsUserKnown(user), ki = IsItemKnown(item);
        if (!Biased)
            return ku && ki ? Dot(user, item) : double.NaN;
        double est = GlobalMean;
        if (ku) est += UserBias[user];
        if (ki) est += ItemBias[item];
        if (ku && ki) est += Dot(user, item);
        return est;
    }

    private float Dot(int user, int item) =>
        TensorPrimitives.Dot(UserVectors.AsSpan(user * Factors, Factors), ItemFactors.AsSpan(item * Factors, Factors));

    /// <summary>
    /// Every item's estimate for a user, unclipped (so items above the top of the scale still rank), with the same
    /// fallbacks as <see cref="RatingPredictorBase.Predict"/>: one SIMD dot product per item factor row.
    /// </summary>
    public override void Score(int user, Span<float> scores)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        if (!IsUserKnown(user))
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = (float)(Biased ? GlobalMean + (IsItemKnown(i) ? ItemBias[i] : 0) : GlobalMean);
            return;
        }
        ScoreVector(UserVectors.AsSpan(user * Factors, Factors), Biased ? (float)(GlobalMean + UserBias[user]) : 0f, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreVector(ReadOnlySpan<float> x, float offset, Span<float> scores)
    {
        int n = Math.Min(scores.Length, ItemCount);
        var q = ItemFactors.AsSpan();
        int f = Factors;
        for (int i = 0; i < n; i++)
        {
            if (!IsItemKnown(i))
            {
                scores[i] = Biased ? offset : (float)GlobalMean;
                continue;
            }
            float s = TensorPrimitives.Dot(x, q.Slice(i * f, f)) + offset;
            scores[i] = Biased ? s + ItemBias[i] : s;
        }
        for (int i = n; i < scores.Length; i++) scores[i] = Biased ? offset : (float)GlobalMean;
    }

    // ---- fold-in ----

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
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it folds in a user.");
        var profile = Normalise(ratings);
        var vector = new float[Factors];
        float bias = 0;
        if (profile.Length > 0) SolveUser(profile, out bias, vector);
        return new FoldedFactorUser(profile, bias, vector, profile.Length > 0);
    }

    private ItemRating[] Normalise(ReadOnlySpan<ItemRating> ratings)
    {
        var byItem = new Dictionary<int, float>();
        foreach (var r in ratings)
        {
            if (float.IsNaN(r.Rating)) throw new ArgumentException($"The rating of item {r.Item} is not a number.", nameof(ratings));
            if (IsItemKnown(r.Item)) byItem[r.Item] = r.Rating;
        }
        var result = new ItemRating[byItem.Count];
        int k = 0;
        foreach (var (item, rating) in byItem) result[k++] = new ItemRating(item, rating);
        Array.Sort(result, (a, b) => a.Item.CompareTo(b.Item));
        return result;
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        var folded = AsFolded(user);
        if (!folded.HasRatings)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = (float)(Biased ? GlobalMean + (IsItemKnown(i) ? ItemBias[i] : 0) : GlobalMean);
            return;
        }
        ScoreVector(folded.Vector, Biased ? (float)(GlobalMean + folded.Bias) : 0f, scores);
    }

    public float Predict(FoldedUser user, int item)
    {
        var folded = AsFolded(user);
        double est;
        if (!Biased)
            est = folded.HasRatings && IsItemKnown(item) ? TensorPrimitives.Dot(folded.Vector, ItemFactors.AsSpan(item * Factors, Factors)) : GlobalMean;
        else
        {
            est = GlobalMean;
            if (folded.HasRatings) est += folded.Bias;
            if (IsItemKnown(item)) est += ItemBias[item];
            if (folded.HasRatings && IsItemKnown(item)) est += TensorPrimitives.Dot(folded.Vector, ItemFactors.AsSpan(item * Factors, Factors));
        }
        return (float)Scale.Clip(est);
    }

    private FoldedFactorUser AsFolded(FoldedUser user) =>
        user as FoldedFactorUser ?? throw new ArgumentException($"The user was not folded into {Name}.", nameof(user));

    /// <summary>
    /// A known user's new ratings (merged with their training ratings, a new rating of the same item replacing the
    /// old one) re-solve that user's bias and vector at once, as <see cref="FoldIn"/> does; the item parameters
    /// stay fixed. A user id inside the training id map but without training ratings becomes known. Predictions for
    /// other users may run concurrently; serialise updates of one user with predictions for that user.
    /// </summary>
    public void UpdateUser(int user, ReadOnlySpan<ItemRating> ratings)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name} must be fitted before it updates a user.");
        if ((uint)user >= (uint)UserCount) throw new ArgumentOutOfRangeException(nameof(user), $"User {user} is not in the model's id map; fold them in instead.");
        var merged = new List<ItemRating>();
        if (_updatedProfiles.TryGetValue(user, out var previous)) merged.AddRange(previous);
        else
        {
            for (int k = RatedOffsets[user]; k < RatedOffsets[user + 1]; k++)
                merged.Add(new ItemRating(RatedItems[k], RatedValues[k]));
        }
        foreach (var r in ratings) merged.Add(r);
        var profile = Normalise(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(merged));
        if (profile.Length == 0) return;
        _updatedProfiles[user] = profile;
        SolveUser(profile, out float bias, UserVectors.AsSpan(user * Factors, Factors));
        UserBias[user] = bias;
        _knownUsers[user] = true;
    }

    /// <summary>
    /// The implicit part of x_u for a user rating <paramref name="profile"/> (zero except for SVD++).
    /// </summary>
    protected virtual void ImplicitOffset(ReadOnlySpan<ItemRating> profile, Span<float> offset) => offset.Clear();

    /// <summary>
    /// Regularised least squares for one user with the item parameters fixed. With t_k = r_k − μ − b_k − q_kᵀo
    /// (o the implicit offset), it alternates three times between
    /// <c>p = (QᵀQ + λnI)⁻¹ Qᵀ(t − b_u)</c> (dense Cholesky: factors × factors, or ratings × ratings through
    /// <c>Qᵀ(QQᵀ + λnI)⁻¹</c> when there are fewer ratings than factors) and
    /// <c>b_u = Σ(t_k − q_kᵀp) / (n + λ_b n)</c>, the minimiser of the per-rating regularised SGD objective
    /// Σ (e_k² + λ_b b_u² + λ|p|²). The result is x_u = p + o.
    /// </summary>
    protected virtual void SolveUser(ReadOnlySpan<ItemRating> profile, out float bias, Span<float> vector)
    {
        int n = profile.Length, f = Factors;
        var offset = new float[f];
        ImplicitOffset(profile, offset);
        var targets = new double[n];
        for (int k = 0; k < n; k++)
        {
            var q = ItemFactors.AsSpan(profile[k].Item * f, f);
            double t = profile[k].Rating - TensorPrimitives.Dot(q, offset);
            if (Biased) t -= GlobalMean + ItemBias[profile[k].Item];
            targets[k] = t;
        }
        // Ridge regression of the targets on the rated items' factors Q (n x f), ridge lambda*n:
        // p = (QᵀQ + λnI_f)⁻¹ Qᵀy. With fewer ratings than factors (a new user's handful), the same p is
        // Qᵀ(QQᵀ + λnI_n)⁻¹ y (push-through identity), an n x n system: 50x less work for 10 ratings and 100 factors.
        double ridge = FoldInRegularization * n;
        bool dual = n < f;
        int m = dual ? n : f;
        var a = new double[m * m];
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
                    var row = a.AsSpan(r * f, r + 1);
                    for (int c = 0; c <= r; c++) row[c] += qr * q[c];
                }
            }
        }
        for (int r = 0; r < m; r++) a[r * m + r] += ridge;
        DenseCholesky.Factor(a, m);
        var rhs = new double[m];
        var y = new double[n];
        var z = dual ? new double[n] : null;
        double bu = 0;
        int rounds = Biased ? 3 : 1;
        var p = new double[f];
        for (int round = 0; round < rounds; round++)
        {
            if (Biased)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += targets[k] - DotD(ItemFactors.AsSpan(profile[k].Item * f, f), p);
                bu = s / (n + FoldInBiasRegularization * n);
            }
            for (int k = 0; k < n; k++) y[k] = targets[k] - bu;
            if (dual)
            {
                DenseCholesky.Solve(a, n, y, z!);
                Array.Clear(p);
                for (int k = 0; k < n; k++)
                {
                    var q = ItemFactors.AsSpan(profile[k].Item * f, f);
                    double zk = z![k];
                    for (int c = 0; c < f; c++) p[c] += zk * q[c];
                }
            }
            else
            {
                Array.Clear(rhs);
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
            bu = s / (n + FoldInBiasRegularization * n);
        }
        for (int c = 0; c < f; c++) vector[c] = (float)p[c] + offset[c];
        bias = (float)bu;
    }

    private static double DotD(ReadOnlySpan<float> q, ReadOnlySpan<float> p)
    {
        double s = 0;
        for (int c = 0; c < q.Length; c++) s += (double)q[c] * p[c];
        return s;
    }

    private static double DotD(ReadOnlySpan<float> q, double[] p)
    {
        double s = 0;
        for (int c = 0; c < q.Length; c++) s += q[c] * p[c];
        return s;
    }

    // ---- persistence ----

    /// <summary>Writes the common arrays; subclasses add theirs.</summary>
    public virtual void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("user_bias", UserBias);
        writer.Write("item_bias", ItemBias);
        writer.Write("user_vectors", UserVectors);
        writer.Write("item_factors", ItemFactors);
        writer.Write("rated_offsets", RatedOffsets);
        writer.Write("rated_items", RatedItems);
        writer.Write("rated_values", RatedValues);
        writer.Write("known_users", ToBytes(_knownUsers));
        writer.Write("known_items", ToBytes(_knownItems));
    }

    public ModelHeader Header => new(Name, OptionsJson, UserIds, ItemIds, Scale, GlobalMean);

    /// <summary>Restores the state written by <see cref="WriteArrays"/>.</summary>
    protected internal virtual void ReadArrays(ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        UserIds = contents.UserIds;
        ItemIds = contents.ItemIds;
        UserBias = contents.Floats("user_bias");
        ItemBias = contents.Floats("item_bias");
        UserVectors = contents.Floats("user_vectors");
        ItemFactors = contents.Floats("item_factors");
        RatedOffsets = contents.Ints("rated_offsets");
        RatedItems = contents.Ints("rated_items");
        RatedValues = contents.Floats("rated_values");
        _knownUsers = FromBytes(contents.Bytes("known_users"));
        _knownItems = FromBytes(contents.Bytes("known_items"));
        int users = UserIds.Count, items = ItemIds.Count;
        if (UserBias.Length != users || ItemBias.Length != items || UserVectors.Length != (long)users * Factors
            || ItemFactors.Length != (long)items * Factors || RatedOffsets.Length != users + 1 || _knownUsers.Length != users
            || _knownItems.Length != items || RatedItems.Length != RatedValues.Length || RatedOffsets[users] != RatedItems.Length)
            throw ModelFileError.Create(contents.Path, "array sizes do not match the id maps and the factor count");
        _loss.Clear();
        _updatedProfiles.Clear();
        RestoreFitted(contents.Scale, contents.GlobalMean, _knownUsers, _knownItems);
    }

    private static byte[] ToBytes(bool[] flags)
    {
        var b = new byte[flags.Length];
        for (int i = 0; i < flags.Length; i++) b[i] = flags[i] ? (byte)1 : (byte)0;
        return b;
    }

    private static bool[] FromBytes(byte[] b)
    {
        var flags = new bool[b.Length];
        for (int i = 0; i < b.Length; i++) flags[i] = b[i] != 0;
        return flags;
    }

    /// <summary>Fills <paramref name="target"/> with N(mean, std) draws (Box–Muller over the seeded generator).</summary>
    protected static void FillNormal(Random rng, Span<float> target, double mean, double std) =>
        FillNormal(rng, null, target, 0, target.Length, target.Length, target.Length, mean, std);

    /// <summary>
    /// The same draws as <see cref="FillNormal(Random, Span{float}, double, double)"/> on <c>new Random(seed)</c>
    /// with the same calls, from <paramref name="rng"/>: values [from, from + count) (from even) of a fill of
    /// <paramref name="total"/> values, written in rows of <paramref name="width"/> at <paramref name="stride"/>
    /// floats apart (padding untouched). A fill split this way, with each part's generator advanced past the
    /// earlier parts' draws, gives the same values as one call.
    /// </summary>
    private protected static void FillNormal(SubtractiveRandom rng, Span<float> target, int from, int count, int total, int width, int stride, double mean, double std)
    {
        if ((from & 1) != 0 || from + count > total) throw new ArgumentOutOfRangeException(nameof(from));
        FillNormal(null, rng, target, from, count, width, stride, mean, std);
    }

    /// <summary>Uniform draws a fill of <paramref name="values"/> values consumes (two per pair).</summary>
    private protected static long DrawsFor(long values) => (values + 1) / 2 * 2;

    private static void FillNormal(Random? rng, SubtractiveRandom? fast, Span<float> target, int from, int count, int width, int stride, double mean, double std)
    {
        // Box-Muller on the same uniform sequence as the scalar form (u1 then u2 per pair), with the log, sqrt,
        // sin and cos vectorised over blocks of pairs: much faster on a million factors, and the same floats (the
        // log, sine and cosine differ from Math's in the last bit of the double at most; see SinCosKernel).
        const int Block = 1024;
        Span<double> u1 = stackalloc double[Block];
        Span<double> u2 = stackalloc double[Block];
        Span<double> sin = stackalloc double[Block];
        Span<double> cos = stackalloc double[Block];
        int pairs = (count + 1) / 2;
        int written = 0, col = from % width, rowStart = from / width * stride;
        for (int first = 0; first < pairs; first += Block)
        {
            int n = Math.Min(Block, pairs - first);
            var a = u1[..n];
            var b = u2[..n];
            if (fast is not null)
                fast.NextPairs(a, b);
            else
            {
                for (int k = 0; k < n; k++)
                {
                    a[k] = 1.0 - rng!.NextDouble();
                    b[k] = rng.NextDouble();
                }
            }
            SinCosKernel.Log(a, a);
            TensorPrimitives.Multiply(a, -2.0, a);
            TensorPrimitives.Sqrt(a, a);
            TensorPrimitives.Multiply(a, std, a);
            TensorPrimitives.Multiply(b, 2 * Math.PI, b);
            SinCosKernel.SinCos(b, sin[..n], cos[..n]);
            for (int k = 0; k < n; k++)
            {
                target[rowStart + col] = (float)(mean + a[k] * cos[k]);
                if (++col == width) { col = 0; rowStart += stride; }
                if (++written == count) break;
                target[rowStart + col] = (float)(mean + a[k] * sin[k]);
                if (++col == width) { col = 0; rowStart += stride; }
                ++written;
            }
        }
    }
}

/// <summary>
/// The transcendental functions of Box–Muller, vectorised for doubles. sin and cos together: reduction by π/2 in two
/// FMA steps and fdlibm's kernel polynomials (k_sin.c, k_cos.c) on [−π/4, π/4]; within about one ulp of
/// <see cref="Math.Sin"/>/<see cref="Math.Cos"/> for the arguments Box–Muller uses ([0, 2π)) and about 8x faster than
/// TensorPrimitives' separate Sin and Cos for double; not for large arguments (the two-step reduction loses accuracy
/// beyond a few thousand). log: fdlibm's e_log.c for positive normal arguments (Box–Muller's 1 − u in (0, 1]), within
/// about one ulp of <see cref="Math.Log(double)"/>, at a steady speed (TensorPrimitives.Log's varies 5x with JIT tier).
/// </summary>
internal static class SinCosKernel
{
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>Natural log of positive normal doubles (others: Math.Log's answer only on the scalar path).</summary>
    public static void Log(ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var sqrt2 = Vector256.Create(1.4142135623730951);
            for (; k <= n - 4; k += 4)
            {
                var v = Vector256.Create(x.Slice(k, 4));
                if (!Vector256.GreaterThanAll(v, Vector256.Create(2.2250738585072014e-308)) || !Vector256.LessThanAll(v, Vector256.Create(double.PositiveInfinity)))
                {
                    for (int j = k; j < k + 4; j++) y[j] = Math.Log(x[j]);
                    continue;
                }
                // x = 2^e·m with m in (√2/2, √2]; log x = e·ln 2 + log(1 + f), f = m − 1, as e_log.c.
                var bits = v.AsInt64();
                var e = (bits >>> 52) - Vector256.Create(1023L);
                var m = ((bits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).AsDouble();
                var big = Vector256.GreaterThan(m, sqrt2);
                m = Vector256.ConditionalSelect(big, m * 0.5, m);
                e -= big.AsInt64();
                var dk = Vector256.ConvertToDouble(e);
                var f = m - Vector256<double>.One;
                var hfsq = 0.5 * f * f;
                var s = f / (Vector256.Create(2.0) + f);
                var z = s * s;
                var w = z * z;
                var t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Lg6));
                var t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Lg7)));
                var r = t2 + t1;
                (dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + dk * Ln2Lo)) - f)).CopyTo(y.Slice(k, 4));
            }
        }
        for (; k < n; k++) y[k] = Math.Log(x[k]);
    }

    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    private const double TwoOverPi = 0.63661977236758134308, Pio2Hi = 1.5707963267948966, Pio2Lo = 6.123233995736766e-17;
    // 1.5·2^52: adding it rounds to an integer (to nearest even) that sits in the low bits of the double.
    private const double RoundMagic = 6755399441055744.0;

    public static void SinCos(ReadOnlySpan<double> x, Span<double> sin, Span<double> cos)
    {
        int n = x.Length, k = 0;
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            var one = Vector256<double>.One;
            var signBit = Vector256.Create(-0.0);
            for (; k <= n - 4; k += 4)
            {
                var v = Vector256.Create(x.Slice(k, 4));
                var t = v * TwoOverPi + Vector256.Create(RoundMagic);
                var q = t - Vector256.Create(RoundMagic);
                var r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(Pio2Hi), v);
                r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(Pio2Lo), r);
                var z = r * r;
                var sr = Vector256.Create(S2) + z * (Vector256.Create(S3) + z * (Vector256.Create(S4) + z * (Vector256.Create(S5) + z * S6)));
                var s = r + (z * r) * (Vector256.Create(S1) + z * sr);
                var cp = z * (Vector256.Create(C1) + z * (Vector256.Create(C2) + z * (Vector256.Create(C3) + z * (Vector256.Create(C4) + z * (Vector256.Create(C5) + z * C6)))));
                var hz = z * 0.5;
                var w = one - hz;
                var c = w + (((one - w) - hz) + z * cp);
                // Quadrant q mod 4: 0 (s, c), 1 (c, −s), 2 (−s, −c), 3 (−c, s).
                var quad = t.AsInt64() & Vector256.Create(3L);
                var odd = Vector256.Equals(quad & Vector256.Create(1L), Vector256.Create(1L)).AsDouble();
                var sinV = Vector256.ConditionalSelect(odd, c, s);
                var cosV = Vector256.ConditionalSelect(odd, s, c);
                var negSin = Vector256.GreaterThan(quad, Vector256.Create(1L)).AsDouble();
                var negCos = (Vector256.Equals(quad, Vector256.Create(1L)) | Vector256.Equals(quad, Vector256.Create(2L))).AsDouble();
                (sinV ^ (negSin & signBit)).CopyTo(sin.Slice(k, 4));
                (cosV ^ (negCos & signBit)).CopyTo(cos.Slice(k, 4));
            }
        }
        for (; k < n; k++)
        {
            sin[k] = Math.Sin(x[k]);
            cos[k] = Math.Cos(x[k]);
        }
    }
}

/// <summary>
/// The subtractive generator (Knuth, TAOCP vol. 2, 3.6) that <c>new Random(seed)</c> runs: the same
/// <see cref="NextDouble"/> sequence as <c>new Random(seed).NextDouble()</c>, without its virtual calls, for filling
/// millions of initial factors.
/// </summary>
internal sealed class SubtractiveRandom
{
    private const int Seed0 = 161803398;
    private const int Lag = 55;
    private const int ShortLag = 34;
    private const int ShortLagOffset = 21;
    private int[] _history = [];
    private readonly int[] _state = new int[56];
    private int _next;
    private int _nextP = 21;

    public SubtractiveRandom(int seed)
    {
        int subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        int mj = Seed0 - subtraction;
        _state[55] = mj;
        int mk = 1, ii = 0;
        for (int i = 1; i < 55; i++)
        {
            if ((ii += 21) >= 55) ii -= 55;
            _state[ii] = mk;
            mk = mj - mk;
            if (mk < 0) mk += int.MaxValue;
            mj = _state[ii];
        }
        for (int k = 1; k < 5; k++)
        {
            for (int i = 1; i < 56; i++)
            {
                int n = i + 30;
                if (n >= 55) n -= 55;
                _state[i] -= _state[1 + n];
                if (_state[i] < 0) _state[i] += int.MaxValue;
            }
        }
    }

    public double NextDouble() => Sample() * (1.0 / int.MaxValue);

    /// <summary>Draws a[k] = 1 − u, b[k] = u' for each k (two draws per pair, in that order).</summary>
    public void NextPairs(Span<double> a, Span<double> b)
    {
        b = b[..a.Length];
        int count = 2 * a.Length;
        // The draws as a sequence: x_n = x_{n−55} − x_{n−34} (mod int.MaxValue, with .NET's fix-ups); the lags are
        // at least 8, so eight draws at a time are independent. h holds x_{n−55} .. onwards.
        if (_history.Length < Lag + count) _history = new int[Lag + count];
        var h = _history;
        int at = _next == 0 ? Lag : _next;
        for (int m = 0; m < Lag; m++) h[m] = _state[(at + m) % Lag + 1];
        int n = Lag;
        if (Vector256.IsHardwareAccelerated)
        {
            var max = Vector256.Create(int.MaxValue);
            for (; n <= Lag + count - 8; n += 8)
            {
                var v = Vector256.Create(h.AsSpan(n - Lag, 8)) - Vector256.Create(h.AsSpan(n - ShortLag, 8));
                v += Vector256.Equals(v, max);
                v += Vector256.LessThan(v, Vector256<int>.Zero) & max;
                v.CopyTo(h.AsSpan(n, 8));
            }
        }
        for (; n < Lag + count; n++)
        {
            int v = h[n - Lag] - h[n - ShortLag];
            if (v == int.MaxValue) v--;
            if (v < 0) v += int.MaxValue;
            h[n] = v;
        }
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = 1.0 - h[Lag + 2 * k] * (1.0 / int.MaxValue);
            b[k] = h[Lag + 2 * k + 1] * (1.0 / int.MaxValue);
        }
        // Back into the circular state: the last 55 draws, and the indices advanced by count.
        at = (at - 1 + count) % Lag + 1;
        for (int m = 0; m < Lag; m++) _state[(at + m) % Lag + 1] = h[count + m];
        _next = at;
        _nextP = (at + ShortLagOffset - 1) % Lag + 1;
    }

    /// <summary>Advances past <paramref name="count"/> draws.</summary>
    public void Skip(long count)
    {
        // Whole blocks of pairs the vectorised way, then single draws.
        const int Pairs = 1024;
        Span<double> a = stackalloc double[Pairs];
        Span<double> b = stackalloc double[Pairs];
        for (; count >= 2 * Pairs; count -= 2 * Pairs) NextPairs(a, b);
        var state = _state;
        int next = _next, nextP = _nextP;
        for (long k = 0; k < count; k++) Draw(state, ref next, ref nextP);
        _next = next;
        _nextP = nextP;
    }

    /// <summary>A generator at the same point of the same sequence.</summary>
    public SubtractiveRandom Clone()
    {
        var copy = new SubtractiveRandom(0);
        _state.CopyTo(copy._state, 0);
        copy._next = _next;
        copy._nextP = _nextP;
        return copy;
    }

    private int Sample()
    {
        int next = _next, nextP = _nextP;
        int value = Draw(_state, ref next, ref nextP);
        _next = next;
        _nextP = nextP;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Draw(int[] state, ref int next, ref int nextP)
    {
        if (++next >= 56) next = 1;
        if (++nextP >= 56) nextP = 1;
        int value = state[next] - state[nextP];
        if (value == int.MaxValue) value--;
        if (value < 0) value += int.MaxValue;
        state[next] = value;
        return value;
    }
}

/// <summary>Cholesky factorisation and solve of a small dense symmetric positive-definite matrix (row-major).</summary>
internal static class DenseCholesky
{
    /// <summary>Overwrites the lower triangle of <paramref name="a"/> with L where A = LLᵀ.</summary>
    public static void Factor(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) d = 1e-12;
            double l = Math.Sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
    }

    /// <summary>Solves LLᵀx = b with the factor from <see cref="Factor"/>.</summary>
    public static void Solve(double[] l, int n, double[] b, double[] x)
    {
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * x[k];
            x[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
    }
}
