using MovieRec.Core.Algorithms.Clustering;

namespace MovieRec.Web.Hosting;

/// <summary>One movie (or centroid) on the cluster map.</summary>
public readonly record struct MapPoint(float X, float Y, int Cluster, long MovieId);

/// <summary>The movie clusters projected on their first two principal components, for the clusters page.</summary>
public sealed record ClusterProjection(IReadOnlyList<MapPoint> Points, IReadOnlyList<MapPoint> Centroids, double ExplainedVariance, int Movies);

/// <summary>
/// PCA of the movie cluster features (genre flags, weighted rating, year, popularity): the covariance matrix of the
/// centred features and its two leading eigenvectors by power iteration with deflation. Computed once per catalogue
/// (the clusters do not change between model versions); the map shows a deterministic sample of the movies.
/// </summary>
public sealed class ClusterMap(ModelHost host)
{
    /// <summary>Movies drawn on the map (every k-th movie): enough to see the shape, small enough to render fast.</summary>
    public const int MaxPoints = 1500;

    private readonly Lock _lock = new();
    private (MovieClusters Clusters, ClusterProjection Projection)? _cached;

    public async Task<ClusterProjection> GetAsync(CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var clusters = catalog.Clusters;
        lock (_lock)
        {
            if (_cached is { } c && ReferenceEquals(c.Clusters, clusters)) return c.Projection;
        }
        var projection = Project(clusters, catalog);
        lock (_lock) _cached = (clusters, projection);
        return projection;
    }

    private static ClusterProjection Project(MovieClusters clusters, CatalogIndex catalog)
    {
        var features = clusters.Features;
        int n = features.Rows, d = features.Dimensions;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            var row = features.Row(r);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= Math.Max(1, n);
        var cov = new double[d, d];
        var centred = new double[d];
        for (int r = 0; r < n; r++)
        {
            var row = features.Row(r);
            for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
            for (int a = 0; a < d; a++)
            {
                double ca = centred[a];
                if (ca == 0) continue;
                for (int b = a; b < d; b++) cov[a, b] += ca * centred[b];
            }
        }
        double total = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = a; b < d; b++)
            {
                cov[a, b] /= Math.Max(1, n - 1);
                cov[b, a] = cov[a, b];
            }
            total += cov[a, a];
        }
        var (v1, l1) = LeadingEigenvector(cov, d);
        Deflate(cov, v1, l1, d);
        var (v2, l2) = LeadingEigenvector(cov, d);

        int step = Math.Max(1, (n + MaxPoints - 1) / MaxPoints);
        var points = new List<MapPoint>(n / step + 1);
        var dataset = catalog.Dataset;
        for (int r = 0; r < n; r += step)
        {
            var (x, y) = ProjectRow(features.Row(r), mean, v1, v2);
            long movieId = dataset.MovieOf(features.Items[r])?.Id ?? -1;
            points.Add(new MapPoint(x, y, clusters.Result.Labels[r], movieId));
        }
        var centroids = new List<MapPoint>(clusters.Result.K);
        for (int c = 0; c < clusters.Result.K; c++)
        {
            var (x, y) = ProjectRow(clusters.Result.Centroid(c), mean, v1, v2);
            centroids.Add(new MapPoint(x, y, c, -1));
        }
        return new ClusterProjection(points, centroids, total > 0 ? (l1 + l2) / total : 0, n);
    }

    private static (float X, float Y) ProjectRow(ReadOnlySpan<float> row, double[] mean, double[] v1, double[] v2)
    {
        double x = 0, y = 0;
        for (int j = 0; j < mean.Length; j++)
        {
            double c = row[j] - mean[j];
            x += c * v1[j];
            y += c * v2[j];
        }
        return ((float)x, (float)y);
    }

    private static (double[] Vector, double Value) LeadingEigenvector(double[,] m, int d)
    {
        var v = new double[d];
        for (int j = 0; j < d; j++) v[j] = 1.0 / Math.Sqrt(d) * (1 + 0.01 * j); // deterministic, not orthogonal to anything in practice
        var next = new double[d];
        double value = 0;
        for (int iteration = 0; iteration < 500; iteration++)
        {
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int b = 0; b < d; b++) s += m[a, b] * v[b];
                next[a] = s;
            }
            double norm = Math.Sqrt(next.Sum(x => x * x));
            if (norm < 1e-12) return (v, 0);
            double change = 0;
            for (int j = 0; j < d; j++)
            {
                double nj = next[j] / norm;
                change += Math.Abs(nj - v[j]);
                v[j] = nj;
            }
            value = norm;
            if (change < 1e-10) break;
        }
        // A stable sign: the largest component is positive, so the map does not flip between runs.
        int largest = 0;
        for (int j = 1; j < d; j++) if (Math.Abs(v[j]) > Math.Abs(v[largest])) largest = j;
        if (v[largest] < 0) for (int j = 0; j < d; j++) v[j] = -v[j];
        return (v, value);
    }

    private static void Deflate(double[,] m, double[] v, double value, int d)
    {
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++) m[a, b] -= value * v[a] * v[b];
        }
    }
}
