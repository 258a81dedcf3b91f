using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Synthetic;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

/// <summary>
/// Golden test of SVD++'s exact mode: single-threaded it must be Surprise's SVDpp, i.e. the same updates in the same
/// order as a plain per-rating loop written after Surprise's <c>SVDpp.fit</c> (every rating recomputes the implicit sum
/// and moves every y_j of the user's implicit set), here in doubles as Surprise runs it. The model keeps the implicit
/// sum incrementally and writes each y_j once per user pass; this checks that is the same algorithm.
/// </summary>
public sealed class SvdPlusPlusExactTests
{
    private const double Tolerance = 1e-4;

    /// <summary>
    /// A small generated dataset in shuffled order (so users' first appearances and their ratings interleave as in a
    /// CV fold), with heavy users: the largest has a few hundred ratings, so any drift of the running sum shows.
    /// </summary>
    private static readonly Lazy<RatingDataset> Data = new(() =>
    {
        var all = SyntheticDatasetGenerator.Generate(new SyntheticOptions { Users = 40, Items = 300, Ratings = 4_000, Seed = 7, MinRatingsPerUser = 5 });
        var order = new int[all.Count];
        for (int k = 0; k < order.Length; k++) order[k] = k;
        new Random(3).Shuffle(order);
        return all.Subset(order);
    });

    public static TheoryData<string> OptionSets => ["defaults", "odd-factors-decay-per-parameter"];

    private static SvdPlusPlusOptions OptionsFor(string name, bool exact) => name switch
    {
        "defaults" => new SvdPlusPlusOptions { ExactUpdates = exact },
        // 7 factors: not a multiple of any SIMD width, so the vector tails run; every rate and λ different.
        _ => new SvdPlusPlusOptions
        {
            ExactUpdates = exact,
            Factors = 7,
            Epochs = 12,
            LearningRateDecay = 0.95,
            InitMean = 0.01,
            InitStdDev = 0.15,
            LrBu = 0.006,
            LrBi = 0.008,
            LrPu = 0.009,
            LrQi = 0.005,
            LrYj = 0.011,
            RegBu = 0.03,
            RegBi = 0.01,
            RegPu = 0.04,
            RegQi = 0.025,
            RegYj = 0.05,
        },
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Exact_mode_single_threaded_equals_surprises_per_rating_loop(string optionSet)
    {
        var train = Data.Value;
        var offsets = train.ByUser.Offsets;
        int heaviest = 0;
        for (int u = 0; u + 1 < offsets.Length; u++) heaviest = Math.Max(heaviest, offsets[u + 1] - offsets[u]);
        Assert.InRange(heaviest, 200, 4_000);
        var options = OptionsFor(optionSet, exact: true);
        var model = new SvdPlusPlus(options);
        model.Fit(new TrainingData(train), TrainingContext.Deterministic(11));
        var reference = SurpriseSvdPlusPlus.Fit(train, options, seed: 11);

        Assert.True(MaxDifference(model, reference, train) <= Tolerance, $"largest difference {MaxDifference(model, reference, train):G3}");
        Assert.Equal(options.Epochs, model.EpochLoss.Count);
        for (int e = 0; e < options.Epochs; e++) Assert.Equal(reference.EpochLoss[e], model.EpochLoss[e], 1e-5);
    }

    [Fact]
    public void The_default_approximate_variant_is_a_different_algorithm_and_the_comparison_sees_it()
    {
        // The same comparison must fail for the fast variant (y moves once per user): otherwise it could not tell.
        var train = Data.Value;
        var fast = new SvdPlusPlus(OptionsFor("defaults", exact: false));
        fast.Fit(new TrainingData(train), TrainingContext.Deterministic(11));
        var reference = SurpriseSvdPlusPlus.Fit(train, OptionsFor("defaults", exact: true), seed: 11);
        Assert.True(MaxDifference(fast, reference, train) > 100 * Tolerance);
    }

    /// <summary>Largest absolute difference over b_u, b_i, q_i, y_j and the prediction vectors x_u = p_u + z_u.</summary>
    private static double MaxDifference(SvdPlusPlus model, SurpriseSvdPlusPlus reference, RatingDataset train)
    {
        int f = model.Factors;
        double worst = 0;
        void Check(double ours, double theirs) => worst = Math.Max(worst, Math.Abs(ours - theirs));
        for (int u = 0; u < train.UserCount; u++)
        {
            Check(model.UserBiasOf(u), reference.Bu[u]);
            var x = model.TrainedUserVectors.AsSpan(u * f, f);
            var expected = reference.UserVector(u);
            for (int c = 0; c < f; c++) Check(x[c], expected[c]);
        }
        for (int i = 0; i < train.ItemCount; i++)
        {
            Check(model.ItemBiasOf(i), reference.Bi[i]);
            for (int c = 0; c < f; c++)
            {
                Check(model.TrainedItemFactors[i * f + c], reference.Q[i, c]);
                Check(model.TrainedImplicitFactors[i * f + c], reference.Y[i, c]);
            }
        }
        return worst;
    }

    /// <summary>
    /// Surprise 1.1's <c>SVDpp.fit</c>, transcribed plainly: <c>trainset.all_ratings()</c> order (users by first
    /// appearance, each user's ratings in dataset order), and per rating: the implicit sum from scratch, the error,
    /// the biases, then per factor p_u, q_i and every y_j of N(u) from the old p_uf and q_if. Doubles throughout; the
    /// initial factors are the model's (the same seeded draws), as Surprise draws its own from numpy.
    /// </summary>
    private sealed class SurpriseSvdPlusPlus
    {
        public required double[] Bu { get; init; }
        public required double[] Bi { get; init; }
        public required double[,] P { get; init; }
        public required double[,] Q { get; init; }
        public required double[,] Y { get; init; }
        public required List<int>[] ImplicitSets { get; init; }
        public List<double> EpochLoss { get; } = [];

        public double[] UserVector(int u)
        {
            int f = P.GetLength(1);
            var x = new double[f];
            var n = ImplicitSets[u];
            for (int c = 0; c < f; c++)
            {
                double z = 0;
                foreach (int j in n) z += Y[j, c];
                x[c] = P[u, c] + (n.Count > 0 ? z / Math.Sqrt(n.Count) : 0);
            }
            return x;
        }

        public static SurpriseSvdPlusPlus Fit(RatingDataset train, SvdPlusPlusOptions o, int seed)
        {
            int f = o.Factors, users = train.UserCount, items = train.ItemCount;
            var rng = new Random(seed);
            var p0 = new float[users * f];
            var q0 = new float[items * f];
            var y0 = new float[items * f];
            GaussianFill.Fill(rng, p0, o.InitMean, o.InitStdDev);
            GaussianFill.Fill(rng, q0, o.InitMean, o.InitStdDev);
            GaussianFill.Fill(rng, y0, o.InitMean, o.InitStdDev);

            var firstSeen = new List<int>();
            var ur = new List<(int Item, double Rating)>?[users];
            for (int k = 0; k < train.Count; k++)
            {
                int u = train.Users[k];
                if (ur[u] is null)
                {
                    ur[u] = [];
                    firstSeen.Add(u);
                }
                ur[u]!.Add((train.Items[k], train.Values[k]));
            }
            var implicitSets = new List<int>[users];
            for (int u = 0; u < users; u++)
            {
                implicitSets[u] = [];
                foreach (var (item, _) in ur[u] ?? []) implicitSets[u].Add(item);
            }

            var m = new SurpriseSvdPlusPlus
            {
                Bu = new double[users],
                Bi = new double[items],
                P = ToMatrix(p0, users, f),
                Q = ToMatrix(q0, items, f),
                Y = ToMatrix(y0, items, f),
                ImplicitSets = implicitSets,
            };
            double mu = train.GlobalMean, decay = 1;
            var implicitFeedback = new double[f];
            for (int epoch = 0; epoch < o.Epochs; epoch++)
            {
                double lrBu = o.EffLrBu * decay, lrBi = o.EffLrBi * decay, lrPu = o.EffLrPu * decay, lrQi = o.EffLrQi * decay, lrYj = o.EffLrYj * decay;
                double squares = 0;
                foreach (int u in firstSeen)
                {
                    var iu = implicitSets[u];
                    double sqrtIu = Math.Sqrt(iu.Count);
                    foreach (var (i, r) in ur[u]!)
                    {
                        Array.Clear(implicitFeedback);
                        foreach (int j in iu)
                            for (int c = 0; c < f; c++) implicitFeedback[c] += m.Y[j, c] / sqrtIu;
                        double dot = 0;
                        for (int c = 0; c < f; c++) dot += m.Q[i, c] * (m.P[u, c] + implicitFeedback[c]);
                        double err = r - (mu + m.Bu[u] + m.Bi[i] + dot);
                        squares += err * err;
                        m.Bu[u] += lrBu * (err - o.EffRegBu * m.Bu[u]);
                        m.Bi[i] += lrBi * (err - o.EffRegBi * m.Bi[i]);
                        for (int c = 0; c < f; c++)
                        {
                            double puf = m.P[u, c], qif = m.Q[i, c];
                            m.P[u, c] += lrPu * (err * qif - o.EffRegPu * puf);
                            m.Q[i, c] += lrQi * (err * (puf + implicitFeedback[c]) - o.EffRegQi * qif);
                            foreach (int j in iu) m.Y[j, c] += lrYj * (err * qif / sqrtIu - o.EffRegYj * m.Y[j, c]);
                        }
                    }
                }
                m.EpochLoss.Add(squares / train.Count);
                decay *= o.LearningRateDecay;
            }
            return m;
        }

        private static double[,] ToMatrix(float[] values, int rows, int columns)
        {
            var matrix = new double[rows, columns];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) matrix[r, c] = values[r * columns + c];
            return matrix;
        }
    }
}
