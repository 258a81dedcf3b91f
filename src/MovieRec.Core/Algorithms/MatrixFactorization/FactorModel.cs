using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// What the latent-factor models (SVD, SVD++, NMF) share once trained: biases <c>b_u</c>, <c>b_i</c>, a
/// prediction-time user vector <c>x_u</c> and item factors <c>q_i</c>, so that
/// <c>r̂_ui = μ + b_u + b_i + q_iᵀx_u</c> (biased) or <c>q_iᵀx_u</c> (unbiased), with Surprise's fallbacks:
/// unknown user <c>μ + b_i</c>, unknown item <c>μ + b_u</c>, both unknown <c>μ</c> (unbiased models fall back to
/// <c>μ</c>). For SVD <c>x_u = p_u</c>; for SVD++ <c>x_u = p_u + |N(u)|^-1/2 Σ_{j∈N(u)} y_j</c>.
/// Item factors are stored row-major and contiguous, so ranking every item is one SIMD dot product per item.
/// This file holds the state, training hooks and scoring; the fold-in solve is in FactorModel.FoldIn.cs, the model
/// file arrays in FactorModel.Persistence.cs and the seeded initialisation in <see cref="GaussianFill"/>.
/// </summary>
public abstract partial class FactorModel : RatingPredictorBase, IIterativeModel, IPersistentModel, IUserHistory
{
    private readonly List<double> _loss = [];
    private bool[] _knownUsers = [];
    private bool[] _knownItems = [];

    /// <summary>Number of latent factors.</summary>
    public int Factors { get; protected set; }

    /// <summary>Whether the model has the μ + b_u + b_i terms.</summary>
    public bool Biased { get; protected set; }

    protected float[] UserBias { get; set; } = [];
    protected float[] ItemBias { get; set; } = [];

    /// <summary>Prediction-time user vectors x_u, row-major (users × factors).</summary>
    protected float[] UserVectors { get; set; } = [];

    /// <summary>Item factors q_i, row-major (items × factors).</summary>
    protected float[] ItemFactors { get; set; } = [];

    /// <summary>Each user's training ratings (CSR, columns sorted): the implicit set N(u) and the items to exclude.</summary>
    protected int[] RatedOffsets { get; set; } = [0];
    protected int[] RatedItems { get; set; } = [];
    protected float[] RatedValues { get; set; } = [];

    /// <summary>The training set's raw id maps (also restored from a model file).</summary>
    public IdMap UserIds { get; private set; } = IdMap.CreateNumeric();
    public IdMap ItemIds { get; private set; } = IdMap.CreateNumeric();

    /// <summary>
    /// The training loss after each epoch (see each algorithm's docs for which loss). Empty for a model read from
    /// a file.
    /// </summary>
    public IReadOnlyList<double> EpochLoss => _loss;

    /// <summary>Ridge strength λ of the fold-in solve (scaled by the number of ratings).</summary>
    protected abstract double FoldInRegularization { get; }

    /// <summary>Bias regularisation of the fold-in solve (scaled by the number of ratings).</summary>
    protected abstract double FoldInBiasRegularization { get; }

    /// <summary>
    /// Prior strength of the fold-in, in ratings: both regularisation terms are scaled by n + n₀ instead of n, as if
    /// the new user had n₀ more ratings at the population's mean (0: the per-rating objective alone).
    /// </summary>
    protected virtual double FoldInPrior => 0;

    /// <summary>Options as JSON, stored in model files.</summary>
    public abstract string OptionsJson { get; }

    /// <summary>b_u (0 for a user without training ratings or an unbiased model).</summary>
    public float UserBiasOf(int user) => IsUserKnown(user) ? UserBias[user] : 0f;

    /// <summary>b_i (0 for an item without training ratings or an unbiased model).</summary>
    public float ItemBiasOf(int item) => IsItemKnown(item) ? ItemBias[item] : 0f;

    /// <summary>The user's training ratings (sorted by item).</summary>
    public ReadOnlySpan<int> RatedBy(int user) =>
        (uint)user < (uint)(RatedOffsets.Length - 1) ? RatedItems.AsSpan(RatedOffsets[user], RatedOffsets[user + 1] - RatedOffsets[user]) : default;

    /// <summary>
    /// Whether this model's record of each user's training ratings is <paramref name="byUser"/>'s arrays themselves
    /// (not a copy).
    /// </summary>
    public bool SharesRatingsWith(CsrMatrix byUser)
    {
        ArgumentNullException.ThrowIfNull(byUser);
        return ReferenceEquals(RatedOffsets, byUser.Offsets) && ReferenceEquals(RatedItems, byUser.Columns) && ReferenceEquals(RatedValues, byUser.Values);
    }

    /// <summary>
    /// Drops this model's own copy of each user's training ratings for <paramref name="byUser"/>'s rows when they hold
    /// exactly the same ratings (bit for bit): a model read from its file beside the dataset it was trained on then
    /// keeps one copy instead of two (200 MB at 25 million ratings). Scores and predictions are unchanged, since the
    /// arrays are equal. Returns whether the rows are shared now.
    /// </summary>
    public bool ShareRatings(CsrMatrix byUser)
    {
        ArgumentNullException.ThrowIfNull(byUser);
        if (SharesRatingsWith(byUser)) return true;
        if (!RatedOffsets.AsSpan().SequenceEqual(byUser.Offsets) || !RatedItems.AsSpan().SequenceEqual(byUser.Columns)
            || !MemoryMarshal.AsBytes(RatedValues.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(byUser.Values.AsSpan())))
            return false;
        RatedOffsets = byUser.Offsets;
        RatedItems = byUser.Columns;
        RatedValues = byUser.Values;
        return true;
    }

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        _loss.Clear();
        UserIds = train.UserIds;
        ItemIds = train.ItemIds;
        var byUser = train.ByUser;
        RatedOffsets = byUser.Offsets;
        RatedItems = byUser.Columns;
        RatedValues = byUser.Values;
        _knownUsers = new bool[train.UserCount];
        _knownItems = new bool[train.ItemCount];
        foreach (int u in train.Users) _knownUsers[u] = true;
        foreach (int i in train.Items) _knownItems[i] = true;
        Train(train, context);
        RestoreFitted(train.Scale, train.GlobalMean, _knownUsers, _knownItems);
    }

    /// <summary>Learns the parameters; <see cref="RecordEpoch"/> after each epoch.</summary>
    protected abstract void Train(RatingDataset train, TrainingContext context);

    protected void RecordEpoch(TrainingContext context, int epoch, int epochs, double loss)
    {
        _loss.Add(loss);
        context.Progress?.Report(new TrainingProgress("epoch", epoch + 1, epochs, loss));
        context.Cancellation.ThrowIfCancellationRequested();
    }

    protected override double Estimate(int user, int item)
    {
        bool ku = IsUserKnown(user), ki = IsItemKnown(item);
        if (!Biased)
            return ku && ki ? Dot(user, item) : double.NaN;
        double est = GlobalMean;
        if (ku) est += UserBias[user];
        if (ki) est += ItemBias[item];
        if (ku && ki) est += Dot(user, item);
        return est;
    }

    private float Dot(int user, int item) =>
        TensorPrimitives.Dot(UserVectors.AsSpan(user * Factors, Factors), ItemFactors.AsSpan(item * Factors, Factors));

    /// <summary>
    /// Every item's estimate for a user, unclipped (so items above the top of the scale still rank), with the same
    /// fallbacks as <see cref="RatingPredictorBase.Predict(int, int)"/>: one SIMD dot product per item factor row.
    /// </summary>
    public override void Score(int user, Span<float> scores)
    {
        CheckFitted();
        if (!IsUserKnown(user))
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] = (float)(Biased ? GlobalMean + (IsItemKnown(i) ? ItemBias[i] : 0) : GlobalMean);
            return;
        }
        ScoreVector(UserVectors.AsSpan(user * Factors, Factors), Biased ? (float)(GlobalMean + UserBias[user]) : 0f, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreVector(ReadOnlySpan<float> x, float offset, Span<float> scores)
    {
        int n = Math.Min(scores.Length, ItemCount);
        var q = ItemFactors.AsSpan();
        int f = Factors;
        for (int i = 0; i < n; i++)
        {
            if (!IsItemKnown(i))
            {
                scores[i] = Biased ? offset : (float)GlobalMean;
                continue;
            }
            float s = TensorPrimitives.Dot(x, q.Slice(i * f, f)) + offset;
            scores[i] = Biased ? s + ItemBias[i] : s;
        }
        for (int i = n; i < scores.Length; i++) scores[i] = Biased ? offset : (float)GlobalMean;
    }
}
