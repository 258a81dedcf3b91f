using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

public class KnnTests
{
    private static KnnOptions UserMsd(int k = 40) => new() { K = k };

    [Fact]
    public void KnnBasic_is_the_similarity_weighted_mean_of_the_k_nearest()
    {
        var data = NeighborhoodTestData.Tiny();
        var knn = new KnnBasic(UserMsd());
        knn.Fit(new TrainingData(data), TrainingContext.Deterministic());
        // u2 for i0: u0 (sim 0.2, rating 5) and u1 (sim 0.1, rating 3).
        Assert.Equal((0.2 * 5 + 0.1 * 3) / 0.3, knn.Predict(2, 0), 5);
        var nearest = new KnnBasic(UserMsd(k: 1));
        nearest.Fit(new TrainingData(data), TrainingContext.Deterministic());
        Assert.Equal(5f, nearest.Predict(2, 0), 5);
    }

    [Fact]
    public void KnnWithMeans_and_KnnBaseline_follow_Surprise_rules()
    {
        var data = NeighborhoodTestData.Tiny();
        var means = new KnnWithMeans(UserMsd());
        means.Fit(new TrainingData(data), TrainingContext.Deterministic());
        double m0 = 4, m1 = 2, m2 = 3.5;
        Assert.Equal(m2 + (0.2 * (5 - m0) + 0.1 * (3 - m1)) / 0.3, means.Predict(2, 0), 5);

        // min_k above the neighbours available: Means gives the user's mean, Basic is impossible (global mean).
        var strict = new KnnOptions { MinK = 3 };
        var meansStrict = new KnnWithMeans(strict);
        meansStrict.Fit(new TrainingData(data), TrainingContext.Deterministic());
        Assert.Equal(m2, meansStrict.Predict(2, 0), 5);
        var basicStrict = new KnnBasic(strict);
        basicStrict.Fit(new TrainingData(data), TrainingContext.Deterministic());
        Assert.True(basicStrict.WasImpossible(2, 0));
        Assert.Equal(data.GlobalMean, basicStrict.Predict(2, 0), 5);

        var baseline = new KnnBaseline(UserMsd());
        baseline.Fit(new TrainingData(data), TrainingContext.Deterministic());
        var b = baseline.Baselines!;
        double Bui(int u, int i) => b.GlobalMean + b.UserBias[u] + b.ItemBias[i];
        double expected = Bui(2, 0) + (0.2 * (5 - Bui(0, 0)) + 0.1 * (3 - Bui(1, 0))) / 0.3;
        Assert.Equal(Math.Clamp(expected, 1, 5), baseline.Predict(2, 0), 5);
    }

    [Fact]
    public void Unknown_users_and_items_fall_back_as_in_Surprise()
    {
        var all = TestData.MovieLensSmall.Ratings;
        // Leave user 0's ratings and item 0's ratings out of training; the id maps still know them.
        var keep = Enumerable.Range(0, all.Count).Where(k => all.Users[k] != 0 && all.Items[k] != 0).ToArray();
        var train = all.Subset(keep);
        var ctx = TrainingContext.Deterministic();
        var means = new KnnWithMeans();
        means.Fit(new TrainingData(train), ctx);
        Assert.True(means.WasImpossible(0, 5));
        Assert.Equal((float)train.GlobalMean, means.Predict(0, 5));
        Assert.Equal((float)train.GlobalMean, means.Predict(3, 0));

        var baseline = new KnnBaseline();
        baseline.Fit(new TrainingData(train), ctx);
        var b = baseline.Baselines!;
        Assert.Equal((float)train.Scale.Clip(b.GlobalMean + b.ItemBias[5]), baseline.Predict(0, 5), 5);
        Assert.Equal((float)train.Scale.Clip(b.GlobalMean + b.UserBias[3]), baseline.Predict(3, 0), 5);
        Assert.Equal((float)b.GlobalMean, baseline.Predict(0, 0), 5);

        var only = new BaselineOnly();
        only.Fit(new TrainingData(train), ctx);
        Assert.Equal((float)train.Scale.Clip(b.GlobalMean + b.ItemBias[5]), only.Predict(0, 5), 5);
        Assert.Equal((float)train.Scale.Clip(b.GlobalMean + b.UserBias[3]), only.Predict(3, 0), 5);
    }

    [Fact]
    public void Invalid_hyperparameters_throw_naming_the_parameter()
    {
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("knn-basic", new AlgorithmParameters(new Dictionary<string, string> { ["k"] = "0" }))).ParamName);
        Assert.Equal("min-k", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("knn-means", new AlgorithmParameters(new Dictionary<string, string> { ["min_k"] = "-1" }))).ParamName);
        Assert.Equal("sim", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("knn-baseline", new AlgorithmParameters(new Dictionary<string, string> { ["sim"] = "jaccard" }))).ParamName);
        Assert.Equal("reg-u", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("baseline", new AlgorithmParameters(new Dictionary<string, string> { ["reg_u"] = "-2" }))).ParamName);
        Assert.Equal("K", Assert.Throws<ArgumentException>(() => new KnnBasic(new KnnOptions { K = 0 })).ParamName);
        Assert.Equal("user-clusters", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("coclustering", new AlgorithmParameters(new Dictionary<string, string> { ["n_cltr_u"] = "x" }))).ParamName);
        Assert.Equal("UserClusters", Assert.Throws<ArgumentException>(() => new Core.Algorithms.Clustering.CoClustering(new() { UserClusters = 0 })).ParamName);
    }

    [Fact]
    public void ToString_shows_name_and_hyperparameters()
    {
        var model = AlgorithmCatalog.Create("knn-baseline", new AlgorithmParameters(new Dictionary<string, string> { ["sim"] = "pearson_baseline", ["user_based"] = "false" }));
        Assert.Equal("knn-baseline(k=40, min-k=1, sim=pearson-baseline, user-based=false, min-support=1, shrinkage=100)", model.ToString());
        Assert.Equal("baseline(method=als, epochs=10, reg-u=15, reg-i=10)", AlgorithmCatalog.Create("baseline").ToString());
    }

    [Theory]
    [InlineData("means", true, SimilarityMeasure.Msd, 1e-4)]
    [InlineData("baseline", true, SimilarityMeasure.PearsonBaseline, 1e-4)]
    [InlineData("baseline", false, SimilarityMeasure.PearsonBaseline, 1e-5)]
    [InlineData("zscore", false, SimilarityMeasure.Cosine, 1e-5)]
    public void A_folded_in_user_is_predicted_as_when_in_the_training_set(string kind, bool userBased, SimilarityMeasure measure, double tolerance)
    {
        var (train, _) = NeighborhoodTestData.MovieLensSmall8020;
        var options = new KnnOptions { Similarity = new() { Measure = measure, UserBased = userBased } };
        KnnAlgorithm model = kind switch
        {
            "means" => new KnnWithMeans(options),
            "zscore" => new KnnWithZScore(options),
            _ => new KnnBaseline(options),
        };
        model.Fit(new TrainingData(train), TrainingContext.Default);
        foreach (int user in new[] { 3, 41, 200 })
        {
            var row = train.ByUser;
            var ratings = new ItemRating[row.RowLength(user)];
            for (int k = 0; k < ratings.Length; k++) ratings[k] = new ItemRating(row.RowColumns(user)[k], row.RowValues(user)[k]);
            var folded = model.FoldIn(ratings);
            var scores = new float[train.ItemCount];
            model.Score(folded, scores);
            int compared = 0;
            for (int item = 0; item < train.ItemCount; item += 7)
            {
                if (row.RowColumns(user).BinarySearch(item) >= 0) continue;
                float expected = model.Predict(user, item);
                Assert.Equal(expected, model.Predict(folded, item), tolerance);
                // Scores are the same estimates, unclipped.
                Assert.Equal(expected, (float)train.Scale.Clip(scores[item]), tolerance);
                compared++;
            }
            Assert.True(compared > 1000);
        }
    }
}
