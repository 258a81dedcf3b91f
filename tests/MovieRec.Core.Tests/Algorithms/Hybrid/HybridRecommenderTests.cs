using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

public class HybridRecommenderTests
{
    /// <summary>The hybrid fitted on all of ml-latest-small, once for the tests here and <see cref="HybridColdStartTests"/>.</summary>
    internal static readonly Lazy<HybridRecommender> Full = new(() =>
    {
        var hybrid = (HybridRecommender)AlgorithmCatalog.Create("hybrid");
        hybrid.Fit(TrainingData.From(TestData.MovieLensSmall), TrainingContext.Default);
        return hybrid;
    });

    private static double LeaveLatestOutNdcg(string algorithm)
    {
        var split = Splits.LeaveLatestOut(TestData.MovieLensSmall.Ratings);
        var model = AlgorithmCatalog.Create(algorithm);
        model.Fit(new TrainingData(split.Train, TestData.MovieLensSmall.Catalog), TrainingContext.Default);
        var ties = TieBreak.ByTrainingRatings(split.Train);
        double ndcg = 0;
        var scores = new float[model.ItemCount];
        int users = 0;
        for (int k = 0; k < split.Test.Count; k++)
        {
            int u = split.Test.Users[k], held = split.Test.Items[k];
            model.Score(u, scores);
            float target = scores[held];
            var rated = split.Train.ByUser.RowColumns(u);
            int rank = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (i != held && rated.BinarySearch(i) < 0 && ties.Before(scores[i], i, target, held)) rank++;
            }
            if (!float.IsNaN(target) && rank < 10) ndcg += 1 / Math.Log2(rank + 2);
            users++;
        }
        return ndcg / users;
    }

    [Fact]
    [Trait("Category", "Slow")] // accuracy: three models fitted on all of ml-latest-small
    public void Hybrid_beats_pure_collaborative_and_pure_content_on_leave_latest_out_ndcg()
    {
        double hybrid = LeaveLatestOutNdcg("hybrid");
        double collaborative = LeaveLatestOutNdcg("ease");
        double content = LeaveLatestOutNdcg("content");
        Assert.True(hybrid > collaborative, $"hybrid {hybrid:F4} vs ease {collaborative:F4}");
        Assert.True(hybrid > content, $"hybrid {hybrid:F4} vs content {content:F4}");
    }

    [Fact]
    public void Recommendations_carry_the_liked_movie_and_shared_features()
    {
        var d = TestData.MovieLensSmall;
        var hybrid = Full.Value;
        int Item(string title) => d.Ratings.ItemIds.ToDense(d.Catalog.FindByTitle(title)[0].Id);
        ItemRating[] ratings = [new(Item("The Dark Knight"), 5f), new(Item("Notting Hill"), 2f), new(Item("Mamma Mia!"), 1.5f)];
        var why = hybrid.Explain(ratings, Item("Batman Begins"));
        Assert.Equal(Item("The Dark Knight"), why.BecauseOf);
        Assert.StartsWith("because you liked The Dark Knight", why.Text);
        Assert.Contains("same director (Christopher Nolan)", why.SharedFeatures);
        // The folded-in user gets Nolan/Batman-like movies near the top, never what they rated.
        var scores = new float[hybrid.ItemCount];
        hybrid.Score(hybrid.FoldIn(ratings), scores);
        var top = TopN.Select(scores, 20, TieBreak.ByTrainingRatings(d.Ratings), ratings.Select(r => r.Item).Order().ToArray());
        Assert.DoesNotContain(top, t => ratings.Any(r => r.Item == t.Item));
        Assert.Contains(top, t => t.Item == Item("Batman Begins") || t.Item == Item("The Dark Knight Rises"));
    }

    [Fact]
    public void Content_models_refuse_training_data_without_a_catalogue()
    {
        foreach (var name in new[] { "content", "hybrid", "kmeans" })
        {
            var e = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create(name).Fit(new TrainingData(ContractData.Train), TrainingContext.Deterministic(0)));
            Assert.Contains($"{name} needs the movie catalogue", e.Message, StringComparison.Ordinal);
            Assert.True(AlgorithmCatalog.Get(name).NeedsCatalog);
        }
    }
}

public class HybridColdStartTests
{
    [Fact]
    public void A_user_with_no_ratings_gets_the_popular_movies()
    {
        var d = TestData.MovieLensSmall;
        var hybrid = HybridRecommenderTests.Full.Value;
        var scores = new float[hybrid.ItemCount];
        hybrid.Score(hybrid.FoldIn([]), scores);
        var top = TopN.Select(scores, 10, TieBreak.ByTrainingRatings(d.Ratings));
        var mostRated = Enumerable.Range(0, d.Ratings.ItemCount).OrderByDescending(d.Ratings.ByItem.RowLength).Take(30).ToHashSet();
        Assert.Equal(10, top.Length);
        Assert.All(top, t => Assert.Contains(t.Item, mostRated));
    }
}
