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
        a.Fit(new TrainingData(sample), context);
        var b = new Svd(options);
        b.Fit(new TrainingData(sample), context);
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
        one.Fit(new TrainingData(sample), TrainingContext.Deterministic(0));
        var two = new Svd(new SvdOptions { Epochs = 10 });
        two.Fit(new TrainingData(sample), new TrainingContext { Seed = 0, Threads = 2 });
        for (int epoch = 0; epoch < 10; epoch++)
            Assert.Equal(one.EpochLoss[epoch], two.EpochLoss[epoch], one.EpochLoss[epoch] * 0.005);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void More_threads_than_cores_still_learn_the_same_quality(int threads)
    {
        var one = new Svd(new SvdOptions { Factors = 50 });
        one.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(0));
        var many = new Svd(new SvdOptions { Factors = 50 });
        many.Fit(new TrainingData(MfTestData.Train), new TrainingContext { Seed = 0, Threads = threads });
        Assert.InRange(Math.Abs(MfTestData.Rmse(one, MfTestData.Test) - MfTestData.Rmse(many, MfTestData.Test)), 0, 0.003);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(7, false)]
    [InlineData(16, true)]
    public void Tiny_data_with_more_threads_than_users_trains_every_rating(int factors, bool biased)
    {
        // 20 ratings from each of 3 users: 3 user blocks for 4 threads, and some blocks with no ratings of a user.
        var all = TestData.MovieLensSmall.Ratings;
        var picked = new List<int>();
        var taken = new Dictionary<int, int>();
        for (int k = 0; k < all.Count && picked.Count < 60; k++)
        {
            int user = all.Users[k];
            if (taken.Count == 3 && !taken.ContainsKey(user)) continue;
            taken[user] = taken.GetValueOrDefault(user) + 1;
            if (taken[user] <= 20) picked.Add(k);
        }
        var sample = all.Subset(picked.ToArray());
        Assert.Equal(3, taken.Count);
        var model = new Svd(new SvdOptions { Factors = factors, Biased = biased, Epochs = 30 });
        model.Fit(new TrainingData(sample), new TrainingContext { Seed = 1, Threads = 4 });
        Assert.All(model.EpochLoss, loss => Assert.True(double.IsFinite(loss)));
        Assert.True(model.EpochLoss[^1] < model.EpochLoss[0], "the training loss falls");
        var single = new Svd(new SvdOptions { Factors = factors, Biased = biased, Epochs = 30 });
        single.Fit(new TrainingData(sample), TrainingContext.Deterministic(1));
        Assert.InRange(MfTestData.Rmse(model, sample) - MfTestData.Rmse(single, sample), -0.05, 0.05);
    }
}
