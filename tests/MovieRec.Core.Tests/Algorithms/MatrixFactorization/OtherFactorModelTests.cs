using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.MatrixFactorization;
using Xunit;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

/// <summary>SVD++, NMF and NormalPredictor at Surprise's defaults: RMSE bands on a seeded 80/20 split.</summary>
public sealed class OtherFactorModelTests
{
    [Fact]
    public void Svd_plus_plus_at_surprise_defaults_beats_svd_and_its_threads_agree()
    {
        var model = new SvdPlusPlus();
        model.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(0));
        double rmse = MfTestData.Rmse(model, MfTestData.Test);
        // Surprise's SVDpp: 0.8610 on 5-fold CV.
        Assert.InRange(rmse, 0.845, 0.875);
        var parallel = new SvdPlusPlus();
        parallel.Fit(new TrainingData(MfTestData.Train), new TrainingContext { Seed = 0, Threads = 2 });
        Assert.InRange(Math.Abs(MfTestData.Rmse(parallel, MfTestData.Test) - rmse), 0, 0.003);
        Assert.Equal(20, model.EpochLoss.Count);
        Assert.True(model.EpochLoss[^1] < model.EpochLoss[0]);
    }

    [Fact]
    public void Svd_plus_plus_exact_surprise_updates_agree_with_the_fast_variant()
    {
        var sample = MfTestData.FirstRatings(30_000);
        var (train, test) = MfTestData.Split(sample, 0.2, 5);
        var fast = new SvdPlusPlus(new SvdPlusPlusOptions { ExactUpdates = false });
        fast.Fit(new TrainingData(train), TrainingContext.Deterministic(0));
        var exact = new SvdPlusPlus();
        Assert.True(exact.Options.ExactUpdates);
        exact.Fit(new TrainingData(train), TrainingContext.Deterministic(0));
        Assert.InRange(Math.Abs(MfTestData.Rmse(fast, test) - MfTestData.Rmse(exact, test)), 0, 0.01);
    }

    [Fact]
    public void Nmf_at_surprise_defaults_lands_in_its_band_and_stays_non_negative()
    {
        var model = new Nmf();
        model.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(0));
        double rmse = MfTestData.Rmse(model, MfTestData.Test);
        // Surprise's NMF: 0.9221 on 5-fold CV.
        Assert.InRange(rmse, 0.905, 0.945);
        Assert.Equal(50, model.EpochLoss.Count);
        var scores = new float[model.ItemCount];
        model.Score(0, scores);
        Assert.All(scores, s => Assert.True(s >= 0));
        // Unbiased: an unknown user is impossible and falls back to the global mean.
        Assert.True(model.WasImpossible(-1, 0));
        Assert.Equal((float)model.GlobalMean, model.Predict(-1, 0), 5);
    }

    [Fact]
    public void Normal_predictor_draws_from_the_training_distribution()
    {
        var model = new NormalPredictor();
        model.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(0));
        double rmse = MfTestData.Rmse(model, MfTestData.Test);
        // Surprise's NormalPredictor: 1.4277 on 5-fold CV.
        Assert.InRange(rmse, 1.40, 1.46);
        Assert.InRange(model.StdDev, 1.0, 1.1);
        var a = new NormalPredictor();
        var b = new NormalPredictor();
        a.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(9));
        b.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(9));
        for (int k = 0; k < 100; k++) Assert.Equal(a.Predict(0, k), b.Predict(0, k));
    }

    [Theory]
    [InlineData("svdpp", "factors", "0")]
    [InlineData("svdpp", "reg_yj", "-1")]
    [InlineData("svdpp", "lr_yj", "0")]
    [InlineData("nmf", "epochs", "0")]
    [InlineData("nmf", "reg_qi", "-0.5")]
    [InlineData("nmf", "init_high", "-1")]
    public void Invalid_hyperparameters_throw_naming_the_parameter(string algorithm, string name, string value)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => AlgorithmCatalog.Create(algorithm, AlgorithmParameters.Empty.With(name, value)));
        Assert.Equal(name.Replace('_', '-'), e.ParamName);
        Assert.Contains(name.Replace('_', '-'), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_family_is_registered()
    {
        foreach (var name in new[] { "svd", "svd-tuned", "svdpp", "nmf", "normal" })
            Assert.Equal(name, AlgorithmCatalog.Create(name).Name);
    }
}
