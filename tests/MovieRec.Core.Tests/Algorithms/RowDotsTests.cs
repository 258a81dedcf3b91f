using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Tests.Algorithms;

public class RowDotsTests
{
    [Theory]
    [InlineData(64, 9_724)] // iALS's factors over ml-latest-small's movies
    [InlineData(8, 7)] // fewer rows than a block of four
    [InlineData(16, 4_001)] // a remainder row after the blocks
    [InlineData(12, 10)] // a width the 256-bit path does not take
    [InlineData(1, 3)]
    public void Every_row_gets_its_dot_product_with_x(int width, int rows)
    {
        var rng = new Random(width * 31 + rows);
        var matrix = new float[rows * width + 5]; // longer than the rows used: the tail is not read
        for (int i = 0; i < matrix.Length; i++) matrix[i] = (float)(rng.NextDouble() * 2 - 1);
        var x = new float[width];
        for (int j = 0; j < width; j++) x[j] = (float)(rng.NextDouble() * 2 - 1);
        var y = new float[rows];

        RowDots.Multiply(matrix, width, x, y);

        for (int i = 0; i < rows; i++)
        {
            double expected = 0;
            for (int j = 0; j < width; j++) expected += (double)matrix[i * width + j] * x[j];
            Assert.True(Math.Abs(y[i] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"row {i}: {y[i]} against {expected}");
        }
    }

    [Fact]
    public void A_row_scores_the_same_wherever_it_sits()
    {
        // The golden tests and the cache rely on a movie's score not depending on its neighbours in the block of four.
        var rng = new Random(7);
        const int width = 32;
        var rows = new float[9 * width];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)rng.NextDouble();
        var x = new float[width];
        for (int j = 0; j < width; j++) x[j] = (float)rng.NextDouble();
        var all = new float[9];
        RowDots.Multiply(rows, width, x, all);
        for (int i = 0; i < 9; i++)
        {
            var one = new float[1];
            RowDots.Multiply(rows.AsSpan(i * width, width), width, x, one);
            Assert.Equal(all[i], one[0]);
        }
    }

    [Fact]
    public void Too_few_rows_or_a_wrong_width_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => RowDots.Multiply(new float[15], 8, new float[8], new float[2]));
        Assert.Throws<ArgumentException>(() => RowDots.Multiply(new float[16], 8, new float[7], new float[2]));
    }
}
