using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

/// <summary>A tiny hand-checkable dataset and a seeded 80/20 split of ml-latest-small.</summary>
internal static class NeighborhoodTestData
{
    private static readonly Lazy<(RatingDataset Train, RatingDataset Test)> SmallSplit = new(() => Split(TestData.MovieLensSmall.Ratings, 0.2, seed: 42));

    /// <summary>
    /// Users 0..2, items 0..3 (raw ids equal dense ids):
    /// u0: i0=5, i1=3, i2=4; u1: i0=3, i1=1, i3=2; u2: i2=2, i3=5.
    /// </summary>
    public static RatingDataset Tiny()
    {
        var b = new RatingDatasetBuilder(IdMap.CreateNumeric(), IdMap.CreateNumeric());
        (long U, long I, float R)[] ratings = [(0, 0, 5), (0, 1, 3), (0, 2, 4), (1, 0, 3), (1, 1, 1), (1, 3, 2), (2, 2, 2), (2, 3, 5)];
        foreach (var (u, i, r) in ratings) b.Add(u, i, r, 0);
        return b.Build(RatingScale.WholeStars);
    }

    /// <summary>ml-latest-small, 80 % train / 20 % test by a seeded shuffle (shared id maps).</summary>
    public static (RatingDataset Train, RatingDataset Test) MovieLensSmall8020 => SmallSplit.Value;

    public static (RatingDataset Train, RatingDataset Test) Split(RatingDataset all, double testShare, int seed)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        int nTest = (int)(all.Count * testShare);
        return (all.Subset(order.AsSpan(nTest)), all.Subset(order.AsSpan(0, nTest)));
    }

    public static double Rmse(MovieRec.Core.Algorithms.IRatingPredictor model, RatingDataset test)
    {
        double sq = 0;
        for (int k = 0; k < test.Count; k++)
        {
            double d = model.Predict(test.Users[k], test.Items[k]) - test.Values[k];
            sq += d * d;
        }
        return Math.Sqrt(sq / test.Count);
    }
}
