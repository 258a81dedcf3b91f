using System.Globalization;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>A cluster of movies described for people: dominant genres, era, rating level, representatives.</summary>
public sealed record MovieClusterInfo(int Id, string Name, int Size, IReadOnlyList<string> Genres, string Era, string RatingLevel, IReadOnlyList<Movie> Representatives);

/// <summary>
/// The third seed's movie clusters: K-Means over genre flags, the vote-weighted rating (IMDb WR), the release year and
/// log(1 + votes), every column min-max scaled. Clusters are named from their features, for onboarding and browsing.
/// </summary>
public sealed class MovieClusters
{
    private readonly Dictionary<long, int> _clusterOf = [];

    private MovieClusters(Dataset dataset, FeatureMatrix features, KMeansResult result, IReadOnlyList<MovieClusterInfo> clusters)
    {
        Features = features;
        Result = result;
        Clusters = clusters;
        for (int r = 0; r < features.Rows; r++)
        {
            if (dataset.MovieOf(features.Items[r]) is { } m) _clusterOf[m.Id] = result.Labels[r];
        }
    }

    public FeatureMatrix Features { get; }
    public KMeansResult Result { get; }
    public IReadOnlyList<MovieClusterInfo> Clusters { get; }

    /// <summary>The cluster of a movie, or -1 when it was not clustered (no ratings).</summary>
    public int ClusterOf(long movieId) => _clusterOf.GetValueOrDefault(movieId, -1);

    public static MovieClusters Build(Dataset dataset, KMeansOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new KMeansOptions();
        var wr = WeightedRating.Compute(dataset);
        var features = BuildFeatures(dataset, wr);
        var result = KMeans.Fit(features.Values, features.Dimensions, options);
        var clusters = Describe(dataset, features, result, wr);
        return new MovieClusters(dataset, features, result, clusters);
    }

    /// <summary>
    /// Genre flags (the dataset's genres and IMDb's, when joined), WR (IMDb votes first, see <see cref="WeightedRating"/>),
    /// year (IMDb's startYear when the title has none) and log(1 + votes: IMDb's, else TMDB's, else ratings) for every
    /// rated movie, min-max scaled.
    /// </summary>
    public static FeatureMatrix BuildFeatures(Dataset dataset, WeightedRating wr)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(wr);
        var baseFeatures = MovieFeatures.GenresRatingPopularity(dataset);
        int baseGenres = baseFeatures.Dimensions - 2;
        // IMDb genres the dataset does not name (Biography, History, Sport, ...) become columns after the dataset's.
        var genreColumns = baseFeatures.Columns.Take(baseGenres).ToList();
        var genreIndex = genreColumns.Select((g, k) => (g, k)).ToDictionary(p => p.g, p => p.k, StringComparer.Ordinal);
        for (int r = 0; r < baseFeatures.Rows; r++)
        {
            foreach (var g in dataset.MovieOf(baseFeatures.Items[r])?.Imdb?.Genres ?? [])
            {
                if (genreIndex.TryAdd(g, genreColumns.Count)) genreColumns.Add(g);
            }
        }
        int genres = genreColumns.Count;
        int d = genres + 3;
        var values = new float[baseFeatures.Rows * d];
        var byItem = dataset.Ratings.ByItem;
        for (int r = 0; r < baseFeatures.Rows; r++)
        {
            baseFeatures.Row(r)[..baseGenres].CopyTo(values.AsSpan(r * d, baseGenres));
            var movie = dataset.MovieOf(baseFeatures.Items[r]);
            foreach (var g in movie?.Imdb?.Genres ?? []) values[r * d + genreIndex[g]] = 1;
            values[r * d + genres] = (float)(movie is null ? wr.MeanVote : wr[movie.Id]);
            values[r * d + genres + 1] = movie?.Year ?? movie?.Imdb?.StartYear ?? 0;
            int votes = movie?.Imdb?.NumVotes ?? movie?.Tmdb?.VoteCount ?? byItem.RowLength(baseFeatures.Items[r]);
            values[r * d + genres + 2] = MathF.Log(1 + votes);
        }
        // Movies without a year take the median year rather than 0, which would dominate the scaled column.
        var years = Enumerable.Range(0, baseFeatures.Rows).Select(r => values[r * d + genres + 1]).Where(y => y > 0).Order().ToArray();
        float medianYear = years.Length > 0 ? years[years.Length / 2] : 2000;
        for (int r = 0; r < baseFeatures.Rows; r++)
        {
            if (values[r * d + genres + 1] == 0) values[r * d + genres + 1] = medianYear;
        }
        MovieFeatures.MinMaxScale(values, d);
        var columns = genreColumns.Concat(["weighted rating", "year", "log(1 + votes)"]).ToList();
        return new FeatureMatrix(values, d, columns, baseFeatures.Items);
    }

    private static List<MovieClusterInfo> Describe(Dataset dataset, FeatureMatrix features, KMeansResult result, WeightedRating wr)
    {
        int genreColumns = features.Dimensions - 3;
        var overall = new double[genreColumns];
        for (int r = 0; r < features.Rows; r++)
        {
            for (int g = 0; g < genreColumns; g++) overall[g] += features.Row(r)[g];
        }
        var sizes = result.Sizes();
        var list = new List<MovieClusterInfo>();
        for (int c = 0; c < result.K; c++)
        {
            var members = Enumerable.Range(0, features.Rows).Where(r => result.Labels[r] == c).ToList();
            var share = new double[genreColumns];
            foreach (int r in members)
            {
                for (int g = 0; g < genreColumns; g++) share[g] += features.Row(r)[g];
            }
            // Dominant genres: common in the cluster (>= 30 %) and over-represented against the whole catalogue.
            var dominant = Enumerable.Range(0, genreColumns)
                .Where(g => members.Count > 0 && share[g] / members.Count >= 0.3)
                .OrderByDescending(g => share[g] / members.Count * (share[g] / members.Count) / Math.Max(1e-9, overall[g] / features.Rows))
                .Take(3).Select(g => features.Columns[g]).ToList();
            var movies = members.Select(r => dataset.MovieOf(features.Items[r])).OfType<Movie>().ToList();
            var years = movies.Where(m => m.Year is not null).Select(m => m.Year!.Value).Order().ToList();
            string era = years.Count == 0 ? "unknown era" : EraOf(years[years.Count / 4], years[years.Count * 3 / 4]);
            double meanWr = movies.Count == 0 ? wr.MeanVote : movies.Average(m => wr[m.Id]);
            string level = meanWr >= wr.MeanVote + 0.35 ? "acclaimed" : meanWr >= wr.MeanVote - 0.05 ? "well liked" : "mixed reviews";
            var centroid = result.Centroid(c).ToArray();
            var representatives = members
                .OrderBy(r => KMeans.SquaredDistance(features.Row(r), centroid) - 0.05f * features.Row(r)[^1])
                .Select(r => dataset.MovieOf(features.Items[r])).OfType<Movie>().Take(6).ToList();
            var genreName = dominant.Count == 0 ? "Mixed genres" : string.Join(" & ", dominant);
            list.Add(new MovieClusterInfo(c, $"{genreName} · {era} · {level}", sizes[c], dominant, era, level, representatives));
        }
        return list;
    }

    private static string EraOf(int from, int to)
    {
        int a = from / 10 * 10, b = to / 10 * 10;
        return a == b
            ? string.Create(CultureInfo.InvariantCulture, $"{a}s")
            : string.Create(CultureInfo.InvariantCulture, $"{a}s–{b}s");
    }

    /// <summary>Inertia and silhouette for each k, to choose k by the elbow or the best silhouette.</summary>
    public static IReadOnlyList<(int K, double Inertia, double Silhouette)> ChooseK(FeatureMatrix features, IEnumerable<int> ks, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(ks);
        var rows = new List<(int, double, double)>();
        foreach (int k in ks)
        {
            var r = KMeans.Fit(features.Values, features.Dimensions, new KMeansOptions { K = k, Seed = seed });
            rows.Add((k, r.Inertia, KMeans.Silhouette(features.Values, features.Dimensions, r.Labels, k, seed: seed)));
        }
        return rows;
    }
}
