using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms;

public class FeedbackTests
{
    private static readonly RatingScale Stars = new(0.5f, 5f, 0.5f);

    private static ItemRating[] Ratings(params float[] values) => [.. values.Select((v, i) => new ItemRating(i, v))];

    [Fact]
    public void The_personal_mean_is_shrunk_towards_everyones_by_two_ratings()
    {
        Assert.Equal((2 + 2 * 3.5) / 3, Feedback.PersonalMean(Ratings(2f), 3.5), 9);
        Assert.Equal(3.5, Feedback.PersonalMean([], 3.5), 9);
    }

    [Fact]
    public void Low_ratings_below_the_persons_mean_are_disliked_and_liked_ones_never_are()
    {
        // A drama fan's five favourites and four action films at 1 star: the 1s are disliked.
        var drama = Ratings(5, 5, 5, 5, 5, 1, 1, 1, 1);
        Assert.Equal([5, 6, 7, 8], Feedback.Disliked(drama, Stars, 3.5).Select(r => r.Item));
        Assert.Equal([0, 1, 2, 3, 4], Feedback.Positive(drama, Stars, 3.5).Select(r => r.Item));
        // A single 2-star rating is evidence against, and nothing says what the person likes.
        Assert.Single(Feedback.Disliked(Ratings(2f), Stars, 3.5));
        Assert.Empty(Feedback.Positive(Ratings(2f), Stars, 3.5));
        // 4 stars among 5s is below the person's mean but a like (the protocol's relevance line): never disliked.
        Assert.Empty(Feedback.Disliked(Ratings(5, 5, 5, 4), Stars, 3.5));
        // A harsh rater's 3 among 1.5s is above their mean: not disliked, and what they like best.
        var harsh = Ratings(1.5f, 1.5f, 1.5f, 3f);
        Assert.Equal([0, 1, 2], Feedback.Disliked(harsh, Stars, 3.5).Select(r => r.Item));
        Assert.Equal([3], Feedback.Positive(harsh, Stars, 3.5).Select(r => r.Item));
    }
}
