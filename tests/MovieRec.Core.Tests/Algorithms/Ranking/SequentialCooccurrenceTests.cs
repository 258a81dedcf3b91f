using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class SequentialCooccurrenceTests
{
    /// <summary>Two users: user 1 rates items 10, 20, 30 at times 1, 2, 3; user 2 rates 20 then 40 (times 5, 6).</summary>
    private static RatingDataset Tiny()
    {
        var b = new RatingDatasetBuilder();
        b.Add(1L, 30L, 4f, 3);
        b.Add(1L, 10L, 4f, 1);
        b.Add(1L, 20L, 4f, 2);
        b.Add(2L, 40L, 3f, 6);
        b.Add(2L, 20L, 5f, 5);
        return b.Build();
    }

    [Fact]
    public void Scores_are_the_decayed_pair_weights_from_the_recent_history()
    {
        var data = Tiny();
        var model = new SequentialCooccurrence(new SequentialOptions { Window = 2, Decay = 0.5, Backward = 0.25, History = 2, HistoryDecay = 0.5, Normalization = 1 });
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        int Item(long raw) => data.ItemIds.ToDense(raw);
        var scores = new float[data.ItemCount];
        // User 2's history is 20 (older), 40 (newest). Rows: T[40,20] = β·1 (20 came right before 40), n_40 = 1;
        // T[20,10] = β·1 (user 1), T[20,30] = 1, T[20,40] = 1 (user 2), n_20 = 2.
        model.Score(data.UserIds.ToDense(2L), scores);
        Assert.Equal(0.25f, scores[Item(20)], 5);
        Assert.Equal(0.5f * 0.25f / 2, scores[Item(10)], 5);
        Assert.Equal(0.5f * 1f / 2, scores[Item(30)], 5);
        Assert.Equal(0.5f * 1f / 2, scores[Item(40)], 5);
        // User 1: newest 30, then 20. T[30,20] = β·1, T[30,10] = β·δ (two apart), n_30 = 1; T[20,·] as above.
        model.Score(data.UserIds.ToDense(1L), scores);
        Assert.Equal(0.25f * 0.5f + 0.5f * 0.25f / 2, scores[Item(10)], 5);
        Assert.Equal(0.25f, scores[Item(20)], 5);
        Assert.Equal(0.5f * 1f / 2, scores[Item(40)], 5);
    }

    [Fact]
    public void Fold_in_in_time_order_scores_like_the_trained_user()
    {
        var split = LeaveLatestOut.MovieLensSmall;
        var model = new SequentialCooccurrence();
        model.Fit(new TrainingData(split.Train), TrainingContext.Default);
        var train = split.Train;
        int user = 4;
        var chronological = Chronological(train, user);
        var known = new float[train.ItemCount];
        var folded = new float[train.ItemCount];
        model.Score(user, known);
        model.Score(model.FoldIn(chronological), folded);
        Assert.Equal(known, folded);
        Assert.Contains(known, s => s > 0);
        // The order matters: reversed, the "recent" ratings are the oldest ones.
        model.Score(model.FoldIn(chronological.Reverse().ToArray()), folded);
        Assert.NotEqual(known, folded);
    }

    [Fact]
    public void Reaches_the_full_catalogue_goal_on_its_own()
    {
        var model = new SequentialCooccurrence();
        model.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train), TrainingContext.Default);
        var figures = LeaveLatestOut.MovieLensSmall.Evaluate(model);
        // Measured 0.126 (EASE 0.090, popularity 0.043): what someone rates next follows what they rated last.
        Assert.True(figures.FullHr10 is >= 0.10 and <= 0.16, figures.ToString());
    }

    [Theory]
    [InlineData(0, 0.9, 1, 10, 0.8, 0.5, 500, "Window")]
    [InlineData(20, 0, 1, 10, 0.8, 0.5, 500, "Decay")]
    [InlineData(20, 0.9, -1, 10, 0.8, 0.5, 500, "Backward")]
    [InlineData(20, 0.9, 1, 0, 0.8, 0.5, 500, "History")]
    [InlineData(20, 0.9, 1, 10, 1.5, 0.5, 500, "HistoryDecay")]
    [InlineData(20, 0.9, 1, 10, 0.8, -1, 500, "Normalization")]
    [InlineData(20, 0.9, 1, 10, 0.8, 0.5, 0, "MaxNeighbors")]
    public void Invalid_options_name_the_parameter(int window, double decay, double backward, int history, double historyDecay, double normalization, int maxNeighbors, string parameter)
    {
        var e = Assert.Throws<ArgumentException>(() => new SequentialCooccurrence(new SequentialOptions
        {
            Window = window,
            Decay = decay,
            Backward = backward,
            History = history,
            HistoryDecay = historyDecay,
            Normalization = normalization,
            MaxNeighbors = maxNeighbors,
        }));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Rows_take_four_bytes_a_neighbour_on_a_small_catalogue()
    {
        // 16-bit neighbour ids and half-precision weights: about 1.79 M neighbours on ml-latest-small (500 per row),
        // 6.8 MiB as ids + weights, plus 0.4 MiB of histories (10.2 MiB with float weights, 13.6 with int ids).
        var data = TrainingData.From(TestData.MovieLensSmall);
        var model = new SequentialCooccurrence();
        model.Fit(data, TrainingContext.Default);
        var walk = new Core.Diagnostics.MemoryFootprint { ListArraysFrom = 1 << 18 };
        walk.Measure(data.Ratings); // the ratings and id maps are everyone's
        long bytes = walk.Measure(model);
        Assert.True(bytes is >= 5L << 20 and <= (17L << 20) / 2, $"{bytes:N0} bytes: {string.Join("; ", walk.Largest)}");
    }

    [Fact]
    public void Keeps_only_the_strongest_neighbours()
    {
        var train = LeaveLatestOut.MovieLensSmall.Train;
        var capped = new SequentialCooccurrence(new SequentialOptions { MaxNeighbors = 5 });
        capped.Fit(new TrainingData(train), TrainingContext.Default);
        var scores = new float[train.ItemCount];
        capped.Score(capped.FoldIn([new ItemRating(0, 4f)]), scores);
        Assert.InRange(scores.Count(s => s > 0), 1, 5);
    }

    [Fact]
    public void The_chronological_view_orders_each_users_ratings_by_time_then_item()
    {
        var data = Tiny();
        var rows = data.ByUserChronological;
        int Raw(int p) => (int)data.ItemIds.ToRawNumeric(rows.Columns[p]);
        int u1 = data.UserIds.ToDense(1L);
        Assert.Equal([10, 20, 30], Enumerable.Range(rows.Offsets[u1], rows.RowLength(u1)).Select(Raw));
        // Ties go by dense item index (30 was seen first, so it comes before 10); values and rating indices follow.
        var b = new RatingDatasetBuilder();
        b.Add(1L, 30L, 1f, 5);
        b.Add(1L, 10L, 2f, 5);
        b.Add(1L, 20L, 3f, 4);
        var tied = b.Build();
        var t = tied.ByUserChronological;
        Assert.Equal([20L, 30L, 10L], t.Columns.Select(c => tied.ItemIds.ToRawNumeric(c)));
        Assert.Equal([3f, 1f, 2f], t.Values);
        for (int p = 0; p < t.NonZeros; p++) Assert.Equal(t.Columns[p], tied.Items[t.RatingIndex[p]]);
    }

    /// <summary>A user's training ratings oldest first, as fold-in takes them.</summary>
    internal static ItemRating[] Chronological(RatingDataset train, int user)
    {
        var rows = train.ByUserChronological;
        return Enumerable.Range(rows.Offsets[user], rows.RowLength(user)).Select(p => new ItemRating(rows.Columns[p], rows.Values[p])).ToArray();
    }
}
