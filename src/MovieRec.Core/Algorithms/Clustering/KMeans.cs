using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>Options of <see cref="KMeans"/>, defaults as scikit-learn's KMeans.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters. Default 9 (the seeds' movie clusters).</summary>
    public int K { get; init; } = 9;

    /// <summary>Independent restarts; the lowest inertia wins. Default 10.</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>Lloyd iterations per restart at most. Default 300.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Convergence when the squared centroid shift summed over clusters is at most
    /// <c>Tolerance</c> x the mean per-feature variance of the data (scikit-learn's rule). Default 1e-4.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    public int Seed { get; init; }

    /// <summary>Restarts run in parallel up to this many threads; results do not depend on it. 0 = every core.</summary>
    public int Threads { get; init; }

    public void Validate(int points)
    {
        OptionChecks.Positive(K, nameof(K));
        OptionChecks.Positive(Restarts, nameof(Restarts));
        OptionChecks.Positive(MaxIterations, nameof(MaxIterations));
        OptionChecks.NonNegative(Tolerance, nameof(Tolerance));
        OptionChecks.NonNegative(Threads, nameof(Threads));
        if (K > points) throw new ArgumentException($"K ({K}) must not exceed the number of points ({points}).", nameof(K));
    }
}

/// <summary>A clustering: centroids (row-major K x D), a label per point, the inertia.</summary>
public sealed record KMeansResult(int K, int Dimensions, float[] Centroids, int[] Labels, double Inertia, int Iterations)
{
    public ReadOnlySpan<float> Centroid(int c) => Centroids.AsSpan(c * Dimensions, Dimensions);

    public int[] Sizes()
    {
        var sizes = new int[K];
        foreach (int l in Labels) sizes[l]++;
        return sizes;
    }

    /// <summary>The nearest centroid to a new point (e.g. a folded-in user's features).</summary>
    public int Assign(ReadOnlySpan<float> point)
    {
        int best = 0;
        float bestDistance = float.MaxValue;
        for (int c = 0; c < K; c++)
        {
            float d = KMeans.SquaredDistance(point, Centroid(c));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}

/// <summary>
/// K-Means (Lloyd 1982) with greedy k-means++ seeding (Arthur and Vassilvitskii 2007; 2 + ln K candidates per step
/// as scikit-learn does). Minimises the inertia Σᵢ ‖xᵢ − μ_c(i)‖². Restarts run in parallel, each with a seed
/// derived from <see cref="KMeansOptions.Seed"/> and its index, so the result is the same for any thread count.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters row-major <paramref name="points"/>, <paramref name="dimensions"/> floats per point.</summary>
    public static KMeansResult Fit(float[] points, int dimensions, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.Positive(dimensions, nameof(dimensions));
        if (points.Length % dimensions != 0)
            throw new ArgumentException("points.Length must be a multiple of dimensions.", nameof(points));
        int n = points.Length / dimensions;
        options.Validate(n);
        double tolerance = options.Tolerance * MeanVariance(points, n, dimensions);
        // Rows padded with zeros to whole SIMD vectors: distances then run without a scalar tail.
        int padded = (dimensions + Vector256<float>.Count - 1) / Vector256<float>.Count * Vector256<float>.Count;
        var data = Pad(points, n, dimensions, padded);
        var results = new KMeansResult[options.Restarts];
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        Parallel.For(0, options.Restarts, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
        {
            // HashCode is randomised per process, so the restart seed is mixed by hand to stay reproducible.
            var rng = new Random(unchecked(options.Seed * 1_000_003 + r * 7919 + 0x6B6D));
            results[r] = RunOnce(data, n, padded, options.K, options.MaxIterations, tolerance, rng);
        });
        var best = results[0];
        foreach (var r in results)
        {
            if (r.Inertia < best.Inertia) best = r;
        }
        var centroids = new float[options.K * dimensions];
        for (int c = 0; c < options.K; c++)
            best.Centroids.AsSpan(c * padded, dimensions).CopyTo(centroids.AsSpan(c * dimensions));
        return best with { Dimensions = dimensions, Centroids = centroids };
    }

    private static float[] Pad(float[] points, int n, int d, int padded)
    {
        if (padded == d) return points;
        var data = new float[n * padded];
        for (int i = 0; i < n; i++)
            points.AsSpan(i * d, d).CopyTo(data.AsSpan(i * padded));
        return data;
    }

    /// <summary>sum += row, for rows whose length is a whole number of SIMD vectors (no call or tail overhead).</summary>
    private static void AddPadded(Span<float> sum, ReadOnlySpan<float> row)
    {
        var vs = MemoryMarshal.Cast<float, Vector256<float>>(sum);
        var vr = MemoryMarshal.Cast<float, Vector256<float>>(row);
        for (int j = 0; j < vs.Length; j++) vs[j] += vr[j];
    }

    /// <summary>Squared distance of rows whose length is a whole number of SIMD vectors.</summary>
    private static float PaddedDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        var acc = Vector256<float>.Zero;
        for (nuint j = 0; j < (nuint)a.Length; j += (nuint)Vector256<float>.Count)
        {
            var diff = Vector256.LoadUnsafe(ref ra, j) - Vector256.LoadUnsafe(ref rb, j);
            acc += diff * diff;
        }
        return Vector256.Sum(acc);
    }

    internal static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    private static double MeanVariance(float[] points, int n, int d)
    {
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++)
            {
                double v = points[i * d + j];
                sum += v;
                sq += v * v;
            }
            double mean = sum / n;
            total += sq / n - mean * mean;
        }
        return total / d;
    }

    /// <summary>
    /// Lloyd iterations with Hamerly's bounds (Hamerly 2010): per point an upper bound on the distance to its centre
    /// and a lower bound on the distance to any other; a point whose bounds still separate after the centres move is
    /// not re-examined. Same result as plain Lloyd, far fewer distance computations.
    /// </summary>
    private static KMeansResult RunOnce(float[] points, int n, int d, int k, int maxIterations, double tolerance, Random rng)
    {
        var centroids = SeedPlusPlus(points, n, d, k, rng);
        var labels = new int[n];
        var upper = new float[n];
        var lower = new float[n];
        for (int i = 0; i < n; i++)
            AssignExact(points.AsSpan(i * d, d), centroids, k, d, out labels[i], out upper[i], out lower[i]);
        var sums = new float[k * d];
        var counts = new int[k];
        var next = new float[k * d];
        var move = new float[k];
        var halfGap = new float[k];
        int iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                int c = labels[i];
                counts[c]++;
                AddPadded(sums.AsSpan(c * d, d), points.AsSpan(i * d, d));
            }
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                var target = next.AsSpan(c * d, d);
                if (counts[c] == 0)
                {
                    // An empty cluster takes the point farthest from its centre, as scikit-learn relocates it.
                    int far = Farthest(points, n, d, centroids, labels);
                    points.AsSpan(far * d, d).CopyTo(target);
                }
                else
                {
                    TensorPrimitives.Divide(sums.AsSpan(c * d, d), counts[c], target);
                }
                float moved = PaddedDistance(target, centroids.AsSpan(c * d, d));
                shift += moved;
                move[c] = MathF.Sqrt(moved);
            }
            (centroids, next) = (next, centroids);
            if (shift <= tolerance)
            {
                iteration++;
                break;
            }
            int fastest = 0;
            for (int c = 1; c < k; c++)
            {
                if (move[c] > move[fastest]) fastest = c;
            }
            float secondFastest = 0;
            for (int c = 0; c < k; c++)
            {
                if (c != fastest && move[c] > secondFastest) secondFastest = move[c];
            }
            for (int c = 0; c < k; c++)
            {
                float nearest = float.MaxValue;
                for (int o = 0; o < k; o++)
                {
                    if (o != c) nearest = MathF.Min(nearest, PaddedDistance(centroids.AsSpan(c * d, d), centroids.AsSpan(o * d, d)));
                }
                halfGap[c] = MathF.Sqrt(nearest) / 2;
            }
            bool changed = false;
            for (int i = 0; i < n; i++)
            {
                int a = labels[i];
                upper[i] += move[a];
                lower[i] -= a == fastest ? secondFastest : move[fastest];
                float bound = MathF.Max(lower[i], halfGap[a]);
                if (upper[i] <= bound) continue;
                var p = points.AsSpan(i * d, d);
                upper[i] = MathF.Sqrt(PaddedDistance(p, centroids.AsSpan(a * d, d)));
                if (upper[i] <= bound) continue;
                AssignExact(p, centroids, k, d, out int best, out upper[i], out lower[i]);
                if (best != a)
                {
                    labels[i] = best;
                    changed = true;
                }
            }
            if (!changed)
            {
                iteration++;
                break;
            }
        }
        Assign(points, n, d, centroids, k, labels, out double inertia);
        return new KMeansResult(k, d, centroids, labels, inertia, iteration);
    }

    /// <summary>The nearest centre and the distances (not squared) to it and to the second nearest.</summary>
    private static void AssignExact(ReadOnlySpan<float> p, float[] centroids, int k, int d, out int best, out float nearest, out float second)
    {
        best = 0;
        float b1 = float.MaxValue, b2 = float.MaxValue;
        for (int c = 0; c < k; c++)
        {
            float dist = PaddedDistance(p, centroids.AsSpan(c * d, d));
            if (dist < b1)
            {
                b2 = b1;
                b1 = dist;
                best = c;
            }
            else if (dist < b2)
            {
                b2 = dist;
            }
        }
        nearest = MathF.Sqrt(b1);
        second = MathF.Sqrt(b2);
    }

    private static bool Assign(float[] points, int n, int d, float[] centroids, int k, int[] labels, out double inertia)
    {
        bool changed = false;
        inertia = 0;
        for (int i = 0; i < n; i++)
        {
            var p = points.AsSpan(i * d, d);
            int best = 0;
            float bestDistance = float.MaxValue;
            for (int c = 0; c < k; c++)
            {
                float dist = PaddedDistance(p, centroids.AsSpan(c * d, d));
                if (dist < bestDistance)
                {
                    bestDistance = dist;
                    best = c;
                }
            }
            if (labels[i] != best)
            {
                labels[i] = best;
                changed = true;
            }
            inertia += bestDistance;
        }
        return changed;
    }

    private static int Farthest(float[] points, int n, int d, float[] centroids, int[] labels)
    {
        int far = 0;
        float farDistance = -1;
        for (int i = 0; i < n; i++)
        {
            float dist = PaddedDistance(points.AsSpan(i * d, d), centroids.AsSpan(labels[i] * d, d));
            if (dist > farDistance)
            {
                farDistance = dist;
                far = i;
            }
        }
        return far;
    }

    /// <summary>Greedy k-means++: each new centre is the best of 2 + ln K candidates drawn ∝ D(x)².</summary>
    private static float[] SeedPlusPlus(float[] points, int n, int d, int k, Random rng)
    {
        var centroids = new float[k * d];
        int trials = 2 + (int)Math.Log(k);
        int first = rng.Next(n);
        points.AsSpan(first * d, d).CopyTo(centroids);
        var closest = new float[n];
        double potential = 0;
        for (int i = 0; i < n; i++)
        {
            closest[i] = PaddedDistance(points.AsSpan(i * d, d), centroids.AsSpan(0, d));
            potential += closest[i];
        }
        var candidateDistances = new float[n];
        var bestDistances = new float[n];
        for (int c = 1; c < k; c++)
        {
            int bestCandidate = -1;
            double bestPotential = double.MaxValue;
            for (int t = 0; t < trials; t++)
            {
                int candidate = Sample(closest, potential, rng);
                double candidatePotential = 0;
                var cp = points.AsSpan(candidate * d, d);
                for (int i = 0; i < n; i++)
                {
                    float dist = Math.Min(closest[i], PaddedDistance(points.AsSpan(i * d, d), cp));
                    candidateDistances[i] = dist;
                    candidatePotential += dist;
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    candidateDistances.AsSpan().CopyTo(bestDistances);
                }
            }
            points.AsSpan(bestCandidate * d, d).CopyTo(centroids.AsSpan(c * d, d));
            bestDistances.AsSpan().CopyTo(closest);
            potential = bestPotential;
        }
        return centroids;
    }

    private static int Sample(float[] weights, double total, Random rng)
    {
        double target = rng.NextDouble() * total;
        double acc = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            acc += weights[i];
            if (acc >= target) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>
    /// Mean silhouette (Rousseeuw 1987) s = (b − a) / max(a, b) over at most <paramref name="sampleSize"/> points
    /// (seeded sample), with a the mean distance to the own cluster and b to the nearest other cluster.
    /// </summary>
    public static double Silhouette(float[] points, int dimensions, int[] labels, int k, int sampleSize = 2000, int seed = 0)
    {
        int n = labels.Length;
        var sample = Enumerable.Range(0, n).ToArray();
        if (n > sampleSize)
        {
            new Random(seed).Shuffle(sample);
            sample = sample[..sampleSize];
        }
        double total = 0;
        int counted = 0;
        var sums = new double[k];
        var counts = new int[k];
        foreach (int i in sample)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            var p = points.AsSpan(i * dimensions, dimensions);
            foreach (int j in sample)
            {
                if (j == i) continue;
                sums[labels[j]] += TensorPrimitives.Distance(p, points.AsSpan(j * dimensions, dimensions));
                counts[labels[j]]++;
            }
            int own = labels[i];
            if (counts[own] == 0) continue;
            double a = sums[own] / counts[own];
            double b = double.MaxValue;
            for (int c = 0; c < k; c++)
            {
                if (c != own && counts[c] > 0) b = Math.Min(b, sums[c] / counts[c]);
            }
            if (b == double.MaxValue) continue;
            total += (b - a) / Math.Max(a, b);
            counted++;
        }
        return counted == 0 ? 0 : total / counted;
    }
}
