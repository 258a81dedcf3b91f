using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public class CrossValidationTests
{
    private static RatingDataset Small => TestData.MovieLensSmall.Ratings;

    [Fact]
    public void Kfold_rmse_of_the_global_mean_matches_a_direct_computation_per_fold()
    {
        var settings = new EvaluationSettings { Folds = 5, Seed = 0, Metrics = [Metric.Rmse, Metric.Mae] };
        var result = CrossValidation.Run("test-global-mean", () => new GlobalMeanPredictor(), Splits.KFold(Small, 5, 0), settings, catalog: null);
        var splits = Splits.KFold(Small, 5, 0);
        Assert.Equal(5, result.Folds.Count);
        for (int f = 0; f < 5; f++)
        {
            double mu = splits[f].Train.Values.Average(v => (double)v);
            double rmse = Math.Sqrt(splits[f].Test.Values.Average(v => (v - mu) * (v - mu)));
            Assert.Equal(rmse, result.Folds[f].Metrics["rmse"], 5);
            Assert.Equal(splits[f].Test.Count, result.Folds[f].TestRatings);
            Assert.True(result.Folds[f].FitSeconds >= 0 && result.Folds[f].TestSeconds >= 0);
        }
        // The global mean of ml-latest-small misses by about one star.
        Assert.InRange(result.Mean["rmse"], 1.0, 1.1);
        var (mean, std) = CrossValidation.MeanStd(result.Folds.Select(f => f.Metrics["mae"]));
        Assert.Equal(mean, result.Mean["mae"], 12);
        Assert.Equal(std, result.Std["mae"], 12);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_budget()
    {
        var metrics = Metric.ParseList("rmse,mae,fcp,hr@10,ndcg@10,recall@10");
        var splits = Splits.KFold(Small, 3, 1);
        var one = CrossValidation.Run("m", () => new ItemMeanPredictor(5), splits, new EvaluationSettings { Threads = 1, Metrics = metrics }, catalog: null);
        var two = CrossValidation.Run("m", () => new ItemMeanPredictor(5), splits, new EvaluationSettings { Threads = 2, Metrics = metrics }, catalog: null);
        foreach (var m in metrics)
            Assert.Equal(one.Mean[m.Name], two.Mean[m.Name]);
        // Shrunk item means beat the global mean and rank better than chance.
        Assert.InRange(one.Mean["rmse"], 0.85, 1.0);
        Assert.InRange(one.Mean["fcp"], 0.55, 1.0);
    }

    [Fact]
    public void Leave_latest_out_popularity_reproduces_the_reference_figures()
    {
        // ../shared/reference: most popular by training rating count, full catalogue, HR@10 0.0426, NDCG@10 0.0194.
        var settings = new EvaluationSettings { Protocol = EvaluationProtocol.LeaveLatestOut, Metrics = Metric.ParseList("rmse,hr@10,ndcg@10,coverage@10") };
        var result = CrossValidation.Run(PopularityScorer.Info, AlgorithmParameters.Empty, Small, settings);
        var fold = Assert.Single(result.Folds);
        Assert.Equal(610, fold.TestRatings);
        Assert.Equal(0.0426, Math.Round(result.Mean["hr@10"], 4));
        Assert.Equal(0.0194, Math.Round(result.Mean["ndcg@10"], 4));
        // A top-N-only model has no RMSE; its lists come from the popular head, under 5% of the catalogue.
        Assert.True(double.IsNaN(result.Mean["rmse"]));
        Assert.InRange(result.Mean["coverage@10"], 10.0 / Small.ItemCount, 0.05);
    }

    [Fact]
    public void Sampled_protocol_for_popularity_is_near_the_reference()
    {
        // Reference 0.6115 with numpy's generator; ours draws other negatives, so allow three standard errors (~0.06).
        var settings = new EvaluationSettings { Protocol = EvaluationProtocol.Sampled, Metrics = Metric.ParseList("hr@10,ndcg@10") };
        var result = CrossValidation.Run(PopularityScorer.Info, AlgorithmParameters.Empty, Small, settings);
        Assert.InRange(result.Mean["hr@10"], 0.55, 0.67);
        Assert.InRange(result.Mean["ndcg@10"], 0.29, 0.41);
    }

    [Fact]
    public void Full_catalogue_hit_rate_matches_a_brute_force_ranking()
    {
        var split = Splits.LeaveLatestOut(Small);
        var settings = new EvaluationSettings { Protocol = EvaluationProtocol.LeaveLatestOut, Metrics = Metric.ParseList("rmse,hr@10,mrr@100") };
        var model = new ItemMeanPredictor(10);
        var fold = CrossValidation.EvaluateFold(model, split, settings, TrainingContext.Deterministic());
        var trainItems = Enumerable.Range(0, split.Train.Count).ToLookup(k => split.Train.Users[k], k => split.Train.Items[k]);
        int hits = 0;
        double rr = 0, squared = 0;
        for (int k = 0; k < split.Test.Count; k++)
        {
            int u = split.Test.Users[k], target = split.Test.Items[k];
            var rated = trainItems[u].ToHashSet();
            float s = model.Predict(u, target);
            int rank = Enumerable.Range(0, Small.ItemCount).Count(i => !rated.Contains(i) && model.Predict(u, i) > s);
            if (rank < 10) hits++;
            if (rank < 100) rr += 1.0 / (rank + 1);
            squared += (split.Test.Values[k] - s) * (split.Test.Values[k] - s);
        }
        Assert.Equal((double)hits / split.Test.Count, fold.Metrics["hr@10"], 12);
        Assert.Equal(rr / split.Test.Count, fold.Metrics["mrr@100"], 12);
        Assert.Equal(Math.Sqrt(squared / split.Test.Count), fold.Metrics["rmse"], 5);
    }

    [Fact]
    public void Grid_search_picks_the_lowest_rmse_and_ranks_the_table()
    {
        var splits = Splits.KFold(Small, 3, 0);
        var grid = new[] { GridSearch.ParseEntry("shrinkage=0,5,25") };
        var result = GridSearch.Run(ItemMeanPredictor.Info, grid, splits, new EvaluationSettings { Metrics = [Metric.Mae] }, Metric.Rmse);
        Assert.Equal(3, result.Candidates.Count);
        var rmse = result.Candidates.Select(c => c.Result.Mean["rmse"]).ToArray();
        Assert.Equal(rmse.Order(), rmse);
        // Unshrunk means overfit items with one rating: some shrinkage wins.
        Assert.NotEqual("0", result.Best.Parameters.Values["shrinkage"]);
        Assert.Equal(5, result.Candidates.Select(c => c.Parameters.Values["shrinkage"]).Select(int.Parse).Order().ElementAt(1));
    }

    [Fact]
    public void Grid_expands_to_the_cartesian_product_and_randomized_search_samples_it()
    {
        var grid = new[] { GridSearch.ParseEntry("a=1,2,3"), GridSearch.ParseEntry("b=x,y") };
        var all = GridSearch.Expand(grid, AlgorithmParameters.Empty.With("c", "fixed"));
        Assert.Equal(6, all.Count);
        Assert.Equal(6, all.Select(p => p.ToString()).Distinct().Count());
        Assert.All(all, p => Assert.Equal("fixed", p.Values["c"]));
        var splits = Splits.KFold(Small, 2, 0);
        var random = GridSearch.RunRandomized(ItemMeanPredictor.Info, [GridSearch.ParseEntry("shrinkage=0,1,2,3,4,5")], 2, 0, splits,
            new EvaluationSettings(), Metric.Rmse);
        Assert.Equal(2, random.Candidates.Count);
        Assert.Throws<ArgumentException>(() => GridSearch.ParseEntry("shrinkage"));
    }

    [Fact]
    public void Names_resolve_through_the_given_algorithms_with_all_and_aliases()
    {
        var best = new AlgorithmEntry("best", AlgorithmKind.RatingPredictor, "Item mean as best (test double).", [], _ => new ItemMeanPredictor(),
            AlgorithmPersistence.NotSaved("a test double"), aliases: ["top"]);
        AlgorithmEntry[] known = [ItemMeanPredictor.Info, PopularityScorer.Info, best];
        Assert.Equal(known, AlgorithmCatalog.Resolve("all", known));
        Assert.Equal([best, PopularityScorer.Info], AlgorithmCatalog.Resolve("best, test-popularity,TOP", known));
        var e = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Resolve("svd", known));
        Assert.Contains("'svd'", e.Message, StringComparison.Ordinal);
        Assert.Contains("test-item-mean, test-popularity, best (top)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Resolve(" , ", known));
    }
}
