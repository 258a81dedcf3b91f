using System.Collections.Concurrent;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Algorithms;

/// <summary>
/// The shared sample every contract test trains on: 200 users of ml-latest-small drawn with a fixed seed, all their
/// ratings (about a third of the dataset), with the dataset's movie catalogue for the content models.
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
    private static readonly Lazy<double> LazyRandomNdcg = new(() => ExpectedRandomNdcg(Latest));
    private static readonly Lazy<double> LazyPopularityNdcg = new(() =>
    {
        var popularity = new PopularityRanker();
        popularity.Fit(Training(Latest.Train), TrainingContext.Deterministic(0));
        return Ndcg10(popularity, Latest);
    });

    /// <summary>All ratings of the sampled users (ids shared with the full dataset).</summary>
    public static RatingDataset Sample => LazySample.Value;

    /// <summary>80/20 random holdout of <see cref="Sample"/> (seed 0) for rating metrics.</summary>
    public static TrainTestSplit Holdout => LazyHoldout.Value;

    /// <summary>Leave-latest-out of <see cref="Sample"/> for ranking metrics.</summary>
    public static TrainTestSplit Latest => LazyLatest.Value;

    public static RatingDataset Train => Holdout.Train;

    /// <summary><paramref name="ratings"/> with ml-latest-small's movie catalogue.</summary>
    public static TrainingData Training(RatingDataset ratings) => new(ratings, TestData.MovieLensSmall.Catalog);

    /// <summary>A user's training ratings as fold-in input (by item).</summary>
    public static ItemRating[] RatingsOf(RatingDataset data, int user)
    {
        ArgumentNullException.ThrowIfNull(data);
        var items = data.ByUser.RowColumns(user);
        var values = data.ByUser.RowValues(user);
        var result = new ItemRating[items.Length];
        for (int k = 0; k < items.Length; k++) result[k] = new ItemRating(items[k], values[k]);
        return result;
    }

    /// <summary>Leave-latest-out full-catalogue NDCG@10 of a model fitted on <paramref name="split"/>'s training part.</summary>
    public static double Ndcg10(IRecommender model, TrainTestSplit split, RankingProtocol protocol = RankingProtocol.FullCatalogue)
    {
        ArgumentNullException.ThrowIfNull(split);
        var ranked = RankingMetrics.Rank(model, split.Train, split.Test, new RankingOptions { Protocol = protocol }, TrainingContext.Deterministic(0));
        return RankingMetrics.Compute(Metric.Parse("ndcg@10"), ranked, split.Train.ItemCount, split.Train);
    }

    /// <summary>
    /// The expected leave-latest-out NDCG@10 of a uniformly random ranking: a user's held-out movie is equally likely at
    /// every one of their C candidate positions, so E = Σ_{r&lt;min(10, C)} 1 / (C log2(r + 2)), averaged over users.
    /// </summary>
    public static double RandomNdcg => LazyRandomNdcg.Value;

    /// <summary>The most-popular ranking's NDCG@10 on <see cref="Latest"/>.</summary>
    public static double PopularityNdcg => LazyPopularityNdcg.Value;

    private static double ExpectedRandomNdcg(TrainTestSplit split)
    {
        var train = split.Train.ByUser;
        var test = split.Test.ByUser;
        double sum = 0;
        int users = 0;
        for (int u = 0; u < test.Rows; u++)
        {
            if (test.RowLength(u) == 0 || train.RowLength(u) == 0) continue;
            int candidates = split.Train.ItemCount - train.RowLength(u);
            double expected = 0;
            for (int r = 0; r < Math.Min(10, candidates); r++) expected += 1 / Math.Log2(r + 2);
            sum += expected / candidates;
            users++;
        }
        return sum / users;
    }
}

/// <summary>
/// The LensKit-style contract every catalogue entry satisfies (one derived class per entry, some with a second
/// setting): it fits on real data (a 200-user sample of ml-latest-small), scores known users, folds in new ones,
/// trains deterministically on one thread, matches its catalogue entry, and meets accuracy bands that can fail:
/// rating predictors an RMSE ceiling on a random holdout, and every model a leave-latest-out NDCG@10 (full
/// catalogue) floor that is above a random ranking's expected NDCG@10 and, where the model truly does better, above
/// most-popular's. A model that truly ranks the next movie no better than chance (the Surprise-style rating kNN, for
/// instance) says so (<see cref="NdcgFloor"/> null) and is held to a ceiling near random instead, which a metric or a
/// ranking that rewarded tied scores would break (the random predictor scored 0.09 that way). Ranking uses the
/// unclipped estimates and the ties rule of <see cref="TopN"/>. Floors sit about a fifth below, ceilings a
/// few hits above, the figures measured on this very setup.
/// </summary>
public abstract class RecommenderContract
{
    private static readonly ConcurrentDictionary<string, Lazy<IRecommender>> Trained = new();

    /// <summary>Catalogue name (or alias), e.g. "svd".</summary>
    public abstract string Algorithm { get; }

    /// <summary>Options as the CLI gives them ("sim=pearson-baseline").</summary>
    protected virtual string[] Parameters => [];

    /// <summary>Holdout RMSE must stay below this (rating predictors; null for rankers).</summary>
    protected abstract double? RmseCeiling { get; }

    /// <summary>
    /// Leave-latest-out NDCG@10 must reach this; it must itself be above a random ranking's expected NDCG@10. Null for a
    /// model that ranks the next movie no better than chance: then <see cref="NdcgCeiling"/> holds it near random.
    /// </summary>
    protected abstract double? NdcgFloor { get; }

    /// <summary>For a model without a floor: its NDCG@10 stays at most this (a few hits in 200 users).</summary>
    protected virtual double? NdcgCeiling => null;

    /// <summary>
    /// Whether the model ranks the next movie better than most-popular does. False for the rating predictors, whose
    /// estimates of how much a user would like a movie do not predict which movie they watch next (documented per class).
    /// </summary>
    protected abstract bool BeatsPopularity { get; }

    /// <summary>Share of items a model must score (not NaN) for a user; NaN marks items it cannot score.</summary>
    protected virtual double MinimumFiniteShare => 1.0;

    /// <summary>Whether every user gets the very same scores (the non-personalised popularity rankings).</summary>
    protected virtual bool SameScoresForEveryone => false;

    /// <summary>Whether some estimates on this sample leave the rating scale (they do for most rating models).</summary>
    protected virtual bool EstimatesLeaveTheScale => true;

    /// <summary>Whether predictions are random draws (a new draw for every call).</summary>
    protected virtual bool RandomPredictions => false;

    private AlgorithmEntry Entry => AlgorithmCatalog.Get(Algorithm);

    private AlgorithmParameters Params => AlgorithmParameters.Parse(Parameters);

    private string Key => Algorithm + "|" + string.Join(",", Parameters);

    private IRecommender Create() => Entry.Create(Params);

    private IRecommender TrainedOn(string split, RatingDataset train) =>
        Trained.GetOrAdd(Key + "|" + split, _ => new Lazy<IRecommender>(() =>
        {
            var model = Create();
            model.Fit(ContractData.Training(train), TrainingContext.Deterministic(0));
            return model;
        })).Value;

    private IRecommender HoldoutModel => TrainedOn("holdout", ContractData.Train);

    private IRecommender LatestModel => TrainedOn("latest", ContractData.Latest.Train);

    /// <summary>Holdout RMSE of the model (for measuring the ceiling).</summary>
    public double MeasureRmse()
    {
        var model = (IRatingPredictor)HoldoutModel;
        var test = ContractData.Holdout.Test;
        var predicted = new float[test.Count];
        for (int k = 0; k < test.Count; k++) predicted[k] = model.Predict(test.Users[k], test.Items[k]);
        return RatingMetrics.Rmse(test.Values, predicted);
    }

    /// <summary>Leave-latest-out NDCG@10 over the full catalogue.</summary>
    public double MeasureNdcg() => ContractData.Ndcg10(LatestModel, ContractData.Latest);

    /// <summary>Leave-latest-out NDCG@10 among 100 sampled never-rated movies (the NCF protocol).</summary>
    public double MeasureSampledNdcg() => ContractData.Ndcg10(LatestModel, ContractData.Latest, RankingProtocol.Sampled);

    [Fact]
    public void Model_matches_its_catalogue_entry()
    {
        var model = HoldoutModel;
        Assert.True(Entry.IsCalled(model.Name), $"{Algorithm} builds a model named {model.Name}");
        Assert.Equal(Entry.PredictsRatings, model is IRatingPredictor);
        Assert.Equal(ContractData.Train.ItemCount, model.ItemCount);
        string text = model.ToString()!;
        Assert.Contains(Entry.Name, text, StringComparison.Ordinal);
        if (Entry.Options.Count > 0) Assert.Contains("=", text, StringComparison.Ordinal);
        foreach (var p in Parameters) Assert.Contains(p.Split('=', 2)[1], text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rmse_is_under_its_ceiling()
    {
        if (!Entry.PredictsRatings)
        {
            Assert.Null(RmseCeiling);
            return;
        }
        Assert.NotNull(RmseCeiling);
        double rmse = MeasureRmse();
        Assert.True(rmse <= RmseCeiling.Value, $"{Algorithm}: holdout RMSE {rmse:F4} > {RmseCeiling:F4}");
    }

    [Fact]
    public void Ndcg_at_10_is_above_its_floor_above_random_and_above_popularity_where_claimed()
    {
        double ndcg = MeasureNdcg(), random = ContractData.RandomNdcg, popularity = ContractData.PopularityNdcg;
        string figures = $"{Algorithm}: NDCG@10 {ndcg:F4}, floor {NdcgFloor:F4}, ceiling {NdcgCeiling:F4}, random {random:F4}, popularity {popularity:F4}";
        if (NdcgFloor is not { } floor)
        {
            // No better than chance, documented: held near random's expected NDCG (a few hits at most).
            Assert.NotNull(NdcgCeiling);
            Assert.False(BeatsPopularity);
            Assert.True(ndcg <= NdcgCeiling.Value, figures);
            return;
        }
        Assert.Null(NdcgCeiling);
        Assert.True(floor > random, $"{figures}: a floor must beat a random ranking");
        Assert.True(ndcg >= floor, figures);
        if (BeatsPopularity) Assert.True(ndcg > popularity, figures);
    }

    [Fact]
    public void Known_users_are_scored()
    {
        var train = ContractData.Train;
        var model = HoldoutModel;
        var scores = new float[model.ItemCount];
        var first = new float[model.ItemCount];
        int users = 0;
        bool differs = false;
        for (int u = 0; u < train.UserCount && users < 10; u += 9)
        {
            if (train.ByUser.RowLength(u) == 0) continue;
            model.Score(u, scores);
            int finite = 0;
            foreach (float s in scores)
            {
                Assert.False(float.IsInfinity(s), $"{Algorithm} gave an infinite score");
                if (!float.IsNaN(s)) finite++;
            }
            Assert.True(finite >= MinimumFiniteShare * scores.Length, $"{Algorithm} scored {finite} of {scores.Length} items for user {u}");
            if (users++ == 0) scores.CopyTo(first, 0);
            else differs |= !scores.AsSpan().SequenceEqual(first);
        }
        Assert.True(users > 3);
        Assert.Equal(SameScoresForEveryone, !differs);
    }

    [Fact]
    public void Rating_predictions_are_clipped_and_scores_are_the_unclipped_estimates()
    {
        if (HoldoutModel is not IRatingPredictor p) return;
        var train = ContractData.Train;
        var scale = train.Scale;
        var scores = new float[p.ItemCount];
        bool aboveTop = false;
        for (int u = 0; u < train.UserCount; u += 13)
        {
            if (train.ByUser.RowLength(u) == 0) continue;
            p.Score(u, scores);
            for (int i = 0; i < scores.Length; i += 7)
            {
                float predicted = p.Predict(u, i);
                Assert.InRange(predicted, scale.Min, scale.Max);
                // The random predictor draws anew for every call: only the scale holds for it.
                if (!RandomPredictions) Assert.True(Math.Abs(scale.Clip(scores[i]) - predicted) < 1e-4, $"{Algorithm}: score {scores[i]} but prediction {predicted}");
            }
            foreach (float s in scores) aboveTop |= s > scale.Max;
        }
        // Unclipped: estimates above the top of the scale stay above it, so they still rank in order.
        Assert.True(aboveTop == EstimatesLeaveTheScale, $"{Algorithm}: a score above {scale.Max}: {aboveTop}");
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
            if (!RandomPredictions) Assert.Equal(mu, p.Predict(train.UserCount + 10, train.ItemCount + 10));
            Assert.InRange(p.Predict(train.UserCount + 10, train.ItemCount + 10), scale.Min, scale.Max);
            Assert.InRange(p.Predict(train.UserCount + 10, 0), scale.Min, scale.Max);
            Assert.InRange(p.Predict(0, train.ItemCount + 10), scale.Min, scale.Max);
        }
        // A user with no ratings at all: every model still scores the catalogue.
        var nobody = model.FoldIn([]);
        var scores = new float[model.ItemCount];
        model.Score(nobody, scores);
        foreach (float s in scores) Assert.False(float.IsInfinity(s));
    }

    [Fact]
    public void New_users_fold_in_and_get_their_own_scores()
    {
        var train = ContractData.Train;
        var model = HoldoutModel;
        var scores = new float[model.ItemCount];
        var first = new float[model.ItemCount];
        int users = 0;
        bool differs = false;
        for (int u = 0; u < train.UserCount && users < 8; u += 7)
        {
            if (train.ByUser.RowLength(u) == 0) continue;
            var user = model.FoldIn(ContractData.RatingsOf(train, u));
            Assert.Equal(train.ByUser.RowLength(u), user.Ratings.Length);
            model.Score(user, scores);
            int finite = 0;
            foreach (float s in scores)
            {
                Assert.False(float.IsInfinity(s), $"{Algorithm} gave an infinite score");
                if (!float.IsNaN(s)) finite++;
            }
            Assert.True(finite >= MinimumFiniteShare * scores.Length, $"{Algorithm} scored only {finite} of {scores.Length} items for folded-in user {u}");
            if (model is IRatingPredictor p) Assert.InRange(p.Predict(user, 0), train.Scale.Min, train.Scale.Max);
            if (users++ == 0) scores.CopyTo(first, 0);
            else differs |= !scores.AsSpan().SequenceEqual(first);
        }
        Assert.True(users >= 3);
        Assert.Equal(SameScoresForEveryone, !differs);
    }

    [Fact]
    public void Single_threaded_training_with_one_seed_is_deterministic()
    {
        // Two fresh models: for the random predictor, too, the same seed and the same calls give the same draws.
        var first = Create();
        var second = Create();
        first.Fit(ContractData.Training(ContractData.Train), TrainingContext.Deterministic(3));
        second.Fit(ContractData.Training(ContractData.Train), TrainingContext.Deterministic(3));
        var a = new float[first.ItemCount];
        var b = new float[second.ItemCount];
        int users = 0;
        for (int u = 0; u < ContractData.Train.UserCount && users < 6; u += 11)
        {
            if (ContractData.Train.ByUser.RowLength(u) == 0) continue;
            first.Score(u, a);
            second.Score(u, b);
            Assert.Equal(a, b);
            users++;
        }
        Assert.True(users >= 3);
        int known = Enumerable.Range(0, ContractData.Train.UserCount).First(u => ContractData.Train.ByUser.RowLength(u) > 0);
        first.Score(first.FoldIn(ContractData.RatingsOf(ContractData.Train, known)), a);
        second.Score(second.FoldIn(ContractData.RatingsOf(ContractData.Train, known)), b);
        Assert.Equal(a, b);
    }
}
