using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

/// <summary>A seeded random 80/20 split of ml-latest-small (private to these tests) and RMSE.</summary>
internal static class MfTestData
{
    private static readonly Lazy<(RatingDataset Train, RatingDataset Test)> SplitValue = new(() => Split(TestData.MovieLensSmall.Ratings, 0.2, 42));

    public static RatingDataset Train => SplitValue.Value.Train;

    public static RatingDataset Test => SplitValue.Value.Test;

    public static (RatingDataset Train, RatingDataset Test) Split(RatingDataset data, double testShare, int seed)
    {
        var perm = new int[data.Count];
        for (int k = 0; k < perm.Length; k++) perm[k] = k;
        new Random(seed).Shuffle(perm);
        int testCount = (int)(data.Count * testShare);
        return (data.Subset(perm.AsSpan(testCount)), data.Subset(perm.AsSpan(0, testCount)));
    }

    /// <summary>The first <paramref name="count"/> ratings in file order: a small fixed sample.</summary>
    public static RatingDataset FirstRatings(int count)
    {
        var idx = new int[count];
        for (int k = 0; k < count; k++) idx[k] = k;
        return TestData.MovieLensSmall.Ratings.Subset(idx);
    }

    public static double Rmse(IRatingPredictor model, RatingDataset test)
    {
        double se = 0;
        for (int k = 0; k < test.Count; k++)
        {
            double e = model.Predict(test.Users[k], test.Items[k]) - test.Values[k];
            se += e * e;
        }
        return Math.Sqrt(se / test.Count);
    }
}
