using MovieRec.Core.Algorithms.MatrixFactorization;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

public class SinCosKernelTests
{
    [Fact]
    public void Matches_Math_to_the_last_bits_and_gives_the_same_Box_Muller_floats()
    {
        // The arguments Box-Muller uses (2π·u, u uniform in [0, 1)) plus the quadrant edges.
        var rng = new Random(7);
        int n = 400_003;
        var x = new double[n];
        var radius = new double[n];
        for (int k = 0; k < n; k++)
        {
            radius[k] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * 0.1;
            x[k] = rng.NextDouble() * (2 * Math.PI);
        }
        for (int k = 0; k < 9; k++) x[k] = k * Math.PI / 4;
        var sin = new double[n];
        var cos = new double[n];
        SinCosKernel.SinCos(x, sin, cos);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(Math.Sin(x[k]), sin[k], 2.3e-16);
            Assert.Equal(Math.Cos(x[k]), cos[k], 2.3e-16);
            // The initial factors are floats: the last-bit differences of the doubles never reach them.
            Assert.Equal((float)(radius[k] * Math.Sin(x[k])), (float)(radius[k] * sin[k]));
            Assert.Equal((float)(radius[k] * Math.Cos(x[k])), (float)(radius[k] * cos[k]));
        }
    }
}
