using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="RatingBlend"/>.</summary>
public sealed record RatingBlendOptions
{
    /// <summary>
    /// One factory per member: each call makes a new unfitted rating predictor (a member is fitted once per fold and
    /// once on everything). The catalogue's <c>best</c> entry lists its members.
    /// </summary>
    public required IReadOnlyList<Func<IRatingPredictor>> Members { get; init; }

    /// <summary>Share of the training ratings held out to fit the blend weights. Default 0.1.</summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>Ridge penalty λ on the weights (not on the intercept). Default 1.</summary>
    public double Ridge { get; init; } = 1.0;

    /// <summary>
    /// When true (default), each member's prediction also enters multiplied by ln(1 + n_u) and ln(1 + n_i), the
    /// user's and item's training support, and the two supports enter on their own, so the blend can trust e.g.
    /// neighbourhood models more for well-supported items and factor models more for sparse users (the
    /// support meta-features of the Netflix Prize blends; Töscher, Jahrer and Bell 2009; Sill et al. 2009,
    /// "Feature-Weighted Linear Stacking").
    /// </summary>
    public bool SupportFeatures { get; init; } = true;

    /// <summary>
    /// When ≥ 2, the weights are fitted on out-of-fold predictions for every training rating (K-fold stacking,
    /// Wolpert 1992; Breiman 1996) instead of on one holdout: more data for the weights at K fits per member.
    /// Default 0: the single holdout of <see cref="HoldoutFraction"/>.
    /// </summary>
    public int Folds { get; init; }

    public void Validate()
    {
        if (Folds != 0) OptionChecks.InRange(Folds, 2, 20, nameof(Folds));
        if (Members.Count == 0) throw new ArgumentException("A blend needs at least one member.", nameof(Members));
        OptionChecks.InRange(HoldoutFraction, 0.01, 0.5, nameof(HoldoutFraction));
        OptionChecks.NonNegative(Ridge, nameof(Ridge));
    }
}

/// <summary>
/// A linear stack of rating predictors (the Netflix Prize blends: Töscher, Jahrer and Bell, 2009; Breiman's stacked
/// regression, 1996): r̂ = w₀ + Σⱼ wⱼ r̂ⱼ(u, i). The weights are fitted by ridge regression,
/// w = (PᵀP + λI)⁻¹ Pᵀ r, on predictions for a seeded holdout of the training ratings made by members trained on
/// the rest; the members are then retrained on every training rating. Each member keeps its own fallbacks for
/// unknown users and items. With <see cref="RatingBlendOptions.SupportFeatures"/> the weights vary with the
/// support (feature-weighted linear stacking): r̂ = w₀ + a·lu + b·li + Σⱼ (wⱼ + cⱼ lu + dⱼ li) r̂ⱼ(u, i), where
/// lu = ln(1 + n_u) and li = ln(1 + n_i) count the training ratings of the user and the item.
/// </summary>
public sealed partial class RatingBlend : RatingPredictorBase
{
    private readonly RatingBlendOptions _options;
    private IRatingPredictor[] _members = [];
    private double[] _weights = [];
    private RatingDataset? _train;

    public RatingBlend(RatingBlendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public override string Name => "best";

    /// <summary>Intercept first, then one weight per member.</summary>
    public IReadOnlyList<double> Weights => _weights;

    public IReadOnlyList<IRatingPredictor> Members => _members;

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        if (_options.Folds >= 2)
            FitOutOfFold(train, context);
        else
            FitHoldout(train, context);
        int count = _options.Members.Count;
        _members = new IRatingPredictor[count];
        for (int j = 0; j < count; j++)
        {
            _members[j] = CreateMember(j);
            _members[j].Fit(new TrainingData(train), context);
        }
        _train = train;
    }

    /// <summary>Weights from out-of-fold predictions: fold f's ratings predicted by members trained on the other folds.</summary>
    private void FitOutOfFold(RatingDataset train, TrainingContext context)
    {
        int n = train.Count, m = _options.Members.Count, k = _options.Folds;
        var order = new int[n];
        for (int r = 0; r < n; r++) order[r] = r;
        new Random(context.Seed ^ 0x5EED).Shuffle(order);
        var predictions = new float[m][];
        for (int j = 0; j < m; j++) predictions[j] = new float[n];
        var userSupport = new float[n];
        var itemSupport = new float[n];
        for (int f = 0; f < k; f++)
        {
            int start = (int)((long)n * f / k), end = (int)((long)n * (f + 1) / k);
            var held = order[start..end];
            var rest = new int[n - held.Length];
            order.AsSpan(0, start).CopyTo(rest);
            order.AsSpan(end).CopyTo(rest.AsSpan(start));
            var fitPart = train.Subset(rest);
            for (int j = 0; j < m; j++)
            {
                var member = CreateMember(j);
                member.Fit(new TrainingData(fitPart), context);
                foreach (int r in held) predictions[j][r] = member.Predict(train.Users[r], train.Items[r]);
            }
            foreach (int r in held)
            {
                userSupport[r] = LogSupport(fitPart.ByUser, train.Users[r]);
                itemSupport[r] = LogSupport(fitPart.ByItem, train.Items[r]);
            }
        }
        _weights = SolveRidge(Features(predictions, userSupport, itemSupport), train.Values, _options.Ridge);
    }

    private void FitHoldout(RatingDataset train, TrainingContext context)
    {
        var (fitPart, holdout) = SplitHoldout(train, _options.HoldoutFraction, context.Seed);
        int m = _options.Members.Count;
        var predictions = new float[m][];
        for (int j = 0; j < m; j++)
        {
            var member = CreateMember(j);
            member.Fit(new TrainingData(fitPart), context);
            var p = new float[holdout.Count];
            for (int k = 0; k < holdout.Count; k++)
                p[k] = member.Predict(holdout.Users[k], holdout.Items[k]);
            predictions[j] = p;
        }
        var userSupport = SupportOf(fitPart.ByUser, holdout.Users);
        var itemSupport = SupportOf(fitPart.ByItem, holdout.Items);
        _weights = SolveRidge(Features(predictions, userSupport, itemSupport), holdout.Values, _options.Ridge);
    }

    private static float[] SupportOf(CsrMatrix rows, ReadOnlySpan<int> ids)
    {
        var support = new float[ids.Length];
        for (int k = 0; k < ids.Length; k++) support[k] = LogSupport(rows, ids[k]);
        return support;
    }

    private static float LogSupport(CsrMatrix rows, int id) =>
        (uint)id < (uint)rows.Rows ? MathF.Log(1 + rows.RowLength(id)) : 0f;

    /// <summary>The blend's feature columns: the member predictions, then (with support features) lu, li, r̂ⱼ·lu, r̂ⱼ·li.</summary>
    private float[][] Features(float[][] predictions, float[] userSupport, float[] itemSupport)
    {
        if (!_options.SupportFeatures) return predictions;
        int m = predictions.Length, n = userSupport.Length;
        var columns = new float[3 * m + 2][];
        for (int j = 0; j < m; j++) columns[j] = predictions[j];
        columns[m] = userSupport;
        columns[m + 1] = itemSupport;
        for (int j = 0; j < m; j++)
        {
            var pu = new float[n];
            var pi = new float[n];
            for (int k = 0; k < n; k++)
            {
                pu[k] = predictions[j][k] * userSupport[k];
                pi[k] = predictions[j][k] * itemSupport[k];
            }
            columns[m + 2 + 2 * j] = pu;
            columns[m + 3 + 2 * j] = pi;
        }
        return columns;
    }

    /// <summary>The blended estimate from the member predictions and the log supports.</summary>
    private double Combine(ReadOnlySpan<float> memberPredictions, float lu, float li)
    {
        int m = memberPredictions.Length;
        double est = _weights[0];
        for (int j = 0; j < m; j++) est += _weights[j + 1] * memberPredictions[j];
        if (!_options.SupportFeatures) return est;
        est += _weights[m + 1] * lu + _weights[m + 2] * li;
        for (int j = 0; j < m; j++)
            est += memberPredictions[j] * (_weights[m + 3 + 2 * j] * lu + _weights[m + 4 + 2 * j] * li);
        return est;
    }

    private IRatingPredictor CreateMember(int j) => _options.Members[j]();

    /// <summary>A seeded random holdout: (rest, holdout), sharing the id maps.</summary>
    internal static (RatingDataset Remainder, RatingDataset Holdout) SplitHoldout(RatingDataset train, double fraction, int seed)
    {
        int n = train.Count;
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        new Random(seed ^ 0x5EED).Shuffle(order);
        int h = Math.Max(1, (int)(n * fraction));
        return (train.Subset(order.AsSpan(h)), train.Subset(order.AsSpan(0, h)));
    }

    /// <summary>Ridge regression with an unpenalised intercept, by Gaussian elimination on the normal equations.</summary>
    internal static double[] SolveRidge(float[][] columns, ReadOnlySpan<float> target, double ridge)
    {
        int m = columns.Length + 1, n = target.Length;
        var a = new double[m, m];
        var b = new double[m];
        for (int k = 0; k < n; k++)
        {
            for (int r = 0; r < m; r++)
            {
                double xr = r == 0 ? 1 : columns[r - 1][k];
                b[r] += xr * target[k];
                for (int c = r; c < m; c++)
                    a[r, c] += xr * (c == 0 ? 1 : columns[c - 1][k]);
            }
        }
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < r; c++) a[r, c] = a[c, r];
            if (r > 0) a[r, r] += ridge;
        }
        // Partial pivoting keeps the solve stable when members are strongly correlated.
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            }
            for (int c = 0; c < m; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int r = col + 1; r < m; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int c = col; c < m; c++) a[r, c] -= f * a[col, c];
                b[r] -= f * b[col];
            }
        }
        var w = new double[m];
        for (int r = m - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int c = r + 1; c < m; c++) s -= a[r, c] * w[c];
            w[r] = s / a[r, r];
        }
        return w;
    }

    /// <summary>The blend of the members' predictions; impossible (so μ) when neither the user nor the item is known.</summary>
    protected override double Estimate(int user, int item)
    {
        if (!IsUserKnown(user) && !IsItemKnown(item)) return double.NaN;
        Span<float> p = stackalloc float[_members.Length];
        for (int j = 0; j < _members.Length; j++) p[j] = _members[j].Predict(user, item);
        return Combine(p, LogSupport(_train!.ByUser, user), LogSupport(_train.ByItem, item));
    }

    /// <summary>
    /// Every item's blended estimate, unclipped, from the members' clipped predictions (what the weights were fitted
    /// on): the blend of one member's scores per item would feed it unclipped estimates it never saw.
    /// </summary>
    public override void Score(int user, Span<float> scores)
    {
        CheckFitted();
        var buffers = new float[_members.Length][];
        for (int j = 0; j < _members.Length; j++)
        {
            var buffer = buffers[j] = new float[scores.Length];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = _members[j].Predict(user, i);
        }
        CombineAll(buffers, LogSupport(_train!.ByUser, user), scores);
        if (IsUserKnown(user)) return;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!IsItemKnown(i)) scores[i] = (float)GlobalMean;
        }
    }

    private void CombineAll(float[][] buffers, float lu, Span<float> scores)
    {
        Span<float> p = stackalloc float[buffers.Length];
        var byItem = _train!.ByItem;
        for (int i = 0; i < scores.Length; i++)
        {
            for (int j = 0; j < buffers.Length; j++) p[j] = buffers[j][i];
            scores[i] = (float)Combine(p, lu, LogSupport(byItem, i));
        }
    }

    private sealed class BlendUser(ItemRating[] ratings, FoldedUser[] members) : FoldedUser(ratings)
    {
        public FoldedUser[] Members { get; } = members;
    }

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        CheckFitted();
        var folded = new FoldedUser[_members.Length];
        for (int j = 0; j < _members.Length; j++) folded[j] = _members[j].FoldIn(ratings);
        return new BlendUser(ratings.ToArray(), folded);
    }

    public override void Score(FoldedUser user, Span<float> scores)
    {
        CheckFitted();
        var blendUser = FoldedBy<BlendUser>(user);
        var buffers = new float[_members.Length][];
        for (int j = 0; j < _members.Length; j++)
        {
            var buffer = buffers[j] = new float[scores.Length];
            for (int i = 0; i < buffer.Length; i++) buffer[i] = _members[j].Predict(blendUser.Members[j], i);
        }
        CombineAll(buffers, MathF.Log(1 + user.Ratings.Length), scores);
    }

    protected override double Estimate(FoldedUser user, int item)
    {
        var blendUser = FoldedBy<BlendUser>(user);
        Span<float> p = stackalloc float[_members.Length];
        for (int j = 0; j < _members.Length; j++) p[j] = _members[j].Predict(blendUser.Members[j], item);
        return Combine(p, MathF.Log(1 + user.Ratings.Length), LogSupport(_train!.ByItem, item));
    }

    /// <summary>The members with their hyperparameters (fresh unfitted members describe themselves before a fit).</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Name}(members=[{string.Join("; ", (_members.Length > 0 ? _members : _options.Members.Select(m => m())).Select(m => m.ToString()))}], holdout={_options.HoldoutFraction}, ridge={_options.Ridge}, support-features={_options.SupportFeatures}, folds={_options.Folds})");
}
