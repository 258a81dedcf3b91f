using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;

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

/// <summary>
/// The service computes taste's features into a pooled buffer that still holds the last request's values: every
/// column must be written, the ones a request has nothing for (no members, nothing disliked) included.
/// </summary>
public sealed class TasteFeaturePooledBufferTests
{
    [Fact]
    public void A_reused_buffer_gives_the_same_features_as_a_fresh_one()
    {
        var data = TrainingData.From(TestData.MovieLensSmall);
        var features = new TasteFeatures(data, [], mostRated: 100);
        var ids = data.Ratings.ItemIds;
        ItemRating R(long movieId, float rating) => new(ids.ToDense(movieId), rating);
        ItemRating[] liked = [R(1, 5), R(364, 5), R(6377, 4.5f)];
        ItemRating[] disliked = [R(1036, 1), R(589, 1)];
        var buffer = new float[TasteFeatures.Count * features.ItemCount + 7];
        Array.Fill(buffer, float.NaN);
        features.Compute(liked, disliked, [.. liked, .. disliked], buffer);
        Assert.Equal(features.Compute(liked, disliked, [.. liked, .. disliked]), buffer[..^7]);
        // The next request dislikes nothing: the dislike columns must not keep the last request's values.
        features.Compute(liked, [], liked, buffer);
        var fresh = features.Compute(liked, [], liked);
        Assert.Equal(fresh, buffer[..^7]);
        Assert.DoesNotContain(fresh, float.IsNaN);
    }
}
