using MovieRec.Core.Algorithms.Hybrid;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

/// <summary>
/// The vectorised z-score (columns without NaN, every request) agrees with the plain definition, and columns with
/// values a member cannot score still take the scalar path (unscored items get the column's minimum).
/// </summary>
public sealed class TasteFeatureSpeedPathTests
{
    private static float[] Reference(float[] column)
    {
        var finite = column.Where(float.IsFinite).Select(v => (double)v).ToArray();
        double mean = finite.Average(), sd = Math.Sqrt(finite.Select(v => v * v).Average() - mean * mean);
        float scale = (float)(1 / sd);
        float floor = (float)((finite.Min() - mean) * scale);
        return [.. column.Select(v => float.IsFinite(v) ? (float)((v - mean) * scale) : floor)];
    }

    [Theory]
    [InlineData(9724, false)]
    [InlineData(13, false)]
    [InlineData(9724, true)]
    [InlineData(8, true)]
    public void Z_scores_match_the_definition(int length, bool withNaN)
    {
        var rng = new Random(length);
        var column = new float[length];
        for (int i = 0; i < length; i++) column[i] = (float)(rng.NextDouble() * 7 - 2);
        if (withNaN) column[length / 2] = float.NaN;
        var expected = Reference(column);
        TasteFeatures.ZScore(column);
        for (int i = 0; i < length; i++) Assert.Equal(expected[i], column[i], 1e-5f);
        double mean = column.Where((_, i) => !withNaN || i != length / 2).Average(v => (double)v);
        Assert.InRange(mean, -1e-5, 1e-5);
    }

    [Fact]
    public void A_constant_column_becomes_zeros()
    {
        var column = Enumerable.Repeat(3.5f, 100).ToArray();
        TasteFeatures.ZScore(column);
        Assert.All(column, v => Assert.Equal(0f, v));
    }
}
