using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class PopularityRankerTests
{
    [Fact]
    public void Most_popular_matches_the_reference_leave_latest_out_figure()
    {
        var llo = LeaveLatestOut.MovieLensSmall;
        Assert.Equal(100_226, llo.Train.Count);
        var model = new PopularityRanker();
        model.Fit(new TrainingData(llo.Train), TrainingContext.Deterministic());
        var figures = llo.Evaluate(model);
        // Reference (Python, same protocol): HR@10 0.0426, NDCG@10 0.0194.
        Assert.InRange(figures.FullHr10, 0.03, 0.06);
        Assert.InRange(figures.FullNdcg10, 0.01, 0.03);
        Assert.InRange(figures.SampledHr10, 0.55, 0.67);
    }

    [Fact]
    public void Scores_are_training_counts_or_bayesian_averages()
    {
        var train = Tiny();
        var count = new PopularityRanker();
        count.Fit(new TrainingData(train), TrainingContext.Deterministic());
        Assert.Equal([3f, 1f, 2f], count.ItemScores.ToArray());

        var bayes = new PopularityRanker(new PopularityOptions { Measure = PopularityMeasure.BayesianAverage, PriorCount = 2 });
        bayes.Fit(new TrainingData(train), TrainingContext.Deterministic());
        double mu = (5 + 4 + 3 + 1 + 2 + 5) / 6.0;
        Assert.Equal((2 * mu + 12) / 5, bayes.ItemScores[0], 5);
        Assert.Equal((2 * mu + 1) / 3, bayes.ItemScores[1], 5);
        Assert.Equal((2 * mu + 7) / 4, bayes.ItemScores[2], 5);

        var folded = count.FoldIn([new ItemRating(1, 4)]);
        var scores = new float[3];
        count.Score(folded, scores);
        Assert.Equal(count.ItemScores.ToArray(), scores);
    }

    [Fact]
    public void Blend_mixes_normalised_ranks_with_the_popularity_rank()
    {
        // Base scorer: item 0 > item 1 > item 2 > item 3 for everyone. Popularity: item 3 > 2 > 1 > 0.
        var train = Build([(0, 3, 5), (1, 3, 5), (2, 3, 5), (0, 2, 5), (1, 2, 5), (0, 1, 5)], users: 3, items: 4);
        var fixedScores = new FixedScorer([4f, 3f, 2f, 1f]);
        var slight = new PopularityBlend(fixedScores, new PopularityBlendOptions { Weight = 0.1 });
        slight.Fit(new TrainingData(train), TrainingContext.Deterministic());
        var scores = new float[4];
        slight.Score(0, scores);
        // final = 0.9 * nrank_base + 0.1 * nrank_pop with nrank = 1 - pos / 3.
        Assert.Equal(0.9f * 1 + 0.1f * 0, scores[0], 5);
        Assert.Equal(0.9f * (2f / 3) + 0.1f * (1f / 3), scores[1], 5);
        Assert.Equal(0.9f * 0 + 0.1f * 1, scores[3], 5);
        Assert.Equal([0, 1, 2, 3], TopN.Select(scores, 4, TieBreak.ById).Select(s => s.Item));

        var heavy = new PopularityBlend(fixedScores, new PopularityBlendOptions { Weight = 0.9 });
        heavy.Fit(new TrainingData(train), TrainingContext.Deterministic());
        heavy.Score(0, scores);
        Assert.Equal([3, 2, 1, 0], TopN.Select(scores, 4, TieBreak.ById).Select(s => s.Item));
    }

    [Fact]
    public void Normalised_ranks_share_positions_on_ties_and_keep_nan()
    {
        float[] scores = [1f, 5f, 5f, float.NaN, 0f];
        var ranks = new float[5];
        PopularityBlend.NormalizedRanks(scores, ranks);
        Assert.Equal(1f, ranks[1]);
        Assert.Equal(1f, ranks[2]);
        Assert.Equal(1 - 2f / 3, ranks[0], 5);
        Assert.True(float.IsNaN(ranks[3]));
        Assert.Equal(0f, ranks[4]);
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        Assert.Equal("PriorCount", Assert.Throws<ArgumentException>(() => new PopularityRanker(new PopularityOptions { PriorCount = -1 })).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentException>(() => new PopularityBlend(new PopularityRanker(), new PopularityBlendOptions { Weight = 1.5 })).ParamName);
        Assert.Equal("measure", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("popularity", AlgorithmParameters.Empty.With("measure", "loudest"))).ParamName);
    }

    internal static RatingDataset Tiny() =>
        Build([(0, 0, 5), (1, 0, 4), (2, 0, 3), (0, 1, 1), (1, 2, 2), (2, 2, 5)], users: 3, items: 3);

    internal static RatingDataset Build((int User, int Item, float Rating)[] ratings, int users, int items)
    {
        var userIds = IdMap.CreateNumeric();
        var itemIds = IdMap.CreateNumeric();
        for (int u = 0; u < users; u++) userIds.GetOrAdd(u + 1);
        for (int i = 0; i < items; i++) itemIds.GetOrAdd(i + 1);
        return new RatingDataset(userIds, itemIds,
            [.. ratings.Select(r => r.User)], [.. ratings.Select(r => r.Item)], [.. ratings.Select(r => r.Rating)],
            new long[ratings.Length], new RatingScale(0.5f, 5f, 0.5f));
    }

    private sealed class FixedScorer(float[] scores) : IRecommender
    {
        public string Name => "fixed";

        public int ItemCount => scores.Length;

        public void Fit(TrainingData data, TrainingContext context) { }

        public void Score(int user, Span<float> result) => scores.CopyTo(result);

        public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => new RatingsFoldedUser(ratings.ToArray());

        public void Score(FoldedUser user, Span<float> result) => scores.CopyTo(result);
    }
}
