using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class ItemKnnRankerTests
{
    private static readonly Lazy<ItemKnnRanker> Trained = new(() =>
    {
        var model = new ItemKnnRanker();
        model.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train), TrainingContext.Default);
        return model;
    });

    [Fact]
    public void Ranks_better_than_popularity_and_reaches_the_sampled_goal()
    {
        var figures = LeaveLatestOut.MovieLensSmall.Evaluate(Trained.Value);
        Assert.True(figures.FullHr10 >= 0.05, figures.ToString());
        // Sampled HR@10 0.644 (popularity 0.611, Surprise SVD 0.339). Most sampled candidates are in no rated item's
        // neighbour list and score 0; tied, they are ordered as a list orders them (more training ratings first), no
        // longer in the held-out item's favour, which had given 0.80.
        Assert.True(figures.SampledHr10 >= 0.62, figures.ToString());
    }

    [Fact]
    public void Keeps_at_most_k_positive_neighbours_that_are_cosines_of_binary_columns()
    {
        var model = Trained.Value;
        var train = LeaveLatestOut.MovieLensSmall.Train;
        int item = 0;
        while (train.ByItem.RowLength(item) < 50) item++;
        var (items, sims) = model.Neighbours(item);
        Assert.InRange(items.Length, 1, model.Options.Neighbors);
        var raters = train.ByItem.RowColumns(item).ToArray().ToHashSet();
        for (int t = 0; t < items.Length; t++)
        {
            int j = items.Span[t];
            Assert.NotEqual(item, j);
            var other = train.ByItem.RowColumns(j).ToArray();
            double cosine = other.Count(raters.Contains) / Math.Sqrt((double)raters.Count * other.Length);
            Assert.Equal(cosine, sims.Span[t], 5);
            if (t > 0) Assert.True(sims.Span[t] <= sims.Span[t - 1]);
        }
    }

    [Fact]
    public void Fold_in_gives_the_in_training_scores()
    {
        FoldInChecks.Folding_in_a_training_user_gives_their_in_training_scores(Trained.Value, LeaveLatestOut.MovieLensSmall.Train, 0, 17, 413);
    }

    [Fact]
    public void Same_model_on_one_thread_or_many()
    {
        var small = LeaveLatestOut.MovieLensSmall.Train.Subset(Enumerable.Range(0, 30_000).ToArray());
        var a = new ItemKnnRanker(new ItemKnnRankerOptions { NormalizeRows = true });
        var b = new ItemKnnRanker(new ItemKnnRankerOptions { NormalizeRows = true });
        a.Fit(new TrainingData(small), TrainingContext.Deterministic());
        b.Fit(new TrainingData(small), new TrainingContext { Threads = 2 });
        var sa = new float[a.ItemCount];
        var sb = new float[b.ItemCount];
        a.Score(5, sa);
        b.Score(5, sb);
        Assert.Equal(sa, sb);
        Assert.Contains(sa, s => s > 0);
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        Assert.Equal("Neighbors", Assert.Throws<ArgumentException>(() => new ItemKnnRanker(new ItemKnnRankerOptions { Neighbors = 0 })).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("item-knn", AlgorithmParameters.Empty.With("vectors", "fuzzy"))).ParamName);
    }
}
