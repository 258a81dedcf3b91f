using MovieRec.Core.Algorithms;
using MovieRec.Core.Evaluation;
using Xunit.Abstractions;

namespace MovieRec.Core.Tests.Evaluation;

/// <summary>
/// The new-user protocol (5 favourites given, 20 % of users held out) for the taste models, averaged over seeds 0-2 as
/// docs/evaluation.md compares: content and kmeans must beat the most-rated list's precision@10 while giving different
/// people different lists (personalization at least 0.8). Fits three models per seed: slow.
/// </summary>
[Trait("Category", "Slow")]
public class NewUserTasteTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = [0, 1, 2];

    /// <summary>A copy of its own: the held-out people's tags are taken out of its movies for each seed.</summary>
    private static readonly Lazy<Core.Data.Dataset> Dataset = new(TestData.LoadMovieLensSmallCopy);

    private static NewUserPoint Mean(IReadOnlyList<NewUserPoint> points) => new(
        points[0].Given, points.Sum(p => p.Users),
        points.Average(p => p.Precision), points.Average(p => p.Recall), points.Average(p => p.HitRate), points.Average(p => p.Ndcg),
        points.Average(p => p.Personalization), points.Average(p => p.PopularityShare), points.Average(p => p.Coverage));

    private static NewUserPoint Measure(string algorithm)
    {
        var d = Dataset.Value;
        var points = new List<NewUserPoint>();
        foreach (int seed in Seeds)
        {
            var settings = new NewUserSettings { Seed = seed };
            var split = NewUserProtocol.Split(d.Ratings, settings);
            using var tags = TrainingUsersTags.Restrict(d, split); // a held-out person's tags say what they watched
            var model = AlgorithmCatalog.Create(algorithm);
            model.Fit(new TrainingData(split.Train, d.Catalog), TrainingContext.Deterministic(seed));
            var ties = TieBreak.ByTrainingRatings(split.Train);
            points.Add(NewUserProtocol.Evaluate(split, settings, (ratings, k) =>
                [.. NewUserRecommendations.Recommend(model, ratings, split.Train.Scale, k, ties).Select(s => s.Item)])[0]);
        }
        return Mean(points);
    }

    [Theory]
    [InlineData("content")]
    [InlineData("kmeans")]
    public void Beats_the_most_rated_list_with_personal_lists(string algorithm)
    {
        var popularity = Measure("popularity");
        var model = Measure(algorithm);
        output.WriteLine($"popularity P@10 {popularity.Precision:F3} personalization {popularity.Personalization:F3}");
        output.WriteLine($"{algorithm} P@10 {model.Precision:F3} HR@10 {model.HitRate:F3} personalization {model.Personalization:F3} top-100 share {model.PopularityShare:F3}");
        Assert.True(model.Precision >= popularity.Precision, $"{algorithm} P@10 {model.Precision:F3} < most-rated {popularity.Precision:F3}");
        Assert.True(model.Personalization >= 0.8, $"{algorithm} personalization {model.Personalization:F3}");
    }
}
