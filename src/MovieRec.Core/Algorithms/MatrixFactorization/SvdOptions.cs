using System.Globalization;
using System.Text.Json;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// Hyperparameters of <see cref="Svd"/>. Defaults are Surprise's SVD: 100 factors, 20 epochs, lr_all 0.005,
/// reg_all 0.02, init N(0, 0.1), biased. A per-parameter learning rate or regularisation (LrBu, RegQi, ...) overrides
/// the "all" value for that parameter, as in Surprise. <see cref="LearningRateDecay"/> and
/// <see cref="FoldInRegularization"/> are ours.
/// </summary>
public sealed record SvdOptions
{
    public int Factors { get; init; } = 100;
    public int Epochs { get; init; } = 20;
    public bool Biased { get; init; } = true;
    public double InitMean { get; init; }
    public double InitStdDev { get; init; } = 0.1;
    public double LrAll { get; init; } = 0.005;
    public double RegAll { get; init; } = 0.02;
    public double? LrBu { get; init; }
    public double? LrBi { get; init; }
    public double? LrPu { get; init; }
    public double? LrQi { get; init; }
    public double? RegBu { get; init; }
    public double? RegBi { get; init; }
    public double? RegPu { get; init; }
    public double? RegQi { get; init; }

    /// <summary>Every learning rate is multiplied by this after each epoch (1 = constant, Surprise's behaviour).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>
    /// Ridge λ of the fold-in solve, per rating. Larger than reg_pu because SGD's early stopping regularises the
    /// trained users far more than the nominal reg_pu does; 0.1 keeps folded users close to retrained ones.
    /// </summary>
    public double FoldInRegularization { get; init; } = 0.1;

    /// <summary>
    /// Prior strength of the fold-in, in ratings (n₀): the fold-in's regularisation is scaled by n + n₀ instead of n,
    /// so a new user's bias is b_u = Σ t_k / ((n + n₀)(1 + λ_b)) and their factors are shrunk alike, as if they had n₀
    /// more ratings at the population's mean. With n₀ = 0 one 1-star rating of Toy Story made every prediction
    /// about 1.3 stars, and five favourites at 5 stars made most predictions 5; the damping of Koren's baseline
    /// predictors (Koren 2010, "Factor in the neighbors", section 2.1: λ₃ = 10 for users). Default 10, chosen with
    /// <c>bench newuser-predict</c> on seeds 10-14 (docs/evaluation.md, "The stars shown to a new user").
    /// </summary>
    public double FoldInPrior { get; init; } = 10;

    public double EffLrBu => LrBu ?? LrAll;
    public double EffLrBi => LrBi ?? LrAll;
    public double EffLrPu => LrPu ?? LrAll;
    public double EffLrQi => LrQi ?? LrAll;
    public double EffRegBu => RegBu ?? RegAll;
    public double EffRegBi => RegBi ?? RegAll;
    public double EffRegPu => RegPu ?? RegAll;
    public double EffRegQi => RegQi ?? RegAll;

    /// <summary>Surprise's SVD defaults.</summary>
    public static SvdOptions Default { get; } = new();

    /// <summary>
    /// Our preset (not Surprise's), chosen by a small grid search on ml-latest-small 5-fold (12 settings of epochs
    /// 40-100, lr 0.005-0.02, decay 0.93-0.97, factor reg 0.08-0.12, bias reg 0.005-0.02, 50-200 factors): 100 epochs
    /// with a learning rate of 0.01 decaying by 3 % an epoch, factor regularisation 0.1 and bias regularisation
    /// 0.005. 5-fold RMSE 0.8540 against 0.8750 for the Surprise defaults (Surprise itself: 0.8734).
    /// </summary>
    public static SvdOptions Tuned { get; } = new()
    {
        Factors = 100,
        Epochs = 100,
        LrAll = 0.01,
        LearningRateDecay = 0.97,
        RegBu = 0.005,
        RegBi = 0.005,
        RegPu = 0.1,
        RegQi = 0.1,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid hyperparameter.</summary>
    public void Validate()
    {
        ValidateSgd(Factors, Epochs, InitMean, InitStdDev, LearningRateDecay, FoldInRegularization, FoldInPrior,
            [("lr-all", LrAll), ("lr-bu", EffLrBu), ("lr-bi", EffLrBi), ("lr-pu", EffLrPu), ("lr-qi", EffLrQi)],
            [("reg-all", RegAll), ("reg-bu", EffRegBu), ("reg-bi", EffRegBi), ("reg-pu", EffRegPu), ("reg-qi", EffRegQi)]);
    }

    /// <summary>
    /// The checks every SGD factor model shares (SVD, SVD++): positive sizes and learning rates, non-negative
    /// regularisation, a finite initialisation, a decay in (0, 1]; throws naming the first invalid parameter.
    /// </summary>
    internal static void ValidateSgd(int factors, int epochs, double initMean, double initStdDev, double decay, double foldInReg, double foldInPrior,
        ReadOnlySpan<(string Name, double Value)> rates, ReadOnlySpan<(string Name, double Value)> regularisation)
    {
        OptionChecks.Positive(factors, "factors");
        OptionChecks.Positive(epochs, "epochs");
        OptionChecks.NonNegative(initStdDev, "init-std");
        if (!double.IsFinite(initMean)) throw new ArgumentException("init-mean must be finite.", "init-mean");
        foreach (var (name, value) in rates) OptionChecks.Positive(value, name);
        foreach (var (name, value) in regularisation) OptionChecks.NonNegative(value, name);
        OptionChecks.InRange(decay, 1e-6, 1, "lr-decay");
        OptionChecks.NonNegative(foldInPrior, "fold-in-prior");
        OptionChecks.Positive(foldInReg, "fold-in-reg");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"factors={Factors}, epochs={Epochs}, biased={Biased}, init=N({InitMean}, {InitStdDev}), lr-bu={EffLrBu}, lr-bi={EffLrBi}, lr-pu={EffLrPu}, lr-qi={EffLrQi}, reg-bu={EffRegBu}, reg-bi={EffRegBi}, reg-pu={EffRegPu}, reg-qi={EffRegQi}, lr-decay={LearningRateDecay}, fold-in-reg={FoldInRegularization}, fold-in-prior={FoldInPrior}");

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static SvdOptions FromJson(string json) => JsonSerializer.Deserialize<SvdOptions>(json) ?? Default;
}
