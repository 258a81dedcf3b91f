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

    [Theory]
    [InlineData("movies like alien and die hard", "Alien|Die Hard")]
    [InlineData("films like heat, the godfather and goodfellas", "Heat|The Godfather|Goodfellas")]
    [InlineData("something like toy story & shrek", "Toy Story|Shrek")]
    [InlineData("movies like the matrix or inception", "The Matrix|Inception")]
    [InlineData("movies like beauty and the beast", "Beauty and the Beast")]                     // a title with "and" is one movie
    [InlineData("movies like harry potter and the chamber of secrets", "Harry Potter and the Chamber of Secrets")]
    [InlineData("movies like jaws and a boxer who never gives up", "")]                        // every part must be a title
    [InlineData("movies like a boxer who never gives up", "")]
    public void Several_named_movies_are_each_resolved_and_a_title_with_and_stays_one(string query, string expected)
    {
        var titles = new TitleSearch(TestData.MovieLensSmall.Catalog.Movies);
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), NamedMovieQuery.ResolveAll(titles, query).Select(m => m.Title));
    }

    /// <summary>Movies close to all the named ones come first; the named ones are never in the list.</summary>
    [Fact]
    public void Neighbours_of_several_movies_put_those_close_to_all_of_them_first()
    {
        var catalog = TestData.MovieLensSmall.Catalog;
        var a = catalog.Movies.First(m => m.Id == 1); // Toy Story
        var b = catalog.Movies.First(m => m.Id == 2355); // A Bug's Life
        var lists = new Dictionary<long, (Core.Data.Movie, float)[]>
        {
            [1] = [(b, 0.9f), (catalog.Movies.First(m => m.Id == 3114), 0.8f), (catalog.Movies.First(m => m.Id == 4886), 0.7f)],
            [2355] = [(a, 0.9f), (catalog.Movies.First(m => m.Id == 4886), 0.8f), (catalog.Movies.First(m => m.Id == 6377), 0.7f)],
        };
        var both = NamedMovieQuery.Neighbours([a, b], (id, n) => lists[id].Take(n).ToList(), 10);
        Assert.Equal([4886L, 3114, 6377], both.Select(x => x.Movie.Id)); // Monsters, Inc. is on both lists
        Assert.Equal(lists[1].Take(2).Select(x => x.Item1.Id), NamedMovieQuery.Neighbours([a], (id, n) => lists[id].Take(n).ToList(), 2).Select(x => x.Movie.Id));
        Assert.Equal("Movies like Toy Story (1995) and A Bug's Life (1998): what they share with them (director, lead actors, keywords, genres), closest to all of them first.",
            NamedMovieQuery.Note([a, b]));
    }

    [Fact]
    public void A_named_movie_with_years_asks_for_its_neighbours_from_those_years()
    {
        var titles = new TitleSearch(TestData.MovieLensSmall.Catalog.Movies);
        var (movies, era) = NamedMovieQuery.ResolveWithEra(titles, "movies like die hard from the 90s");
        Assert.Equal(["Die Hard"], movies.Select(m => m.Title));
        Assert.Equal(new Era(1990, 1999, "the 1990s"), era);
        var (plain, none) = NamedMovieQuery.ResolveWithEra(titles, "movies like die hard");
        Assert.Equal(["Die Hard"], plain.Select(m => m.Title));
        Assert.Null(none);
        var catalog = TestData.MovieLensSmall.Catalog;
        IReadOnlyList<(Core.Data.Movie, float)> All(long id, int n) => [.. catalog.Movies.Where(m => m.Id != id).Take(n).Select(m => (m, 1f))];
        Assert.All(NamedMovieQuery.InEra(All, era)(1, 20), s => Assert.InRange(s.Item1.Year!.Value, 1990, 1999));
    }
}
