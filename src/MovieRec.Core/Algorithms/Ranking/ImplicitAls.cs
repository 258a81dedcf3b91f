using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>How iALS turns a rating r into a confidence c.</summary>
public enum ConfidenceScaling
{
    /// <summary>c = 1 + α r.</summary>
    Linear,

    /// <summary>c = 1 + α log(1 + r / ε).</summary>
    Log,
}

/// <summary>How iALS solves each user's or item's regularised least squares.</summary>
public enum AlsSolver
{
    /// <summary>A few conjugate-gradient steps from the previous factors (Takács, Pilászy and Tikk 2011): O(k² + k n_u) per step.</summary>
    ConjugateGradient,

    /// <summary>The exact solution by Cholesky: O(k² n_u + k³).</summary>
    Cholesky,
}

/// <summary>Options of <see cref="ImplicitAls"/>.</summary>
public sealed record ImplicitAlsOptions
{
    /// <summary>k, the number of latent factors (default 64).</summary>
    public int Factors { get; init; } = 64;

    /// <summary>
    /// λ, the L2 regularisation of user and item factors (default 10: with 64 factors and α = 40, λ = 0.1, 10, 50, 100
    /// gave full-catalogue HR@10 0.061, 0.067, 0.059, 0.066 on ml-latest-small leave-latest-out; 128 factors with λ = 100
    /// gave 0.082 at twice the cost).
    /// </summary>
    public double Regularization { get; init; } = 10;

    /// <summary>α, the confidence slope (default 40, Hu et al.'s value).</summary>
    public double Alpha { get; init; } = 40;

    /// <summary>ε of the log confidence scaling (default 1).</summary>
    public double Epsilon { get; init; } = 1;

    /// <summary>Linear (default) or log confidence.</summary>
    public ConfidenceScaling Confidence { get; init; } = ConfidenceScaling.Linear;

    /// <summary>Whether r in the confidence is the rating value (true) or 1 for every rating (false, the default: implicit "rated").</summary>
    public bool UseRatingValues { get; init; }

    /// <summary>Alternating epochs (default 15).</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Conjugate gradient (default) or exact Cholesky per user and item.</summary>
    public AlsSolver Solver { get; init; } = AlsSolver.ConjugateGradient;

    /// <summary>Conjugate-gradient steps per solve (default 3, as in the implicit library).</summary>
    public int CgSteps { get; init; } = 3;

    /// <summary>Standard deviation of the N(0, σ²) initial factors (default 0.01).</summary>
    public double InitStd { get; init; } = 0.01;

    public void Validate()
    {
        OptionChecks.Positive(Factors, nameof(Factors));
        OptionChecks.NonNegative(Regularization, nameof(Regularization));
        OptionChecks.Positive(Alpha, nameof(Alpha));
        OptionChecks.Positive(Epsilon, nameof(Epsilon));
        if (!Enum.IsDefined(Confidence)) throw new ArgumentException($"Confidence {Confidence} is not a confidence scaling.", nameof(Confidence));
        OptionChecks.Positive(Epochs, nameof(Epochs));
        if (!Enum.IsDefined(Solver)) throw new ArgumentException($"Solver {Solver} is not an ALS solver.", nameof(Solver));
        OptionChecks.Positive(CgSteps, nameof(CgSteps));
        OptionChecks.Positive(InitStd, nameof(InitStd));
    }
}

/// <summary>A user folded into <see cref="ImplicitAls"/>: their factors solved with the item factors fixed.</summary>
public sealed class AlsFoldedUser : FoldedUser
{
    internal AlsFoldedUser(ItemRating[] ratings, float[] factors)
        : base(ratings) => Factors = factors;

    public float[] Factors { get; }
}

/// <summary>
/// Implicit-feedback ALS (Hu, Koren and Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets", ICDM).
/// Every (user, item) cell has a preference p_ui = 1 if u rated i else 0 and a confidence c_ui = 1 + α r_ui
/// (or 1 + α log(1 + r_ui / ε)); the model minimises Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²) by
/// alternating exact least squares: x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u, where YᵀY is computed once per
/// half-epoch so each user costs O(k² n_u) rather than O(k² n_items) (and symmetrically for items). Each system is
/// solved by a few warm-started conjugate-gradient steps (Takács, Pilászy and Tikk 2011) or exactly by Cholesky.
/// Users and items are solved in parallel; each solve depends only on the other side's factors, so the model is the
/// same whatever the thread count. Score(u, i) = x_uᵀ y_i. Fold-in solves the user's system exactly.
/// </summary>
public sealed class ImplicitAls : IRecommender, IIterativeModel, IPersistentModel, IUserHistory
{
    private ModelHeader? _header;
    private CsrMatrix? _rated;
    private float[] _x = [];
    private float[] _y = [];
    private double[] _yty = [];
    private int _users;
    private int _items;
    private bool _fitted;
    private readonly List<double> _loss = [];

    public ImplicitAls(ImplicitAlsOptions? options = null)
    {
        Options = options ?? new ImplicitAlsOptions();
        Options.Validate();
    }

    public ImplicitAlsOptions Options { get; }

    public string Name => "ials";

    public int ItemCount => _items;

    /// <summary>The training loss (the objective above) after each epoch.</summary>
    public IReadOnlyList<double> EpochLoss => _loss;

    /// <summary>Item factors, row-major (items × factors).</summary>
    public ReadOnlySpan<float> ItemFactors => _y;

    /// <summary>User factors, row-major (users × factors).</summary>
    public ReadOnlySpan<float> UserFactors => _x;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        ArgumentNullException.ThrowIfNull(context);
        // The served ials and the members of taste and best-ranking fit the same options on the same ratings with the
        // same seed: one set of factors (see SharedFits). The fit is deterministic whatever the thread count.
        var fitted = SharedFits.GetOrFit(train, (typeof(ImplicitAls), Options, context.Seed, train.Values), () => FitFactors(train, context));
        (_users, _items, _x, _y, _yty) = (train.UserCount, train.ItemCount, fitted.X, fitted.Y, fitted.Yty);
        _loss.Clear();
        _loss.AddRange(fitted.Loss);
        _rated = train.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
        _fitted = true;
    }

    /// <summary>Fitted factors (read-only once made), the Gram matrix YᵀY of fold-in and the loss per epoch.</summary>
    private sealed record Factors(float[] X, float[] Y, double[] Yty, double[] Loss);

    private Factors FitFactors(RatingDataset train, TrainingContext context)
    {
        int k = Options.Factors;
        int users = train.UserCount, items = train.ItemCount;
        var x = new float[(long)users * k];
        var y = new float[(long)items * k];
        var rng = new Random(context.Seed);
        Gaussian(rng, x, Options.InitStd);
        Gaussian(rng, y, Options.InitStd);
        var byUser = train.ByUser;
        var byItem = train.ByItem;
        var userConfidence = Confidences(byUser.Values);
        var itemConfidence = Confidences(byItem.Values);
        var losses = new double[Options.Epochs];
        var userLoss = new double[users];
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            HalfEpoch(x, y, users, byUser, userConfidence, context, null);
            HalfEpoch(y, x, items, byItem, itemConfidence, context, userLoss);
            double loss = 0;
            foreach (double l in userLoss) loss += l;
            double reg = 0;
            foreach (float v in y) reg += (double)v * v;
            loss += Options.Regularization * reg;
            losses[epoch] = loss;
            context.Progress?.Report(new TrainingProgress("epoch", epoch + 1, Options.Epochs, loss));
        }
        return new Factors(x, y, Gram(y, items, k), losses);
    }

    private float[] Confidences(float[] ratings)
    {
        var c = new float[ratings.Length];
        for (int p = 0; p < c.Length; p++) c[p] = Confidence(ratings[p]);
        return c;
    }

    private float Confidence(float rating)
    {
        double r = Options.UseRatingValues ? rating : 1;
        return (float)(Options.Confidence == ConfidenceScaling.Linear ? 1 + Options.Alpha * r : 1 + Options.Alpha * Math.Log(1 + r / Options.Epsilon));
    }

    /// <summary>
    /// Solves every row of <paramref name="target"/> with <paramref name="fixedFactors"/> fixed. When
    /// <paramref name="lossOfFixed"/> is given (the item half), it receives each user's data loss plus λ‖x_u‖² computed
    /// from the new item factors: loss_u = x_uᵀ(YᵀY)x_u + Σ_{i ∈ u} [c_ui (1 − s_ui)² − s_ui²] + λ‖x_u‖².
    /// </summary>
    private void HalfEpoch(float[] target, float[] fixedFactors, int rows, CsrMatrix ratings, float[] confidence, TrainingContext context, double[]? lossOfFixed)
    {
        int k = Options.Factors;
        var gram = Gram(fixedFactors, fixedFactors.Length / k, k);
        Parallel.For(0, rows, context.ParallelOptions, () => new Workspace(k), (row, _, ws) =>
        {
            int start = ratings.Offsets[row], len = ratings.Offsets[row + 1] - start;
            var x = target.AsSpan(row * k, k);
            var cols = ratings.Columns.AsSpan(start, len);
            var conf = confidence.AsSpan(start, len);
            if (Options.Solver == AlsSolver.Cholesky) SolveExact(gram, fixedFactors, cols, conf, x, ws);
            else SolveCg(gram, fixedFactors, cols, conf, x, ws);
            return ws;
        }, static _ => { });
        if (lossOfFixed is null) return;
        // Loss per user from the new item factors (rows of the item CSR are items; recompute per user from the user side).
        var gramNew = Gram(target, rows, k);
        int users = fixedFactors.Length / k;
        Parallel.For(0, users, context.ParallelOptions, u =>
        {
            var xu = fixedFactors.AsSpan(u * k, k);
            double quad = 0;
            for (int a = 0; a < k; a++)
            {
                double s = 0;
                for (int b = 0; b < k; b++) s += gramNew[a * k + b] * xu[b];
                quad += xu[a] * s;
            }
            lossOfFixed[u] = quad + Options.Regularization * TensorPrimitives.Dot(xu, xu);
        });
        for (int item = 0; item < rows; item++)
        {
            var yi = target.AsSpan(item * k, k);
            for (int p = ratings.Offsets[item]; p < ratings.Offsets[item + 1]; p++)
            {
                int u = ratings.Columns[p];
                double s = TensorPrimitives.Dot(fixedFactors.AsSpan(u * k, k), yi);
                lossOfFixed[u] += confidence[p] * (1 - s) * (1 - s) - s * s;
            }
        }
    }

    [ThreadStatic]
    private static Workspace? _foldInWorkspace;

    private sealed class Workspace(int k)
    {
        public readonly double[] A = new double[k * k];
        public readonly double[] B = new double[k];
        public readonly double[] R = new double[k];
        public readonly double[] P = new double[k];
        public readonly double[] Ap = new double[k];
        public readonly double[] X = new double[k];
        public readonly float[] Pf = new float[k];
    }

    /// <summary>
    /// G = FᵀF (k × k, float64). Each entry is Σ_r f_ra · f_rb summed row after row (a multiply, then an add), so G is
    /// the same bit for bit whatever the blocking: rows are taken in chunks converted to double once, the upper
    /// triangle is accumulated in SIMD registers over a chunk (f_ra broadcast), and the lower triangle is its mirror
    /// (the products are the same). Called twice per epoch.
    /// </summary>
    internal static double[] Gram(float[] f, int rows, int k)
    {
        const int Chunk = 128;
        var g = new double[k * k];
        var block = new double[Chunk * k];
        int w = Vector<double>.Count;
        ref double rg = ref MemoryMarshal.GetArrayDataReference(g);
        ref double rblock = ref MemoryMarshal.GetArrayDataReference(block);
        for (int r0 = 0; r0 < rows; r0 += Chunk)
        {
            int count = Math.Min(Chunk, rows - r0);
            TensorPrimitives.ConvertTruncating<float, double>(f.AsSpan(r0 * k, count * k), block.AsSpan(0, count * k)); // float to double is exact
            for (int a = 0; a < k; a++)
            {
                // From the vector holding the diagonal to the end of the row.
                int b = a - a % w;
                for (; b + 4 * w <= k; b += 4 * w)
                {
                    nuint o = (nuint)(a * k + b);
                    var s0 = Vector.LoadUnsafe(ref rg, o);
                    var s1 = Vector.LoadUnsafe(ref rg, o + (nuint)w);
                    var s2 = Vector.LoadUnsafe(ref rg, o + (nuint)(2 * w));
                    var s3 = Vector.LoadUnsafe(ref rg, o + (nuint)(3 * w));
                    for (int r = 0; r < count; r++)
                    {
                        var fa = new Vector<double>(block[r * k + a]);
                        nuint row = (nuint)(r * k + b);
                        s0 += Vector.LoadUnsafe(ref rblock, row) * fa;
                        s1 += Vector.LoadUnsafe(ref rblock, row + (nuint)w) * fa;
                        s2 += Vector.LoadUnsafe(ref rblock, row + (nuint)(2 * w)) * fa;
                        s3 += Vector.LoadUnsafe(ref rblock, row + (nuint)(3 * w)) * fa;
                    }
                    Vector.StoreUnsafe(s0, ref rg, o);
                    Vector.StoreUnsafe(s1, ref rg, o + (nuint)w);
                    Vector.StoreUnsafe(s2, ref rg, o + (nuint)(2 * w));
                    Vector.StoreUnsafe(s3, ref rg, o + (nuint)(3 * w));
                }
                for (; b + w <= k; b += w)
                {
                    nuint o = (nuint)(a * k + b);
                    var s0 = Vector.LoadUnsafe(ref rg, o);
                    for (int r = 0; r < count; r++) s0 += Vector.LoadUnsafe(ref rblock, (nuint)(r * k + b)) * new Vector<double>(block[r * k + a]);
                    Vector.StoreUnsafe(s0, ref rg, o);
                }
                for (; b < k; b++)
                {
                    double s = g[a * k + b];
                    for (int r = 0; r < count; r++) s += block[r * k + b] * block[r * k + a];
                    g[a * k + b] = s;
                }
            }
        }
        for (int a = 1; a < k; a++)
        {
            for (int b = 0; b < a; b++) g[a * k + b] = g[b * k + a];
        }
        return g;
    }

    /// <summary>Ap = (G + λI) p + Σ_j (c_j − 1)(f_j · p) f_j.</summary>
    private void MultiplyA(double[] gram, float[] f, ReadOnlySpan<int> cols, ReadOnlySpan<float> conf, double[] p, double[] ap, float[] pf)
    {
        int k = p.Length;
        double reg = Options.Regularization;
        for (int a = 0; a < k; a++) ap[a] = TensorPrimitives.Dot(gram.AsSpan(a * k, k), p) + reg * p[a];
        for (int a = 0; a < k; a++) pf[a] = (float)p[a];
        for (int j = 0; j < cols.Length; j++)
        {
            var fj = f.AsSpan(cols[j] * k, k);
            double w = (conf[j] - 1) * (double)TensorPrimitives.Dot(fj, pf);
            AddScaledWidened(ap, w, fj);
        }
    }

    /// <summary>
    /// acc[a] += w · (double)f[a] for every a, SIMD over a: the float factors widened to double, then a multiply and an
    /// add (no fused multiply-add), so every element is rounded exactly as by the scalar loop and results stay
    /// bit-identical. Runs once per rated item and step (as a scalar loop it was a third of iALS's fit).
    /// </summary>
    internal static void AddScaledWidened(Span<double> acc, double w, ReadOnlySpan<float> f)
    {
        int k = f.Length, a = 0;
        if (Vector.IsHardwareAccelerated && k >= Vector<float>.Count)
        {
            var wv = new Vector<double>(w);
            int half = Vector<double>.Count;
            ref float rf = ref MemoryMarshal.GetReference(f);
            ref double racc = ref MemoryMarshal.GetReference(acc);
            for (; a + Vector<float>.Count <= k; a += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref rf, (nuint)a), out var low, out var high);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref racc, (nuint)a) + wv * low, ref racc, (nuint)a);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref racc, (nuint)(a + half)) + wv * high, ref racc, (nuint)(a + half));
            }
        }
        for (; a < k; a++) acc[a] += w * f[a];
    }

    private void SolveCg(double[] gram, float[] f, ReadOnlySpan<int> cols, ReadOnlySpan<float> conf, Span<float> x, Workspace ws)
    {
        int k = x.Length;
        var xd = ws.X;
        for (int a = 0; a < k; a++) xd[a] = x[a];
        // r = b − A x with b = Σ_j c_j f_j.
        MultiplyA(gram, f, cols, conf, xd, ws.Ap, ws.Pf);
        var r = ws.R;
        Array.Clear(r);
        for (int j = 0; j < cols.Length; j++)
        {
            var fj = f.AsSpan(cols[j] * k, k);
            AddScaledWidened(r, conf[j], fj);
        }
        for (int a = 0; a < k; a++) r[a] -= ws.Ap[a];
        var p = ws.P;
        r.CopyTo(p, 0);
        double rr = TensorPrimitives.Dot(r, r);
        for (int step = 0; step < Options.CgSteps && rr > 1e-20; step++)
        {
            MultiplyA(gram, f, cols, conf, p, ws.Ap, ws.Pf);
            double pAp = TensorPrimitives.Dot(p, ws.Ap);
            if (!(pAp > 0)) break;
            double alpha = rr / pAp;
            for (int a = 0; a < k; a++)
            {
                xd[a] += alpha * p[a];
                r[a] -= alpha * ws.Ap[a];
            }
            double rrNew = TensorPrimitives.Dot(r, r);
            double beta = rrNew / rr;
            for (int a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
            rr = rrNew;
        }
        for (int a = 0; a < k; a++) x[a] = (float)xd[a];
    }

    /// <summary>Exact x = (G + λI + Σ (c_j − 1) f_j f_jᵀ)⁻¹ Σ c_j f_j by Cholesky.</summary>
    private void SolveExact(double[] gram, float[] f, ReadOnlySpan<int> cols, ReadOnlySpan<float> conf, Span<float> x, Workspace ws)
    {
        int k = x.Length;
        var a = ws.A;
        gram.CopyTo(a, 0);
        for (int d = 0; d < k; d++) a[d * k + d] += Options.Regularization;
        var b = ws.B;
        Array.Clear(b);
        var fd = ws.X;
        for (int j = 0; j < cols.Length; j++)
        {
            var fj = f.AsSpan(cols[j] * k, k);
            for (int q = 0; q < k; q++) fd[q] = fj[q];
            double w = conf[j] - 1;
            for (int q = 0; q < k; q++)
            {
                b[q] += conf[j] * fd[q];
                var aq = a.AsSpan(q * k, k);
                TensorPrimitives.MultiplyAdd(fd, w * fd[q], aq, aq);
            }
        }
        CholeskySolve(a, b, k);
        for (int q = 0; q < k; q++) x[q] = (float)b[q];
    }

    /// <summary>Solves A z = b in place (b becomes z) for a small SPD matrix A (overwritten by its factor).</summary>
    internal static void CholeskySolve(double[] a, double[] b, int k)
    {
        for (int j = 0; j < k; j++)
        {
            double d = a[j * k + j] - TensorPrimitives.Dot(a.AsSpan(j * k, j), a.AsSpan(j * k, j));
            // A is Gram + λI + PSD terms; a vanishing pivot means λ = 0 and a degenerate system: keep it finite.
            double ljj = Math.Sqrt(Math.Max(d, 1e-12));
            a[j * k + j] = ljj;
            for (int i = j + 1; i < k; i++)
                a[i * k + j] = (a[i * k + j] - TensorPrimitives.Dot(a.AsSpan(i * k, j), a.AsSpan(j * k, j))) / ljj;
        }
        for (int i = 0; i < k; i++)
            b[i] = (b[i] - TensorPrimitives.Dot(a.AsSpan(i * k, i), b.AsSpan(0, i))) / a[i * k + i];
        for (int i = k - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int j = i + 1; j < k; j++) s -= a[j * k + i] * b[j];
            b[i] = s / a[i * k + i];
        }
    }

    private static void Gaussian(Random rng, float[] values, double std)
    {
        for (int p = 0; p < values.Length; p++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            values[p] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    public void Score(int user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, Name);
        if ((uint)user >= (uint)_users) throw new ArgumentOutOfRangeException(nameof(user));
        ScoreFactors(_x.AsSpan(user * Options.Factors, Options.Factors), scores);
    }

    private void ScoreFactors(ReadOnlySpan<float> x, Span<float> scores)
    {
        RankingChecks.ScoreLength(scores, ItemCount);
        int k = Options.Factors;
        RowDots.Multiply(_y, k, x, scores[.._items]);
    }

    /// <summary>x = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u, solved exactly with the item factors fixed.</summary>
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_fitted, Name);
        var normalized = RankingChecks.Normalize(ratings, ItemCount);
        int k = Options.Factors;
        var cols = new int[normalized.Length];
        var conf = new float[normalized.Length];
        for (int j = 0; j < normalized.Length; j++) (cols[j], conf[j]) = (normalized[j].Item, Confidence(normalized[j].Rating));
        var x = new float[k];
        // A request's workspace (k² doubles: 32 KB at 64 factors) is kept per thread: SolveExact overwrites all it reads.
        var ws = _foldInWorkspace is { } cached && cached.B.Length == k ? cached : _foldInWorkspace = new Workspace(k);
        SolveExact(_yty, _y, cols, conf, x, ws);
        return new AlsFoldedUser(normalized, x);
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, Name);
        var folded = user as AlsFoldedUser ?? throw new ArgumentException("The user was not folded into an iALS model.", nameof(user));
        ScoreFactors(folded.Factors, scores);
    }

    // ---- persistence: both factor matrices (YᵀY is recomputed), and each user's rated items for serving ----

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_fitted, Name);
        writer.Write("user_factors", _x);
        writer.Write("item_factors", _y);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static ImplicitAls Restore(ModelContents contents)
    {
        var model = new ImplicitAls(PersistentModels.FromJson<ImplicitAlsOptions>(contents));
        int k = model.Options.Factors;
        model._users = contents.UserIds.Count;
        model._items = contents.ItemIds.Count;
        model._x = contents.Floats("user_factors");
        model._y = contents.Floats("item_factors");
        PersistentModels.Check(contents, model._x.Length == (long)model._users * k && model._y.Length == (long)model._items * k,
            "the factor matrices do not match the id maps and the factor count");
        model._yty = Gram(model._y, model._items, k);
        model._rated = PersistentModels.ReadRated(contents, withValues: false);
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model._fitted = true;
        return model;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ials(factors={Options.Factors}, reg={Options.Regularization}, alpha={Options.Alpha}, confidence={Options.Confidence.ToString().ToLowerInvariant()}, epsilon={Options.Epsilon}, use-ratings={Options.UseRatingValues}, epochs={Options.Epochs}, solver={Options.Solver.ToString().ToLowerInvariant()}, cg-steps={Options.CgSteps}, init-std={Options.InitStd})");
}
