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

    [Theory]
    [InlineData("movies like the matrix but funnier", "The Matrix", "Comedy", null)]
    [InlineData("something like Toy Story, but scarier", "Toy Story", "Horror", null)]
    [InlineData("movies like alien but animated", "Alien", "Animation", null)]
    [InlineData("films like die hard but funnier from the 90s", "Die Hard", "Comedy", 1990)]
    [InlineData("movies like die hard from the 90s but funnier", "Die Hard", "Comedy", 1990)]
    [InlineData("movies like die hard but from the 90s", "Die Hard", "", 1990)]
    [InlineData("movies like heat", "Heat", "", null)]
    [InlineData("movies like heat but longer", "", "", null)] // no genre in the clause: a name that is no title
    public void A_but_clause_asks_for_genres_and_keeps_the_name(string query, string title, string genres, int? decade)
    {
        var titles = new TitleSearch(TestData.MovieLensSmall.Catalog.Movies);
        var request = NamedMovieQuery.ResolveRequest(titles, query);
        Assert.Equal(title.Split('|', StringSplitOptions.RemoveEmptyEntries), request.Movies.Select(m => m.Title));
        Assert.Equal(genres.Split('|', StringSplitOptions.RemoveEmptyEntries), request.Genres);
        Assert.Equal(decade, request.Era?.From);
    }

    /// <summary>
    /// "movies like the matrix but funnier": comedies, by content similarity to The Matrix over the whole catalogue
    /// (its 50 kept neighbours hold one comedy), most similar first; the note says what was asked.
    /// </summary>
    [Fact]
    public void Neighbours_in_the_genres_asked_for_are_the_closest_movies_of_those_genres()
    {
        var catalog = TestData.MovieLensSmall.Catalog;
        var content = Core.Algorithms.Content.ContentSimilarity.Build(catalog.Movies);
        var matrix = catalog.Movies.First(m => m.Id == 2571);
        Assert.True(content.Similar(2571, 50).Count(s => s.Movie.Genres.Contains("Comedy")) < 10);
        var comedies = NamedMovieQuery.InGenres(content.Similar, content.SimilarAmong, ["Comedy"])(2571, 10);
        Assert.Equal(10, comedies.Count);
        Assert.All(comedies, s => Assert.Contains("Comedy", s.Movie.Genres));
        Assert.DoesNotContain(comedies, s => s.Movie.Id == 2571);
        // Without familiarity, the order is the cosine's, and the cosine is that of the vectors.
        Assert.Equal(comedies.Select(s => s.Similarity).OrderByDescending(x => x), comedies.Select(s => s.Similarity));
        var v = content.Vectors;
        int row = catalog.Movies.ToList().FindIndex(m => m.Id == 2571), first = catalog.Movies.ToList().FindIndex(m => m.Id == comedies[0].Movie.Id);
        float cosine = 0;
        for (int a = 0; a < v.RowTerms(row).Length; a++)
        {
            for (int b = 0; b < v.RowTerms(first).Length; b++)
            {
                if (v.RowTerms(row)[a] == v.RowTerms(first)[b]) cosine += v.RowWeights(row)[a] * v.RowWeights(first)[b];
            }
        }
        Assert.Equal(cosine, comedies[0].Similarity, 5);
        // No comedy is closer than the first one found.
        Assert.True(content.SimilarAmong(2571, 9999, m => m.Genres.Contains("Comedy")).All(s => s.Similarity <= comedies[0].Similarity));
        // Nothing asked: the kept neighbours as they are.
        Assert.Equal(content.Similar(2571, 5).Select(s => s.Movie.Id), NamedMovieQuery.InGenres(content.Similar, content.SimilarAmong, [])(2571, 5).Select(s => s.Movie.Id));
        Assert.Empty(content.SimilarAmong(-7, 5, _ => true));

        Assert.Equal("Comedy movies like The Matrix (1999): what they share with it (director, lead actors, keywords, genres).", NamedMovieQuery.Note([matrix], ["Comedy"]));
        Assert.Equal("Animated and children's movies like The Matrix (1999): what they share with it (director, lead actors, keywords, genres).",
            NamedMovieQuery.Note([matrix], ["Animation", "Children"]));
        Assert.Equal(NamedMovieQuery.Note(matrix), NamedMovieQuery.Note([matrix], []));
    }
}
