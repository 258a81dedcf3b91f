using System.Globalization;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// A cluster of movies described for people. <see cref="Name"/> says only what sets the cluster apart from the whole
/// catalogue (distinctive genres, then era, rating level and familiarity where they differ);
/// <see cref="Era"/> is its interquartile range of years and <see cref="RatingLevel"/> its vote-weighted rating
/// relative to the catalogue's ("acclaimed", "rated above average", "average ratings", "rated below average", "poorly rated").
/// </summary>
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

    /// <summary>
    /// Names a cluster by what sets it apart from the whole catalogue: its genres by lift (share in the cluster over the
    /// share in the catalogue; at least 30 % of the cluster and 1.3 times as common), then its era, rating level and
    /// familiarity, each only when the cluster's mean differs from the catalogue's (by at least half a standard deviation
    /// of the movies' years or log votes; a quarter of one for the movies' mean ratings in the dataset, since the
    /// vote-weighted rating shrinks every cluster to nearly the same value): a cluster that is typical on a feature does
    /// not mention it. Representatives are the most-rated members (in the dataset) among the third of the cluster nearest its centre.
    /// </summary>
    private static List<MovieClusterInfo> Describe(Dataset dataset, FeatureMatrix features, KMeansResult result, WeightedRating wr)
    {
        int genreColumns = features.Dimensions - 3;
        int rows = features.Rows;
        var overall = new double[genreColumns];
        var year = new double[rows];
        var rating = new double[rows];
        var votes = new double[rows];
        var byItem = dataset.Ratings.ByItem;
        for (int r = 0; r < rows; r++)
        {
            for (int g = 0; g < genreColumns; g++) overall[g] += features.Row(r)[g];
            var movie = dataset.MovieOf(features.Items[r]);
            year[r] = movie?.Year ?? movie?.Imdb?.StartYear ?? double.NaN;
            var values = byItem.RowValues(features.Items[r]);
            double sum = 0;
            foreach (float v in values) sum += v;
            rating[r] = values.Length == 0 ? double.NaN : sum / values.Length;
            votes[r] = Math.Log(1 + (movie?.Imdb?.NumVotes ?? movie?.Tmdb?.VoteCount ?? byItem.RowLength(features.Items[r])));
        }
        var yearStats = Stats(year, Enumerable.Range(0, rows));
        var ratingStats = Stats(rating, Enumerable.Range(0, rows));
        var voteStats = Stats(votes, Enumerable.Range(0, rows));
        var sizes = result.Sizes();
        var list = new List<MovieClusterInfo>();
        for (int c = 0; c < result.K; c++)
        {
            var members = Enumerable.Range(0, rows).Where(r => result.Labels[r] == c).ToList();
            var share = new double[genreColumns];
            foreach (int r in members)
            {
                for (int g = 0; g < genreColumns; g++) share[g] += features.Row(r)[g];
            }
            var dominant = Enumerable.Range(0, genreColumns)
                .Where(g => members.Count > 0 && share[g] / members.Count >= 0.3)
                .Select(g => (g, lift: share[g] / members.Count / Math.Max(1e-9, overall[g] / rows)))
                .Where(p => p.lift >= 1.3)
                .OrderByDescending(p => p.lift).ThenBy(p => p.g)
                .Take(3).Select(p => features.Columns[p.g]).ToList();
            var movies = members.Select(r => dataset.MovieOf(features.Items[r])).OfType<Movie>().ToList();
            var years = members.Select(r => year[r]).Where(y => !double.IsNaN(y)).Order().ToList();
            string era = years.Count == 0 ? "unknown era" : EraOf((int)years[years.Count / 4], (int)years[years.Count * 3 / 4]);
            double yearZ = Z(yearStats, Stats(year, members).Mean);
            double ratingZ = Z(ratingStats, Stats(rating, members).Mean);
            double voteZ = Z(voteStats, Stats(votes, members).Mean);
            string level = ratingZ >= 0.75 ? "acclaimed" : ratingZ >= 0.25 ? "rated above average" : ratingZ <= -0.75 ? "poorly rated" : ratingZ <= -0.25 ? "rated below average" : "average ratings";
            var traits = new List<string>();
            if (yearZ >= 0.5 || yearZ <= -0.5) traits.Add(yearZ < 0 ? $"older films ({era})" : $"recent films ({era})");
            if (ratingZ >= 0.25 || ratingZ <= -0.25) traits.Add(level);
            if (voteZ >= 0.5) traits.Add("well known");
            else if (voteZ <= -0.5) traits.Add("little known");
            var centroid = result.Centroid(c).ToArray();
            int near = Math.Max(6, members.Count / 3);
            var representatives = members
                .OrderBy(r => KMeans.SquaredDistance(features.Row(r), centroid)).ThenBy(r => r).Take(near)
                .OrderByDescending(r => byItem.RowLength(features.Items[r])).ThenBy(r => r)
                .Select(r => dataset.MovieOf(features.Items[r])).OfType<Movie>().Take(6).ToList();
            var genreName = dominant.Count == 0 ? "Mixed genres" : string.Join(" & ", dominant);
            var name = traits.Count == 0 ? genreName : $"{genreName} · {string.Join(" · ", traits)}";
            list.Add(new MovieClusterInfo(c, name, sizes[c], dominant, era, level, representatives));
        }
        // Two clusters may still read alike (same genres, nothing else apart): number them so the names stay distinct.
        foreach (var group in list.GroupBy(x => x.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            int n = 0;
            foreach (var info in group)
            {
                int index = list.IndexOf(info);
                list[index] = info with { Name = string.Create(CultureInfo.InvariantCulture, $"{info.Name} ({++n})") };
            }
        }
        return list;
    }

    private static (double Mean, double Std) Stats(double[] values, IEnumerable<int> rows)
    {
        double sum = 0, sq = 0;
        int n = 0;
        foreach (int r in rows)
        {
            if (double.IsNaN(values[r])) continue;
            sum += values[r];
            sq += values[r] * values[r];
            n++;
        }
        if (n == 0) return (double.NaN, double.NaN);
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, sq / n - mean * mean)));
    }

    /// <summary>How many catalogue standard deviations <paramref name="mean"/> lies from the catalogue's mean (0 when undefined).</summary>
    private static double Z((double Mean, double Std) catalogue, double mean) =>
        double.IsNaN(mean) || !(catalogue.Std > 0) ? 0 : (mean - catalogue.Mean) / catalogue.Std;

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
