using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Baseline estimates b_ui = μ + b_u + b_i (Koren, "Factor in the neighbors: scalable and accurate collaborative
/// filtering", TKDD 2010, section 2.1), fitted as in Surprise's compute_baselines.
/// <para>ALS, per epoch: b_i = Σ_{u∈U(i)} (r_ui − μ − b_u) / (λ_i + |U(i)|) for every item, then
/// b_u = Σ_{i∈I(u)} (r_ui − μ − b_i) / (λ_u + |I(u)|) for every user.</para>
/// <para>SGD, per epoch over the ratings in user order: e = r_ui − (μ + b_u + b_i); b_u += γ(e − λ b_u);
/// b_i += γ(e − λ b_i).</para>
/// Shared by BaselineOnly, KNNBaseline and the pearson_baseline similarity.
/// </summary>
public sealed class BaselineEstimates
{
    private BaselineEstimates(double globalMean, double[] userBias, double[] itemBias, BaselineOptions options)
    {
        GlobalMean = globalMean;
        UserBias = userBias;
        ItemBias = itemBias;
        Options = options;
    }

    /// <summary>Estimates read back from a model file.</summary>
    internal static BaselineEstimates FromParts(double globalMean, double[] userBias, double[] itemBias, BaselineOptions options) =>
        new(globalMean, userBias, itemBias, options);

    public double GlobalMean { get; }

    /// <summary>b_u by dense user id (0 for users without training ratings).</summary>
    public double[] UserBias { get; }

    /// <summary>b_i by dense item id (0 for items without training ratings).</summary>
    public double[] ItemBias { get; }

    public BaselineOptions Options { get; }

    public static BaselineEstimates Compute(RatingDataset train, BaselineOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double mu = train.GlobalMean;
        var bu = new double[train.UserCount];
        var bi = new double[train.ItemCount];
        var byUser = train.ByUser;
        if (options.Method == BaselineMethod.Als)
        {
            var byItem = train.ByItem;
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                AlsStep(byItem, bu, bi, mu, options.RegItem);
                AlsStep(byUser, bi, bu, mu, options.RegUser);
            }
        }
        else
        {
            double lr = options.LearningRate, reg = options.Reg;
            var offsets = byUser.Offsets;
            var cols = byUser.Columns;
            var vals = byUser.Values;
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                for (int u = 0; u < byUser.Rows; u++)
                {
                    double b = bu[u];
                    for (int k = offsets[u]; k < offsets[u + 1]; k++)
                    {
                        int i = cols[k];
                        double err = vals[k] - (mu + b + bi[i]);
                        b += lr * (err - reg * b);
                        bi[i] += lr * (err - reg * bi[i]);
                    }
                    bu[u] = b;
                }
            }
        }
        return new BaselineEstimates(mu, bu, bi, options);
    }

    // One half of an ALS epoch: each row's bias from the other side's biases.
    private static void AlsStep(CsrMatrix rows, double[] other, double[] target, double mu, double reg)
    {
        var offsets = rows.Offsets;
        var cols = rows.Columns;
        var vals = rows.Values;
        for (int r = 0; r < rows.Rows; r++)
        {
            int start = offsets[r], end = offsets[r + 1];
            if (start == end) continue;
            double dev = 0;
            for (int k = start; k < end; k++)
                dev += vals[k] - mu - other[cols[k]];
            target[r] = dev / (reg + (end - start));
        }
    }

    /// <summary>
    /// b_u for a user outside the training set with the item biases held fixed: the closed-form ALS user step
    /// (exactly what training gives a user after the last epoch), or SGD epochs over the user's ratings alone.
    /// </summary>
    public double FoldInUserBias(ReadOnlySpan<ItemRating> ratings)
    {
        if (ratings.Length == 0) return 0;
        if (Options.Method == BaselineMethod.Als)
        {
            double dev = 0;
            foreach (var r in ratings) dev += r.Rating - GlobalMean - ItemBiasOrZero(r.Item);
            return dev / (Options.RegUser + ratings.Length);
        }
        double b = 0;
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            foreach (var r in ratings)
            {
                double err = r.Rating - (GlobalMean + b + ItemBiasOrZero(r.Item));
                b += Options.LearningRate * (err - Options.Reg * b);
            }
        }
        return b;
    }

    private double ItemBiasOrZero(int item) => (uint)item < (uint)ItemBias.Length ? ItemBias[item] : 0;
}
