using System.Globalization;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>Options of <see cref="TasteRanker"/>.</summary>
public sealed record TasteRankerOptions
{
    /// <summary>Movies the learnt ranking re-orders: the best of the candidate score (default 200).</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>How many favourites each simulated new user gives while learning (default 3, 5 and 10).</summary>
    public IReadOnlyList<int> Given { get; init; } = [1, 2, 3, 5, 10, 20];

    /// <summary>Share of the training users simulated as new users to learn the weights from (default 0.2).</summary>
    public double SimulatedUsers { get; init; } = 0.2;

    /// <summary>Simulated users need at least this many ratings (default 15).</summary>
    public int MinRatings { get; init; } = 15;

    /// <summary>Non-relevant candidates paired with each relevant one (default 10).</summary>
    public int Negatives { get; init; } = 10;

    /// <summary>λ, the L2 penalty of the pairwise logistic regression (default 1e-4).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>
    /// The share of a list that may come from the <see cref="MostRated"/> most-rated movies, on average over the
    /// simulated users with five favourites (default 0.45; 1 turns the limit off). The learnt weights favour familiar
    /// films, since people rate what they know; left alone, every horror fan would be shown the same classics. A penalty
    /// on "most rated" is raised until the simulated lists meet the share.
    /// </summary>
    public double PopularShare { get; init; } = 0.45;

    /// <summary>What "most rated" means for <see cref="PopularShare"/> (default: the 100 most-rated movies).</summary>
    public int MostRated { get; init; } = 100;

    public void Validate()
    {
        OptionChecks.Positive(Candidates, "candidates");
        if (Given is null || Given.Count == 0) throw new ArgumentException("given needs at least one count.", "given");
        foreach (int g in Given) OptionChecks.Positive(g, "given");
        if (!(SimulatedUsers > 0 && SimulatedUsers < 1)) throw new ArgumentException($"simulated-users must be between 0 and 1 (exclusive), not {SimulatedUsers}.", "simulated-users");
        OptionChecks.Positive(MinRatings, "min-ratings");
        OptionChecks.Positive(Negatives, "negatives");
        OptionChecks.Positive(L2, "l2");
        OptionChecks.InRange(PopularShare, 0, 1, "popular-share");
        OptionChecks.Positive(MostRated, "most-rated");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"candidates={Candidates}, given={string.Join('/', Given)}, simulated-users={SimulatedUsers}, min-ratings={MinRatings}, negatives={Negatives}, l2={L2}, popular-share={PopularShare}, most-rated={MostRated}");
}

/// <summary>
/// Ranking for a person who rates a handful of favourites (the product's rate-to-recommend journey). Candidates come from
/// a fixed blend of EASE (Steck 2019), iALS (Hu, Koren &amp; Volinsky 2008) and quality; they are re-ordered by a learnt
/// linear function <c>s(i) = wᵀx(i)</c> of the <see cref="TasteFeatures"/> (the members' scores, quality, familiarity,
/// genre fit, era and release year relative to the favourites). w is learnt as BPR's pairwise logistic criterion
/// (Rendle et al. 2009; <see cref="PairwiseLogisticRegression"/>) on the task itself: a share of the training users is
/// held out, the members are fitted on the others, each held-out user gives 3, 5 or 10 favourites, and their other
/// liked movies among the candidates are ranked above the candidates they did not like. Then a penalty on the most-rated
/// movies is set so that those lists draw at most <see cref="TasteRankerOptions.PopularShare"/> from them, and the
/// members are refitted on every user.
/// </summary>
public sealed partial class TasteRanker : IRecommender
{
    /// <summary>The candidate score: EASE, half of iALS and half of quality (z-scores).</summary>
    private static readonly double[] CandidateWeights = Candidate();

    private TasteFeatures? _features;
    private TrainingData? _data;
    private double[][] _weights = [];
    private double[] _penalties = [];

    /// <summary>Weights are learnt separately for 1-2, 3-6 and 7 or more liked favourites.</summary>
    private const int Buckets = 3;

    private static int Bucket(int liked) => liked <= 2 ? 0 : liked <= 6 ? 1 : 2;
    private TieBreak _ties;

    public TasteRanker(TasteRankerOptions? options = null)
    {
        Options = options ?? new TasteRankerOptions();
        Options.Validate();
    }

    public TasteRankerOptions Options { get; }

    public string Name => "taste";

    public int ItemCount => _features?.ItemCount ?? 0;

    /// <summary>
    /// The learnt weights (after the popularity penalty) for 1-2, 3-6 and 7 or more liked favourites, one per
    /// <see cref="FeatureNames"/> entry.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> Weights => _weights;

    /// <summary>What each weight multiplies.</summary>
    public static IReadOnlyList<string> FeatureNames => TasteFeatures.Names;

    /// <summary>The penalty on "most rated" that the popularity share needed, per bucket of favourites.</summary>
    public IReadOnlyList<double> PopularityPenalties => _penalties;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        var train = data.Ratings;
        var split = NewUserProtocol.Split(train, new NewUserSettings { UsersHeld = Options.SimulatedUsers, Seed = context.Seed, MinRatings = Options.MinRatings, Given = Options.Given });
        var simulated = new TasteFeatures(data.WithRatings(split.Train), FitMembers(data.WithRatings(split.Train), context), Options.MostRated);
        var ties = TieBreak.ByTrainingRatings(split.Train);
        var rng = new Random(context.Seed);
        var differences = new List<float>[Buckets];
        var calibration = new List<float[]>[Buckets];
        for (int b = 0; b < Buckets; b++)
        {
            differences[b] = [];
            calibration[b] = [];
        }
        float threshold = RelevanceThreshold(train.Scale);
        int f = TasteFeatures.Count, n = simulated.ItemCount;
        foreach (var user in split.Users)
        {
            foreach (int given in Options.Given)
            {
                if (user.Ordered.Length < Math.Max(Options.MinRatings, given + 1)) continue;
                context.Cancellation.ThrowIfCancellationRequested();
                var favourites = user.Ordered.AsSpan(0, given).ToArray();
                var liked = NewUserRecommendations.Liked(favourites, train.Scale);
                int bucket = Bucket(liked.Length);
                var x = simulated.Compute(liked);
                var candidates = Candidates(x, n, favourites, ties);
                var relevant = new HashSet<int>();
                for (int k = given; k < user.Ordered.Length; k++)
                {
                    if (user.Ordered[k].Rating >= threshold) relevant.Add(user.Ordered[k].Item);
                }
                var positives = Array.FindAll(candidates, relevant.Contains);
                var negatives = Array.FindAll(candidates, i => !relevant.Contains(i));
                if (negatives.Length > 0)
                {
                    foreach (int p in positives)
                    {
                        for (int t = 0; t < Options.Negatives; t++)
                        {
                            int q = negatives[rng.Next(negatives.Length)];
                            for (int c = 0; c < f; c++) differences[bucket].Add(x[c * n + p] - x[c * n + q]);
                        }
                    }
                }
                calibration[bucket].Add(Gather(x, n, candidates));
            }
        }
        _weights = new double[Buckets][];
        _penalties = new double[Buckets];
        for (int b = 0; b < Buckets; b++)
        {
            var weights = differences[b].Count == 0 ? (double[])CandidateWeights.Clone() : PairwiseLogisticRegression.Fit([.. differences[b]], f, Options.L2, context.ParallelOptions);
            // With one or two favourites there is little to personalise on: the list may lean on familiar movies.
            _penalties[b] = b == 0 ? 0 : Calibrate(weights, calibration[b]);
            weights[TasteFeatures.MostRated] -= _penalties[b];
            _weights[b] = weights;
        }
        _features = new TasteFeatures(data, FitMembers(data, context), Options.MostRated);
        _data = data;
        _ties = TieBreak.ByTrainingRatings(train);
    }

    /// <summary>Ratings in the top quarter of the scale are what a person liked (4 and up on 0.5-5 stars).</summary>
    private static float RelevanceThreshold(Data.RatingScale scale) => scale.Min + (scale.Max - scale.Min) * 0.75f;

    private static IRecommender[] FitMembers(TrainingData data, TrainingContext context)
    {
        IRecommender[] members =
        [
            AlgorithmCatalog.Create("ease"),
            AlgorithmCatalog.Create("ials"),
        ];
        foreach (var m in members) m.Fit(data, context);
        return members;
    }

    private static double[] Candidate()
    {
        var w = new double[TasteFeatures.Count];
        w[TasteFeatures.Ease] = 1;
        w[TasteFeatures.Ials] = 0.5;
        w[TasteFeatures.Quality] = 0.5;
        return w;
    }

    /// <summary>The best <see cref="TasteRankerOptions.Candidates"/> items by the candidate score, favourites left out.</summary>
    private int[] Candidates(float[] x, int n, ItemRating[] rated, TieBreak ties)
    {
        var score = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        try
        {
            Combine(x, n, CandidateWeights, score.AsSpan(0, n));
            var exclude = Array.ConvertAll(rated, r => r.Item);
            Array.Sort(exclude);
            return Array.ConvertAll(TopN.Select(score.AsSpan(0, n), Options.Candidates, ties, exclude), s => s.Item);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(score);
        }
    }

    private static void Combine(float[] x, int n, double[] weights, Span<float> score)
    {
        score.Clear();
        for (int c = 0; c < weights.Length; c++)
        {
            if (weights[c] == 0) continue;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x.AsSpan(c * n, n), (float)weights[c], score, score);
        }
    }

    /// <summary>The candidates' features, row-major (candidate × feature), for calibrating the popularity penalty.</summary>
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
    /// The smallest penalty on "most rated" (to 0.01, by bisection) whose top-10 lists over the simulated users draw at
    /// most <see cref="TasteRankerOptions.PopularShare"/> from the most-rated movies.
    /// </summary>
    private double Calibrate(double[] weights, List<float[]> users)
    {
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
        var liked = NewUserRecommendations.Liked(user.Ratings, _data!.Ratings.Scale);
        // The features are a large array per request: pooled, so serving allocates no large objects.
        var x = System.Buffers.ArrayPool<float>.Shared.Rent(TasteFeatures.Count * n);
        try
        {
            features.Compute(liked, x);
            var candidates = Candidates(x, n, user.Ratings, _ties);
            Combine(x, n, _weights[Bucket(liked.Length)], scores);
            var isCandidate = new bool[n];
            foreach (int c in candidates) isCandidate[c] = true;
            for (int i = 0; i < n; i++)
            {
                if (!isCandidate[i]) scores[i] -= 1000;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(x);
        }
    }

    public override string ToString() => $"{Name}({Options})";
}
