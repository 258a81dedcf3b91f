using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>What makes an item popular.</summary>
public enum PopularityMeasure
{
    /// <summary>The number of training ratings (the "most popular" baseline).</summary>
    Count,

    /// <summary>The Bayesian average rating (m μ + Σ r) / (m + n), shrunk towards the global mean μ.</summary>
    BayesianAverage,
}

/// <summary>Options of <see cref="PopularityRanker"/>.</summary>
public sealed record PopularityOptions
{
    /// <summary>Rank by rating count (default) or by Bayesian-average rating.</summary>
    public PopularityMeasure Measure { get; init; } = PopularityMeasure.Count;

    /// <summary>m, the prior weight in ratings of the global mean in the Bayesian average (default 10).</summary>
    public double PriorCount { get; init; } = 10;

    public void Validate()
    {
        if (!Enum.IsDefined(Measure)) throw new ArgumentException($"Measure {Measure} is not a popularity measure.", nameof(Measure));
        OptionChecks.NonNegative(PriorCount, nameof(PriorCount));
    }
}

/// <summary>
/// The non-personalised baseline: every user gets the same ranking. With <see cref="PopularityMeasure.Count"/>,
/// score(i) = |{u : r_ui exists}| (the "most popular" list of Cremonesi, Koren and Turrin 2010, "Performance of
/// recommender algorithms on top-N recommendation tasks"); with <see cref="PopularityMeasure.BayesianAverage"/>,
/// score(i) = (m μ + Σ_u r_ui) / (m + n_i), the IMDb-style shrunk mean.
/// </summary>
public sealed class PopularityRanker : IRecommender, IPersistentModel, IUserHistory
{
    private float[] _scores = [];
    private bool _fitted;
    private ModelHeader? _header;
    private CsrMatrix? _rated;

    public PopularityRanker(PopularityOptions? options = null)
    {
        Options = options ?? new PopularityOptions();
        Options.Validate();
    }

    public PopularityOptions Options { get; }

    public string Name => "popularity";

    public int ItemCount => _scores.Length;

    /// <summary>The score of each item (shared by every user).</summary>
    public ReadOnlySpan<float> ItemScores => _scores;

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Ratings;
        ArgumentNullException.ThrowIfNull(context);
        _scores = ComputeScores(train, Options);
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
        _rated = train.ByUser;
        _fitted = true;
    }

    internal static float[] ComputeScores(RatingDataset train, PopularityOptions options)
    {
        var counts = new int[train.ItemCount];
        var sums = new double[train.ItemCount];
        var items = train.Items;
        var values = train.Values;
        for (int k = 0; k < items.Length; k++)
        {
            counts[items[k]]++;
            sums[items[k]] += values[k];
        }
        var scores = new float[train.ItemCount];
        double mu = train.GlobalMean, m = options.PriorCount;
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = options.Measure == PopularityMeasure.Count
                ? counts[i]
                : counts[i] + m > 0 ? (float)((m * mu + sums[i]) / (m + counts[i])) : (float)mu;
        }
        return scores;
    }

    public void Score(int user, Span<float> scores)
    {
        RankingChecks.Fitted(_fitted, Name);
        RankingChecks.ScoreLength(scores, ItemCount);
        _scores.CopyTo(scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_fitted, Name);
        return new RatingsFoldedUser(RankingChecks.Normalize(ratings, ItemCount));
    }

    public void Score(FoldedUser user, Span<float> scores) => Score(-1, scores);

    // ---- persistence: the item scores, and each user's rated items (to leave them out when serving a known user) ----

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RankingChecks.Fitted(_fitted, Name);
        writer.Write("item_scores", _scores);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static PopularityRanker Restore(ModelContents contents)
    {
        var model = new PopularityRanker(PersistentModels.FromJson<PopularityOptions>(contents));
        model._scores = contents.Floats("item_scores");
        PersistentModels.Check(contents, model._scores.Length == contents.ItemIds.Count, "the item scores do not match the item id map");
        model._rated = PersistentModels.ReadRated(contents, withValues: false);
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model._fitted = true;
        return model;
    }

    public override string ToString() => Options.Measure == PopularityMeasure.Count
        ? "popularity(measure=count)"
        : string.Create(CultureInfo.InvariantCulture, $"popularity(measure=bayesian, prior={Options.PriorCount})");
}
