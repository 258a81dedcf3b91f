using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>
/// In-place inverse of a dense symmetric positive definite matrix (row-major, float64), written for EASE's
/// item-item Gram matrix: blocked left-looking Cholesky A = L Lᵀ, then Wᵀ = L⁻ᵀ by blocked forward substitution,
/// then A⁻¹ = Wᵀ W. Every step is built on one register-tiled kernel (<see cref="DotTile"/>: dot products of
/// row blocks, 4 × 3 rows at a time, SIMD over k and chunked for the cache), so about n³ flops run near the
/// machine's SIMD rate; blocks run in parallel. Each entry is computed by the same sequence of operations
/// whatever the thread count, so the result is deterministic.
/// </summary>
internal static class DenseSpd
{
    private const int Block = 64;
    private const int KChunk = 256;

    /// <summary>Replaces <paramref name="a"/> (n × n, symmetric positive definite) with its inverse.</summary>
    public static void Invert(double[] a, int n, ParallelOptions parallel)
    {
        if (a.Length < (long)n * n) throw new ArgumentException("Matrix is smaller than n × n.", nameof(a));
        Cholesky(a, n, parallel);
        var wt = InverseTransposeOfLower(a, n, parallel);
        ProductWithTranspose(wt, a, n, parallel);
    }

    /// <summary>Lower-triangular L with A = L Lᵀ, in place (the upper triangle is left as it was).</summary>
    internal static void Cholesky(double[] a, int n, ParallelOptions parallel)
    {
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int j1 = Math.Min(n, j0 + Block), jb = j1 - j0;
            int blocksBelow = (n - j0 + Block - 1) / Block;
            if (j0 > 0)
            {
                // A[I, J] −= L[I, 0:j0] L[J, 0:j0]ᵀ for every row block I at or below J.
                Parallel.For(0, blocksBelow, parallel, bi =>
                {
                    int i0 = j0 + bi * Block, ib = Math.Min(n, i0 + Block) - i0;
                    var tile = new double[ib * jb];
                    DotTile(a, i0, ib, a, j0, jb, n, 0, j0, tile);
                    for (int r = 0; r < ib; r++)
                    {
                        var row = a.AsSpan((i0 + r) * n + j0, jb);
                        TensorPrimitives.Subtract(row, tile.AsSpan(r * jb, jb), row);
                    }
                });
            }
            // Factor the diagonal block.
            for (int j = j0; j < j1; j++)
            {
                var lj = a.AsSpan(j * n + j0, j - j0);
                double d = a[j * n + j] - TensorPrimitives.Dot(lj, lj);
                if (!(d > 0)) throw new InvalidOperationException("Matrix is not positive definite (raise the regularisation).");
                double djj = Math.Sqrt(d);
                a[j * n + j] = djj;
                for (int i = j + 1; i < j1; i++)
                    a[i * n + j] = (a[i * n + j] - TensorPrimitives.Dot(a.AsSpan(i * n + j0, j - j0), lj)) / djj;
            }
            // Rows below: L[i, J] = A[i, J] L[J, J]⁻ᵀ.
            if (j1 < n)
            {
                Parallel.For(j1, n, parallel, i =>
                {
                    for (int j = j0; j < j1; j++)
                        a[i * n + j] = (a[i * n + j] - TensorPrimitives.Dot(a.AsSpan(i * n + j0, j - j0), a.AsSpan(j * n + j0, j - j0))) / a[j * n + j];
                });
            }
        }
    }

    /// <summary>
    /// Wᵀ = (L⁻¹)ᵀ, upper triangular with explicit zeros, from the lower triangle of <paramref name="l"/>. Row j of Wᵀ
    /// (column j of W) solves L w = e_j: w_i = −(Σ_{k=j}^{i−1} L_ik w_k) / L_ii for i > j, w_j = 1 / L_jj.
    /// Row blocks of Wᵀ are independent.
    /// </summary>
    internal static double[] InverseTransposeOfLower(double[] l, int n, ParallelOptions parallel)
    {
        var wt = new double[(long)n * n];
        int blocks = (n + Block - 1) / Block;
        Parallel.For(0, blocks, parallel, bj =>
        {
            int j0 = bj * Block, j1 = Math.Min(n, j0 + Block), jb = j1 - j0;
            var tile = new double[jb * Block];
            for (int i0 = j0; i0 < n; i0 += Block)
            {
                int i1 = Math.Min(n, i0 + Block), ib = i1 - i0;
                if (i0 > j0) DotTile(wt, j0, jb, l, i0, ib, n, j0, i0, tile);
                for (int i = i0; i < i1; i++)
                {
                    double lii = l[i * n + i];
                    var li = l.AsSpan(i * n + i0, i - i0);
                    for (int j = j0; j < Math.Min(j1, i + 1); j++)
                    {
                        double s = TensorPrimitives.Dot(li, wt.AsSpan(j * n + i0, i - i0));
                        if (i0 > j0) s += tile[(j - j0) * ib + (i - i0)];
                        wt[j * n + i] = i == j ? 1 / lii : -s / lii;
                    }
                }
            }
        });
        return wt;
    }

    /// <summary>result = Wᵀ W, i.e. result_ij = Σ_{k ≥ max(i, j)} Wᵀ_ik Wᵀ_jk, computed on the lower block triangle and mirrored.</summary>
    internal static void ProductWithTranspose(double[] wt, double[] result, int n, ParallelOptions parallel)
    {
        int blocks = (n + Block - 1) / Block;
        var pairs = new List<(int I, int J)>();
        for (int bi = 0; bi < blocks; bi++)
        {
            for (int bj = 0; bj <= bi; bj++) pairs.Add((bi, bj));
        }
        Parallel.For(0, pairs.Count, parallel, p =>
        {
            var (bi, bj) = pairs[p];
            int i0 = bi * Block, ib = Math.Min(n, i0 + Block) - i0;
            int j0 = bj * Block, jb = Math.Min(n, j0 + Block) - j0;
            var tile = new double[ib * jb];
            // Wᵀ_ik = 0 for k < i, so the sum can start at the larger block's first row.
            DotTile(wt, i0, ib, wt, j0, jb, n, i0, n, tile);
            for (int r = 0; r < ib; r++)
            {
                for (int c = 0; c < jb; c++)
                {
                    result[(i0 + r) * n + j0 + c] = tile[r * jb + c];
                    result[(j0 + c) * n + i0 + r] = tile[r * jb + c];
                }
            }
        });
    }

    /// <summary>
    /// tile[r · bRows + c] = Σ_{k0 ≤ k &lt; k1} a[(aRow0 + r) n + k] · b[(bRow0 + c) n + k]. Register-tiled 4 × 3 and
    /// 4 × 2 (12 accumulators, 3 b vectors and 1 a vector: the 16 AVX2 registers) with SIMD over k, chunked over k so
    /// the b rows stay in cache.
    /// </summary>
    internal static void DotTile(double[] a, int aRow0, int aRows, double[] b, int bRow0, int bRows, int n, int k0, int k1, double[] tile)
    {
        Array.Clear(tile, 0, aRows * bRows);
        if (k1 <= k0) return;
        int w = Vector<double>.Count;
        ref double ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref double rb = ref MemoryMarshal.GetArrayDataReference(b);
        for (int kc = k0; kc < k1; kc += KChunk)
        {
            int ke = Math.Min(k1, kc + KChunk);
            int len = ke - kc;
            int vecEnd = kc + len - len % w;
            int r = 0;
            for (; r + 4 <= aRows; r += 4)
            {
                nuint a0 = (nuint)((long)(aRow0 + r) * n), a1 = a0 + (nuint)n, a2 = a1 + (nuint)n, a3 = a2 + (nuint)n;
                int c = 0;
                // 4 × 3 tiles first (7 loads per 12 multiply-adds instead of 6 per 8), an even count of them so the
                // columns left for the 4 × 2 tiles are even; every entry is summed in the same order either way.
                int triples = (bRows - (bRows & 1)) / 3;
                triples -= triples & 1;
                for (; c < 3 * triples; c += 3)
                {
                    nuint b0 = (nuint)((long)(bRow0 + c) * n), b1 = b0 + (nuint)n, b2 = b1 + (nuint)n;
                    Vector<double> s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
                    Vector<double> s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
                    for (int k = kc; k < vecEnd; k += w)
                    {
                        var y0 = Vector.LoadUnsafe(ref rb, b0 + (nuint)k);
                        var y1 = Vector.LoadUnsafe(ref rb, b1 + (nuint)k);
                        var y2 = Vector.LoadUnsafe(ref rb, b2 + (nuint)k);
                        var x = Vector.LoadUnsafe(ref ra, a0 + (nuint)k);
                        s00 = Vector.FusedMultiplyAdd(x, y0, s00);
                        s01 = Vector.FusedMultiplyAdd(x, y1, s01);
                        s02 = Vector.FusedMultiplyAdd(x, y2, s02);
                        x = Vector.LoadUnsafe(ref ra, a1 + (nuint)k);
                        s10 = Vector.FusedMultiplyAdd(x, y0, s10);
                        s11 = Vector.FusedMultiplyAdd(x, y1, s11);
                        s12 = Vector.FusedMultiplyAdd(x, y2, s12);
                        x = Vector.LoadUnsafe(ref ra, a2 + (nuint)k);
                        s20 = Vector.FusedMultiplyAdd(x, y0, s20);
                        s21 = Vector.FusedMultiplyAdd(x, y1, s21);
                        s22 = Vector.FusedMultiplyAdd(x, y2, s22);
                        x = Vector.LoadUnsafe(ref ra, a3 + (nuint)k);
                        s30 = Vector.FusedMultiplyAdd(x, y0, s30);
                        s31 = Vector.FusedMultiplyAdd(x, y1, s31);
                        s32 = Vector.FusedMultiplyAdd(x, y2, s32);
                    }
                    double t00 = Vector.Sum(s00), t01 = Vector.Sum(s01), t02 = Vector.Sum(s02), t10 = Vector.Sum(s10), t11 = Vector.Sum(s11), t12 = Vector.Sum(s12);
                    double t20 = Vector.Sum(s20), t21 = Vector.Sum(s21), t22 = Vector.Sum(s22), t30 = Vector.Sum(s30), t31 = Vector.Sum(s31), t32 = Vector.Sum(s32);
                    for (int k = vecEnd; k < ke; k++)
                    {
                        double y0 = b[(long)b0 + k], y1 = b[(long)b1 + k], y2 = b[(long)b2 + k];
                        t00 += a[(long)a0 + k] * y0; t01 += a[(long)a0 + k] * y1; t02 += a[(long)a0 + k] * y2;
                        t10 += a[(long)a1 + k] * y0; t11 += a[(long)a1 + k] * y1; t12 += a[(long)a1 + k] * y2;
                        t20 += a[(long)a2 + k] * y0; t21 += a[(long)a2 + k] * y1; t22 += a[(long)a2 + k] * y2;
                        t30 += a[(long)a3 + k] * y0; t31 += a[(long)a3 + k] * y1; t32 += a[(long)a3 + k] * y2;
                    }
                    int o = r * bRows + c;
                    tile[o] += t00; tile[o + 1] += t01; tile[o + 2] += t02;
                    o += bRows;
                    tile[o] += t10; tile[o + 1] += t11; tile[o + 2] += t12;
                    o += bRows;
                    tile[o] += t20; tile[o + 1] += t21; tile[o + 2] += t22;
                    o += bRows;
                    tile[o] += t30; tile[o + 1] += t31; tile[o + 2] += t32;
                }
                for (; c + 2 <= bRows; c += 2)
                {
                    nuint b0 = (nuint)((long)(bRow0 + c) * n), b1 = b0 + (nuint)n;
                    Vector<double> s00 = default, s01 = default, s10 = default, s11 = default;
                    Vector<double> s20 = default, s21 = default, s30 = default, s31 = default;
                    for (int k = kc; k < vecEnd; k += w)
                    {
                        var y0 = Vector.LoadUnsafe(ref rb, b0 + (nuint)k);
                        var y1 = Vector.LoadUnsafe(ref rb, b1 + (nuint)k);
                        var x = Vector.LoadUnsafe(ref ra, a0 + (nuint)k);
                        s00 = Vector.FusedMultiplyAdd(x, y0, s00);
                        s01 = Vector.FusedMultiplyAdd(x, y1, s01);
                        x = Vector.LoadUnsafe(ref ra, a1 + (nuint)k);
                        s10 = Vector.FusedMultiplyAdd(x, y0, s10);
                        s11 = Vector.FusedMultiplyAdd(x, y1, s11);
                        x = Vector.LoadUnsafe(ref ra, a2 + (nuint)k);
                        s20 = Vector.FusedMultiplyAdd(x, y0, s20);
                        s21 = Vector.FusedMultiplyAdd(x, y1, s21);
                        x = Vector.LoadUnsafe(ref ra, a3 + (nuint)k);
                        s30 = Vector.FusedMultiplyAdd(x, y0, s30);
                        s31 = Vector.FusedMultiplyAdd(x, y1, s31);
                    }
                    double t00 = Vector.Sum(s00), t01 = Vector.Sum(s01), t10 = Vector.Sum(s10), t11 = Vector.Sum(s11);
                    double t20 = Vector.Sum(s20), t21 = Vector.Sum(s21), t30 = Vector.Sum(s30), t31 = Vector.Sum(s31);
                    for (int k = vecEnd; k < ke; k++)
                    {
                        double y0 = b[(long)b0 + k], y1 = b[(long)b1 + k];
                        t00 += a[(long)a0 + k] * y0; t01 += a[(long)a0 + k] * y1;
                        t10 += a[(long)a1 + k] * y0; t11 += a[(long)a1 + k] * y1;
                        t20 += a[(long)a2 + k] * y0; t21 += a[(long)a2 + k] * y1;
                        t30 += a[(long)a3 + k] * y0; t31 += a[(long)a3 + k] * y1;
                    }
                    tile[r * bRows + c] += t00; tile[r * bRows + c + 1] += t01;
                    tile[(r + 1) * bRows + c] += t10; tile[(r + 1) * bRows + c + 1] += t11;
                    tile[(r + 2) * bRows + c] += t20; tile[(r + 2) * bRows + c + 1] += t21;
                    tile[(r + 3) * bRows + c] += t30; tile[(r + 3) * bRows + c + 1] += t31;
                }
                for (; c < bRows; c++)
                {
                    var bs = b.AsSpan((bRow0 + c) * n + kc, len);
                    for (int q = 0; q < 4; q++)
                        tile[(r + q) * bRows + c] += TensorPrimitives.Dot(a.AsSpan((aRow0 + r + q) * n + kc, len), bs);
                }
            }
            for (; r < aRows; r++)
            {
                var ar = a.AsSpan((aRow0 + r) * n + kc, len);
                for (int c = 0; c < bRows; c++)
                    tile[r * bRows + c] += TensorPrimitives.Dot(ar, b.AsSpan((bRow0 + c) * n + kc, len));
            }
        }
    }
}
