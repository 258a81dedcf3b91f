using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Clustering;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>
/// The baseline, k-NN, SlopeOne and CoClustering family for <see cref="AlgorithmRegistry"/>. Parameters as
/// Surprise names them: k, min_k, sim (msd, cosine, pearson, pearson_baseline, euclidean), user_based,
/// min_support, shrinkage; baselines: bsl_method (als, sgd), epochs, reg_u, reg_i, reg, learning_rate;
/// CoClustering: n_cltr_u, n_cltr_i, epochs. SlopeOne and CoClustering take surprise_int_ratings=true to reproduce
/// Surprise's truncation of half-star ratings (see <see cref="SlopeOneOptions"/>, <see cref="CoClusteringOptions"/>).
/// </summary>
public static class NeighborhoodAlgorithms
{
    public static IEnumerable<AlgorithmInfo> All { get; } =
    [
        new("baseline", "Baseline estimates μ + b_u + b_i fitted by ALS (Koren 2010; Surprise BaselineOnly)",
            p => new BaselineOnly(Baseline(p, BaselineMethod.Als)), true),
        new("baseline-sgd", "Baseline estimates μ + b_u + b_i fitted by SGD (Koren 2010; Surprise BaselineOnly)",
            p => new BaselineOnly(Baseline(p, BaselineMethod.Sgd)), true),
        new("knn-basic", "k-NN weighted mean of neighbours' ratings (Surprise KNNBasic)", p => new KnnBasic(Knn(p)), true),
        new("knn-means", "k-NN on mean-centred ratings (Surprise KNNWithMeans)", p => new KnnWithMeans(Knn(p)), true),
        new("knn-zscore", "k-NN on z-scored ratings (Surprise KNNWithZScore)", p => new KnnWithZScore(Knn(p)), true),
        new("knn-baseline", "k-NN on baseline residuals (Koren 2010; Surprise KNNBaseline)", p => new KnnBaseline(Knn(p)), true),
        new("slope-one", "Slope One (Lemire and Maclachlan 2005; Surprise SlopeOne)", p => new SlopeOne(new SlopeOneOptions { SurpriseIntegerRatings = p.Bool("surprise_int_ratings", false) }), true),
        new("coclustering", "Co-clustering (George and Merugu 2005; Surprise CoClustering)", p => new CoClustering(new CoClusteringOptions
        {
            UserClusters = p.Int("n_cltr_u", 3),
            ItemClusters = p.Int("n_cltr_i", 3),
            Epochs = p.Int("epochs", 20),
            SurpriseIntegerRatings = p.Bool("surprise_int_ratings", false),
        }), true),
    ];

    /// <summary>k-NN options from named parameters (Surprise's defaults when absent).</summary>
    public static KnnOptions Knn(AlgorithmParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var options = new KnnOptions
        {
            K = p.Int("k", 40),
            MinK = p.Int("min_k", 1),
            Similarity = new SimilarityOptions
            {
                Measure = Similarities.Parse(p.String("sim", "msd"), "sim"),
                UserBased = p.Bool("user_based", true),
                MinSupport = p.Int("min_support", 1),
                Shrinkage = p.Double("shrinkage", 100),
            },
            Baseline = Baseline(p, ParseMethod(p.String("bsl_method", "als"))),
        };
        Check(options.Validate, new Dictionary<string, string>
        {
            [nameof(KnnOptions.K)] = "k",
            [nameof(KnnOptions.MinK)] = "min_k",
            [nameof(SimilarityOptions.MinSupport)] = "min_support",
            [nameof(SimilarityOptions.Shrinkage)] = "shrinkage",
        });
        return options;
    }

    private static BaselineMethod ParseMethod(string s) => s.Trim().ToLowerInvariant() switch
    {
        "als" => BaselineMethod.Als,
        "sgd" => BaselineMethod.Sgd,
        _ => throw new ArgumentException($"bsl_method must be als or sgd, not '{s}'.", "bsl_method"),
    };

    private static BaselineOptions Baseline(AlgorithmParameters p, BaselineMethod method)
    {
        var defaults = method == BaselineMethod.Als ? BaselineOptions.Als : BaselineOptions.Sgd;
        var options = defaults with
        {
            Epochs = p.Int("epochs", defaults.Epochs),
            RegUser = p.Double("reg_u", defaults.RegUser),
            RegItem = p.Double("reg_i", defaults.RegItem),
            Reg = p.Double("reg", defaults.Reg),
            LearningRate = p.Double("learning_rate", defaults.LearningRate),
        };
        Check(options.Validate, new Dictionary<string, string>
        {
            [nameof(BaselineOptions.Epochs)] = "epochs",
            [nameof(BaselineOptions.RegUser)] = "reg_u",
            [nameof(BaselineOptions.RegItem)] = "reg_i",
            [nameof(BaselineOptions.Reg)] = "reg",
            [nameof(BaselineOptions.LearningRate)] = "learning_rate",
        });
        return options;
    }

    // Options name their properties; the CLI user wrote the parameter's name, so the error names that instead.
    private static void Check(Action validate, Dictionary<string, string> names)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e) when (e.ParamName is not null && names.TryGetValue(e.ParamName, out var name))
        {
            throw new ArgumentException(e.Message.Replace(e.ParamName, name, StringComparison.Ordinal).Split(" (Parameter")[0], name, e);
        }
    }
}
