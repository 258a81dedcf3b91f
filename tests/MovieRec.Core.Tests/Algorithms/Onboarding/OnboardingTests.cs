using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Onboarding;

namespace MovieRec.Core.Tests.Algorithms.Onboarding;

public class OnboardingTests
{
    [Fact]
    public void The_set_is_well_known_and_covers_the_clusters()
    {
        var d = TestData.MovieLensSmall;
        var clusters = MovieClusters.Build(d, new KMeansOptions { Seed = 0 });
        var set = OnboardingSet.Select(d, clusters, 15);
        Assert.Equal(15, set.Count);
        Assert.Equal(15, set.Select(m => m.Movie.Id).Distinct().Count());
        Assert.True(set.Select(m => m.Cluster).Distinct().Count() >= 6, "covers most clusters");
        Assert.All(set, m => Assert.True(d.Ratings.ByItem.RowLength(m.Item) >= 40, $"{m.Movie.Title} is well known"));
    }

    [Fact]
    public void Simulated_new_users_do_better_than_with_a_random_set()
    {
        var d = TestData.MovieLensSmall;
        var (train, newUsers) = OnboardingEvaluation.HoldOutUsers(d.Ratings, 0.2, seed: 1);
        var model = AlgorithmCatalog.Create("ease");
        model.Fit(new TrainingData(train), TrainingContext.Default);
        var clusters = MovieClusters.Build(d, new KMeansOptions { Seed = 0 });
        var ours = OnboardingSet.Select(d, clusters, 15).Select(m => m.Item).ToList();
        var rng = new Random(2);
        var rated = Enumerable.Range(0, d.Ratings.ItemCount).Where(i => train.ByItem.RowLength(i) > 0).ToArray();
        var random = rated.OrderBy(_ => rng.Next()).Take(15).ToList();
        var results = OnboardingEvaluation.Compare([("ours", ours), ("random", random)], model, d.Ratings, newUsers, d.Ratings.ItemCount);
        var (ourResult, randomResult) = (results[0], results[1]);
        Assert.Equal(newUsers.Length, ourResult.Users);
        Assert.True(ourResult.MeanAnswers > randomResult.MeanAnswers, "people know the movies asked");
        Assert.True(ourResult.Precision > randomResult.Precision, $"ours {ourResult.Precision} vs random {randomResult.Precision}");
    }
}
