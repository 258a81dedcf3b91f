using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// What an imported Spark ALS model records besides its factors. <see cref="RegParam"/> is the ridge λ of the
/// fold-in solve: Spark's ALSModel metadata does not carry the estimator's regParam, so it comes from the metadata
/// when a writer added it, else from the importer's option, else Spark's default 0.1.
/// </summary>
public sealed record SparkAlsOptions
{
    /// <summary>The factor count (Spark's <c>rank</c>).</summary>
    public int Rank { get; init; } = 10;

    /// <summary>Spark's <c>regParam</c> λ (default 0.1), used as λ·n_u in the fold-in solve.</summary>
    public double RegParam { get; init; } = 0.1;

    /// <summary>The Spark version that wrote the model (from its metadata; empty when absent).</summary>
    public string SparkVersion { get; init; } = "";

    /// <summary>The model's uid in Spark (from its metadata; empty when absent).</summary>
    public string Uid { get; init; } = "";

    /// <summary>The user and item column names the model was trained with.</summary>
    public string UserCol { get; init; } = "user";

    public string ItemCol { get; init; } = "item";

    public void Validate()
    {
        OptionChecks.Positive(Rank, "rank");
        OptionChecks.NonNegative(RegParam, "regParam");
    }

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static SparkAlsOptions FromJson(string json) => JsonSerializer.Deserialize<SparkAlsOptions>(json) ?? new SparkAlsOptions();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"rank={Rank}, regParam={RegParam}{(SparkVersion.Length > 0 ? $", spark={SparkVersion}" : "")}");
}

/// <summary>
/// A model trained by Spark MLlib's ALS (explicit feedback; Zhou et al., "Large-Scale Parallel Collaborative
/// Filtering for the Netflix Prize", AAIM 2008) and imported with <see cref="SparkAlsImport"/>. Spark predicts
/// <c>r̂_ui = p_uᵀq_i</c> with no biases and no global mean, so this is an unbiased <see cref="FactorModel"/>:
/// scores and top-N use the same SIMD dot-product path as SVD, predictions are clipped to the rating scale given at
/// import. Fold-in solves Spark's ALS-WR subproblem for the new user with the item factors fixed:
/// <c>p = (QᵀQ + λ n_u I)⁻¹ Qᵀr</c>, λ = regParam and n_u the user's rating count.
/// <para>
/// The fallback for an unknown user (or a folded user without a known item) is the global mean; Spark's model
/// holds no ratings, so it is the mean prediction over every (user, item) pair, <c>p̄ᵀq̄</c> (exact: the double
/// sum factorises), clipped to the scale. The model carries no training ratings either: a known user's top-N cannot
/// exclude what they rated unless the caller passes those items (the service reads them from its ratings store).
/// Spark trains it: <see cref="IRecommender.Fit"/> throws, and it is not an algorithm of the catalogue.
/// </para>
/// </summary>
public sealed class SparkAlsModel : FactorModel
{
    /// <summary>The algorithm name in model files.</summary>
    public const string AlgorithmName = "spark-als";

    public SparkAlsModel(SparkAlsOptions? options = null)
    {
        Options = options ?? new SparkAlsOptions();
        Options.Validate();
        Factors = Options.Rank;
        Biased = false;
    }

    public SparkAlsOptions Options { get; }

    public override string Name => AlgorithmName;

    protected override double FoldInRegularization => Options.RegParam;

    protected override double FoldInBiasRegularization => 0;

    public override string OptionsJson => Options.ToJson();

    /// <summary>A user's factors p_u (empty for a dense id outside the model).</summary>
    public ReadOnlySpan<float> UserFactorsOf(int user) =>
        (uint)user < (uint)UserCount ? UserVectors.AsSpan(user * Factors, Factors) : default;

    /// <summary>An item's factors q_i (empty for a dense id outside the model).</summary>
    public ReadOnlySpan<float> ItemFactorsOf(int item) =>
        (uint)item < (uint)ItemCount ? ItemFactors.AsSpan(item * Factors, Factors) : default;

    /// <summary>Spark trains this model; it is imported, never fitted here.</summary>
    protected override void Train(RatingDataset train, TrainingContext context) =>
        throw new NotSupportedException("A Spark ALS model is trained by Spark; import its saved ALSModel with SparkAlsImport (movierec import spark-als).");

    /// <summary>
    /// A model from factor rows in dense order of <paramref name="users"/> and <paramref name="items"/> (row k of
    /// <paramref name="userFactors"/> belongs to dense user k); rows whose flag in <paramref name="knownUsers"/> or
    /// <paramref name="knownItems"/> is false have no factors (zeros) and predict the fallback. The arrays are taken,
    /// not copied. <paramref name="source"/> names where they came from in errors.
    /// </summary>
    internal static SparkAlsModel FromFactors(SparkAlsOptions options, IdMap users, float[] userFactors, byte[] knownUsers,
        IdMap items, float[] itemFactors, byte[] knownItems, RatingScale scale, string source)
    {
        var model = new SparkAlsModel(options);
        var contents = new ModelContents
        {
            Path = source,
            FormatVersion = ModelFile.CurrentVersion,
            Algorithm = AlgorithmName,
            OptionsJson = options.ToJson(),
            DatasetFingerprint = "",
            Created = DateTimeOffset.UtcNow,
            UserIds = users,
            ItemIds = items,
            Scale = scale,
            GlobalMean = scale.Clip(MeanPrediction(userFactors, knownUsers, itemFactors, knownItems, options.Rank)),
        };
        contents.Arrays["user_bias"] = new float[users.Count];
        contents.Arrays["item_bias"] = new float[items.Count];
        contents.Arrays["user_vectors"] = userFactors;
        contents.Arrays["item_factors"] = itemFactors;
        contents.Arrays["rated_offsets"] = new int[users.Count + 1];
        contents.Arrays["rated_items"] = Array.Empty<int>();
        contents.Arrays["rated_values"] = Array.Empty<float>();
        contents.Arrays["known_users"] = knownUsers;
        contents.Arrays["known_items"] = knownItems;
        model.ReadArrays(contents);
        return model;
    }

    /// <summary>
    /// The mean of p_uᵀq_i over every known (u, i): Σ_u Σ_i p_uᵀq_i / (U·I) = p̄ᵀq̄, so it costs one pass over each side.
    /// </summary>
    private static double MeanPrediction(float[] p, byte[] knownUsers, float[] q, byte[] knownItems, int f)
    {
        var pMean = new double[f];
        var qMean = new double[f];
        long users = Sum(p, knownUsers, f, pMean), items = Sum(q, knownItems, f, qMean);
        if (users == 0 || items == 0) return 0;
        return TensorPrimitives.Dot(pMean, qMean) / ((double)users * items);
    }

    private static long Sum(float[] rows, byte[] known, int f, double[] sum)
    {
        long n = 0;
        for (int r = 0; r < known.Length; r++)
        {
            if (known[r] == 0) continue;
            n++;
            for (int c = 0; c < f; c++) sum[c] += rows[r * f + c];
        }
        return n;
    }

    /// <summary>A model read from a file.</summary>
    internal static SparkAlsModel Restore(ModelContents contents)
    {
        var model = new SparkAlsModel(SparkAlsOptions.FromJson(contents.OptionsJson));
        model.ReadArrays(contents);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";
}
