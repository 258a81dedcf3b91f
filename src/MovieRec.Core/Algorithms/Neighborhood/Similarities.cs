using System.Globalization;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>Similarity measures between users (or items), as Surprise names them.</summary>
public enum SimilarityMeasure
{
    /// <summary>msd = 1 / (Σ(r_xy − r_x'y)² / |I_xx'| + 1) over common y (Surprise's default).</summary>
    Msd,

    /// <summary>cosine = Σ r_xy r_x'y / sqrt(Σ r_xy² · Σ r_x'y²) over common y.</summary>
    Cosine,

    /// <summary>Pearson correlation over common y, each side centred on its mean over the common y.</summary>
    Pearson,

    /// <summary>Pearson of the baseline residuals r − b, shrunk by (n − 1) / (n − 1 + shrinkage) (Koren 2010, eq. 2).</summary>
    PearsonBaseline,

    /// <summary>Ours (not in Surprise): 1 / (1 + sqrt(Σ(r_xy − r_x'y)²)) over common y; the last seed's measure.</summary>
    Euclidean,
}

/// <summary>
/// Similarity options (Surprise's sim_options). Defaults: msd, user-based, min_support 1, shrinkage 100 (used by
/// pearson_baseline only).
/// </summary>
public sealed record SimilarityOptions
{
    public SimilarityMeasure Measure { get; init; } = SimilarityMeasure.Msd;

    /// <summary>True: similarities between users; false: between items.</summary>
    public bool UserBased { get; init; } = true;

    /// <summary>Pairs with fewer common ratings than this get similarity 0 (default 1).</summary>
    public int MinSupport { get; init; } = 1;

    /// <summary>pearson_baseline's shrinkage (default 100).</summary>
    public double Shrinkage { get; init; } = 100;

    public void Validate()
    {
        if (!Enum.IsDefined(Measure)) throw new ArgumentException($"Unknown similarity {Measure}.", nameof(Measure));
        OptionChecks.NonNegative(MinSupport, nameof(MinSupport));
        OptionChecks.NonNegative(Shrinkage, nameof(Shrinkage));
    }

    public override string ToString()
    {
        string text = $"sim={Similarities.Format(Measure)}, user-based={(UserBased ? "true" : "false")}, min-support={MinSupport}";
        return Measure == SimilarityMeasure.PearsonBaseline
            ? text + ", shrinkage=" + Shrinkage.ToString(CultureInfo.InvariantCulture)
            : text;
    }
}

/// <summary>
/// A symmetric n × n similarity matrix with 1 on the diagonal, dense and row-major in single precision (378 MB for
/// ml-latest-small's 9,724 items). Dense rather than a packed triangle: predicting reads sim(x, ·) for a user's
/// rated items, which a dense row keeps contiguous (with a packed triangle, test-set predictions took about 3x as
/// long in a measurement on a loaded machine; the triangle fitted faster, without the mirror pass).
/// </summary>
public sealed class SimilarityMatrix
{
    /// <summary>The largest n whose n² floats fit one .NET array.</summary>
    public const int MaxSize = 46_000;

    internal SimilarityMatrix(int size, float[] values)
    {
        Size = size;
        Values = values;
    }

    public int Size { get; }

    /// <summary>Row-major n × n values.</summary>
    public float[] Values { get; }

    public float this[int a, int b] => Values[(long)a * Size + b];

    public ReadOnlySpan<float> Row(int a) => Values.AsSpan((int)((long)a * Size), Size);
}

/// <summary>
/// Computes Surprise's similarities (surprise/similarities.pyx) over the CSR views. For each row x (in parallel),
/// every y that x rated and every x' &gt; x that rated y accumulate into per-thread dense accumulators, so only the
/// upper triangle is computed (cost Σ_y |R(y)|² / 2), then mirrored in cache-sized tiles. Accumulation is in double precision.
/// Pairs with fewer than min_support common ratings, and pairs where a formula's denominator is 0, get 0.
/// </summary>
public static class Similarities
{
    public static readonly IReadOnlyList<string> Names = ["msd", "cosine", "pearson", "pearson-baseline", "euclidean"];

    /// <summary>Parses a Surprise name (msd, cosine, pearson, pearson_baseline) or euclidean.</summary>
    public static SimilarityMeasure Parse(string name, string parameterName = "sim") =>
        name?.Trim().ToLowerInvariant() switch
        {
            "msd" => SimilarityMeasure.Msd,
            "cosine" => SimilarityMeasure.Cosine,
            "pearson" => SimilarityMeasure.Pearson,
            "pearson_baseline" or "pearson-baseline" => SimilarityMeasure.PearsonBaseline,
            "euclidean" => SimilarityMeasure.Euclidean,
            _ => throw new ArgumentException($"Unknown similarity '{name}'. Known: {string.Join(", ", Names)}.", parameterName),
        };

    public static string Format(SimilarityMeasure measure) => Names[(int)measure];

    /// <summary>
    /// The similarity matrix between users (<see cref="SimilarityOptions.UserBased"/>) or items.
    /// <paramref name="baselines"/> is required by pearson_baseline.
    /// </summary>
    public static SimilarityMatrix Compute(RatingDataset train, SimilarityOptions options, BaselineEstimates? baselines, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        options.Validate();
        if (options.Measure == SimilarityMeasure.PearsonBaseline && baselines is null)
            throw new ArgumentException("pearson_baseline needs baseline estimates.", nameof(baselines));
        var xr = options.UserBased ? train.ByUser : train.ByItem;
        var yr = options.UserBased ? train.ByItem : train.ByUser;
        int n = xr.Rows;
        if (n > SimilarityMatrix.MaxSize)
            throw new ArgumentException($"A dense similarity matrix over {n} {(options.UserBased ? "users" : "items")} is too large (at most {SimilarityMatrix.MaxSize}).", nameof(train));
        var sim = new float[(long)n * n];
        double[]? xBias = null, yBias = null;
        if (baselines is not null)
        {
            xBias = options.UserBased ? baselines.UserBias : baselines.ItemBias;
            yBias = options.UserBased ? baselines.ItemBias : baselines.UserBias;
        }
        float[] xValues = xr.Values, yValues = yr.Values;
        if (options.Measure == SimilarityMeasure.PearsonBaseline)
        {
            // r − b over each CSR once, so the pair loop reads residuals sequentially.
            xValues = Residuals(xr, baselines!.GlobalMean, xBias!, yBias!);
            yValues = Residuals(yr, baselines.GlobalMean, yBias!, xBias!);
        }
        var job = new Job(xr, yr, xValues, yValues, options, sim);
        if (context.IsDeterministic)
        {
            // Rows in ascending order: x sits at cursor[y] in every column y it rated, so no binary search is needed.
            var acc = new Accumulators(n) { Cursor = (int[])yr.Offsets.Clone() };
            for (int x = 0; x < n; x++) job.Row(x, acc);
        }
        else
        {
            // Rows near the top have the most pairs (upper triangle): interleave them across workers.
            Parallel.For(0, n, context.ParallelOptions, () => new Accumulators(n), (x, _, acc) =>
            {
                job.Row(x, acc);
                return acc;
            }, _ => { });
        }
        MirrorUpper(sim, n, 1f, context);
        return new SimilarityMatrix(n, sim);
    }

    /// <summary>
    /// One pair's sums, interleaved so an update touches one cache line. Single precision keeps a row's
    /// accumulators (16 bytes × n) in L2; the sums have at most a few thousand terms, so the similarities agree with
    /// double-precision ones to about 1e-6.
    /// </summary>
    internal struct Pair
    {
        public float Prods;
        public float SqI;
        public float SqJ;
        public int Freq;
    }

    /// <summary>Per-thread dense accumulators indexed by x' (Sums only for pearson).</summary>
    internal sealed class Accumulators(int n)
    {
        public readonly Pair[] Pairs = new Pair[n];
        public readonly (float I, float J)[] Sums = new (float, float)[n];

        /// <summary>Sequential mode only: per column y, the position of the current row x in y's sorted list.</summary>
        public int[]? Cursor { get; init; }
    }

    // r_rc − (μ + b_row + b_col) aligned with the CSR's values.
    private static float[] Residuals(CsrMatrix m, double mu, double[] rowBias, double[] columnBias)
    {
        var res = new float[m.NonZeros];
        for (int r = 0; r < m.Rows; r++)
        {
            for (int k = m.Offsets[r]; k < m.Offsets[r + 1]; k++)
                res[k] = (float)(m.Values[k] - (mu + rowBias[r] + columnBias[m.Columns[k]]));
        }
        return res;
    }

    /// <summary>Copies the upper triangle onto the lower one (times <paramref name="sign"/>) in cache-sized tiles.</summary>
    internal static void MirrorUpper(float[] m, int n, float sign, TrainingContext context)
    {
        const int Tile = 64;
        int tiles = (n + Tile - 1) / Tile;
        void Band(int tb)
        {
            // Tiles (ta, tb) with ta <= tb: rows of tile ta, columns of tile tb, written to (tb, ta).
            int c0 = tb * Tile, c1 = Math.Min(n, c0 + Tile);
            for (int ta = 0; ta <= tb; ta++)
            {
                int r0 = ta * Tile, r1 = Math.Min(n, r0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    long row = (long)r * n;
                    for (int c = Math.Max(c0, r + 1); c < c1; c++)
                        m[(long)c * n + r] = sign * m[row + c];
                }
            }
        }
        if (context.IsDeterministic)
        {
            for (int tb = 0; tb < tiles; tb++) Band(tb);
        }
        else
        {
            Parallel.For(0, tiles, context.ParallelOptions, Band);
        }
    }

    // xValues and yValues are aligned with xr and yr: ratings, or baseline residuals for pearson_baseline.
    private sealed class Job(CsrMatrix xr, CsrMatrix yr, float[] xValues, float[] yValues, SimilarityOptions options, float[] sim)
    {
        private readonly int _n = xr.Rows;

        public void Row(int x, Accumulators a)
        {
            Accumulate(x, a);
            Finish(x, a);
        }

        private void Accumulate(int x, Accumulators a)
        {
            var xOff = xr.Offsets;
            var xCols = xr.Columns;
            var yOff = yr.Offsets;
            var yCols = yr.Columns;
            var pairs = a.Pairs;
            var cursor = a.Cursor;
            var measure = options.Measure;
            for (int k = xOff[x]; k < xOff[x + 1]; k++)
            {
                int y = xCols[k];
                float ri = xValues[k];
                int start = yOff[y], end = yOff[y + 1];
                // Only x' > x: the row is sorted, so skip to the first such column.
                int from;
                if (cursor is not null)
                {
                    from = ++cursor[y];
                }
                else
                {
                    from = Array.BinarySearch(yCols, start, end - start, x + 1);
                    if (from < 0) from = ~from;
                }
                switch (measure)
                {
                    case SimilarityMeasure.Msd:
                    case SimilarityMeasure.Euclidean:
                        for (int m = from; m < end; m++)
                        {
                            ref var p = ref pairs[yCols[m]];
                            float d = ri - yValues[m];
                            p.Freq++;
                            p.SqI += d * d;
                        }
                        break;
                    case SimilarityMeasure.Pearson:
                        {
                            float ri2 = ri * ri;
                            var s = a.Sums;
                            for (int m = from; m < end; m++)
                            {
                                int x2 = yCols[m];
                                ref var p = ref pairs[x2];
                                float rj = yValues[m];
                                p.Freq++;
                                p.Prods += ri * rj;
                                p.SqI += ri2;
                                p.SqJ += rj * rj;
                                s[x2].I += ri;
                                s[x2].J += rj;
                            }
                            break;
                        }
                    default:
                        {
                            // cosine on ratings, pearson_baseline on baseline residuals: the same sums.
                            float ri2 = ri * ri;
                            for (int m = from; m < end; m++)
                            {
                                ref var p = ref pairs[yCols[m]];
                                float rj = yValues[m];
                                p.Freq++;
                                p.Prods += ri * rj;
                                p.SqI += ri2;
                                p.SqJ += rj * rj;
                            }
                            break;
                        }
                }
            }
        }

        // Writes the upper part of row x (the lower triangle is mirrored afterwards) and clears the accumulators.
        private void Finish(int x, Accumulators a)
        {
            int n = _n;
            long rowBase = (long)x * n;
            sim[rowBase + x] = 1f;
            var pairs = a.Pairs;
            var sums = a.Sums;
            int minSupport = options.MinSupport;
            double shrinkage = options.Shrinkage;
            var measure = options.Measure;
            for (int x2 = x + 1; x2 < n; x2++)
            {
                ref var p = ref pairs[x2];
                int f = p.Freq;
                if (f == 0) continue; // 0, as allocated
                var (si, sj) = sums[x2];
                sim[rowBase + x2] = (float)Similarities.Finish(measure, f, p.Prods, p.SqI, p.SqJ, si, sj, minSupport, shrinkage);
                p = default;
                sums[x2] = default;
            }
        }
    }

    /// <summary>
    /// Similarities of a user outside the training set to every training user, the same formulas as
    /// <see cref="Compute"/> with the new user as x (user-based fold-in). <paramref name="userBias"/> is the new
    /// user's b_u (pearson_baseline only).
    /// </summary>
    public static void UserToUsers(RatingDataset train, SimilarityOptions options, BaselineEstimates? baselines, ReadOnlySpan<ItemRating> ratings, double userBias, Span<float> result)
    {
        int n = train.UserCount;
        if (result.Length != n) throw new ArgumentException("One similarity per training user is needed.", nameof(result));
        var pairs = new Pair[n];
        var sums = new (float I, float J)[n];
        var yr = train.ByItem;
        double mu = baselines?.GlobalMean ?? train.GlobalMean;
        var measure = options.Measure;
        foreach (var (item, rating) in ratings)
        {
            if ((uint)item >= (uint)yr.Rows) continue;
            float ri = rating;
            bool residuals = measure == SimilarityMeasure.PearsonBaseline;
            double partial = residuals ? mu + baselines!.ItemBias[item] : 0;
            if (residuals) ri = (float)(rating - (partial + userBias));
            var cols = yr.RowColumns(item);
            var vals = yr.RowValues(item);
            for (int m = 0; m < cols.Length; m++)
            {
                int v = cols[m];
                float rj = residuals ? (float)(vals[m] - (partial + baselines!.UserBias[v])) : vals[m];
                ref var p = ref pairs[v];
                p.Freq++;
                if (measure is SimilarityMeasure.Msd or SimilarityMeasure.Euclidean)
                {
                    float d = ri - rj;
                    p.SqI += d * d;
                    continue;
                }
                p.Prods += ri * rj;
                p.SqI += ri * ri;
                p.SqJ += rj * rj;
                sums[v].I += ri;
                sums[v].J += rj;
            }
        }
        for (int v = 0; v < n; v++)
        {
            ref var p = ref pairs[v];
            result[v] = (float)Finish(measure, p.Freq, p.Prods, p.SqI, p.SqJ, sums[v].I, sums[v].J, options.MinSupport, options.Shrinkage);
        }
    }

    internal static double Finish(SimilarityMeasure measure, int f, double prods, double sqi, double sqj, double si, double sj, int minSupport, double shrinkage)
    {
        if (f < minSupport || f == 0) return 0;
        switch (measure)
        {
            case SimilarityMeasure.Msd:
                return 1.0 / (sqi / f + 1.0);
            case SimilarityMeasure.Euclidean:
                return 1.0 / (1.0 + Math.Sqrt(sqi));
            case SimilarityMeasure.Cosine:
                {
                    double den = Math.Sqrt(sqi * sqj);
                    return den == 0 ? 0 : prods / den;
                }
            case SimilarityMeasure.Pearson:
                {
                    double num = f * prods - si * sj;
                    double den = Math.Sqrt((f * sqi - si * si) * (f * sqj - sj * sj));
                    return den == 0 || double.IsNaN(den) ? 0 : num / den;
                }
            default:
                {
                    double den = Math.Sqrt(sqi * sqj);
                    double s = den == 0 ? 0 : prods / den * ((f - 1) / (f - 1 + shrinkage));
                    return double.IsNaN(s) ? 0 : s;
                }
        }
    }
}
