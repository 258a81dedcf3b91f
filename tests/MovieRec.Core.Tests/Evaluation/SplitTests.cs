using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public class SplitTests
{
    private static RatingDataset Small => TestData.MovieLensSmall.Ratings;

    private static HashSet<(int, int)> Pairs(RatingDataset d) =>
        Enumerable.Range(0, d.Count).Select(k => (d.Users[k], d.Items[k])).ToHashSet();

    [Fact]
    public void Kfold_tests_every_rating_exactly_once_and_trains_on_the_rest()
    {
        var data = Small;
        var folds = Splits.KFold(data, 5, seed: 0);
        Assert.Equal(5, folds.Count);
        var seen = new HashSet<(int, int)>();
        foreach (var fold in folds)
        {
            Assert.Same(data.UserIds, fold.Train.UserIds);
            Assert.Same(data.ItemIds, fold.Test.ItemIds);
            Assert.Equal(data.Count, fold.Train.Count + fold.Test.Count);
            Assert.InRange(fold.Test.Count, data.Count / 5, data.Count / 5 + 1);
            var test = Pairs(fold.Test);
            Assert.Empty(test.Intersect(Pairs(fold.Train)));
            foreach (var p in test) Assert.True(seen.Add(p));
        }
        Assert.Equal(data.Count, seen.Count);
    }

    [Fact]
    public void Kfold_is_seeded()
    {
        var data = Small;
        var a = Splits.KFold(data, 3, seed: 7);
        var b = Splits.KFold(data, 3, seed: 7);
        var c = Splits.KFold(data, 3, seed: 8);
        Assert.Equal(a[1].Test.Users, b[1].Test.Users);
        Assert.Equal(a[1].Test.Items, b[1].Test.Items);
        Assert.NotEqual(a[1].Test.Items, c[1].Test.Items);
    }

    [Fact]
    public void Leave_latest_out_holds_out_the_latest_rating_with_the_larger_raw_movie_id_on_ties()
    {
        var b = new RatingDatasetBuilder();
        b.Add(1L, 30L, 4, 9);
        b.Add(1L, 20L, 3, 3);
        b.Add(1L, 7L, 5, 9); // ties with 30 at t=9; 30 wins although its dense id is smaller
        b.Add(2L, 20L, 2, 1); // a single rating stays in training
        b.Add(3L, 7L, 1, 1);
        b.Add(3L, 20L, 2, 2);
        var data = b.Build();
        var split = Splits.LeaveLatestOut(data);
        var held = Enumerable.Range(0, split.Test.Count)
            .Select(k => (data.UserIds.ToRawNumeric(split.Test.Users[k]), data.ItemIds.ToRawNumeric(split.Test.Items[k])))
            .ToArray();
        Assert.Equal([(1L, 30L), (3L, 20L)], held);
        Assert.Equal(4, split.Train.Count);
    }

    [Fact]
    public void Leave_latest_out_on_ml_latest_small_matches_the_reference_counts_and_rule()
    {
        var data = Small;
        var split = Splits.LeaveLatestOut(data);
        Assert.Equal(610, split.Test.Count);
        Assert.Equal(100_226, split.Train.Count);
        var expected = Enumerable.Range(0, data.Count)
            .GroupBy(k => data.Users[k])
            .Select(g => g.OrderByDescending(k => data.Timestamps[k]).ThenByDescending(k => data.ItemIds.ToRawNumeric(data.Items[k])).First())
            .Select(k => (data.Users[k], data.Items[k]))
            .ToHashSet();
        Assert.True(expected.SetEquals(Pairs(split.Test)));
    }

    [Fact]
    public void Temporal_split_holds_out_the_latest_fraction()
    {
        var data = Small;
        var split = Splits.Temporal(data, 0.2);
        Assert.Equal((int)Math.Round(0.2 * data.Count), split.Test.Count);
        Assert.Equal(data.Count, split.Train.Count + split.Test.Count);
        Assert.True(split.Train.Timestamps.Max() <= split.Test.Timestamps.Min());
    }

    [Fact]
    public void Random_split_is_seeded_and_disjoint()
    {
        var data = Small;
        var a = Splits.Random(data, 0.25, seed: 3);
        var b = Splits.Random(data, 0.25, seed: 3);
        Assert.Equal((int)Math.Round(0.25 * data.Count), a.Test.Count);
        Assert.Empty(Pairs(a.Test).Intersect(Pairs(a.Train)));
        Assert.Equal(a.Test.Items, b.Test.Items);
        Assert.Throws<ArgumentException>("testFraction", () => Splits.Random(data, 1.5, 0));
    }

    [Fact]
    public void Predefined_splits_come_from_the_dataset()
    {
        var data = Small;
        var folds = Splits.KFold(data, 2, 0);
        var dataset = new Dataset
        {
            Name = "fixture",
            Format = "test",
            Location = ".",
            Ratings = data,
            PredefinedSplits = [new PredefinedSplit("u1", folds[0].Train, folds[0].Test), new PredefinedSplit("ua", folds[1].Train, folds[1].Test)],
        };
        var u = Splits.Predefined(dataset, "u1");
        Assert.Equal("u1", Assert.Single(u).Name);
        Assert.Equal(2, Splits.Predefined(dataset).Count);
        Assert.Throws<ArgumentException>(() => Splits.Predefined(TestData.MovieLensSmall));
        // The predefined protocol runs u1..u5 and leaves ua/ub (10 ratings per user) out.
        var protocol = CrossValidation.SplitsFor(dataset, new EvaluationSettings { Protocol = EvaluationProtocol.Predefined });
        Assert.Equal("u1", Assert.Single(protocol).Name);
        var temporal = CrossValidation.SplitsFor(dataset, new EvaluationSettings { Protocol = EvaluationProtocol.Temporal });
        Assert.Equal("temporal", Assert.Single(temporal).Name);
    }

    [Fact]
    public void Sampled_negatives_are_never_rated_distinct_and_seeded()
    {
        var data = Small;
        var split = Splits.LeaveLatestOut(data);
        var users = Enumerable.Range(0, data.UserCount).ToArray();
        var negatives = RankingMetrics.SampleNegatives(users, split.Train, split.Test, 100, seed: 0);
        var rated = Enumerable.Range(0, data.UserCount).Select(_ => new HashSet<int>()).ToArray();
        for (int k = 0; k < data.Count; k++) rated[data.Users[k]].Add(data.Items[k]);
        for (int n = 0; n < users.Length; n++)
        {
            Assert.Equal(100, negatives[n].Length);
            Assert.Equal(100, negatives[n].Distinct().Count());
            Assert.DoesNotContain(negatives[n], rated[users[n]].Contains);
        }
        var again = RankingMetrics.SampleNegatives(users, split.Train, split.Test, 100, seed: 0);
        var other = RankingMetrics.SampleNegatives(users, split.Train, split.Test, 100, seed: 1);
        Assert.Equal(negatives[5], again[5]);
        Assert.NotEqual(negatives[5], other[5]);
    }
}
