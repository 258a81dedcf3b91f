using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Diagnostics;

namespace MovieRec.Core.Tests.Diagnostics;

/// <summary>
/// Models fitted on the same ratings with the same options share their fitted weights (SharedFits), which the memory
/// walk sees: the second model holds only its own small state. Different options or different ratings fit their own.
/// </summary>
[Trait("Category", "Slow")] // fits ials, ease and taste on all of ml-latest-small several times: about 30 s
public sealed class SharedFitsTests
{
    private static readonly TrainingData Data = TrainingData.From(TestData.MovieLensSmall);

    private static IRecommender Fit(string algorithm, TrainingData data, string? parameters = null)
    {
        var entry = AlgorithmCatalog.Get(algorithm);
        var model = parameters is null ? entry.Create() : entry.Create(AlgorithmParameters.Parse([parameters]));
        model.Fit(data, new TrainingContext { Seed = 1 });
        return model;
    }

    /// <summary>The same ratings in new arrays: a dataset that shares no fitted part with <see cref="Data"/>.</summary>
    private static TrainingData CopyOfRatings() =>
        Data.WithRatings(new Core.Data.RatingDataset(Data.Ratings.UserIds, Data.Ratings.ItemIds, [.. Data.Ratings.Users], [.. Data.Ratings.Items],
            [.. Data.Ratings.Values], [.. Data.Ratings.Timestamps], Data.Ratings.Scale));

    /// <summary>The first 50 users' scores are equal in both models.</summary>
    private static void AssertSameScores(IRecommender expected, IRecommender actual)
    {
        var want = new float[expected.ItemCount];
        var got = new float[actual.ItemCount];
        for (int user = 0; user < 50; user++)
        {
            expected.Score(user, want);
            actual.Score(user, got);
            Assert.Equal(want, got);
        }
    }

    [Fact]
    public void Ease_hybrid_taste_and_ease_recency_share_one_weight_matrix_and_score_as_before()
    {
        var walk = new MemoryFootprint();
        walk.Measure(Data.Ratings); // the ratings are everyone's
        var ease = Fit("ease", Data);
        long first = walk.Measure(ease);
        // B over the ~3,650 items with at least 5 ratings: its 3,650 × 512 largest weights, a half and a 16-bit column
        // each = 7.1 MiB (3,650² halves = 25.4 MiB dense; 53 MB in float before issue #18).
        Assert.InRange(first, 6L << 20, 9L << 20);
        var recency = Fit("ease-recency", Data);
        Assert.InRange(walk.Measure(recency), 0, 4L << 20);

        // Sharing changes nothing in the scores: a second EASE fitted alone on a copy of the ratings agrees.
        var copy = CopyOfRatings();
        var alone = Fit("ease", copy);
        Assert.InRange(walk.Measure(alone), 6L << 20, 12L << 20); // with its own copy of the ratings
        AssertSameScores(alone, ease);
    }

    [Fact]
    public void Ials_and_the_ials_inside_taste_share_their_factors_and_score_as_before()
    {
        var walk = new MemoryFootprint();
        walk.Measure(Data.Ratings);
        var ials = Fit("ials", Data);
        // Item factors: 9,724 x 64 floats = 2.4 MiB.
        Assert.InRange(walk.Measure(ials), 2L << 20, 4L << 20);
        var again = Fit("ials", Data);
        Assert.InRange(walk.Measure(again), 0, 1L << 16);
        // Another seed is another fit; a fit alone on a copy of the ratings gives the same scores as the shared one.
        var other = AlgorithmCatalog.Get("ials").Create();
        other.Fit(Data, new TrainingContext { Seed = 2 });
        Assert.InRange(walk.Measure(other), 2L << 20, 4L << 20);
        var copy = CopyOfRatings();
        var alone = Fit("ials", copy);
        AssertSameScores(alone, again);
        Assert.Equal(((ImplicitAls)alone).EpochLoss, ((ImplicitAls)again).EpochLoss);
    }

    [Fact]
    public void Other_options_fit_their_own_weights()
    {
        var walk = new MemoryFootprint();
        walk.Measure(Data.Ratings);
        walk.Measure(Fit("ease", Data));
        Assert.InRange(walk.Measure(Fit("ease", Data, "lambda=500")), 6L << 20, 9L << 20);
        Assert.InRange(walk.Measure(Fit("ease", Data, "keep-per-row=0")), 20L << 20, 32L << 20);
    }

    [Fact]
    public void The_walk_charges_a_shared_array_once_and_names_its_holder()
    {
        var walk = new MemoryFootprint { ListArraysFrom = 1 << 20 };
        var big = new float[1 << 20];
        var a = new Holder(big);
        var b = new Holder(big);
        Assert.InRange(walk.Measure(a), 4L << 20, (4L << 20) + 200);
        Assert.Contains(walk.Largest, l => l.Holder.StartsWith("Holder.<Values>", StringComparison.Ordinal) && l.Holder.Contains("Single[1,048,576]", StringComparison.Ordinal));
        Assert.InRange(walk.Measure(b), 1, 100);
    }

    private sealed record Holder(float[] Values);
}
