using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// What a person's ratings say about their taste: the liked ones (the upper third of the scale, 3.5 and up on 0.5-5
/// stars, as <see cref="NewUserRecommendations.Liked"/> and <see cref="Content.Likes"/> read them) and the disliked
/// ones: below that line and below the person's own mean, shrunk towards everyone's mean by
/// <see cref="PriorRatings"/> pseudo-ratings so that a single low rating reads as disliked and a harsh rater's
/// three stars among twos does not. A disliked film is evidence against what is close to it, never a reason to
/// recommend something ("because you liked ..." names liked films only).
/// </summary>
public static class Feedback
{
    /// <summary>Pseudo-ratings at everyone's mean in a person's mean (2: one low rating of 2 stars against 3.5 reads as disliked).</summary>
    public const double PriorRatings = 2;

    /// <summary>The person's mean rating, shrunk towards <paramref name="everyonesMean"/>: (Σ r + k μ) / (n + k).</summary>
    public static double PersonalMean(ReadOnlySpan<ItemRating> ratings, double everyonesMean)
    {
        double sum = PriorRatings * everyonesMean;
        foreach (var r in ratings) sum += r.Rating;
        return sum / (ratings.Length + PriorRatings);
    }

    /// <summary>Ratings below the liked line and below the person's (shrunk) mean, in their order.</summary>
    public static ItemRating[] Disliked(ItemRating[] ratings, RatingScale scale, double everyonesMean)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        float liked = Content.Likes.Threshold(scale);
        double mean = PersonalMean(ratings, everyonesMean);
        return Array.FindAll(ratings, r => r.Rating < liked && r.Rating < mean);
    }

    /// <summary>
    /// What says what the person likes: the liked ratings, else the ones neither liked nor disliked (a harsh rater's
    /// best), else none (all the evidence is against).
    /// </summary>
    public static ItemRating[] Positive(ItemRating[] ratings, RatingScale scale, double everyonesMean)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        float liked = Content.Likes.Threshold(scale);
        var result = Array.FindAll(ratings, r => r.Rating >= liked);
        if (result.Length > 0) return result;
        double mean = PersonalMean(ratings, everyonesMean);
        return Array.FindAll(ratings, r => r.Rating >= mean);
    }
}
