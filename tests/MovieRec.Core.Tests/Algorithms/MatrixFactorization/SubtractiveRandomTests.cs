using MovieRec.Core.Algorithms.MatrixFactorization;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

public class SubtractiveRandomTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(-7)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Draws_the_same_doubles_as_a_seeded_System_Random(int seed)
    {
        var expected = new Random(seed);
        var actual = new SubtractiveRandom(seed);
        for (int k = 0; k < 10_000; k++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.NextDouble()), BitConverter.DoubleToInt64Bits(actual.NextDouble()));
        // Pair blocks of several sizes (the block draws eight at a time), mixed with single draws.
        foreach (int size in new[] { 300, 1, 7, 1024, 5, 1000, 13 })
        {
            var a = new double[size];
            var b = new double[size];
            actual.NextPairs(a, b);
            for (int k = 0; k < a.Length; k++)
            {
                Assert.Equal(1.0 - expected.NextDouble(), a[k]);
                Assert.Equal(expected.NextDouble(), b[k]);
            }
            Assert.Equal(expected.NextDouble(), actual.NextDouble());
        }
    }

    [Fact]
    public void A_clone_that_skips_ahead_continues_the_same_sequence()
    {
        var whole = new SubtractiveRandom(3);
        var clone = whole.Clone();
        clone.Skip(5_001);
        for (int k = 0; k < 5_001; k++) whole.NextDouble();
        for (int k = 0; k < 500; k++) Assert.Equal(whole.NextDouble(), clone.NextDouble());
    }
}
