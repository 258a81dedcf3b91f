using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>A trained model's identity: <see cref="object.ToString"/> shows the name and every hyperparameter.</summary>
public interface IRecommenderModel
{
    /// <summary>Short algorithm name as the CLI and API call it, e.g. "svd", "knn-baseline".</summary>
    string Name { get; }
}

/// <summary>Surprise's fit/estimate over dense ids (<see cref="RatingDataset"/> inner ids).</summary>
public interface IRatingPredictor : IRecommenderModel
{
    void Fit(RatingDataset train, TrainingContext context);

    /// <summary>The predicted rating, clipped to the scale, with the algorithm's fallback for unknown ids.</summary>
    float Predict(int user, int item);
}

/// <summary>Anything that ranks: one score per item for a user of the training set (higher is better).</summary>
public interface IItemScorer : IRecommenderModel
{
    /// <summary>Items the scores span (the training set's item id map).</summary>
    int ItemCount { get; }

    /// <summary>Fills <paramref name="scores"/> (length <see cref="ItemCount"/>) for a known user.</summary>
    void Score(int user, Span<float> scores);
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

/// <summary>Scores users who are not in the training set from their ratings, without retraining.</summary>
public interface IFoldIn : IRecommenderModel
{
    FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings);

    /// <summary>One score per item (a predicted rating for rating models).</summary>
    void Score(FoldedUser user, Span<float> scores);

    /// <summary>The predicted rating of one item, clipped to the scale.</summary>
    float Predict(FoldedUser user, int item);
}

/// <summary>A known user's new ratings take effect at once, the same way as a fold-in.</summary>
public interface IIncrementalUserUpdate
{
    void UpdateUser(int user, ReadOnlySpan<ItemRating> ratings);
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
