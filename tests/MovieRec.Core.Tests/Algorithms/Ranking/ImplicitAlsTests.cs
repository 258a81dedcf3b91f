using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class ImplicitAlsTests
{
    private static readonly Lazy<ImplicitAls> Trained = new(() =>
    {
        var model = new ImplicitAls();
        model.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train), new TrainingContext { Seed = 1 });
        return model;
    });

    [Theory]
    [InlineData(300, 64)] // chunks of rows and whole SIMD vectors
    [InlineData(5, 7)] // fewer rows than a chunk, a row narrower than two vectors
    [InlineData(129, 13)]
    public void The_gram_matrix_is_the_row_by_row_sum_bit_for_bit(int rows, int k)
    {
        var rng = new Random(rows + k);
        var f = new float[rows * k];
        for (int p = 0; p < f.Length; p++) f[p] = rng.NextDouble() < 0.1 ? 0 : (float)(rng.NextDouble() - 0.5);
        var expected = new double[k * k];
        for (int r = 0; r < rows; r++)
        {
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++) expected[a * k + b] += (double)f[r * k + b] * f[r * k + a];
            }
        }
        Assert.Equal(expected, ImplicitAls.Gram(f, rows, k));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(67)]
    public void The_simd_update_of_a_conjugate_gradient_step_rounds_exactly_as_the_scalar_loop(int k)
    {
        var rng = new Random(k);
        var f = new float[k];
        var simd = new double[k];
        for (int a = 0; a < k; a++)
        {
            f[a] = (float)(rng.NextDouble() - 0.5);
            simd[a] = rng.NextDouble() * 1e3;
        }
        var scalar = (double[])simd.Clone();
        double w = 0.1 + rng.NextDouble() * 1e-7; // a weight whose products round
        ImplicitAls.AddScaledWidened(simd, w, f);
        for (int a = 0; a < k; a++) scalar[a] += w * f[a];
        Assert.Equal(scalar, simd); // bit for bit: fitted factors do not depend on the SIMD width
    }

    [Fact]
    [Trait("Category", "Slow")] // accuracy on the full catalogue
    public void Ranks_far_better_than_popularity_on_leave_latest_out()
    {
        var figures = LeaveLatestOut.MovieLensSmall.Evaluate(Trained.Value);
        // Popularity: 0.0426; Surprise SVD: 0.0197.
        Assert.True(figures.FullHr10 >= 0.055, figures.ToString());
        Assert.True(figures.SampledHr10 >= 0.65, figures.ToString());
    }

    [Fact]
    public void Training_loss_falls_epoch_after_epoch()
    {
        var loss = Trained.Value.EpochLoss;
        Assert.Equal(Trained.Value.Options.Epochs, loss.Count);
        for (int e = 1; e < loss.Count; e++) Assert.True(loss[e] < loss[e - 1], $"epoch {e}: {loss[e]} >= {loss[e - 1]}");
    }

    [Fact]
    public void Fold_in_correlates_with_the_trained_user()
    {
        var model = Trained.Value;
        var train = LeaveLatestOut.MovieLensSmall.Train;
        foreach (int user in new[] { 0, 17, 413 })
        {
            var ratings = train.ByUser.RowColumns(user).ToArray().Zip(train.ByUser.RowValues(user).ToArray(), (i, r) => new ItemRating(i, r)).ToArray();
            var folded = model.FoldIn(ratings);
            var trained = new float[model.ItemCount];
            var foldedScores = new float[model.ItemCount];
            model.Score(user, trained);
            model.Score(folded, foldedScores);
            Assert.True(Pearson(trained, foldedScores) > 0.95, $"user {user}: r = {Pearson(trained, foldedScores)}");
        }
    }

    [Fact]
    public void Single_threaded_training_is_reproducible_and_matches_parallel_training()
    {
        var train = PopularityRankerTests.Tiny();
        var small = LeaveLatestOut.MovieLensSmall.Train.Subset(Enumerable.Range(0, 20_000).ToArray());
        var options = new ImplicitAlsOptions { Factors = 16, Epochs = 3 };
        var a = new ImplicitAls(options);
        var b = new ImplicitAls(options);
        var c = new ImplicitAls(options);
        a.Fit(new TrainingData(small), TrainingContext.Deterministic(5));
        b.Fit(new TrainingData(small), TrainingContext.Deterministic(5));
        c.Fit(new TrainingData(small), new TrainingContext { Seed = 5, Threads = 2 });
        Assert.Equal(a.ItemFactors.ToArray(), b.ItemFactors.ToArray());
        Assert.Equal(a.UserFactors.ToArray(), b.UserFactors.ToArray());
        // Each solve depends only on the other side's factors, so the thread count does not change the model.
        Assert.Equal(a.ItemFactors.ToArray(), c.ItemFactors.ToArray());
        var d = new ImplicitAls(options);
        d.Fit(new TrainingData(small), TrainingContext.Deterministic(6));
        Assert.NotEqual(a.ItemFactors.ToArray(), d.ItemFactors.ToArray());
        Assert.NotNull(train);
    }

    [Fact]
    public void Cholesky_and_conjugate_gradient_reach_similar_rankings()
    {
        var small = LeaveLatestOut.MovieLensSmall.Train.Subset(Enumerable.Range(0, 20_000).ToArray());
        var cg = new ImplicitAls(new ImplicitAlsOptions { Factors = 16, Epochs = 5 });
        var exact = new ImplicitAls(new ImplicitAlsOptions { Factors = 16, Epochs = 5, Solver = AlsSolver.Cholesky });
        cg.Fit(new TrainingData(small), TrainingContext.Deterministic(2));
        exact.Fit(new TrainingData(small), TrainingContext.Deterministic(2));
        Assert.True(exact.EpochLoss[^1] <= cg.EpochLoss[^1] * 1.02, $"{exact.EpochLoss[^1]} vs {cg.EpochLoss[^1]}");
        var s1 = new float[cg.ItemCount];
        var s2 = new float[cg.ItemCount];
        cg.Score(3, s1);
        exact.Score(3, s2);
        Assert.True(Pearson(s1, s2) > 0.8, $"r = {Pearson(s1, s2)}");
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        Assert.Equal("Factors", Assert.Throws<ArgumentException>(() => new ImplicitAls(new ImplicitAlsOptions { Factors = 0 })).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentException>(() => new ImplicitAls(new ImplicitAlsOptions { Alpha = -1 })).ParamName);
        Assert.Equal("Regularization", Assert.Throws<ArgumentException>(() => new ImplicitAls(new ImplicitAlsOptions { Regularization = double.NaN })).ParamName);
        Assert.Equal("Epochs", Assert.Throws<ArgumentException>(() => new ImplicitAls(new ImplicitAlsOptions { Epochs = 0 })).ParamName);
        Assert.Equal("CgSteps", Assert.Throws<ArgumentException>(() => new ImplicitAls(new ImplicitAlsOptions { CgSteps = 0 })).ParamName);
        Assert.Equal("solver", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ials", AlgorithmParameters.Empty.With("solver", "magic"))).ParamName);
    }

    internal static double Pearson(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}
