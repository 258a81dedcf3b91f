using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms;

public class FoldInCoverageTests
{
    private static RatingDataset Sample => ContractData.Train;

    [Fact]
    public void Baseline_als_fold_in_is_the_closed_form_user_step()
    {
        var model = new BaselineOnly();
        model.Fit(new TrainingData(Sample), TrainingContext.Deterministic(0));
        var b = model.Baselines;
        ItemRating[] ratings = [new(0, 5f), new(1, 3f), new(2, 4.5f)];
        double expectedBias = 0;
        foreach (var r in ratings) expectedBias += r.Rating - b.GlobalMean - b.ItemBias[r.Item];
        expectedBias /= model.Options.RegUser + ratings.Length;
        var user = model.FoldIn(ratings);
        Assert.Equal((float)Sample.Scale.Clip(b.GlobalMean + expectedBias + b.ItemBias[7]), model.Predict(user, 7), 5);
    }

    [Fact]
    public void Baseline_fold_in_of_a_known_user_matches_their_trained_bias_after_the_last_als_step()
    {
        // ALS ends with an item step, so the refolded user bias is one more user step: close, not identical.
        var model = new BaselineOnly();
        model.Fit(new TrainingData(Sample), TrainingContext.Deterministic(0));
        int u = 0;
        var folded = model.FoldIn(ContractData.RatingsOf(Sample, u));
        for (int i = 0; i < 50; i++) Assert.Equal(model.Predict(u, i), model.Predict(folded, i), 1);
    }

    [Fact]
    public void Coclustering_fold_in_of_a_known_user_reproduces_their_predictions_mostly()
    {
        var model = new CoClustering();
        model.Fit(new TrainingData(Sample), TrainingContext.Deterministic(0));
        int same = 0, users = 0;
        for (int u = 0; u < Sample.UserCount; u += 10)
        {
            if (Sample.ByUser.RowLength(u) == 0) continue;
            users++;
            var folded = model.FoldIn(ContractData.RatingsOf(Sample, u));
            bool all = true;
            for (int i = 0; i < Sample.ItemCount; i += 37) all &= Math.Abs(model.Predict(u, i) - model.Predict(folded, i)) < 1e-4;
            if (all) same++;
        }
        // The fold-in step is training's user step against the final clusters: most users keep their cluster.
        Assert.True(same >= users * 0.8, $"{same} of {users} users reproduced");
    }

    [Fact]
    public void Coclustering_fold_in_without_known_items_falls_back_to_the_global_mean()
    {
        var model = new CoClustering();
        model.Fit(new TrainingData(Sample), TrainingContext.Deterministic(0));
        var user = model.FoldIn([]);
        Assert.Equal((float)Sample.Scale.Clip(model.GlobalMean), model.Predict(user, 3));
    }
}
