using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// The second seed's user clusters: K-Means over each user's mean rating per genre (a genre the user never rated
/// takes the user's overall mean, centred so only taste differences count). A user, or a new user from a few ratings,
/// is recommended the best-rated movies of their cluster that they have not seen: score(i) is the cluster's mean rating
/// of i shrunk towards μ by <see cref="MinimumClusterRatings"/> pseudo-ratings, NaN with fewer ratings than that.
/// The genres come from the movie catalogue (<see cref="TrainingData.RequireCatalog"/>); K-Means runs with the
/// training context's seed and thread budget (the result does not depend on the thread count).
/// </summary>
public sealed class UserClusters : IRecommender
{
    private string[] _genres = [];
    private float[][] _clusterScores = [];
    private int[] _labelOfUser = [];
    private int[][] _itemGenres = [];
    private KMeansResult? _result;

    /// <param name="options">K, restarts and iterations (its seed and threads are taken from the training context).</param>
    public UserClusters(KMeansOptions? options = null)
    {
        Options = options ?? new KMeansOptions();
        Options.Validate(points: int.MaxValue);
    }

    public KMeansOptions Options { get; }

    public string Name => "kmeans";

    /// <summary>The clustering (after <see cref="Fit"/>).</summary>
    public KMeansResult Result => _result ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    public int ItemCount { get; private set; }

    /// <summary>Minimum ratings within a cluster for a movie to be ranked by its cluster mean. Default 5.</summary>
    public const int MinimumClusterRatings = 5;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var catalog = data.RequireCatalog(Name);
        var ratings = data.Ratings;
        var genres = catalog.Movies.SelectMany(m => m.Genres).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var genreIndex = genres.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i, StringComparer.Ordinal);
        var itemGenres = ItemGenres(data, genreIndex);
        var byUser = ratings.ByUser;
        var users = Enumerable.Range(0, ratings.UserCount).Where(u => byUser.RowLength(u) > 0).ToArray();
        var features = new float[users.Length * genres.Length];
        for (int r = 0; r < users.Length; r++)
            Profile(byUser.RowColumns(users[r]), byUser.RowValues(users[r]), itemGenres, features.AsSpan(r * genres.Length, genres.Length));
        var options = Options with { K = Math.Min(Options.K, Math.Max(1, users.Length)), Seed = context.Seed, Threads = context.Threads };
        var result = KMeans.Fit(features, genres.Length, options);
        var labelOfUser = new int[ratings.UserCount];
        Array.Fill(labelOfUser, -1);
        for (int r = 0; r < users.Length; r++) labelOfUser[users[r]] = result.Labels[r];
        (_genres, _itemGenres, _labelOfUser, _result) = (genres, itemGenres, labelOfUser, result);
        _clusterScores = ClusterScores(ratings, labelOfUser, result.K);
        ItemCount = ratings.ItemCount;
    }

    private static int[][] ItemGenres(TrainingData data, Dictionary<string, int> genreIndex)
    {
        var result = new int[data.Ratings.ItemCount][];
        for (int i = 0; i < result.Length; i++)
            result[i] = data.MovieOf(i)?.Genres.Select(g => genreIndex[g]).ToArray() ?? [];
        return result;
    }

    /// <summary>Per-genre mean rating minus the user's overall mean (0 for genres the user has not rated).</summary>
    private static void Profile(ReadOnlySpan<int> items, ReadOnlySpan<float> values, int[][] itemGenres, Span<float> profile)
    {
        Span<float> sums = stackalloc float[profile.Length];
        Span<int> counts = stackalloc int[profile.Length];
        float total = 0;
        for (int k = 0; k < items.Length; k++)
        {
            total += values[k];
            foreach (int g in itemGenres[items[k]])
            {
                sums[g] += values[k];
                counts[g]++;
            }
        }
        float mean = items.Length == 0 ? 0 : total / items.Length;
        for (int g = 0; g < profile.Length; g++)
            profile[g] = counts[g] == 0 ? 0 : sums[g] / counts[g] - mean;
    }

    /// <summary>Each cluster's mean rating per movie (shrunk towards the global mean: 5 pseudo-ratings).</summary>
    private static float[][] ClusterScores(RatingDataset ratings, int[] labelOfUser, int k)
    {
        var sums = new double[k][];
        var counts = new int[k][];
        for (int c = 0; c < k; c++)
        {
            sums[c] = new double[ratings.ItemCount];
            counts[c] = new int[ratings.ItemCount];
        }
        for (int n = 0; n < ratings.Count; n++)
        {
            int c = labelOfUser[ratings.Users[n]];
            if (c < 0) continue;
            sums[c][ratings.Items[n]] += ratings.Values[n];
            counts[c][ratings.Items[n]]++;
        }
        var scores = new float[k][];
        double mu = ratings.GlobalMean;
        for (int c = 0; c < k; c++)
        {
            scores[c] = new float[ratings.ItemCount];
            for (int i = 0; i < ratings.ItemCount; i++)
            {
                int cnt = counts[c][i];
                scores[c][i] = cnt < MinimumClusterRatings ? float.NaN : (float)((sums[c][i] + MinimumClusterRatings * mu) / (cnt + MinimumClusterRatings));
            }
        }
        return scores;
    }

    /// <summary>The cluster of a user of the dataset, or -1.</summary>
    public int ClusterOf(int user) => (uint)user < (uint)_labelOfUser.Length ? _labelOfUser[user] : -1;

    public IReadOnlyList<string> Genres => _genres;

    /// <summary>The cluster's scores; NaN everywhere for a user without training ratings (no cluster).</summary>
    public void Score(int user, Span<float> scores)
    {
        Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        int c = ClusterOf(user);
        if (c < 0) scores.Fill(float.NaN);
        else _clusterScores[c].CopyTo(scores);
    }

    private sealed class ClusterUser(ItemRating[] ratings, int cluster) : FoldedUser(ratings)
    {
        public int Cluster { get; } = cluster;
    }

    /// <summary>The nearest centroid to the new user's genre profile.</summary>
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        var result = Fitted();
        var normalized = RankingChecks.Normalize(ratings, ItemCount);
        var items = new int[normalized.Length];
        var values = new float[normalized.Length];
        for (int k = 0; k < normalized.Length; k++) (items[k], values[k]) = (normalized[k].Item, normalized[k].Rating);
        var profile = new float[_genres.Length];
        Profile(items, values, _itemGenres, profile);
        return new ClusterUser(normalized, result.Assign(profile));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        _clusterScores[AsCluster(user).Cluster].CopyTo(scores);
    }

    public int ClusterOf(FoldedUser user) => AsCluster(user).Cluster;

    private ClusterUser AsCluster(FoldedUser user) =>
        user as ClusterUser ?? throw new ArgumentException($"{Name} scores users it folded in itself.", nameof(user));

    private KMeansResult Fitted() => _result ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"kmeans(users by genre taste, k={Options.K}, restarts={Options.Restarts}, max-iterations={Options.MaxIterations}, min-cluster-ratings={MinimumClusterRatings})");
}
