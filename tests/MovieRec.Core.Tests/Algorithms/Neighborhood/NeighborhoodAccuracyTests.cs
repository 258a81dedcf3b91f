using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

/// <summary>RMSE of the family on a seeded 80/20 split of ml-latest-small, against Surprise's 5-fold figures.</summary>
public class NeighborhoodAccuracyTests
{
    [Theory]
    [InlineData("knn-basic", "", 0.9479)]
    [InlineData("knn-means", "", 0.8973)]
    [InlineData("knn-zscore", "", 0.8971)]
    [InlineData("knn-baseline", "", 0.8748)]
    [InlineData("knn-baseline", "sim=pearson_baseline,user_based=false", 0.8525)]
    [InlineData("knn-means", "sim=cosine,user_based=false,k=20", 0.90)]
    [InlineData("baseline", "", 0.8727)]
    [InlineData("baseline-sgd", "", 0.8727)]
    [InlineData("slope-one", "surprise_int_ratings=true", 0.9015)]
    [InlineData("coclustering", "surprise_int_ratings=true", 0.9455)]
    public void Rmse_on_a_seeded_80_20_split_is_near_Surprise_5_fold(string name, string parameters, double surprise)
    {
        var (train, test) = NeighborhoodTestData.MovieLensSmall8020;
        var p = new AlgorithmParameters(parameters.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=')).ToDictionary(s => s[0], s => s[1]));
        var model = (IRatingPredictor)AlgorithmCatalog.Create(name, p);
        model.Fit(new TrainingData(train), new TrainingContext { Seed = 0 });
        double rmse = NeighborhoodTestData.Rmse(model, test);
        // One 80/20 split differs from a 5-fold mean by a little; 0.02 also catches a broken rule.
        Assert.InRange(rmse, surprise - 0.02, surprise + 0.02);
    }

    [Theory]
    [InlineData("slope-one", 0.9015)]
    [InlineData("coclustering", 0.9455)]
    public void With_true_half_star_ratings_SlopeOne_and_CoClustering_beat_Surprise(string name, double surprise)
    {
        var (train, test) = NeighborhoodTestData.MovieLensSmall8020;
        var exact = (IRatingPredictor)AlgorithmCatalog.Create(name);
        var truncated = (IRatingPredictor)AlgorithmCatalog.Create(name, new AlgorithmParameters(new Dictionary<string, string> { ["surprise_int_ratings"] = "true" }));
        exact.Fit(new TrainingData(train), new TrainingContext { Seed = 0 });
        truncated.Fit(new TrainingData(train), new TrainingContext { Seed = 0 });
        double rmse = NeighborhoodTestData.Rmse(exact, test);
        Assert.True(rmse < NeighborhoodTestData.Rmse(truncated, test), $"{name}: {rmse}");
        Assert.InRange(rmse, surprise - 0.05, surprise);
    }

}
