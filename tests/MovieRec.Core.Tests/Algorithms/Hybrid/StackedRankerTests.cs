using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Tests.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

public class StackedRankerTests
{
    private static readonly Lazy<StackedRanker> Trained = new(() =>
    {
        var model = (StackedRanker)AlgorithmCatalog.Create("best-ranking");
        model.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train, TestData.MovieLensSmall.Catalog), TrainingContext.Default);
        return model;
    });

    [Fact]
    [Trait("Category", "Slow")] // best-ranking fitted on all of ml-latest-small
    public void Best_ranking_reaches_both_leave_latest_out_goals()
    {
        var figures = LeaveLatestOut.MovieLensSmall.Evaluate(Trained.Value);
        // Goals: full HR@10 >= 0.085 (aim 0.12), sampled HR@10 >= 0.80. Measured 0.143 and 0.825 with the bench's
        // sampler (0.802-0.825 over seeds 0-9); this sampler draws other negatives, so the band allows for that.
        Assert.True(figures.FullHr10 is >= 0.12 and <= 0.17, figures.ToString());
        Assert.True(figures.SampledHr10 >= 0.795, figures.ToString());
        // Better than each member alone.
        var ease = AlgorithmCatalog.Create("ease-recency");
        ease.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train, TestData.MovieLensSmall.Catalog), TrainingContext.Default);
        var easeFigures = LeaveLatestOut.MovieLensSmall.Evaluate(ease);
        Assert.True(figures.SampledHr10 > easeFigures.SampledHr10 + 0.04, $"{figures} vs ease-recency {easeFigures}");
        Assert.True(figures.FullHr10 > easeFigures.FullHr10, $"{figures} vs ease-recency {easeFigures}");
    }

    [Fact]
    [Trait("Category", "Slow")] // best-ranking fitted on all of ml-latest-small
    public void Learns_that_the_next_movie_follows_the_last_ones()
    {
        var model = Trained.Value;
        Assert.Equal(model.FeatureNames.Count, model.Weights.Count);
        Assert.All(model.Weights, w => Assert.True(double.IsFinite(w)));
        // What was rated last is what the learnt weights lean on most: the sequence members' features weigh more in
        // total than the collaborative members' scores (single weights of correlated features can take either sign).
        string weights = string.Join(", ", model.FeatureNames.Zip(model.Weights));
        double sequences = model.FeatureNames.Zip(model.Weights).Where(f => f.First.StartsWith("sequence", StringComparison.Ordinal)).Sum(f => f.Second);
        double members = model.FeatureNames.Zip(model.Weights).Where(f => f.First.StartsWith("member", StringComparison.Ordinal) && !f.First.EndsWith("squared", StringComparison.Ordinal)).Sum(f => f.Second);
        Assert.True(members > 0, weights);
        Assert.True(sequences > members, weights);
        // Films released after the user's latest rating could not have been rated then.
        int later = IndexOf(model, "released later");
        Assert.True(model.Weights[later] < 0, string.Join(", ", model.FeatureNames.Zip(model.Weights)));
    }

    [Fact]
    [Trait("Category", "Slow")] // best-ranking fitted on all of ml-latest-small
    public void Fold_in_of_a_known_users_recent_history_ranks_like_the_trained_user()
    {
        var model = Trained.Value;
        var train = LeaveLatestOut.MovieLensSmall.Train;
        int user = 9;
        var chronological = SequentialCooccurrenceTests.Chronological(train, user);
        var known = new float[train.ItemCount];
        var folded = new float[train.ItemCount];
        model.Score(user, known);
        model.Score(model.FoldIn(chronological), folded);
        foreach (var r in chronological) known[r.Item] = folded[r.Item] = float.NaN;
        var ties = TieBreak.ByTrainingRatings(train);
        var a = TopN.Select(known, 20, ties).Select(s => s.Item).ToHashSet();
        var b = TopN.Select(folded, 20, ties).Select(s => s.Item).ToHashSet();
        // Same members and weights; only "now" differs (the user's latest rating vs the dataset's), which moves the
        // trending and release-age features.
        Assert.True(a.Intersect(b).Count() >= 10, $"{a.Intersect(b).Count()} of 20 shared");
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        Assert.Equal("Levels", Assert.Throws<ArgumentException>(() => new StackedRankerOptions { Levels = 0 }.Validate()).ParamName);
        Assert.Equal("Negatives", Assert.Throws<ArgumentException>(() => new StackedRankerOptions { Negatives = 0 }.Validate()).ParamName);
        Assert.Equal("L2", Assert.Throws<ArgumentException>(() => new StackedRankerOptions { L2 = 0 }.Validate()).ParamName);
        Assert.Equal("TrendingDays", Assert.Throws<ArgumentException>(() => new StackedRankerOptions { TrendingDays = -1 }.Validate()).ParamName);
        Assert.Contains("levels", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("best-ranking", AlgorithmParameters.Empty.With("levels", "0"))).Message, StringComparison.OrdinalIgnoreCase);
    }

    private static int IndexOf(StackedRanker model, string name)
    {
        for (int k = 0; k < model.FeatureNames.Count; k++)
        {
            if (model.FeatureNames[k] == name) return k;
        }
        throw new InvalidOperationException(name);
    }
}
