using System.Numerics.Tensors;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// The seeded N(mean, std²) initialisation of the SGD factor models (SVD, SVD++): Box–Muller draws on the same uniform
/// sequence as Surprise's scalar form, vectorised, and splittable so that parts filled in parallel equal one fill.
/// </summary>
internal static class GaussianFill
{
    /// <summary>Fills <paramref name="target"/> with N(mean, std) draws (Box–Muller over the seeded generator).</summary>
    public static void Fill(Random rng, Span<float> target, double mean, double std) =>
        Fill(rng, null, target, 0, target.Length, target.Length, target.Length, mean, std);

    /// <summary>
    /// The same draws as <see cref="Fill(Random, Span{float}, double, double)"/> on <c>new Random(seed)</c>
    /// with the same calls, from <paramref name="rng"/>: values [from, from + count) (from even) of a fill of
    /// <paramref name="total"/> values, written in rows of <paramref name="width"/> at <paramref name="stride"/>
    /// floats apart (padding untouched). A fill split this way, with each part's generator advanced past the
    /// earlier parts' draws, gives the same values as one call.
    /// </summary>
    public static void Fill(SubtractiveRandom rng, Span<float> target, int from, int count, int total, int width, int stride, double mean, double std)
    {
        if ((from & 1) != 0 || from + count > total) throw new ArgumentOutOfRangeException(nameof(from));
        Fill(null, rng, target, from, count, width, stride, mean, std);
    }

    /// <summary>Uniform draws a fill of <paramref name="values"/> values consumes (two per pair).</summary>
    public static long DrawsFor(long values) => (values + 1) / 2 * 2;

    private static void Fill(Random? rng, SubtractiveRandom? fast, Span<float> target, int from, int count, int width, int stride, double mean, double std)
    {
        // Box-Muller on the same uniform sequence as the scalar form (u1 then u2 per pair), with the log, sqrt,
        // sin and cos vectorised over blocks of pairs: much faster on a million factors, and the same floats (the
        // log, sine and cosine differ from Math's in the last bit of the double at most; see SinCosKernel).
        const int Block = 1024;
        Span<double> u1 = stackalloc double[Block];
        Span<double> u2 = stackalloc double[Block];
        Span<double> sin = stackalloc double[Block];
        Span<double> cos = stackalloc double[Block];
        int pairs = (count + 1) / 2;
        int written = 0, col = from % width, rowStart = from / width * stride;
        for (int first = 0; first < pairs; first += Block)
        {
            int n = Math.Min(Block, pairs - first);
            var a = u1[..n];
            var b = u2[..n];
            if (fast is not null)
                fast.NextPairs(a, b);
            else
            {
                for (int k = 0; k < n; k++)
                {
                    a[k] = 1.0 - rng!.NextDouble();
                    b[k] = rng.NextDouble();
                }
            }
            SinCosKernel.Log(a, a);
            TensorPrimitives.Multiply(a, -2.0, a);
            TensorPrimitives.Sqrt(a, a);
            TensorPrimitives.Multiply(a, std, a);
            TensorPrimitives.Multiply(b, 2 * Math.PI, b);
            SinCosKernel.SinCos(b, sin[..n], cos[..n]);
            for (int k = 0; k < n; k++)
            {
                target[rowStart + col] = (float)(mean + a[k] * cos[k]);
                if (++col == width) { col = 0; rowStart += stride; }
                if (++written == count) break;
                target[rowStart + col] = (float)(mean + a[k] * sin[k]);
                if (++col == width) { col = 0; rowStart += stride; }
                ++written;
            }
        }
    }
}
