using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// Hyperparameters of <see cref="Nmf"/>. Defaults are Surprise's NMF: 15 factors, 50 epochs, unbiased,
/// reg_pu = reg_qi = 0.06, reg_bu = reg_bi = 0.02, lr_bu = lr_bi = 0.005, factors initialised uniform in [0, 1].
/// </summary>
public sealed record NmfOptions
{
    public int Factors { get; init; } = 15;
    public int Epochs { get; init; } = 50;
    public bool Biased { get; init; }
    public double RegPu { get; init; } = 0.06;
    public double RegQi { get; init; } = 0.06;
    public double RegBu { get; init; } = 0.02;
    public double RegBi { get; init; } = 0.02;
    public double LrBu { get; init; } = 0.005;
    public double LrBi { get; init; } = 0.005;
    public double InitLow { get; init; }
    public double InitHigh { get; init; } = 1;

    public static NmfOptions Default { get; } = new();

    public void Validate()
    {
        OptionChecks.Positive(Factors, "factors");
        OptionChecks.Positive(Epochs, "epochs");
        OptionChecks.NonNegative(RegPu, "reg-pu");
        OptionChecks.NonNegative(RegQi, "reg-qi");
        OptionChecks.NonNegative(RegBu, "reg-bu");
        OptionChecks.NonNegative(RegBi, "reg-bi");
        OptionChecks.Positive(LrBu, "lr-bu");
        OptionChecks.Positive(LrBi, "lr-bi");
        OptionChecks.NonNegative(InitLow, "init-low");
        if (!(InitHigh > InitLow) || double.IsInfinity(InitHigh)) throw new ArgumentException($"init-high must be greater than init-low, not {InitHigh}.", "init-high");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"factors={Factors}, epochs={Epochs}, biased={Biased}, reg-pu={RegPu}, reg-qi={RegQi}, reg-bu={RegBu}, reg-bi={RegBi}, lr-bu={LrBu}, lr-bi={LrBi}, init=U({InitLow}, {InitHigh})");
}

/// <summary>
/// Non-negative matrix factorisation with regularised multiplicative updates (Luo et al., "An Efficient
/// Non-Negative Matrix-Factorization-Based Approach to Collaborative Filtering for Recommender Systems", IEEE TII
/// 2014), Surprise's NMF semantics: <c>r̂_ui = q_iᵀp_u</c> (biased: <c>μ + b_u + b_i + q_iᵀp_u</c>). Each epoch,
/// from the current factors,
/// <c>p_uf ← p_uf · Σ_{i∈I_u} q_if r_ui / (Σ_{i∈I_u} q_if r̂_ui + |I_u| λ_u p_uf)</c> and
/// <c>q_if ← q_if · Σ_{u∈U_i} p_uf r_ui / (Σ_{u∈U_i} p_uf r̂_ui + |U_i| λ_i q_if)</c>; biases (when biased) by SGD as
/// in <see cref="Svd"/>. Factors start uniform in [init_low, init_high]. Unknown users or items fall back to μ when
/// unbiased. Trains on one thread (50 cheap epochs; the accumulation is not worth splitting).
/// <see cref="FactorModel.EpochLoss"/>: Σe²/n over the epoch (training MSE with the epoch's starting factors).
/// Fold-in runs the same multiplicative update for the new user with the item factors fixed.
/// </summary>
public sealed class Nmf : FactorModel
{
    public Nmf(NmfOptions? options = null, string name = "nmf")
    {
        Options = options ?? NmfOptions.Default;
        Options.Validate();
        Name = name;
        Factors = Options.Factors;
        Biased = Options.Biased;
    }

    public NmfOptions Options { get; }

    public override string Name { get; }

    protected override double FoldInRegularization => Options.RegPu;

    protected override double FoldInBiasRegularization => Options.RegBu;

    public override string OptionsJson => JsonSerializer.Serialize(Options);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Train(RatingDataset train, TrainingContext context)
    {
        var o = Options;
        int f = o.Factors, users = train.UserCount, items = train.ItemCount;
        var rng = new Random(context.Seed);
        UserBias = new float[users];
        ItemBias = new float[items];
        var pu = new float[users * f];
        var qi = new float[items * f];
        for (int k = 0; k < pu.Length; k++) pu[k] = (float)(o.InitLow + (o.InitHigh - o.InitLow) * rng.NextDouble());
        for (int k = 0; k < qi.Length; k++) qi[k] = (float)(o.InitLow + (o.InitHigh - o.InitLow) * rng.NextDouble());
        UserVectors = pu;
        ItemFactors = qi;
        var groups = UserGroupedRatings.Build(train);
        var userNum = new double[users * f];
        var userDen = new double[users * f];
        var itemNum = new double[items * f];
        var itemDen = new double[items * f];
        var userCount = new int[users];
        var itemCount = new int[items];
        foreach (int u in train.Users) userCount[u]++;
        foreach (int i in train.Items) itemCount[i]++;
        double mu = Biased ? train.GlobalMean : 0;
        float lrBu = (float)o.LrBu, lrBi = (float)o.LrBi, regBu = (float)o.RegBu, regBi = (float)o.RegBi;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            Array.Clear(userNum);
            Array.Clear(userDen);
            Array.Clear(itemNum);
            Array.Clear(itemDen);
            double sq = 0;
            for (int g = 0; g < groups.GroupCount; g++)
            {
                int u = groups.Users[g];
                var p = pu.AsSpan(u * f, f);
                for (int r = groups.Starts[g]; r < groups.Starts[g + 1]; r++)
                {
                    int i = groups.Items[r];
                    float rating = groups.Values[r];
                    var q = qi.AsSpan(i * f, f);
                    double est = mu + UserBias[u] + ItemBias[i] + TensorPrimitives.Dot(p, q);
                    double err = rating - est;
                    sq += err * err;
                    if (Biased)
                    {
                        UserBias[u] += lrBu * ((float)err - regBu * UserBias[u]);
                        ItemBias[i] += lrBi * ((float)err - regBi * ItemBias[i]);
                    }
                    int uo = u * f, io = i * f;
                    for (int c = 0; c < f; c++)
                    {
                        userNum[uo + c] += q[c] * rating;
                        userDen[uo + c] += q[c] * est;
                        itemNum[io + c] += p[c] * rating;
                        itemDen[io + c] += p[c] * est;
                    }
                }
            }
            MultiplicativeStep(pu, userNum, userDen, userCount, o.RegPu, f);
            MultiplicativeStep(qi, itemNum, itemDen, itemCount, o.RegQi, f);
            RecordEpoch(context, epoch, o.Epochs, sq / Math.Max(1, train.Count));
        }
    }

    private static void MultiplicativeStep(float[] factors, double[] num, double[] den, int[] counts, double reg, int f)
    {
        for (int row = 0; row < counts.Length; row++)
        {
            int n = counts[row];
            if (n == 0) continue;
            for (int c = row * f; c < row * f + f; c++)
            {
                if (factors[c] == 0) continue;
                double d = den[c] + n * reg * factors[c];
                if (d != 0) factors[c] = (float)(factors[c] * num[c] / d);
            }
        }
    }

    /// <summary>The training update for one new user with the item factors (and biases) fixed.</summary>
    protected override void SolveUser(ReadOnlySpan<ItemRating> profile, out float bias, Span<float> vector)
    {
        var o = Options;
        int f = Factors, n = profile.Length;
        double mu = Biased ? GlobalMean : 0;
        var p = new double[f];
        Array.Fill(p, (o.InitLow + o.InitHigh) / 2);
        double bu = 0;
        var num = new double[f];
        var den = new double[f];
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            Array.Clear(num);
            Array.Clear(den);
            double biasSum = 0;
            foreach (var r in profile)
            {
                var q = ItemFactors.AsSpan(r.Item * f, f);
                double dot = 0;
                for (int c = 0; c < f; c++) dot += q[c] * p[c];
                double bi = Biased ? ItemBias[r.Item] : 0;
                double est = mu + bu + bi + dot;
                biasSum += r.Rating - mu - bi - dot;
                for (int c = 0; c < f; c++)
                {
                    num[c] += q[c] * r.Rating;
                    den[c] += q[c] * est;
                }
            }
            for (int c = 0; c < f; c++)
            {
                double d = den[c] + n * o.RegPu * p[c];
                if (p[c] != 0 && d != 0) p[c] *= num[c] / d;
            }
            if (Biased) bu = biasSum / (n + o.RegBu * n);
        }
        for (int c = 0; c < f; c++) vector[c] = (float)p[c];
        bias = (float)bu;
    }

    internal static Nmf Restore(ModelContents contents)
    {
        var model = new Nmf(JsonSerializer.Deserialize<NmfOptions>(contents.OptionsJson), contents.Algorithm);
        model.ReadArrays(contents);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}
