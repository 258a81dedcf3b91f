using System.Globalization;
using System.Runtime.Intrinsics;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="TasteRanker"/>.</summary>
public sealed record TasteRankerOptions
{
    /// <summary>Movies the learnt ranking re-orders: the best of the candidate score (default 200).</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>How many ratings each simulated new user gives while learning (default 1, 2, 3, 5, 10 and 20).</summary>
    public IReadOnlyList<int> Given { get; init; } = [1, 2, 3, 5, 10, 20];

    /// <summary>Share of the training users simulated as new users to learn the weights from (default 0.2).</summary>
    public double SimulatedUsers { get; init; } = 0.2;

    /// <summary>
    /// At most this many training users are simulated (default 1,000), whatever <see cref="SimulatedUsers"/> says:
    /// 1,000 people giving 6 counts of favourites and of random ratings are 12,000 samples, plenty for the dozen weights
    /// of a bucket, and the simulation's time and memory stop growing with the dataset (at the ml-25m shape the share
    /// alone would simulate 32,500 people: gigabytes of candidate features). ml-latest-small has about 100.
    /// </summary>
    public int MaxSimulatedUsers { get; init; } = 1000;

    /// <summary>Simulated users need at least this many ratings (default 15).</summary>
    public int MinRatings { get; init; } = 15;

    /// <summary>
    /// Preference pairs (a relevant candidate, one not relevant) drawn per simulated user and count given (default
    /// 100): every simulated person weighs the same, rather than in proportion to how many movies they liked.
    /// </summary>
    public int Pairs { get; init; } = 100;

    /// <summary>λ, the L2 penalty of the pairwise logistic regression (default 1e-4).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>
    /// The share of a list that may come from the <see cref="MostRated"/> most-rated movies, on average over the
    /// simulated users who give favourites (default 0.47; 1 turns the limit off). The learnt weights favour familiar
    /// films, since people rate what they know; left alone, every horror fan would be shown the same classics. A penalty
    /// on "most rated" is raised until the simulated lists meet the share. The lists of the new-user protocol then draw
    /// about 0.48 from them (seeds 10-19), under the 0.5 the service promises.
    /// </summary>
    public double PopularShare { get; init; } = 0.47;

    /// <summary>What "most rated" means for <see cref="PopularShare"/> (default: the 100 most-rated movies).</summary>
    public int MostRated { get; init; } = 100;

    /// <summary>
    /// Whether the simulated users also give random ratings, low ones included (default true), so that the weights
    /// learn what weak and negative evidence says, besides favourites.
    /// </summary>
    public bool LearnFromRandom { get; init; } = true;

    /// <summary>
    /// The least weight against closeness to a disliked movie (default 0.1): the weights of the disliked features are
    /// at most −this. Learnt alone they come out between −0.07 and 0 on ml-latest-small (people who rate a film low
    /// still rate its neighbours about as often, and about as well, as anyone), so a dislike would hardly count; as a
    /// product rule it must push what is like it down.
    /// </summary>
    public double DislikeWeight { get; init; } = 0.1;

    /// <summary>
    /// The least weight on genre fit (the cosine between a movie's genres and the liked movies'), and the least weight
    /// against closeness to the disliked movies' genres, for people with three to six liked movies (default 0.3).
    /// Learnt alone genre fit comes out 0.03-0.11 on ml-latest-small: the protocol's people like films across genres,
    /// and the era features stand in for taste, so five documentaries at 5 stars got 2 documentaries in 10 and a horror
    /// fan Dr. Strangelove and Chinatown. As a product rule a person's genres must count; at 0.3 the new-user protocol
    /// is unchanged within noise (docs/evaluation.md) and those lists hold 8 and 10.
    /// </summary>
    public double GenreWeight { get; init; } = 0.3;

    /// <summary>
    /// The least weight on theme fit (<see cref="Content.ContentTaste.Theme"/>: the share of the rare keywords, directors
    /// and lead actors that recur in at least three of the liked movies a candidate has, in [0, 1]), for people with three
    /// or more liked movies (default 3). Learnt alone it comes out near 0: few of the protocol's people have a theme that
    /// strong, so it hardly moves the metrics (new-user P@10 0.408 at 0, 3 and 6 on seeds 0-2), but for those who do it
    /// is what they asked for: five sports films at 5 stars got To Kill a Mockingbird, Dead Poets Society and Rain Man,
    /// and now Jerry Maguire, The Hustler, The Fighter, Any Given Sunday, The Wrestler; five zombie films got one zombie
    /// film in 10, now five (docs/evaluation.md).
    /// </summary>
    public double ThemeWeight { get; init; } = 3;

    public void Validate()
    {
        OptionChecks.Positive(Candidates, "candidates");
        if (Given is null || Given.Count == 0) throw new ArgumentException("given needs at least one count.", "given");
        foreach (int g in Given) OptionChecks.Positive(g, "given");
        if (!(SimulatedUsers > 0 && SimulatedUsers < 1)) throw new ArgumentException($"simulated-users must be between 0 and 1 (exclusive), not {SimulatedUsers}.", "simulated-users");
        OptionChecks.Positive(MaxSimulatedUsers, "max-simulated-users");
        OptionChecks.Positive(MinRatings, "min-ratings");
        OptionChecks.Positive(Pairs, "pairs");
        OptionChecks.Positive(L2, "l2");
        OptionChecks.InRange(PopularShare, 0, 1, "popular-share");
        OptionChecks.Positive(MostRated, "most-rated");
        OptionChecks.NonNegative(DislikeWeight, "dislike-weight");
        OptionChecks.NonNegative(GenreWeight, "genre-weight");
        OptionChecks.NonNegative(ThemeWeight, "theme-weight");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"candidates={Candidates}, given={string.Join('/', Given)}, simulated-users={SimulatedUsers}, max-simulated-users={MaxSimulatedUsers}, min-ratings={MinRatings}, pairs={Pairs}, l2={L2}, popular-share={PopularShare}, most-rated={MostRated}, learn-from-random={LearnFromRandom.ToString().ToLowerInvariant()}, dislike-weight={DislikeWeight}, genre-weight={GenreWeight}, theme-weight={ThemeWeight}");
}

/// <summary>
/// Ranking for a person who rates a handful of movies (the product's rate-to-recommend journey). Candidates come from a
/// fixed blend of EASE (Steck 2019), iALS (Hu, Koren &amp; Volinsky 2008) and quality; they are re-ordered by a learnt
/// linear function <c>s(i) = wᵀx(i)</c> of the <see cref="TasteFeatures"/> (the members' scores, content affinity,
/// quality, familiarity, genre fit, era and release year relative to the rated movies, and closeness to the disliked
/// ones). w is learnt with BPR's pairwise logistic criterion (Rendle et al. 2009; <see cref="PairwiseLogisticRegression"/>)
/// on the task itself, on the training users only: a share of them is held out, the members are fitted on the others,
/// each held-out user gives 1, 2, 3, 5, 10 and 20 of their favourites, and the same counts of random ratings, and
/// <see cref="TasteRankerOptions.Pairs"/> pairs of their other relevant movies (rated 4 and up) over candidates they
/// did not rate so are drawn per person and count. Weights are learnt per bucket of evidence (no liked movie; 1-2, 3-6,
/// 7+ liked, without and with a disliked one, <see cref="Feedback"/>). Then a penalty on the most-rated movies is set so
/// that the simulated favourites' lists draw at most <see cref="TasteRankerOptions.PopularShare"/> from them, and the
/// members are refitted on every user.
/// </summary>
public sealed partial class TasteRanker : IReadsDislikes
{
    /// <summary>
    /// The candidate score: EASE, half of iALS and half of quality (z-scores), and theme fit (in [0, 1]) at
    /// <see cref="TasteRankerOptions.ThemeWeight"/>.
    /// </summary>
    private readonly double[] _candidateWeights;

    private TasteFeatures? _features;
    private TrainingData? _data;
    private double[][] _weights = [];
    private double[] _penalties = [];
    private TieBreak _ties;

    /// <summary>
    /// Weights are learnt separately for no liked rating, and for 1-2, 3-6 and 7 or more liked ones without and with
    /// a disliked one.
    /// </summary>
    private const int Buckets = 7;

    /// <summary>The names of the buckets of <see cref="Weights"/>.</summary>
    public static IReadOnlyList<string> BucketNames { get; } =
        ["no liked", "1-2 liked", "3-6 liked", "7+ liked", "1-2 liked, some disliked", "3-6 liked, some disliked", "7+ liked, some disliked"];

    private static int Bucket(int liked, int disliked) => liked == 0 ? 0 : (liked <= 2 ? 1 : liked <= 6 ? 2 : 3) + (disliked > 0 ? 3 : 0);

    /// <summary>With no, one or two liked movies there is little to personalise on: those lists are not capped.</summary>
    private static bool Capped(int bucket) => bucket is 2 or 3 or 5 or 6;

    public TasteRanker(TasteRankerOptions? options = null)
    {
        Options = options ?? new TasteRankerOptions();
        Options.Validate();
        _candidateWeights = Candidate(Options.ThemeWeight);
    }

    public TasteRankerOptions Options { get; }

    public string Name => "taste";

    public int ItemCount => _features?.ItemCount ?? 0;

    /// <summary>The learnt weights (after the popularity penalty) per bucket (<see cref="BucketNames"/>), one per <see cref="FeatureNames"/> entry.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Weights => _weights;

    /// <summary>What each weight multiplies.</summary>
    public static IReadOnlyList<string> FeatureNames => TasteFeatures.Names;

    /// <summary>How many training users the last <see cref="Fit"/> simulated as new users (0 for a restored ranker).</summary>
    public int SimulatedUserCount { get; private set; }

    /// <summary>The penalty on "most rated" that the popularity share needed, per bucket.</summary>
    public IReadOnlyList<double> PopularityPenalties => _penalties;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var train = data.Ratings;
        var samples = Simulate(data, context);
        var rng = new Random(context.Seed);
        _weights = new double[Buckets][];
        _penalties = new double[Buckets];
        for (int b = 0; b < Buckets; b++)
        {
            var inBucket = samples.FindAll(s => s.Bucket == b);
            var weights = Learn(inBucket, rng, context) ?? (double[])_candidateWeights.Clone();
            // Before the popularity cap is calibrated, so the share it promises holds with the genre weight in.
            // With three to six liked movies (the handful a new user gives) there is a taste to fit; one or two liked
            // genres say little, and for seven or more the learnt weights rank the next movie better (leave-latest-out
            // NDCG@10 0.0278 against 0.0235 with the rule there too). Closeness to disliked genres counts against as
            // much as fit counts for.
            if (b is 2 or 5)
            {
                weights[TasteFeatures.Genre] = Math.Max(weights[TasteFeatures.Genre], Options.GenreWeight);
                weights[TasteFeatures.DislikedGenre] = Math.Min(weights[TasteFeatures.DislikedGenre], -Options.GenreWeight);
            }
            if (Capped(b)) weights[TasteFeatures.Theme] = Math.Max(weights[TasteFeatures.Theme], Options.ThemeWeight);
            _penalties[b] = Capped(b) ? Calibrate(weights, inBucket) : 0;
            weights[TasteFeatures.MostRated] -= _penalties[b];
            foreach (int d in TasteFeatures.NonPositive) weights[d] = Math.Min(weights[d], -Options.DislikeWeight);
            _weights[b] = weights;
        }
        _features = new TasteFeatures(data, FitMembers(data, context), Options.MostRated);
        _data = data;
        _ties = TieBreak.ByTrainingRatings(train);
    }

    /// <summary>
    /// One simulated new user and count: the bucket of their weights, whether they gave favourites, and their
    /// candidates' features (row-major, candidate × feature) with which of them they rated relevant.
    /// </summary>
    private sealed record Sample(int Bucket, bool Favourites, float[] Rows, bool[] Relevant);

    /// <summary>
    /// Holds out a share of the training users, fits the members on the others, and lets each held-out user give each
    /// count of favourites (and, with <see cref="TasteRankerOptions.LearnFromRandom"/>, of random ratings).
    /// </summary>
    private List<Sample> Simulate(TrainingData data, TrainingContext context)
    {
        var train = data.Ratings;
        var settings = new NewUserSettings { UsersHeld = Options.SimulatedUsers, MaxUsersHeld = Options.MaxSimulatedUsers, Seed = context.Seed, MinRatings = Options.MinRatings, Given = Options.Given };
        var split = NewUserProtocol.Split(train, settings);
        SimulatedUserCount = split.Users.Count;
        var simulated = new TasteFeatures(data.WithRatings(split.Train), FitMembers(data.WithRatings(split.Train), context), Options.MostRated);
        double mean = split.Train.GlobalMean;
        var ties = TieBreak.ByTrainingRatings(split.Train);
        float threshold = RelevanceThreshold(train.Scale);
        int n = simulated.ItemCount;
        // The same users give their favourites, then (to learn what low and middling ratings say) random ratings.
        var selections = Options.LearnFromRandom
            ? new[] { split, NewUserProtocol.Split(train, settings with { Selection = GivenSelection.Random }) }
            : [split];
        var work = new List<(bool Favourites, HeldOutUser User, int Given)>();
        for (int s = 0; s < selections.Length; s++)
        {
            foreach (var user in selections[s].Users)
            {
                foreach (int given in Options.Given)
                {
                    if (user.Ordered.Length >= Math.Max(Options.MinRatings, given + 1)) work.Add((s == 0, user, given));
                }
            }
        }
        // Each sample depends on its person and count alone: computed side by side, kept in order, so the samples
        // (and the weights learnt from them) are the same at any thread count. One feature buffer per worker.
        var samples = new Sample[work.Count];
        Parallel.For(0, work.Count, context.ParallelOptions, () => new float[TasteFeatures.Count * n], (w, _, x) =>
        {
            var (favourites, user, given) = work[w];
            var rated = user.Ordered.AsSpan(0, given).ToArray();
            var (liked, disliked) = Features(simulated, rated, train.Scale, mean, x);
            var candidates = Candidates(x, n, rated, ties);
            var relevant = new HashSet<int>();
            for (int k = given; k < user.Ordered.Length; k++)
            {
                if (user.Ordered[k].Rating >= threshold) relevant.Add(user.Ordered[k].Item);
            }
            samples[w] = new Sample(Bucket(liked, disliked), favourites, Gather(x, n, candidates), Array.ConvertAll(candidates, relevant.Contains));
            return x;
        }, _ => { });
        return [.. samples];
    }

    /// <summary>
    /// The weights learnt from <see cref="TasteRankerOptions.Pairs"/> preference pairs per sample (a relevant candidate
    /// over one not relevant, both drawn uniformly), or null when no sample has both.
    /// </summary>
    private double[]? Learn(List<Sample> samples, Random rng, TrainingContext context)
    {
        int f = TasteFeatures.Count;
        var differences = new List<float>();
        var positives = new List<int>();
        var negatives = new List<int>();
        foreach (var sample in samples)
        {
            positives.Clear();
            negatives.Clear();
            for (int k = 0; k < sample.Relevant.Length; k++) (sample.Relevant[k] ? positives : negatives).Add(k);
            if (positives.Count == 0 || negatives.Count == 0) continue;
            for (int t = 0; t < Options.Pairs; t++)
            {
                int p = positives[rng.Next(positives.Count)], q = negatives[rng.Next(negatives.Count)];
                for (int c = 0; c < f; c++) differences.Add(sample.Rows[p * f + c] - sample.Rows[q * f + c]);
            }
        }
        return differences.Count == 0 ? null : PairwiseLogisticRegression.Fit([.. differences], f, Options.L2, context.ParallelOptions, TasteFeatures.NonPositive);
    }

    /// <summary>The features for someone who rated <paramref name="rated"/>, and how many of those they liked and disliked.</summary>
    private static (int Liked, int Disliked) Features(TasteFeatures features, ItemRating[] rated, Data.RatingScale scale, double mean, Span<float> x)
    {
        var positive = Feedback.Positive(rated, scale, mean);
        var disliked = Feedback.Disliked(rated, scale, mean);
        float like = Content.Likes.Threshold(scale);
        int liked = 0;
        foreach (var r in positive)
        {
            if (r.Rating >= like) liked++;
        }
        features.Compute(positive, disliked, rated, x);
        return (liked, disliked.Length);
    }

    /// <summary>Ratings in the top quarter of the scale are what a person liked (4 and up on 0.5-5 stars).</summary>
    private static float RelevanceThreshold(Data.RatingScale scale) => scale.Min + (scale.Max - scale.Min) * 0.75f;

    /// <summary>EASE and iALS, and content when there is a catalogue (its columns stay 0 otherwise).</summary>
    private static IRecommender[] FitMembers(TrainingData data, TrainingContext context)
    {
        IRecommender[] members = data.Catalog is null
            ? [AlgorithmCatalog.Create("ease"), AlgorithmCatalog.Create("ials")]
            : [AlgorithmCatalog.Create("ease"), AlgorithmCatalog.Create("ials"), AlgorithmCatalog.Create("content")];
        foreach (var m in members) m.Fit(data, context);
        return members;
    }

    private static double[] Candidate(double themeWeight)
    {
        var w = new double[TasteFeatures.Count];
        w[TasteFeatures.Ease] = 1;
        w[TasteFeatures.Ials] = 0.5;
        w[TasteFeatures.Quality] = 0.5;
        // A theme's films must reach the re-ranking to be ranked by it: five vampire films at 5 stars had only two
        // vampire films among EASE's and iALS's first 200.
        w[TasteFeatures.Theme] = themeWeight;
        return w;
    }

    /// <summary>The best <see cref="TasteRankerOptions.Candidates"/> items by the candidate score, rated ones left out.</summary>
    private int[] Candidates(ReadOnlySpan<float> x, int n, ItemRating[] rated, TieBreak ties)
    {
        var score = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        try
        {
            Combine(x, n, _candidateWeights, score.AsSpan(0, n));
            var exclude = Array.ConvertAll(rated, r => r.Item);
            Array.Sort(exclude);
            return Array.ConvertAll(TopN.Select(score.AsSpan(0, n), Options.Candidates, ties, exclude), s => s.Item);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(score);
        }
    }

    /// <summary>
    /// score = Σ_c w_c x_c, the columns added in order (x_c w_c + score, as one multiply-add pass per column would),
    /// eight movies at a time through every column: one pass over the scores instead of one per feature.
    /// </summary>
    private static void Combine(ReadOnlySpan<float> x, int n, double[] weights, Span<float> score)
    {
        Span<int> columns = stackalloc int[weights.Length];
        Span<float> w = stackalloc float[weights.Length];
        int used = 0;
        for (int c = 0; c < weights.Length; c++)
        {
            if (weights[c] == 0) continue;
            columns[used] = c;
            w[used++] = (float)weights[c];
        }
        ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float ss = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(score);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 8; i += 8)
            {
                var sum = Vector256<float>.Zero;
                for (int k = 0; k < used; k++)
                    sum = Vector256.LoadUnsafe(ref xs, (nuint)(columns[k] * n + i)) * w[k] + sum;
                sum.StoreUnsafe(ref ss, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float sum = 0;
            for (int k = 0; k < used; k++) sum = x[columns[k] * n + i] * w[k] + sum;
            score[i] = sum;
        }
    }

    /// <summary>The candidates' features, row-major (candidate × feature).</summary>
    private static float[] Gather(float[] x, int n, int[] candidates)
    {
        int f = TasteFeatures.Count;
        var rows = new float[candidates.Length * f];
        for (int k = 0; k < candidates.Length; k++)
        {
            for (int c = 0; c < f; c++) rows[k * f + c] = x[c * n + candidates[k]];
        }
        return rows;
    }

    /// <summary>
    /// The smallest penalty on "most rated" (to 0.01, by bisection) whose top-10 lists draw at most
    /// <see cref="TasteRankerOptions.PopularShare"/> from the most-rated movies, over the bucket's simulated users who
    /// gave favourites (what the share is promised for), or all of the bucket's when fewer than 20 did.
    /// </summary>
    private double Calibrate(double[] weights, List<Sample> samples)
    {
        var favourites = samples.FindAll(s => s.Favourites);
        var users = (favourites.Count >= 20 ? favourites : samples).ConvertAll(s => s.Rows);
        if (Options.PopularShare >= 1 || users.Count == 0) return 0;
        double Share(double penalty)
        {
            var w = (double[])weights.Clone();
            w[TasteFeatures.MostRated] -= penalty;
            int f = w.Length;
            double popular = 0, shown = 0;
            var scores = new List<(double Score, bool Popular)>();
            foreach (var rows in users)
            {
                scores.Clear();
                for (int k = 0; k < rows.Length / f; k++)
                {
                    double s = 0;
                    for (int c = 0; c < f; c++) s += w[c] * rows[k * f + c];
                    scores.Add((s, rows[k * f + TasteFeatures.MostRated] > 0));
                }
                scores.Sort((a, b) => b.Score.CompareTo(a.Score));
                for (int r = 0; r < Math.Min(10, scores.Count); r++)
                {
                    shown++;
                    if (scores[r].Popular) popular++;
                }
            }
            return shown == 0 ? 0 : popular / shown;
        }
        if (Share(0) <= Options.PopularShare) return 0;
        double lo = 0, hi = 1;
        while (Share(hi) > Options.PopularShare && hi < 64) hi *= 2;
        while (hi - lo > 0.01)
        {
            double mid = (lo + hi) / 2;
            if (Share(mid) > Options.PopularShare) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    public void Score(int user, Span<float> scores)
    {
        var data = _data ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        Score(new RatingsFoldedUser(RankingChecks.UserRatings(data.Ratings, user)), scores);
    }

    /// <summary>Every rating, the low ones included: <see cref="Feedback"/> reads which are liked and which disliked.</summary>
    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_features is not null, Name);
        return new RatingsFoldedUser(RankingChecks.Normalize(ratings, ItemCount));
    }

    /// <summary>
    /// The learnt score for the candidates; every other movie scores below all of them (its learnt score less 1000),
    /// so lists and ranking metrics see the candidates first.
    /// </summary>
    public void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        var features = _features ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");
        RankingChecks.ScoreLength(scores, ItemCount);
        int n = features.ItemCount;
        // The features are a large array per request: pooled, so serving allocates no large objects.
        var pooled = System.Buffers.ArrayPool<float>.Shared.Rent(TasteFeatures.Count * n);
        try
        {
            var x = pooled.AsSpan(0, TasteFeatures.Count * n);
            var (liked, disliked) = Features(features, user.Ratings, _data!.Ratings.Scale, _data.Ratings.GlobalMean, x);
            // The candidates as a set (the same items as Candidates, unsorted: only membership matters here), with
            // the candidate score in the scores span: no per-request arrays.
            Combine(x, n, _candidateWeights, scores[..n]);
            var rated = user.Ratings;
            Span<int> exclude = rated.Length <= 256 ? stackalloc int[rated.Length] : new int[rated.Length];
            for (int k = 0; k < rated.Length; k++) exclude[k] = rated[k].Item;
            exclude.Sort();
            int want = Math.Min(Options.Candidates, n);
            Span<ScoredItem> candidates = want <= 1024 ? stackalloc ScoredItem[want] : new ScoredItem[want];
            candidates = candidates[..TopN.SelectUnordered(scores[..n], _ties, exclude, candidates)];
            Combine(x, n, _weights[Bucket(liked, disliked)], scores);
            // Everything less 1000, then the candidates' own scores put back (no per-request mask of n flags).
            Span<float> kept = candidates.Length <= 1024 ? stackalloc float[candidates.Length] : new float[candidates.Length];
            for (int k = 0; k < candidates.Length; k++) kept[k] = scores[candidates[k].Item];
            System.Numerics.Tensors.TensorPrimitives.Subtract(scores[..n], 1000f, scores[..n]);
            for (int k = 0; k < candidates.Length; k++) scores[candidates[k].Item] = kept[k];
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(pooled);
        }
    }

    public override string ToString() => $"{Name}({Options})";
}
