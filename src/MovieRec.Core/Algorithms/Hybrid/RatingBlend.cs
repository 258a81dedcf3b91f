using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="RatingBlend"/>.</summary>
public sealed record RatingBlendOptions
{
    /// <summary>The member algorithms by registry name, with their parameters.</summary>
    public required IReadOnlyList<(string Algorithm, AlgorithmParameters Parameters)> Members { get; init; }

    /// <summary>Share of the training ratings held out to fit the blend weights. Default 0.1.</summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>Ridge penalty λ on the weights (not on the intercept). Default 1.</summary>
    public double Ridge { get; init; } = 1.0;

    public void Validate()
    {
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
/// unknown users and items.
/// </summary>
public sealed class RatingBlend : RatingPredictorBase, IFoldIn
{
    private readonly RatingBlendOptions _options;
    private IRatingPredictor[] _members = [];
    private double[] _weights = [];

    public RatingBlend(RatingBlendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public override string Name => "blend";

    /// <summary>Intercept first, then one weight per member.</summary>
    public IReadOnlyList<double> Weights => _weights;

    public IReadOnlyList<IRatingPredictor> Members => _members;

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        var (fitPart, holdout) = SplitHoldout(train, _options.HoldoutFraction, context.Seed);
        int m = _options.Members.Count;
        var predictions = new float[m][];
        for (int j = 0; j < m; j++)
        {
            var member = CreateMember(j);
            member.Fit(fitPart, context);
            var p = new float[holdout.Count];
            for (int k = 0; k < holdout.Count; k++)
                p[k] = member.Predict(holdout.Users[k], holdout.Items[k]);
            predictions[j] = p;
        }
        _weights = SolveRidge(predictions, holdout.Values, _options.Ridge);
        _members = new IRatingPredictor[m];
        for (int j = 0; j < m; j++)
        {
            _members[j] = CreateMember(j);
            _members[j].Fit(train, context);
        }
    }

    private IRatingPredictor CreateMember(int j)
    {
        var (name, parameters) = _options.Members[j];
        return AlgorithmRegistry.Create(name, parameters) as IRatingPredictor
            ?? throw new ArgumentException($"Blend member '{name}' does not predict ratings.", nameof(RatingBlendOptions.Members));
    }

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

    protected override double Estimate(int user, int item)
    {
        double est = _weights[0];
        for (int j = 0; j < _members.Length; j++)
            est += _weights[j + 1] * _members[j].Predict(user, item);
        return est;
    }

    public override void Score(int user, Span<float> scores)
    {
        var buffer = new float[scores.Length];
        scores.Fill((float)_weights[0]);
        for (int j = 0; j < _members.Length; j++)
        {
            if (_members[j] is IItemScorer scorer)
                scorer.Score(user, buffer);
            else
                for (int i = 0; i < buffer.Length; i++) buffer[i] = _members[j].Predict(user, i);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(buffer, (float)_weights[j + 1], scores, scores);
        }
        for (int i = 0; i < scores.Length; i++) scores[i] = Scale.Clip(scores[i]);
    }

    private sealed class BlendUser(ItemRating[] ratings, FoldedUser[] members) : FoldedUser(ratings)
    {
        public FoldedUser[] Members { get; } = members;
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        var folded = new FoldedUser[_members.Length];
        for (int j = 0; j < _members.Length; j++)
        {
            folded[j] = (_members[j] as IFoldIn
                ?? throw new NotSupportedException($"Blend member {_members[j].Name} cannot fold in new users.")).FoldIn(ratings);
        }
        return new BlendUser(ratings.ToArray(), folded);
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        var blendUser = (BlendUser)user;
        var buffer = new float[scores.Length];
        scores.Fill((float)_weights[0]);
        for (int j = 0; j < _members.Length; j++)
        {
            ((IFoldIn)_members[j]).Score(blendUser.Members[j], buffer);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(buffer, (float)_weights[j + 1], scores, scores);
        }
        for (int i = 0; i < scores.Length; i++) scores[i] = Scale.Clip(scores[i]);
    }

    public float Predict(FoldedUser user, int item)
    {
        var blendUser = (BlendUser)user;
        double est = _weights[0];
        for (int j = 0; j < _members.Length; j++)
            est += _weights[j + 1] * ((IFoldIn)_members[j]).Predict(blendUser.Members[j], item);
        return (float)Scale.Clip(est);
    }

    public override string ToString() =>
        $"blend(members=[{string.Join("; ", _options.Members.Select(m => m.Parameters.Values.Count == 0 ? m.Algorithm : $"{m.Algorithm}({m.Parameters})"))}], holdout={_options.HoldoutFraction}, ridge={_options.Ridge})";
}
