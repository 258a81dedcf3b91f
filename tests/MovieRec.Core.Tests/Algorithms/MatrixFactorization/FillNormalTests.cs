using MovieRec.Core.Algorithms.MatrixFactorization;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

public class FillNormalTests
{
    [Fact]
    public void Padded_and_split_fills_give_the_draws_of_one_fill_on_a_seeded_System_Random()
    {
        const int rows = 3001, width = 37, stride = 40;
        var expected = new float[rows * width];
        GaussianFill.Fill(new Random(11), expected, 0.05, 0.1);
        var padded = new float[rows * stride];
        GaussianFill.Fill(new SubtractiveRandom(11), padded, 0, expected.Length, expected.Length, width, stride, 0.05, 0.1);
        var parts = new float[rows * stride];
        var first = new SubtractiveRandom(11);
        var second = first.Clone();
        int half = expected.Length / 4 * 2;
        second.Skip(half);
        GaussianFill.Fill(second, parts, half, expected.Length - half, expected.Length, width, stride, 0.05, 0.1);
        GaussianFill.Fill(first, parts, 0, half, expected.Length, width, stride, 0.05, 0.1);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < stride; c++)
            {
                float want = c < width ? expected[r * width + c] : 0f;
                Assert.Equal(want, padded[r * stride + c]);
                Assert.Equal(want, parts[r * stride + c]);
            }
        }
    }
}
