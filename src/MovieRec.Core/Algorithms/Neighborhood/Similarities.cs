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
        string text = $"sim={Similarities.Format(Measure)}, user_based={(UserBased ? "true" : "false")}, min_support={MinSupport}";
        return Measure == SimilarityMeasure.PearsonBaseline
            ? text + ", shrinkage=" + Shrinkage.ToString(CultureInfo.InvariantCulture)
            : text;
    }
}

/// <summary>A dense symmetric n × n similarity matrix in single precision (row-major; the diagonal is 1).</summary>
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

    public float[] Values { get; }

    public float this[int a, int b] => Values[(long)a * Size + b];

    public ReadOnlySpan<float> Row(int a) => Values.AsSpan((int)((long)a * Size), Size);
}

/// <summary>
/// Computes Surprise's similarities (surprise/similarities.pyx) over the CSR views. For each row x (in parallel),
/// every y that x rated and every x' &gt; x that rated y accumulate into per-thread dense accumulators, so only the
/// upper triangle is computed (cost Σ_y |R(y)|² / 2) and mirrored. Accumulation is in double precision.
/// Pairs with fewer than min_support common ratings, and pairs where a formula's denominator is 0, get 0.
/// </summary>
public static class Similarities
{
    public static readonly IReadOnlyList<string> Names = ["msd", "cosine", "pearson", "pearson_baseline", "euclidean"];

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
        var job = new Job(xr, yr, options, sim, baselines?.GlobalMean ?? train.GlobalMean, xBias, yBias);
        if (context.IsDeterministic)
        {
            var acc = new Accumulators(n);
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
        return new SimilarityMatrix(n, sim);
    }

    /// <summary>Per-thread dense accumulators indexed by x'.</summary>
    internal sealed class Accumulators(int n)
    {
        public readonly int[] Freq = new int[n];
        public readonly double[] Prods = new double[n];
        public readonly double[] SqI = new double[n];
        public readonly double[] SqJ = new double[n];
        public readonly double[] SumI = new double[n];
        public readonly double[] SumJ = new double[n];
    }

    private sealed class Job(CsrMatrix xr, CsrMatrix yr, SimilarityOptions options, float[] sim, double mu, double[]? xBias, double[]? yBias)
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
            var xVals = xr.Values;
            var yOff = yr.Offsets;
            var yCols = yr.Columns;
            var yVals = yr.Values;
            var freq = a.Freq;
            var measure = options.Measure;
            for (int k = xOff[x]; k < xOff[x + 1]; k++)
            {
                int y = xCols[k];
                double ri = xVals[k];
                int start = yOff[y], end = yOff[y + 1];
                // Only x' > x: the row is sorted, so skip to the first such column.
                int from = Array.BinarySearch(yCols, start, end - start, x + 1);
                if (from < 0) from = ~from;
                switch (measure)
                {
                    case SimilarityMeasure.Msd:
                    case SimilarityMeasure.Euclidean:
                        {
                            var sq = a.SqI;
                            for (int m = from; m < end; m++)
                            {
                                int x2 = yCols[m];
                                double d = ri - yVals[m];
                                freq[x2]++;
                                sq[x2] += d * d;
                            }
                            break;
                        }
                    case SimilarityMeasure.Cosine:
                        {
                            var prods = a.Prods;
                            var sqi = a.SqI;
                            var sqj = a.SqJ;
                            double ri2 = ri * ri;
                            for (int m = from; m < end; m++)
                            {
                                int x2 = yCols[m];
                                double rj = yVals[m];
                                freq[x2]++;
                                prods[x2] += ri * rj;
                                sqi[x2] += ri2;
                                sqj[x2] += rj * rj;
                            }
                            break;
                        }
                    case SimilarityMeasure.Pearson:
                        {
                            var prods = a.Prods;
                            var sqi = a.SqI;
                            var sqj = a.SqJ;
                            var si = a.SumI;
                            var sj = a.SumJ;
                            double ri2 = ri * ri;
                            for (int m = from; m < end; m++)
                            {
                                int x2 = yCols[m];
                                double rj = yVals[m];
                                freq[x2]++;
                                prods[x2] += ri * rj;
                                sqi[x2] += ri2;
                                sqj[x2] += rj * rj;
                                si[x2] += ri;
                                sj[x2] += rj;
                            }
                            break;
                        }
                    case SimilarityMeasure.PearsonBaseline:
                        {
                            var prods = a.Prods;
                            var sqi = a.SqI;
                            var sqj = a.SqJ;
                            var bx = xBias!;
                            double partial = mu + yBias![y];
                            double di = ri - (partial + bx[x]);
                            double di2 = di * di;
                            for (int m = from; m < end; m++)
                            {
                                int x2 = yCols[m];
                                double dj = yVals[m] - (partial + bx[x2]);
                                freq[x2]++;
                                prods[x2] += di * dj;
                                sqi[x2] += di2;
                                sqj[x2] += dj * dj;
                            }
                            break;
                        }
                }
            }
        }

        private void Finish(int x, Accumulators a)
        {
            int n = _n;
            long rowBase = (long)x * n;
            sim[rowBase + x] = 1f;
            var freq = a.Freq;
            var prods = a.Prods;
            var sqi = a.SqI;
            var sqj = a.SqJ;
            var si = a.SumI;
            var sj = a.SumJ;
            int minSupport = options.MinSupport;
            double shrinkage = options.Shrinkage;
            var measure = options.Measure;
            for (int x2 = x + 1; x2 < n; x2++)
            {
                int f = freq[x2];
                double s = Similarities.Finish(measure, f, prods[x2], sqi[x2], sqj[x2], si[x2], sj[x2], minSupport, shrinkage);
                float v = (float)s;
                sim[rowBase + x2] = v;
                sim[(long)x2 * n + x] = v;
                if (f != 0)
                {
                    freq[x2] = 0;
                    prods[x2] = 0;
                    sqi[x2] = 0;
                    sqj[x2] = 0;
                    si[x2] = 0;
                    sj[x2] = 0;
                }
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
        var a = new Accumulators(n);
        var yr = train.ByItem;
        double mu = baselines?.GlobalMean ?? train.GlobalMean;
        var measure = options.Measure;
        foreach (var (item, rating) in ratings)
        {
            if ((uint)item >= (uint)yr.Rows) continue;
            double ri = rating;
            double di = 0;
            double partial = 0;
            if (measure == SimilarityMeasure.PearsonBaseline)
            {
                partial = mu + baselines!.ItemBias[item];
                di = ri - (partial + userBias);
            }
            var cols = yr.RowColumns(item);
            var vals = yr.RowValues(item);
            for (int m = 0; m < cols.Length; m++)
            {
                int v = cols[m];
                double rj = vals[m];
                a.Freq[v]++;
                switch (measure)
                {
                    case SimilarityMeasure.Msd:
                    case SimilarityMeasure.Euclidean:
                        a.SqI[v] += (ri - rj) * (ri - rj);
                        break;
                    case SimilarityMeasure.PearsonBaseline:
                        {
                            double dj = rj - (partial + baselines!.UserBias[v]);
                            a.Prods[v] += di * dj;
                            a.SqI[v] += di * di;
                            a.SqJ[v] += dj * dj;
                            break;
                        }
                    default:
                        a.Prods[v] += ri * rj;
                        a.SqI[v] += ri * ri;
                        a.SqJ[v] += rj * rj;
                        a.SumI[v] += ri;
                        a.SumJ[v] += rj;
                        break;
                }
            }
        }
        for (int v = 0; v < n; v++)
            result[v] = (float)Finish(measure, a.Freq[v], a.Prods[v], a.SqI[v], a.SqJ[v], a.SumI[v], a.SumJ[v], options.MinSupport, options.Shrinkage);
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
