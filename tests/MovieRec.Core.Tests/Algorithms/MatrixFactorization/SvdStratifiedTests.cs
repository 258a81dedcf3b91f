using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

/// <summary>Multi-threaded SVD runs stratified SGD: threads never share a parameter, so a seed fixes the model.</summary>
public class SvdStratifiedTests
{
    [Fact]
    public void Two_threads_give_the_same_model_for_the_same_seed()
    {
        var sample = MfTestData.FirstRatings(20_000);
        var options = new SvdOptions { Factors = 20, Epochs = 10 };
        var context = new TrainingContext { Seed = 5, Threads = 2 };
        var a = new Svd(options);
        a.Fit(sample, context);
        var b = new Svd(options);
        b.Fit(sample, context);
        for (int k = 0; k < sample.Count; k += 7)
            Assert.Equal(BitConverter.SingleToInt32Bits(a.Predict(sample.Users[k], sample.Items[k])), BitConverter.SingleToInt32Bits(b.Predict(sample.Users[k], sample.Items[k])));
        Assert.Equal(a.EpochLoss, b.EpochLoss);
        Assert.True(a.EpochLoss[^1] < a.EpochLoss[0], "the training loss falls");
    }

    [Fact]
    public void The_epoch_loss_summed_on_the_threads_tracks_the_single_threaded_one()
    {
        // The multi-threaded loss sums each block's regulariser on its own thread: a block left out or counted twice
        // would move it by several percent.
        var sample = MfTestData.FirstRatings(30_000);
        var one = new Svd(new SvdOptions { Epochs = 10 });
        one.Fit(sample, TrainingContext.Deterministic(0));
        var two = new Svd(new SvdOptions { Epochs = 10 });
        two.Fit(sample, new TrainingContext { Seed = 0, Threads = 2 });
        for (int epoch = 0; epoch < 10; epoch++)
            Assert.Equal(one.EpochLoss[epoch], two.EpochLoss[epoch], one.EpochLoss[epoch] * 0.005);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void More_threads_than_cores_still_learn_the_same_quality(int threads)
    {
        var one = new Svd(new SvdOptions { Factors = 50 });
        one.Fit(MfTestData.Train, TrainingContext.Deterministic(0));
        var many = new Svd(new SvdOptions { Factors = 50 });
        many.Fit(MfTestData.Train, new TrainingContext { Seed = 0, Threads = threads });
        Assert.InRange(Math.Abs(MfTestData.Rmse(one, MfTestData.Test) - MfTestData.Rmse(many, MfTestData.Test)), 0, 0.003);
    }
}
