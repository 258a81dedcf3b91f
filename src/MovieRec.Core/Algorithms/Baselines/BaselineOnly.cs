using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Surprise's BaselineOnly: r̂_ui = μ + b_u + b_i (Koren 2010, see <see cref="BaselineEstimates"/>). An unknown
/// user or item drops its term (μ + b_i, μ + b_u or μ), so a prediction is never impossible.
/// Fold-in: a new user's bias with the item biases held fixed. For ALS it is the closed-form
/// user step b_u = Σ(r_ui − μ − b_i) / (reg_u + n) over the user's n ratings (what training's last ALS user step
/// would give); for SGD, the configured epochs of SGD on b_u alone (<see cref="BaselineEstimates.FoldInUserBias"/>).
/// </summary>
public sealed class BaselineOnly : RatingPredictorBase, IPersistentModel, IUserHistory
{
    private BaselineEstimates? _baselines;
    private ModelHeader? _header;
    private CsrMatrix? _rated;

    public BaselineOnly(BaselineOptions? options = null)
    {
        Options = options ?? BaselineOptions.Als;
        Options.Validate();
    }

    public BaselineOptions Options { get; }

    public override string Name => Options.Method == BaselineMethod.Als ? "baseline" : "baseline-sgd";

    public BaselineEstimates Baselines => _baselines ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    protected override void FitCore(RatingDataset train, TrainingContext context)
    {
        _baselines = BaselineEstimates.Compute(train, Options);
        _rated = train.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
    }

    protected override double Estimate(int user, int item)
    {
        var b = Baselines;
        double est = b.GlobalMean;
        if (IsUserKnown(user)) est += b.UserBias[user];
        if (IsItemKnown(item)) est += b.ItemBias[item];
        return est;
    }

    public override FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        CheckFitted();
        var copy = ratings.ToArray();
        return new BiasedUser(copy, Baselines.FoldInUserBias(copy));
    }

    protected override double Estimate(FoldedUser user, int item)
    {
        var f = FoldedBy<BiasedUser>(user);
        var b = Baselines;
        double est = b.GlobalMean + f.Bias;
        if (IsItemKnown(item)) est += b.ItemBias[item];
        return est;
    }

    // ---- persistence: b_u and b_i (float64, as trained) and each user's rated items (which users and items are known) ----

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var b = Baselines;
        writer.Write("user_bias", b.UserBias);
        writer.Write("item_bias", b.ItemBias);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static BaselineOnly Restore(ModelContents contents)
    {
        var model = new BaselineOnly(PersistentModels.FromJson<BaselineOptions>(contents));
        var userBias = contents.Doubles("user_bias");
        var itemBias = contents.Doubles("item_bias");
        PersistentModels.Check(contents, userBias.Length == contents.UserIds.Count && itemBias.Length == contents.ItemIds.Count,
            "the bias arrays do not match the id maps");
        var rated = PersistentModels.ReadRated(contents, withValues: false);
        var knownUsers = new bool[rated.Rows];
        var knownItems = new bool[rated.ColumnCount];
        for (int u = 0; u < rated.Rows; u++) knownUsers[u] = rated.RowLength(u) > 0;
        foreach (int i in rated.Columns) knownItems[i] = true;
        model._baselines = BaselineEstimates.FromParts(contents.GlobalMean, userBias, itemBias, model.Options);
        model._rated = rated;
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model.RestoreFitted(contents.Scale, contents.GlobalMean, knownUsers, knownItems);
        return model;
    }

    public override string ToString() => $"{Name}({Options})";

    private sealed class BiasedUser(ItemRating[] ratings, double bias) : FoldedUser(ratings)
    {
        public double Bias { get; } = bias;
    }
}
