using System.Globalization;
using System.Numerics.Tensors;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>Options of <see cref="UserClusters"/> beyond the k-means ones.</summary>
public sealed record UserClustersOptions
{
    /// <summary>
    /// Temperature T of the soft assignment w_c ∝ exp(cos(x, μ_c) / T). Default 0.02 (tuned on the new-user protocol,
    /// seeds 10-14: 0.01 to 0.05 tried; lower is nearly a hard assignment).
    /// </summary>
    public double Temperature { get; init; } = 0.02;

    /// <summary>Pseudo-users λ pulling a cluster's like rate towards the whole population's. Default 2.</summary>
    public double Smoothing { get; init; } = 2;

    /// <summary>
    /// Weight γ of the user's own genre taste (mean log-lift of the movie's genres) against the log of the clusters' like
    /// rate. Default 1.2 (new-user protocol, seeds 10-14: 1 to 1.5 tried; higher is more personal, less precise).
    /// </summary>
    public double TasteWeight { get; init; } = 1.2;

    /// <summary>Movies liked by at least this many training users are the clustering's dimensions. Default 5.</summary>
    public int MinimumLikes { get; init; } = 5;

    /// <summary>At most this many dimensions (the most liked movies): bounds the users × dimensions matrix. Default 4000.</summary>
    public int MaxDimensions { get; init; } = 4000;

    public void Validate()
    {
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"{nameof(Temperature)} must be a positive number, not {Temperature}.", nameof(Temperature));
        OptionChecks.NonNegative(Smoothing, nameof(Smoothing));
        OptionChecks.NonNegative(TasteWeight, nameof(TasteWeight));
        OptionChecks.Positive(MinimumLikes, nameof(MinimumLikes));
        OptionChecks.Positive(MaxDimensions, nameof(MaxDimensions));
    }
}

/// <summary>A user cluster described for people: the genres and movies its members like more than everyone does.</summary>
/// <param name="Id">The cluster index.</param>
/// <param name="Name">"Horror &amp; Thriller · The Shining, Alien, Psycho": distinctive genres, then distinctive movies.</param>
/// <param name="Users">Training users in the cluster.</param>
/// <param name="Genres">Genres liked at least 1.2 times as often as by everyone (the most over-represented first, at most 3).</param>
/// <param name="GenreLifts">The lift of each of <see cref="Genres"/>: the cluster's share of likes in it over everyone's.</param>
/// <param name="Movies">Dense item ids liked by a good share of the cluster and most over-represented in it (at most 3).</param>
/// <param name="Titles">The titles of <see cref="Movies"/>.</param>
public sealed record UserClusterInfo(int Id, string Name, int Users, IReadOnlyList<string> Genres, IReadOnlyList<double> GenreLifts, IReadOnlyList<int> Movies, IReadOnlyList<string> Titles);

/// <summary>
/// K-Means over what users like, with a personal ranking inside the clusters.
/// <para>
/// Clustering (Ungar and Foster 1998; Sarwar et al. 2002, "Recommender systems for large-scale e-commerce: scalable
/// neighborhood formation using clustering"): each training user is the unit-length vector of the movies they liked
/// (rated in the upper third of the scale; the dimensions are the movies at least <see cref="UserClustersOptions.MinimumLikes"/>
/// users liked), clustered by k-means++ and Lloyd (<see cref="KMeans"/>). A cluster c then has a like rate per movie,
/// p(i | c) = (n_ci + λ·p(i)) / (N_c + λ), with n_ci its members who liked i, N_c its size and p(i) the whole
/// population's rate (λ pseudo-users of shrinkage).
/// </para>
/// <para>
/// A user (a new one folded in from a few ratings, or a training user) is placed softly: x is their liked-movie vector,
/// w_c = softmax_c(cos(x, μ_c) / T) over the centroids μ_c. Their score of a movie is
/// log Σ_c w_c·p(i | c) + γ·a_u(i), where a_u(i) is the mean over i's genres g of the user's genre log-lift
/// log(((l_ug + α·P_g) / (l_u + α)) / P_g): l_ug of their l_u liked movies are in g, P_g is the share of all likes
/// that fall in g, α = 5 pseudo-likes. The clusters say what people like them like; the lift ranks it by what this
/// person likes more than everyone does, so two people in one cluster get different lists.
/// </para>
/// Needs the movie catalogue for the genres (<see cref="TrainingData.RequireCatalog"/>); k-means runs with the training
/// context's seed and thread budget (the result does not depend on the thread count).
/// </summary>
public sealed partial class UserClusters : IRecommender
{
    /// <summary>α: pseudo-likes drawing a user's genre shares towards everyone's.</summary>
    public const double GenrePrior = 5;

    private readonly UserClustersOptions _taste;
    private string[] _genres = [];
    private int[] _genreOffsets = [0];
    private int[] _genreOfItem = [];
    private double[] _genreShare = [];
    private int[] _dimensionOf = [];
    private float[] _centroidNorms = [];
    private float[] _likeRates = []; // K x items, row-major: p(i | c)
    private int[] _labelOfUser = [];
    private UserClusterInfo[] _clusters = [];
    private RatingDataset? _train;
    private KMeansResult? _result;

    /// <param name="options">K, restarts and iterations (its seed and threads are taken from the training context).</param>
    /// <param name="taste">The soft assignment and the personal ranking.</param>
    public UserClusters(KMeansOptions? options = null, UserClustersOptions? taste = null)
    {
        Options = options ?? new KMeansOptions { K = DefaultK };
        Options.Validate(points: int.MaxValue);
        _taste = taste ?? new UserClustersOptions();
        _taste.Validate();
    }

    /// <summary>Clusters by default: 20 (10 and 40 tried on the new-user protocol; 20 ranked best).</summary>
    public const int DefaultK = 20;

    public KMeansOptions Options { get; }

    public UserClustersOptions Taste => _taste;

    public string Name => "kmeans";

    /// <summary>The clustering (after <see cref="Fit"/>).</summary>
    public KMeansResult Result => _result ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    /// <summary>The clusters described (after <see cref="Fit"/>), in cluster order.</summary>
    public IReadOnlyList<UserClusterInfo> Clusters => _clusters;

    public int ItemCount { get; private set; }

    public IReadOnlyList<string> Genres => _genres;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var catalog = data.RequireCatalog(Name);
        var ratings = data.Ratings;
        int items = ratings.ItemCount;
        _genres = catalog.Movies.SelectMany(m => m.Genres).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        (_genreOffsets, _genreOfItem) = ItemGenres(data, _genres);

        var byUser = ratings.ByUser;
        var users = new List<int>();
        var liked = new List<int[]>();
        for (int u = 0; u < ratings.UserCount; u++)
        {
            if (byUser.RowLength(u) == 0) continue;
            users.Add(u);
            liked.Add(Likes.OfUser(ratings, u));
        }
        var likeCount = new int[items];
        long likeEvents = 0;
        var genreLikes = new double[_genres.Length];
        foreach (var l in liked)
        {
            foreach (int i in l)
            {
                likeCount[i]++;
                likeEvents++;
                foreach (int g in GenresOf(i)) genreLikes[g]++;
            }
        }
        _genreShare = new double[_genres.Length];
        for (int g = 0; g < _genres.Length; g++) _genreShare[g] = (genreLikes[g] + 1) / (likeEvents + 1);

        _dimensionOf = Dimensions(likeCount, _taste.MinimumLikes, _taste.MaxDimensions, out int dimensions);
        // Users with no liked movie among the dimensions say nothing about clusters; they are left out of k-means.
        var clustered = new List<int>();
        for (int r = 0; r < users.Count; r++)
        {
            if (LikesADimension(liked[r], _dimensionOf)) clustered.Add(r);
        }
        _labelOfUser = new int[ratings.UserCount];
        Array.Fill(_labelOfUser, -1);
        int k = Math.Min(Options.K, Math.Max(1, clustered.Count));
        var options = Options with { K = k, Seed = context.Seed, Threads = context.Threads };
        var clusterLikes = new double[k * items];
        var sizes = new int[k];
        if (clustered.Count > 0 && dimensions > 0)
        {
            var features = new float[clustered.Count * dimensions];
            for (int r = 0; r < clustered.Count; r++) Vector(liked[clustered[r]], features.AsSpan(r * dimensions, dimensions));
            _result = KMeans.Fit(features, dimensions, options);
            for (int r = 0; r < clustered.Count; r++)
            {
                int c = _result.Labels[r];
                _labelOfUser[users[clustered[r]]] = c;
                sizes[c]++;
                foreach (int i in liked[clustered[r]]) clusterLikes[c * items + i]++;
            }
        }
        else
        {
            // Nothing to cluster (every movie liked by fewer than MinimumLikes users): one cluster, the population.
            _result = new KMeansResult(1, Math.Max(1, dimensions), new float[Math.Max(1, dimensions)], [], 0, 0);
            k = 1;
            clusterLikes = new double[items];
            sizes = [0];
        }
        _centroidNorms = new float[k];
        for (int c = 0; c < k; c++) _centroidNorms[c] = TensorPrimitives.Norm(_result.Centroid(c));

        // p(i | c) with λ pseudo-users at the population's rate; p(i) itself gets one pseudo-like in U + 2 users, so a
        // movie nobody liked still ranks (last, by taste) rather than at -∞.
        double population = users.Count;
        double lambda = _taste.Smoothing;
        _likeRates = new float[k * items];
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < items; i++)
            {
                double prior = (likeCount[i] + 1.0) / (population + 2.0);
                _likeRates[c * items + i] = (float)((clusterLikes[c * items + i] + lambda * prior) / (sizes[c] + lambda));
            }
        }
        _train = ratings;
        ItemCount = items;
        _clusters = Describe(data, clusterLikes, sizes, likeCount, population);
        _header = Models.PersistentModels.HeaderOf(Name, Models.PersistentModels.ToJson(new State(Options, _taste, _genres, _clusters)), ratings);
    }

    private static (int[] Offsets, int[] Genres) ItemGenres(TrainingData data, string[] genres)
    {
        var index = genres.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i, StringComparer.Ordinal);
        int items = data.Ratings.ItemCount;
        var offsets = new int[items + 1];
        var list = new List<int>();
        for (int i = 0; i < items; i++)
        {
            foreach (var g in data.MovieOf(i)?.Genres ?? []) list.Add(index[g]);
            offsets[i + 1] = list.Count;
        }
        return (offsets, [.. list]);
    }

    private ReadOnlySpan<int> GenresOf(int item) => _genreOfItem.AsSpan(_genreOffsets[item], _genreOffsets[item + 1] - _genreOffsets[item]);

    /// <summary>
    /// How many of <paramref name="ratings"/>' users <see cref="Fit"/> clusters: those who liked (<see cref="Likes.OfUser"/>)
    /// a movie among the dimensions (liked by at least <see cref="UserClustersOptions.MinimumLikes"/> users). Fit lowers a
    /// larger k to this (to 1 when it is 0), so a command can refuse such a k before fitting.
    /// </summary>
    public static int ClusterableUsers(RatingDataset ratings, UserClustersOptions? taste = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        taste ??= new UserClustersOptions();
        taste.Validate();
        var liked = new List<int[]>();
        var likeCount = new int[ratings.ItemCount];
        for (int u = 0; u < ratings.UserCount; u++)
        {
            if (ratings.ByUser.RowLength(u) == 0) continue;
            var l = Likes.OfUser(ratings, u);
            liked.Add(l);
            foreach (int i in l) likeCount[i]++;
        }
        var dimensionOf = Dimensions(likeCount, taste.MinimumLikes, taste.MaxDimensions, out _);
        int count = 0;
        foreach (var l in liked)
        {
            if (LikesADimension(l, dimensionOf)) count++;
        }
        return count;
    }

    private static bool LikesADimension(int[] liked, int[] dimensionOf)
    {
        foreach (int i in liked)
        {
            if (dimensionOf[i] >= 0) return true;
        }
        return false;
    }

    /// <summary>The most-liked movies (at least <paramref name="minimum"/> likes, at most <paramref name="max"/>) as dimensions.</summary>
    private static int[] Dimensions(int[] likeCount, int minimum, int max, out int count)
    {
        var order = Enumerable.Range(0, likeCount.Length).Where(i => likeCount[i] >= minimum)
            .OrderByDescending(i => likeCount[i]).ThenBy(i => i).Take(max).Order().ToArray();
        var dimensionOf = new int[likeCount.Length];
        Array.Fill(dimensionOf, -1);
        for (int d = 0; d < order.Length; d++) dimensionOf[order[d]] = d;
        count = order.Length;
        return dimensionOf;
    }

    /// <summary>The unit-length liked-movie vector over the dimensions (zero when none of the movies is a dimension).</summary>
    private void Vector(ReadOnlySpan<int> liked, Span<float> x)
    {
        x.Clear();
        int n = 0;
        foreach (int i in liked)
        {
            if (_dimensionOf[i] < 0) continue;
            x[_dimensionOf[i]] = 1;
            n++;
        }
        if (n > 0) TensorPrimitives.Multiply(x, 1 / MathF.Sqrt(n), x);
    }

    private UserClusterInfo[] Describe(TrainingData data, double[] clusterLikes, int[] sizes, int[] likeCount, double population)
    {
        int items = data.Ratings.ItemCount;
        var result = new UserClusterInfo[sizes.Length];
        for (int c = 0; c < sizes.Length; c++)
        {
            var genreLikes = new double[_genres.Length];
            double events = 0;
            for (int i = 0; i < items; i++)
            {
                double n = clusterLikes[c * items + i];
                if (n == 0) continue;
                events += n;
                foreach (int g in GenresOf(i)) genreLikes[g] += n;
            }
            // Genres: the cluster's share of likes in g over everyone's, for genres with at least 5 % of its likes.
            var genres = Enumerable.Range(0, _genres.Length)
                .Where(g => events > 0 && genreLikes[g] / events >= 0.05)
                .Select(g => (g, lift: genreLikes[g] / events / _genreShare[g]))
                .Where(p => p.lift >= 1.2)
                .OrderByDescending(p => p.lift).ThenBy(p => p.g).Take(3).ToList();
            // Movies: liked by at least a quarter of the cluster (and 3 members), most over-represented first.
            int support = Math.Max(3, (int)Math.Ceiling(sizes[c] * 0.25));
            var movies = Enumerable.Range(0, items)
                .Where(i => clusterLikes[c * items + i] >= support)
                .Select(i => (i, lift: clusterLikes[c * items + i] / sizes[c] / (likeCount[i] / population)))
                .OrderByDescending(p => p.lift).ThenBy(p => p.i).Take(3).Select(p => p.i).ToList();
            var titles = movies.Select(i => data.MovieOf(i)?.Title ?? data.Ratings.ItemIds.ToRaw(i)).ToList();
            string genreText = genres.Count == 0 ? "No genre stands out" : string.Join(" & ", genres.Select(p => _genres[p.g]));
            string name = titles.Count == 0 ? genreText : $"{genreText} · {string.Join(", ", titles)}";
            result[c] = new UserClusterInfo(c, name, sizes[c], [.. genres.Select(p => _genres[p.g])], [.. genres.Select(p => Math.Round(p.lift, 2))], movies, titles);
        }
        return result;
    }

    /// <summary>The cluster of a user of the dataset (their k-means label), or -1 (no liked movie among the dimensions).</summary>
    public int ClusterOf(int user) => (uint)user < (uint)_labelOfUser.Length ? _labelOfUser[user] : -1;

    /// <summary>A training user, placed and ranked as a new user with the same likes would be.</summary>
    public void Score(int user, Span<float> scores)
    {
        var train = Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        ScoreTaste(Place(Likes.OfUser(train, user)), scores);
    }

    /// <summary>A user's soft cluster weights and genre log-lifts.</summary>
    private sealed class ClusterUser(ItemRating[] ratings, double[] weights, float[] genreLift) : FoldedUser(ratings)
    {
        public double[] Weights { get; } = weights;
        public float[] GenreLift { get; } = genreLift;

        public int Cluster
        {
            get
            {
                int best = 0;
                for (int c = 1; c < Weights.Length; c++)
                {
                    if (Weights[c] > Weights[best]) best = c;
                }
                return best;
            }
        }
    }

    /// <summary>Soft weights over the clusters (softmax of the cosine to each centroid over T) and the genre log-lifts.</summary>
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        var train = Fitted();
        var normalized = RankingChecks.Normalize(ratings, ItemCount);
        var (weights, lift) = Place(Likes.OfRatings(normalized, train.Scale));
        return new ClusterUser(normalized, weights, lift);
    }

    private (double[] Weights, float[] Lift) Place(int[] liked)
    {
        var result = Result;
        int k = result.K;
        // x has 1/√n on each liked dimension, so x·μ_c is a sum over the liked movies (no dense vector).
        int n = 0;
        foreach (int i in liked)
        {
            if (_dimensionOf[i] >= 0) n++;
        }
        var weights = new double[k];
        double max = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            double cos = 0;
            if (n > 0 && _centroidNorms[c] > 0)
            {
                var centroid = result.Centroid(c);
                double dot = 0;
                foreach (int i in liked)
                {
                    if (_dimensionOf[i] >= 0) dot += centroid[_dimensionOf[i]];
                }
                cos = dot / Math.Sqrt(n) / _centroidNorms[c];
            }
            weights[c] = cos / _taste.Temperature;
            max = Math.Max(max, weights[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++)
        {
            weights[c] = Math.Exp(weights[c] - max);
            sum += weights[c];
        }
        for (int c = 0; c < k; c++) weights[c] /= sum;
        return (weights, GenreLift(liked));
    }

    /// <summary>log(((l_g + α·P_g) / (l + α)) / P_g) for every genre g.</summary>
    private float[] GenreLift(int[] liked)
    {
        var counts = new double[_genres.Length];
        foreach (int i in liked)
        {
            foreach (int g in GenresOf(i)) counts[g]++;
        }
        var lift = new float[_genres.Length];
        for (int g = 0; g < lift.Length; g++)
            lift[g] = (float)Math.Log((counts[g] + GenrePrior * _genreShare[g]) / (liked.Length + GenrePrior) / _genreShare[g]);
        return lift;
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        var cluster = AsCluster(user);
        ScoreTaste((cluster.Weights, cluster.GenreLift), scores);
    }

    private void ScoreTaste((double[] Weights, float[] Lift) user, Span<float> scores)
    {
        int items = ItemCount;
        scores.Clear();
        for (int c = 0; c < user.Weights.Length; c++)
        {
            // Clusters with a negligible weight change no score at float precision.
            if (user.Weights[c] < 1e-7) continue;
            TensorPrimitives.MultiplyAdd(_likeRates.AsSpan(c * items, items), (float)user.Weights[c], scores, scores);
        }
        TensorPrimitives.Log(scores, scores);
        float gamma = (float)_taste.TasteWeight;
        if (gamma == 0) return;
        for (int i = 0; i < items; i++)
        {
            var genres = GenresOf(i);
            if (genres.IsEmpty) continue;
            float a = 0;
            foreach (int g in genres) a += user.Lift[g];
            scores[i] += gamma * a / genres.Length;
        }
    }

    /// <summary>The cluster a folded-in user weighs most.</summary>
    public int ClusterOf(FoldedUser user) => AsCluster(user).Cluster;

    /// <summary>The soft weights of a folded-in user over the clusters (they sum to 1).</summary>
    public IReadOnlyList<double> WeightsOf(FoldedUser user) => AsCluster(user).Weights;

    private ClusterUser AsCluster(FoldedUser user) =>
        user as ClusterUser ?? throw new ArgumentException($"{Name} scores users it folded in itself.", nameof(user));

    private RatingDataset Fitted() => _train ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"kmeans(users by liked movies, k={Options.K}, restarts={Options.Restarts}, max-iterations={Options.MaxIterations}, temperature={_taste.Temperature}, smoothing={_taste.Smoothing}, taste-weight={_taste.TasteWeight}, min-likes={_taste.MinimumLikes}, max-dimensions={_taste.MaxDimensions})");
}
