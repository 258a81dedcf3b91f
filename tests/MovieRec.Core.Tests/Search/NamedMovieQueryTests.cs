using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>What counts as asking for a named movie's neighbours, and what stays a description.</summary>
public sealed class NamedMovieQueryTests
{
    [Theory]
    [InlineData("movies like Ocean's Eleven", "Ocean's Eleven")]
    [InlineData("Films similar to Alien?", "Alien")]
    [InlineData("something like amelie", "amelie")]
    [InlineData("more like the matrix", "the matrix")]
    [InlineData("show me some movies like Toy Story!", "Toy Story")]
    [InlineData("  similar to The Godfather  ", "The Godfather")]
    [InlineData("I'd like films like Heat", "Heat")]
    public void A_request_for_a_named_movie_s_neighbours_gives_the_name(string query, string name) =>
        Assert.Equal(name, NamedMovieQuery.Name(query));

    [Theory]
    [InlineData("a movie like a dream")]
    [InlineData("space adventure with robots")]
    [InlineData("movies like")]
    [InlineData("like jaws")]
    [InlineData("a giant shark terrorises a beach town, like in the seventies")]
    public void Anything_else_is_no_name(string query) => Assert.Null(NamedMovieQuery.Name(query));

    [Fact]
    public void The_name_must_be_a_good_title_match()
    {
        var titles = new TitleSearch(TestData.MovieLensSmall.Catalog.Movies);
        Assert.Equal("Jaws", NamedMovieQuery.Resolve(titles, "movies like jaws")?.Title);
        Assert.Null(NamedMovieQuery.Resolve(titles, "movies like a boxer who never gives up"));
    }
}
