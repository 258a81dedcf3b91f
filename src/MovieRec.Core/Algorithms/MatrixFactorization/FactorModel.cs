using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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
