using System.Collections.Concurrent;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Algorithms;

/// <summary>
/// The shared sample every contract test trains on: 200 users of ml-latest-small drawn with a fixed seed, all their
/// ratings (about a third of the dataset), so every algorithm trains in well under a second or two.
/// </summary>
public static class ContractData
{
    public const int SampleUsers = 200;

    private static readonly Lazy<RatingDataset> LazySample = new(() =>
    {
        var all = TestData.MovieLensSmall.Ratings;
        var users = Enumerable.Range(0, all.UserCount).ToArray();
        new Random(20261123).Shuffle(users);
        var chosen = new bool[all.UserCount];
        foreach (int u in users.AsSpan(0, SampleUsers)) chosen[u] = true;
        var indices = new List<int>();
        for (int k = 0; k < all.Count; k++)
        {
            if (chosen[all.Users[k]]) indices.Add(k);
        }
        return all.Subset(indices.ToArray());
    });

    private static readonly Lazy<TrainTestSplit> LazyHoldout = new(() => Splits.Random(Sample, 0.2, seed: 0));
    private static readonly Lazy<TrainTestSplit> LazyLatest = new(() => Splits.LeaveLatestOut(Sample));

    /// <summary>All ratings of the sampled users (ids shared with the full dataset).</summary>
    public static RatingDataset Sample => LazySample.Value;

    /// <summary>80/20 random holdout of <see cref="Sample"/> (seed 0) for rating metrics.</summary>
    public static TrainTestSplit Holdout => LazyHoldout.Value;

    /// <summary>Leave-latest-out of <see cref="Sample"/> for ranking metrics.</summary>
    public static TrainTestSplit Latest => LazyLatest.Value;

    public static RatingDataset Train => Holdout.Train;
}

/// <summary>
/// LensKit-style contract every registry algorithm satisfies (one derived class per algorithm and setting): accuracy
/// bands on a fixed sample of ml-latest-small, clipping, fallbacks, fold-in, a descriptive ToString and deterministic
/// single-threaded training. Bands were measured once from this very setup and are held to ±0.01 (RMSE) and ±0.01
/// (NDCG@10), so a regression in any algorithm shows here. Rating metrics apply only to rating predictors: for top-N
/// models (<see cref="AlgorithmInfo.PredictsRatings"/> false) the RMSE fact checks that the model indeed offers no
/// rating predictions and that no band was given.
/// </summary>
public abstract class RecommenderContract
{
    private const double Tolerance = 0.01;

    /// <summary>RMSE band half-width (wider only for random predictions, whose draws depend on what was asked before).</summary>
    protected virtual double RmseTolerance => Tolerance;
    private static readonly ConcurrentDictionary<string, Lazy<IRecommenderModel>> Trained = new();

    /// <summary>Registry name, e.g. "svd".</summary>
    protected abstract string Algorithm { get; }

    /// <summary>Parameters as the CLI gives them ("sim=pearson_baseline").</summary>
    protected virtual string[] Parameters => [];

    /// <summary>Expected holdout RMSE (center of a ±0.01 band); null for top-N models.</summary>
    protected abstract double? ExpectedRmse { get; }

    /// <summary>Expected leave-latest-out full-catalogue NDCG@10 (center of a ±0.01 band).</summary>
    protected abstract double ExpectedNdcg { get; }

    private AlgorithmInfo Info => AlgorithmRegistry.Get(Algorithm);

    private AlgorithmParameters Params => new(Parameters.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));

    private string Key => Algorithm + "|" + string.Join(",", Parameters);

    private IRecommenderModel Create() => Info.Create(Params);

    private static void Fit(IRecommenderModel model, RatingDataset train, TrainingContext context)
    {
        switch (model)
        {
            case IRatingPredictor p: p.Fit(train, context); break;
            case MovieRec.Core.Algorithms.Ranking.IRankingModel r: r.Fit(train, context); break;
            default: throw new InvalidOperationException($"{model.Name} can be neither fitted as a rating predictor nor as a ranker.");
        }
    }

    private IRecommenderModel TrainedOn(string split, RatingDataset train) =>
        Trained.GetOrAdd(Key + "|" + split, _ => new Lazy<IRecommenderModel>(() =>
        {
            var model = Create();
            Fit(model, train, TrainingContext.Deterministic(0));
            return model;
        })).Value;

    private IRecommenderModel HoldoutModel => TrainedOn("holdout", ContractData.Train);

    private IRecommenderModel LatestModel => TrainedOn("latest", ContractData.Latest.Train);

    /// <summary>Holdout RMSE of the model (for measuring the band).</summary>
    public double MeasureRmse()
    {
        var model = (IRatingPredictor)HoldoutModel;
        var test = ContractData.Holdout.Test;
        var predicted = new float[test.Count];
        for (int k = 0; k < test.Count; k++) predicted[k] = model.Predict(test.Users[k], test.Items[k]);
        return RatingMetrics.Rmse(test.Values, predicted);
    }

    /// <summary>Leave-latest-out NDCG@10 over the full catalogue.</summary>
    public double MeasureNdcg()
    {
        var split = ContractData.Latest;
        var ranked = RankingMetrics.Rank((IItemScorer)LatestModel, split.Train, split.Test, new RankingOptions(), TrainingContext.Deterministic(0));
        return RankingMetrics.Compute(Metric.Parse("ndcg@10"), ranked, split.Train.ItemCount, split.Train);
    }

    [Fact]
    public void Rmse_is_in_its_band()
    {
        if (!Info.PredictsRatings)
        {
            Assert.Null(ExpectedRmse);
            Assert.False(HoldoutModel is IRatingPredictor, $"{Algorithm} predicts ratings but the registry says it does not");
            return;
        }
        Assert.NotNull(ExpectedRmse);
        double rmse = MeasureRmse();
        Assert.InRange(rmse, ExpectedRmse.Value - RmseTolerance, ExpectedRmse.Value + RmseTolerance);
    }

    [Fact]
    public void Ndcg_at_10_is_in_its_band()
    {
        double ndcg = MeasureNdcg();
        Assert.InRange(ndcg, ExpectedNdcg - Tolerance, ExpectedNdcg + Tolerance);
    }

    [Fact]
    public void Predictions_are_on_the_rating_scale()
    {
        // Predict is clipped; Score may leave factor models' dot products unclipped (they only order items).
        var train = ContractData.Train;
        var scale = train.Scale;
        if (HoldoutModel is IRatingPredictor p)
        {
            for (int u = 0; u < train.UserCount; u += 7)
            {
                for (int i = 0; i < train.ItemCount; i += 3)
                    Assert.InRange(p.Predict(u, i), scale.Min, scale.Max);
            }
            return;
        }
        Assert.False(Info.PredictsRatings);
        var scorer = (IItemScorer)HoldoutModel;
        var scores = new float[scorer.ItemCount];
        for (int u = 0; u < train.UserCount; u += 25)
        {
            if (train.ByUser.RowLength(u) == 0) continue;
            scorer.Score(u, scores);
            foreach (float s in scores) Assert.False(float.IsInfinity(s), $"{Algorithm} gave an infinite score");
        }
    }

    [Fact]
    public void Unknown_users_and_items_fall_back_without_exception()
    {
        var train = ContractData.Train;
        var model = HoldoutModel;
        if (model is IRatingPredictor p)
        {
            var scale = train.Scale;
            var mu = (float)scale.Clip(train.GlobalMean);
            // Both unknown: every algorithm but the random one falls back to the global mean.
            if (model is not Core.Algorithms.Baselines.NormalPredictor) Assert.Equal(mu, p.Predict(train.UserCount + 10, train.ItemCount + 10));
            Assert.InRange(p.Predict(train.UserCount + 10, train.ItemCount + 10), scale.Min, scale.Max);
            Assert.InRange(p.Predict(train.UserCount + 10, 0), scale.Min, scale.Max);
            Assert.InRange(p.Predict(0, train.ItemCount + 10), scale.Min, scale.Max);
        }
        // A user with no ratings at all: every model still scores the catalogue.
        var fold = (IFoldIn)model;
        var nobody = fold.FoldIn([]);
        var scores = new float[train.ItemCount];
        fold.Score(nobody, scores);
        foreach (float s in scores) Assert.False(float.IsInfinity(s));
    }

    [Fact]
    public void Fold_in_from_training_ratings_gives_finite_scores_for_all_items()
    {
        var train = ContractData.Train;
        var model = (IFoldIn)HoldoutModel;
        var scores = new float[train.ItemCount];
        for (int u = 0; u < train.UserCount; u += 60)
        {
            var user = model.FoldIn(KnownUserFoldIn.Merge(train, u, []));
            model.Score(user, scores);
            int finite = 0;
            foreach (float s in scores) finite += float.IsFinite(s) ? 1 : 0;
            if (Info.PredictsRatings) Assert.Equal(scores.Length, finite);
            else Assert.True(finite >= MinimumFiniteShare * scores.Length, $"{Algorithm} scored only {finite} of {scores.Length} items for user {u}");
        }
    }

    /// <summary>Share of items a top-N model must score for a folded-in user (NaN marks items it cannot score).</summary>
    protected virtual double MinimumFiniteShare => 1.0;

    [Fact]
    public void ToString_names_the_algorithm_and_its_hyperparameters()
    {
        string text = HoldoutModel.ToString()!;
        Assert.Contains(HoldoutModel.Name, text, StringComparison.Ordinal);
        Assert.Equal(Algorithm, HoldoutModel.Name, ignoreCase: true);
        if (HasHyperparameters) Assert.Contains("=", text, StringComparison.Ordinal);
        foreach (var p in Parameters) Assert.Contains(p.Split('=', 2)[1], text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>False for models without hyperparameters (normal, slope-one).</summary>
    protected virtual bool HasHyperparameters => true;

    [Fact]
    public void Single_threaded_training_is_deterministic()
    {
        var again = Create();
        Fit(again, ContractData.Train, TrainingContext.Deterministic(0));
        var first = (IItemScorer)HoldoutModel;
        var second = (IItemScorer)again;
        var a = new float[first.ItemCount];
        var b = new float[second.ItemCount];
        for (int u = 0; u < ContractData.Train.UserCount; u += 50)
        {
            if (ContractData.Train.ByUser.RowLength(u) == 0) continue;
            if (Algorithm == "normal") return; // random draws by design; its generator's seeding is tested in its own tests
            first.Score(u, a);
            second.Score(u, b);
            Assert.Equal(a, b);
        }
    }
}
