using System.Runtime.Intrinsics;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// The transcendental functions of Box–Muller, vectorised for doubles. sin and cos together: reduction by π/2 in two
/// FMA steps and fdlibm's kernel polynomials (k_sin.c, k_cos.c) on [−π/4, π/4]; within about one ulp of
/// <see cref="Math.Sin"/>/<see cref="Math.Cos"/> for the arguments Box–Muller uses ([0, 2π)) and about 8x faster than
/// TensorPrimitives' separate Sin and Cos for double; not for large arguments (the two-step reduction loses accuracy
/// beyond a few thousand). log: fdlibm's e_log.c for positive normal arguments (Box–Muller's 1 − u in (0, 1]), within
/// about one ulp of <see cref="Math.Log(double)"/>, at a steady speed (TensorPrimitives.Log's varies 5x with JIT tier).
/// </summary>
internal static class SinCosKernel
{
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>Natural log of positive normal doubles (others: Math.Log's answer only on the scalar path).</summary>
    public static void Log(ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var sqrt2 = Vector256.Create(1.4142135623730951);
            for (; k <= n - 4; k += 4)
            {
                var v = Vector256.Create(x.Slice(k, 4));
                if (!Vector256.GreaterThanAll(v, Vector256.Create(2.2250738585072014e-308)) || !Vector256.LessThanAll(v, Vector256.Create(double.PositiveInfinity)))
                {
                    for (int j = k; j < k + 4; j++) y[j] = Math.Log(x[j]);
                    continue;
                }
                // x = 2^e·m with m in (√2/2, √2]; log x = e·ln 2 + log(1 + f), f = m − 1, as e_log.c.
                var bits = v.AsInt64();
                var e = (bits >>> 52) - Vector256.Create(1023L);
                var m = ((bits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).AsDouble();
                var big = Vector256.GreaterThan(m, sqrt2);
                m = Vector256.ConditionalSelect(big, m * 0.5, m);
                e -= big.AsInt64();
                var dk = Vector256.ConvertToDouble(e);
                var f = m - Vector256<double>.One;
                var hfsq = 0.5 * f * f;
                var s = f / (Vector256.Create(2.0) + f);
                var z = s * s;
                var w = z * z;
                var t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Lg6));
                var t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Lg7)));
                var r = t2 + t1;
                (dk * Ln2Hi - ((hfsq - (s * (hfsq + r) + dk * Ln2Lo)) - f)).CopyTo(y.Slice(k, 4));
            }
        }
        for (; k < n; k++) y[k] = Math.Log(x[k]);
    }

    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    private const double TwoOverPi = 0.63661977236758134308, Pio2Hi = 1.5707963267948966, Pio2Lo = 6.123233995736766e-17;
    // 1.5·2^52: adding it rounds to an integer (to nearest even) that sits in the low bits of the double.
    private const double RoundMagic = 6755399441055744.0;

    public static void SinCos(ReadOnlySpan<double> x, Span<double> sin, Span<double> cos)
    {
        int n = x.Length, k = 0;
        if (Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            var one = Vector256<double>.One;
            var signBit = Vector256.Create(-0.0);
            for (; k <= n - 4; k += 4)
            {
                var v = Vector256.Create(x.Slice(k, 4));
                var t = v * TwoOverPi + Vector256.Create(RoundMagic);
                var q = t - Vector256.Create(RoundMagic);
                var r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(Pio2Hi), v);
                r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(Pio2Lo), r);
                var z = r * r;
                var sr = Vector256.Create(S2) + z * (Vector256.Create(S3) + z * (Vector256.Create(S4) + z * (Vector256.Create(S5) + z * S6)));
                var s = r + (z * r) * (Vector256.Create(S1) + z * sr);
                var cp = z * (Vector256.Create(C1) + z * (Vector256.Create(C2) + z * (Vector256.Create(C3) + z * (Vector256.Create(C4) + z * (Vector256.Create(C5) + z * C6)))));
                var hz = z * 0.5;
                var w = one - hz;
                var c = w + (((one - w) - hz) + z * cp);
                // Quadrant q mod 4: 0 (s, c), 1 (c, −s), 2 (−s, −c), 3 (−c, s).
                var quad = t.AsInt64() & Vector256.Create(3L);
                var odd = Vector256.Equals(quad & Vector256.Create(1L), Vector256.Create(1L)).AsDouble();
                var sinV = Vector256.ConditionalSelect(odd, c, s);
                var cosV = Vector256.ConditionalSelect(odd, s, c);
                var negSin = Vector256.GreaterThan(quad, Vector256.Create(1L)).AsDouble();
                var negCos = (Vector256.Equals(quad, Vector256.Create(1L)) | Vector256.Equals(quad, Vector256.Create(2L))).AsDouble();
                (sinV ^ (negSin & signBit)).CopyTo(sin.Slice(k, 4));
                (cosV ^ (negCos & signBit)).CopyTo(cos.Slice(k, 4));
            }
        }
        for (; k < n; k++)
        {
            sin[k] = Math.Sin(x[k]);
            cos[k] = Math.Cos(x[k]);
        }
    }
}
