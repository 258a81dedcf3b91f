using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// The second seed's user clusters: K-Means over each user's mean rating per genre (a genre the user never rated
/// takes the user's overall mean, centred so only taste differences count). A user, or a new user from a few ratings,
/// is recommended the best-rated movies of their cluster that they have not seen.
/// </summary>
public sealed class UserClusters : IItemScorer, IFoldIn
{
    private readonly Dataset _dataset;
    private readonly string[] _genres;
    private readonly Dictionary<string, int> _genreIndex;
    private readonly float[][] _clusterScores;

    private UserClusters(Dataset dataset, string[] genres, KMeansResult result, float[][] clusterScores)
    {
        _dataset = dataset;
        _genres = genres;
        _genreIndex = genres.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i, StringComparer.Ordinal);
        Result = result;
        _clusterScores = clusterScores;
    }

    public string Name => "kmeans";

    public KMeansResult Result { get; }

    public int ItemCount => _dataset.Ratings.ItemCount;

    /// <summary>Minimum ratings within a cluster for a movie to be ranked by its cluster mean. Default 5.</summary>
    public const int MinimumClusterRatings = 5;

    public static UserClusters Build(Dataset dataset, KMeansOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new KMeansOptions();
        var ratings = dataset.Ratings;
        var genres = dataset.Catalog.Movies.SelectMany(m => m.Genres).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var genreIndex = genres.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i, StringComparer.Ordinal);
        var itemGenres = ItemGenres(dataset, genreIndex);
        var users = Enumerable.Range(0, ratings.UserCount).Where(u => ratings.ByUser.RowLength(u) > 0).ToArray();
        var features = new float[users.Length * genres.Length];
        for (int r = 0; r < users.Length; r++)
        {
            var byUser = ratings.ByUser;
            Profile(byUser.RowColumns(users[r]), byUser.RowValues(users[r]), itemGenres, features.AsSpan(r * genres.Length, genres.Length));
        }
        var result = KMeans.Fit(features, genres.Length, options with { K = Math.Min(options.K, users.Length) });
        var labelOfUser = new int[ratings.UserCount];
        Array.Fill(labelOfUser, -1);
        for (int r = 0; r < users.Length; r++) labelOfUser[users[r]] = result.Labels[r];
        var scores = ClusterScores(ratings, labelOfUser, result.K);
        var model = new UserClusters(dataset, genres, result, scores) { _labelOfUser = labelOfUser, _itemGenres = itemGenres };
        return model;
    }

    private int[] _labelOfUser = [];
    private int[][] _itemGenres = [];

    private static int[][] ItemGenres(Dataset dataset, Dictionary<string, int> genreIndex)
    {
        var result = new int[dataset.Ratings.ItemCount][];
        for (int i = 0; i < result.Length; i++)
            result[i] = dataset.MovieOf(i)?.Genres.Select(g => genreIndex[g]).ToArray() ?? [];
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

    public void Score(int user, Span<float> scores)
    {
        int c = ClusterOf(user);
        if (c < 0) scores.Fill(float.NaN);
        else _clusterScores[c].CopyTo(scores);
    }

    private sealed class ClusterUser(ItemRating[] ratings, int cluster) : FoldedUser(ratings)
    {
        public int Cluster { get; } = cluster;
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        var items = new int[ratings.Length];
        var values = new float[ratings.Length];
        for (int k = 0; k < ratings.Length; k++)
        {
            items[k] = ratings[k].Item;
            values[k] = ratings[k].Rating;
        }
        var profile = new float[_genres.Length];
        Profile(items, values, _itemGenres, profile);
        return new ClusterUser(ratings.ToArray(), Result.Assign(profile));
    }

    public void Score(FoldedUser user, Span<float> scores) => _clusterScores[((ClusterUser)user).Cluster].CopyTo(scores);

    public float Predict(FoldedUser user, int item)
    {
        float s = _clusterScores[((ClusterUser)user).Cluster][item];
        return float.IsNaN(s) ? (float)_dataset.Ratings.GlobalMean : s;
    }

    public int ClusterOf(FoldedUser user) => ((ClusterUser)user).Cluster;

    public override string ToString() => $"kmeans(users, k={Result.K}, genres={_genres.Length})";
}
