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

    [Theory]
    [InlineData("funny movie for a family night", true)]
    [InlineData("scary movie for kids", true)]
    [InlineData("ghost story for kids", true)]
    [InlineData("robin williams family movies", true)]
    [InlineData("a family-friendly adventure", true)]
    [InlineData("something for the whole family", true)]
    [InlineData("Children's movie about a horse", true)]
    [InlineData("kids movie about a dog", true)]
    // Plots that mention children or a family, and "kids" as a bare word: who is in the movie, not who it is for.
    [InlineData("a group of kids about to lose their homes find an old treasure map", false)]
    [InlineData("a magical nanny arrives in London to care for the two children of a stern banker", false)]
    [InlineData("mafia family crime saga", false)]
    [InlineData("a family of superheroes forced to live as ordinary suburban people", false)]
    [InlineData("talking animals kids", false)]
    [InlineData("the kids are all right", false)]
    public void A_query_that_says_the_movie_is_for_children(string query, bool expected) =>
        Assert.Equal(expected, GenreWords.ForChildren(query));

    /// <summary>
    /// "scary movie for kids": the Horror lift and the title words "scary" and "movie" put Scary Movie 2-4 and Scream
    /// first; said to be for kids, the movies filed under Children lead.
    /// </summary>
    [Fact]
    public void A_movie_for_kids_is_a_childrens_movie()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var hits = search.Search("scary movie for kids").Hits;
        string shown = string.Join("; ", hits.Select(h => $"{h.Movie} [{string.Join('|', h.Movie.Genres)}]"));
        Assert.True(hits.Take(5).All(h => h.Movie.Genres.Contains("Children")), shown);
        using var unconstrained = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts(), new HybridSearchOptions { NotForChildren = 1 });
        var before = unconstrained.Search("scary movie for kids").Hits;
        Assert.True(before.Take(5).Count(h => h.Movie.Genres.Contains("Children")) < 3, string.Join("; ", before.Select(h => h.Movie)));
    }

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
    /// genres read (Comedy, Children) and the query saying who the movie is for, family comedies lead and nothing in
    /// the first five is horror or a thriller (lexical search over the catalogue, so without the embeddings; before the
    /// constraint the first five were four comedies for adults and Signs).
    /// </summary>
    [Fact]
    public void A_funny_movie_for_a_family_night_is_a_family_comedy()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var hits = search.Search("funny movie for a family night").Hits;
        string shown = string.Join("; ", hits.Select(h => $"{h.Movie} [{string.Join('|', h.Movie.Genres)}]"));
        var top = hits.Take(5).ToList();
        Assert.True(top.All(h => h.Movie.Genres.Contains("Comedy") || h.Movie.Genres.Contains("Children")), shown);
        Assert.True(top.Count(h => h.Movie.Genres.Contains("Comedy") && h.Movie.Genres.Contains("Children")) >= 2, shown);
        Assert.DoesNotContain(top, h => h.Movie.Genres.Contains("Horror") || h.Movie.Genres.Contains("Thriller"));
        using var wordsOnly = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts(), new HybridSearchOptions { GenreWeight = 0, NotForChildren = 1 });
        var before = wordsOnly.Search("funny movie for a family night").Hits;
        static int FamilyComedies(IEnumerable<HybridSearchHit> hits) => hits.Take(5).Count(h => h.Movie.Genres.Contains("Comedy") && h.Movie.Genres.Contains("Children"));
        Assert.True(FamilyComedies(before) < FamilyComedies(hits), $"before: {string.Join("; ", before.Select(h => h.Movie))} after: {shown}");
    }
}
