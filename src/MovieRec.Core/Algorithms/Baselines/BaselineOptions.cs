using System.Globalization;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>How baseline estimates are fitted (Surprise's bsl_options).</summary>
public enum BaselineMethod
{
    /// <summary>Alternating least squares: closed-form b_i then b_u, per epoch.</summary>
    Als,

    /// <summary>Stochastic gradient descent over the ratings in user order.</summary>
    Sgd,
}

/// <summary>
/// Baseline hyperparameters with Surprise's defaults. ALS: 10 epochs, reg_u 15, reg_i 10. SGD: 20 epochs,
/// reg 0.02, learning rate 0.005 (use <see cref="Sgd"/>).
/// </summary>
public sealed record BaselineOptions
{
    public BaselineMethod Method { get; init; } = BaselineMethod.Als;

    /// <summary>Epochs: 10 for ALS (Surprise's default); <see cref="Sgd"/> sets 20.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>ALS: λ for user biases (default 15).</summary>
    public double RegUser { get; init; } = 15;

    /// <summary>ALS: λ for item biases (default 10).</summary>
    public double RegItem { get; init; } = 10;

    /// <summary>SGD: λ for both biases (default 0.02).</summary>
    public double Reg { get; init; } = 0.02;

    /// <summary>SGD: learning rate γ (default 0.005).</summary>
    public double LearningRate { get; init; } = 0.005;

    /// <summary>Surprise's ALS defaults.</summary>
    public static BaselineOptions Als { get; } = new();

    /// <summary>Surprise's SGD defaults: 20 epochs, reg 0.02, learning rate 0.005.</summary>
    public static BaselineOptions Sgd { get; } = new() { Method = BaselineMethod.Sgd, Epochs = 20 };

    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"Unknown baseline method {Method}.", nameof(Method));
        OptionChecks.Positive(Epochs, nameof(Epochs));
        OptionChecks.NonNegative(RegUser, nameof(RegUser));
        OptionChecks.NonNegative(RegItem, nameof(RegItem));
        OptionChecks.NonNegative(Reg, nameof(Reg));
        OptionChecks.Positive(LearningRate, nameof(LearningRate));
    }

    public override string ToString() => Method == BaselineMethod.Als
        ? string.Create(CultureInfo.InvariantCulture, $"method=als, epochs={Epochs}, reg-u={RegUser}, reg-i={RegItem}")
        : string.Create(CultureInfo.InvariantCulture, $"method=sgd, epochs={Epochs}, reg={Reg}, learning-rate={LearningRate}");
}
