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

    [Fact]
    public void Log_matches_Math_to_the_last_bits_and_gives_the_same_Box_Muller_floats()
    {
        var rng = new Random(9);
        int n = 400_003;
        var u = new double[n];
        var angle = new double[n];
        for (int k = 0; k < n; k++)
        {
            u[k] = 1.0 - rng.NextDouble();
            angle[k] = Math.Cos(rng.NextDouble() * (2 * Math.PI));
        }
        // The ends of Box-Muller's range and the edges of the mantissa reduction.
        double[] edges = [1.0, 1.0 / int.MaxValue, 0.5, 0.70710678118654752, 0.7071067811865476, 1 - 1e-16, 0.25, 1e-300];
        edges.CopyTo(u, 0);
        var log = new double[n];
        SinCosKernel.Log(u, log);
        for (int k = 0; k < n; k++)
        {
            double exact = Math.Log(u[k]);
            Assert.Equal(exact, log[k], Math.Abs(exact) * 2.3e-16);
            Assert.Equal((float)(Math.Sqrt(-2 * exact) * 0.1 * angle[k]), (float)(Math.Sqrt(-2 * log[k]) * 0.1 * angle[k]));
        }
    }
}
