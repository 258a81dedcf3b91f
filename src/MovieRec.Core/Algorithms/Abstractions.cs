using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// The one contract every algorithm implements: fitted on <see cref="TrainingData"/>, it scores every item for a user
/// of the training set, and folds in a user who is not in it (from their ratings, without retraining) and scores
/// them. Scores only order items (higher is better); NaN means "cannot score this item" and is never recommended.
/// Rating predictors add <see cref="IRatingPredictor"/>; small optional capabilities (<see cref="IIterativeModel"/>,
/// <c>Models.IPersistentModel</c>, <c>Models.IUserHistory</c>) are separate interfaces, as MyMediaLite does.
/// <see cref="object.ToString"/> shows the name and every hyperparameter.
/// </summary>
public interface IRecommender
{
    /// <summary>The catalogue name of the algorithm (<see cref="AlgorithmCatalog"/>), e.g. "svd", "item-knn".</summary>
    string Name { get; }

    /// <summary>Items the scores span: the training set's item id map (0 before fitting).</summary>
    int ItemCount { get; }

    /// <summary>Learns from <paramref name="data"/>; fitting again replaces what was learnt.</summary>
    void Fit(TrainingData data, TrainingContext context);

    /// <summary>
    /// Fills <paramref name="scores"/> (length <see cref="ItemCount"/>) for <paramref name="user"/>, a dense user id of
    /// the training set's id map. For a rating predictor a score is its unclipped estimate.
    /// </summary>
    void Score(int user, Span<float> scores);

    /// <summary>A user who is not in the training set, from (item, rating) pairs: whatever state scoring them needs.</summary>
    FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings);

    /// <summary>Fills <paramref name="scores"/> (length <see cref="ItemCount"/>) for a user this model folded in.</summary>
    void Score(FoldedUser user, Span<float> scores);
}

/// <summary>
/// A recommender that predicts ratings (Surprise's estimate), for known and folded-in users. Predictions are clipped
/// to <see cref="Scale"/>; the scores of <see cref="IRecommender"/> are the same estimates unclipped, so items above
/// the top of the scale still rank in order instead of tying.
/// </summary>
public interface IRatingPredictor : IRecommender
{
    /// <summary>The training set's rating scale.</summary>
    RatingScale Scale { get; }

    /// <summary>The predicted rating, clipped to the scale, with the algorithm's fallback for unknown ids.</summary>
    float Predict(int user, int item);

    /// <summary>The predicted rating of a folded-in user, clipped to the scale.</summary>
    float Predict(FoldedUser user, int item);
}

/// <summary>A rating by dense item id.</summary>
public readonly record struct ItemRating(int Item, float Rating);

/// <summary>A user folded into a trained model: whatever state the algorithm needs to score them.</summary>
public abstract class FoldedUser
{
    protected FoldedUser(ItemRating[] ratings) => Ratings = ratings;

    /// <summary>The ratings the user was folded in from (dense item ids).</summary>
    public ItemRating[] Ratings { get; }
}

/// <summary>Models trained in epochs: the training loss per epoch (the dashboard plots it).</summary>
public interface IIterativeModel
{
    IReadOnlyList<double> EpochLoss { get; }
}

/// <summary>Thrown by Options validation: names the parameter at fault.</summary>
public static class OptionChecks
{
    public static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"{name} must be positive, not {value}.", name);
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentException($"{name} must be positive, not {value}.", name);
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentException($"{name} must not be negative, not {value}.", name);
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentException($"{name} must not be negative, not {value}.", name);
    }

    public static void InRange(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max)) throw new ArgumentException($"{name} must be between {min} and {max}, not {value}.", name);
    }
}
