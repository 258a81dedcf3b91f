using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>Words that ask for a kind of movie lift the movies of that genre.</summary>
public sealed class GenreWordsTests
{
    [Theory]
    [InlineData("funny movie for a family night", "Comedy,Children")]
    [InlineData("scary movie about a haunted house", "Horror")]
    [InlineData("a rom-com in paris", "Comedy,Romance")]
    [InlineData("animated fairy tale with a princess", "Animation,Fantasy")]
    [InlineData("world war 2 soldiers rescue", "War")]
    [InlineData("mafia family crime saga", "Crime")]
    [InlineData("sci-fi thriller", "Sci-Fi,Thriller")]
    [InlineData("but funnier", "Comedy")]
    [InlineData("but scarier", "Horror")]
    [InlineData("feel good movie for kids", "Comedy,Children")]
    [InlineData("a sad movie about a dog", "")]
    [InlineData("star wars", "")]
    [InlineData("warm-hearted", "")]
    public void The_genres_a_query_asks_for(string query, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), GenreWords.Of(query));

    [Fact]
    public void Share_counts_the_genres_asked_for_that_a_movie_has()
    {
        var movie = new Core.Data.Movie(1, "Toy Story (1995)", ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]);
        Assert.Equal(1f, GenreWords.Share(movie, ["Comedy", "Children"]));
        Assert.Equal(0.5f, GenreWords.Share(movie, ["Comedy", "Horror"]));
        Assert.Equal(0f, GenreWords.Share(movie, []));
    }

    /// <summary>
    /// "funny movie for a family night": searched as words only, the title Funny Games (a thriller) came first. With the
    /// genres read, family comedies lead (lexical search over the catalogue, so without the embeddings).
    /// </summary>
    [Fact]
    public void A_funny_movie_for_a_family_night_is_a_family_comedy()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var hits = search.Search("funny movie for a family night").Hits;
        string shown = string.Join("; ", hits.Select(h => $"{h.Movie} [{string.Join('|', h.Movie.Genres)}]"));
        Assert.True(hits.Take(5).Count(h => h.Movie.Genres.Contains("Comedy")) >= 4, shown);
        using var wordsOnly = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts(), new HybridSearchOptions { GenreWeight = 0 });
        var before = wordsOnly.Search("funny movie for a family night").Hits;
        Assert.True(before.Take(5).Count(h => h.Movie.Genres.Contains("Comedy")) < hits.Take(5).Count(h => h.Movie.Genres.Contains("Comedy")),
            $"before: {string.Join("; ", before.Select(h => h.Movie))} after: {shown}");
    }
}
