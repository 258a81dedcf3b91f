using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Content;

public class WeightedRatingTests
{
    [Fact]
    public void Tmdb_5000_matches_the_reference_figures()
    {
        var d = DatasetLoader.Load(TestData.TmdbPath);
        var votes = d.Catalog.Movies.Select(m => (m.Id, m.Tmdb!.VoteAverage, (double)m.Tmdb.VoteCount)).ToList();
        var wr = WeightedRating.FromVotes(votes);
        Assert.Equal(6.0922, wr.MeanVote, 4);
        Assert.Equal(1838.4, wr.MinimumVotes, 1);
        Assert.Equal(481, wr.Qualified);
        var top = wr.Top(3).Select(p => (d.Catalog[p.MovieId]!.Title, Math.Round(p.Score, 3))).ToList();
        Assert.Equal([("The Shawshank Redemption", 8.059), ("Fight Club", 7.939), ("The Dark Knight", 7.920)], top);
    }

    [Fact]
    public void Few_votes_are_pulled_towards_the_mean()
    {
        Assert.Equal(6.0, WeightedRating.Score(10, 0, 6, 100));
        Assert.Equal(8.0, WeightedRating.Score(10, 100, 6, 100));
        Assert.Equal(2.5, WeightedRating.Quantile([1, 2, 3, 4], 0.5));
    }

    [Fact]
    public void Movielens_without_votes_uses_rating_counts()
    {
        var wr = WeightedRating.Compute(TestData.MovieLensSmall);
        Assert.InRange(wr.MeanVote, 5, 8);
        // Forrest Gump (329 ratings) ranks above a movie with one 5-star rating.
        Assert.True(wr[356] > wr[5]);
    }
}
