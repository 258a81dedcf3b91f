using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

public class BaselineTests
{
    // Tiny: u0: i0=5, i1=3, i2=4; u1: i0=3, i1=1, i3=2; u2: i2=2, i3=5.
    private static readonly (int U, int I, double R)[] Ratings = [(0, 0, 5), (0, 1, 3), (0, 2, 4), (1, 0, 3), (1, 1, 1), (1, 3, 2), (2, 2, 2), (2, 3, 5)];

    [Fact]
    public void One_ALS_epoch_is_the_item_step_then_the_user_step()
    {
        var data = NeighborhoodTestData.Tiny();
        var b = BaselineEstimates.Compute(data, BaselineOptions.Als with { Epochs = 1 });
        double mu = 25.0 / 8;
        Assert.Equal(mu, b.GlobalMean, 12);
        var bi = new double[4];
        for (int i = 0; i < 4; i++)
        {
            var mine = Ratings.Where(t => t.I == i).ToArray();
            bi[i] = mine.Sum(t => t.R - mu) / (10 + mine.Length);
            Assert.Equal(bi[i], b.ItemBias[i], 12);
        }
        for (int u = 0; u < 3; u++)
        {
            var mine = Ratings.Where(t => t.U == u).ToArray();
            Assert.Equal(mine.Sum(t => t.R - mu - bi[t.I]) / (15 + mine.Length), b.UserBias[u], 12);
        }
    }

    [Fact]
    public void One_SGD_epoch_updates_both_biases_rating_by_rating_in_user_order()
    {
        var data = NeighborhoodTestData.Tiny();
        var b = BaselineEstimates.Compute(data, BaselineOptions.Sgd with { Epochs = 1 });
        double mu = 25.0 / 8, lr = 0.005, reg = 0.02;
        var bu = new double[3];
        var bi = new double[4];
        foreach (var (u, i, r) in Ratings)
        {
            double err = r - (mu + bu[u] + bi[i]);
            bu[u] += lr * (err - reg * bu[u]);
            bi[i] += lr * (err - reg * bi[i]);
        }
        for (int u = 0; u < 3; u++) Assert.Equal(bu[u], b.UserBias[u], 12);
        for (int i = 0; i < 4; i++) Assert.Equal(bi[i], b.ItemBias[i], 12);
    }

    [Fact]
    public void BaselineOnly_predicts_mu_plus_biases_clipped()
    {
        var data = NeighborhoodTestData.Tiny();
        var model = new BaselineOnly();
        model.Fit(new TrainingData(data), TrainingContext.Deterministic());
        var b = model.Baselines;
        Assert.Equal((float)(b.GlobalMean + b.UserBias[2] + b.ItemBias[0]), model.Predict(2, 0), 5);
        Assert.Equal("baseline-sgd(method=sgd, epochs=20, reg=0.02, learning-rate=0.005)", new BaselineOnly(BaselineOptions.Sgd).ToString());
        Assert.Equal("Epochs", Assert.Throws<ArgumentException>(() => new BaselineOnly(BaselineOptions.Als with { Epochs = 0 })).ParamName);
    }
}
