using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Neighborhood;

public sealed class CoLikedMoviesTests
{
    /// <summary>Users liking (4-5 stars) or not (1-2 stars) items 0..4, written out so every count can be checked by hand.</summary>
    private static RatingDataset Likes()
    {
        var b = new RatingDatasetBuilder(IdMap.CreateNumeric(), IdMap.CreateNumeric());
        // Item 0 is liked by users 0-3. Item 1 by users 0-2 (3 co-likers); item 2 by users 0-3 and 4-9 (4 co-likers,
        // but liked by everyone); item 3 by users 0-1 only (2 co-likers); item 4 is rated 1 by users 0-3 (not liked).
        for (long u = 0; u < 10; u++)
        {
            if (u < 4) b.Add(u, 0L, 5, 0);
            if (u < 3) b.Add(u, 1L, 4, 0);
            b.Add(u, 2L, 5, 0);
            if (u < 2) b.Add(u, 3L, 5, 0);
            if (u < 4) b.Add(u, 4L, 1, 0);
        }
        return b.Build(RatingScale.WholeStars);
    }

    [Fact]
    public void Counts_co_likers_ignores_low_ratings_and_drops_lists_under_the_minimum()
    {
        var coLiked = new CoLikedMovies(Likes());
        var top = coLiked.Top(0, 10);
        // Items 3 (2 co-likers) and 4 (rated, never liked) are not listed; item 0 never lists itself.
        Assert.Equal([1, 2], top.Select(t => t.Item).Order());
        Assert.All(top, t => Assert.Equal(4, t.LikedSource));
        Assert.Equal(3, top.Single(t => t.Item == 1).Both);
        Assert.Equal(4, top.Single(t => t.Item == 2).Both);
        Assert.Equal(10, coLiked.LikeCount(2));
        Assert.Equal(0, coLiked.LikeCount(4));
        Assert.Empty(coLiked.Top(4, 10)); // nobody liked it
        Assert.Empty(coLiked.Top(3, 10)); // two likers: under the minimum of three
        Assert.Empty(coLiked.Top(99, 10));
        Assert.Equal("nobody in the dataset liked this movie yet", coLiked.WhyNone(4));
        Assert.Equal("only 2 people liked this movie: too few to say what its fans also liked", coLiked.WhyNone(3));
        Assert.Equal("no other movie was liked by at least 4 of the 4 people who liked this one",
            new CoLikedMovies(Likes(), new CoLikedMoviesOptions { MinimumBoth = 4 }).WhyNone(0));
        Assert.Equal([3], new CoLikedMovies(Likes(), new CoLikedMoviesOptions { MinimumBoth = 2 }).Top(0, 10).Select(t => t.Item).Where(i => i == 3));
    }

    [Fact]
    public void The_exponent_trades_how_many_co_liked_for_how_widely_liked()
    {
        // Item 2: 4 of item 0's 4 likers, but all 10 users like it; item 1: 3 of 4, liked by 3 users in all.
        var plain = new CoLikedMovies(Likes(), new CoLikedMoviesOptions { CandidateExponent = 0, Shrinkage = 0 });
        Assert.Equal(2, plain.Top(0, 1)[0].Item);
        var byDefault = new CoLikedMovies(Likes());
        Assert.Equal(1, byDefault.Top(0, 1)[0].Item);
        // s = both / (|L_i|^(1-β) |L_j|^β) · both / (both + λ): 3 / (4^0.35 · 3^0.65) · 3/8.
        Assert.Equal(3 / (Math.Pow(4, 0.35) * Math.Pow(3, 0.65)) * 3 / 8, byDefault.Top(0, 1)[0].Score, 5);
    }

    [Fact]
    public void Kept_lists_answer_as_computed_ones_for_any_length()
    {
        var ratings = TestData.MovieLensSmall.Ratings;
        var kept = new CoLikedMovies(ratings, new CoLikedMoviesOptions { CachedMovies = 2 });
        var fresh = new CoLikedMovies(ratings, new CoLikedMoviesOptions { CachedMovies = 0 });
        int toyStory = ratings.ItemIds.ToDense(1), boot = ratings.ItemIds.ToDense(1233);
        // A movie whose whole list is shorter than 30.
        int laura = Enumerable.Range(0, ratings.ItemCount).First(i => fresh.Top(i, 30).Count is > 0 and < 30);
        // Short then long (the kept 20 must not stand in for 50), long then short, a list shorter than asked (kept
        // whole), and more movies than the cache holds.
        foreach (var (item, n) in new[] { (toyStory, 5), (toyStory, 50), (toyStory, 8), (laura, 30), (laura, 30), (boot, 10), (laura, 3), (toyStory, 100) })
            Assert.Equal(fresh.Top(item, n), kept.Top(item, n));
    }

    [Theory]
    [InlineData(-0.1, 5, 3)]
    [InlineData(1.5, 5, 3)]
    [InlineData(0.6, -1, 3)]
    [InlineData(0.6, double.NaN, 3)]
    [InlineData(0.6, 5, 0)]
    public void Bad_options_are_refused_naming_the_option(double beta, double lambda, int least)
    {
        var options = new CoLikedMoviesOptions { CandidateExponent = beta, Shrinkage = lambda, MinimumBoth = least };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CoLikedMovies(Likes(), options));
        Assert.Contains(e.ParamName!, new[] { "CandidateExponent", "Shrinkage", "MinimumBoth" });
    }

    [Fact]
    public void On_movielens_the_lists_fit_the_movie_and_every_count_holds()
    {
        var dataset = TestData.MovieLensSmall;
        var ratings = dataset.Ratings;
        var coLiked = new CoLikedMovies(ratings);
        int Item(long movieId) => ratings.ItemIds.ToDense(movieId);
        HashSet<int> Likers(int item)
        {
            var set = new HashSet<int>();
            var users = ratings.ByItem.RowColumns(item);
            var values = ratings.ByItem.RowValues(item);
            for (int p = 0; p < users.Length; p++)
            {
                if (values[p] >= 3.5f) set.Add(users[p]);
            }
            return set;
        }
        // Toy Story: the films its fans liked more than most people do are animated or for children (item-kNN's cosine
        // over who rated what listed Independence Day, Jurassic Park, Forrest Gump and Star Wars first).
        var toyStory = coLiked.Top(Item(1), 8);
        Assert.Equal(8, toyStory.Count);
        Assert.Equal("Toy Story 2", dataset.MovieOf(toyStory[0].Item)!.Title);
        int family = toyStory.Count(t => dataset.MovieOf(t.Item)!.Genres.Any(g => g is "Animation" or "Children"));
        Assert.True(family >= 6, $"{family} of 8 animated or for children");
        // Laura (1944), liked by 6 people: every listed movie was liked by at least 3 of them (the cosine listed films two
        // people had rated), and the counts are the data's.
        foreach (long movie in new long[] { 1, 942, 1233 })
        {
            var likers = Likers(Item(movie));
            foreach (var t in coLiked.Top(Item(movie), 8))
            {
                Assert.Equal(likers.Count, t.LikedSource);
                Assert.Equal(likers.Count(Likers(t.Item).Contains), t.Both);
                Assert.True(t.Both >= 3);
            }
        }
    }
}
