using MovieRec.Core.Evaluation;
using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>People named in a query ("movies with Tom Hanks and Meg Ryan") restrict the results to their movies.</summary>
public sealed class PersonIndexTests
{
    private static readonly Lazy<PersonIndex> Index = new(() => new PersonIndex(TestData.MovieLensSmall.Catalog.Movies));

    [Theory]
    [InlineData("tom hanks movies", "Tom Hanks", "")]
    [InlineData("movies with Tom Hanks and Meg Ryan", "Tom Hanks|Meg Ryan", "")]
    [InlineData("directed by steven spielberg", "Steven Spielberg", "")]
    [InlineData("brad pitt action", "Brad Pitt", "action")]
    [InlineData("scary movies by john carpenter", "John Carpenter", "scary")]
    [InlineData("LEONARDO DICAPRIO and Kate Winslet", "Leonardo DiCaprio|Kate Winslet", "")]
    public void Full_names_of_directors_and_leads_are_read_and_taken_out_of_the_words(string query, string names, string words)
    {
        var asked = Index.Value.Parse(query);
        Assert.NotNull(asked);
        Assert.Equal(names.Split('|'), asked.Names);
        Assert.Equal(words, asked.Words);
    }

    [Theory]
    [InlineData("a giant shark terrorises a beach town")]
    [InlineData("escape from the rock")]
    [InlineData("tom")]
    [InlineData("space adventure with robots")]
    public void Words_that_name_nobody_are_not_people(string query) => Assert.Null(Index.Value.Parse(query));

    [Theory]
    [InlineData("kubrick", "Stanley Kubrick")]
    [InlineData("kubrick movies", "Stanley Kubrick")]
    [InlineData("films by Scorsese", "Martin Scorsese")]
    [InlineData("directed by nolan", "Christopher Nolan")]
    [InlineData("hanks", "Tom Hanks")]                 // Tom, not Colin: far more movies
    [InlineData("scott", "")]                          // Ridley and Tony: no one surname holder stands out
    [InlineData("kubrick space", "")]                  // a surname among other words stays a word
    public void A_surname_alone_names_the_one_person_it_stands_for(string query, string name)
    {
        var asked = Index.Value.Parse(query);
        if (name.Length == 0)
        {
            Assert.Null(asked);
            return;
        }
        Assert.NotNull(asked);
        Assert.Equal([name], asked.Names);
        Assert.Equal(name.Split(' ')[^1].ToLowerInvariant(), asked.Surname);
        Assert.Equal("", asked.Words);
        Assert.Null(Index.Value.Parse("stanley kubrick movies")!.Surname);
    }

    /// <summary>
    /// Through the engine: "kubrick movies" is Kubrick's films (as words, with the embeddings, titles with "Movie" led); "hitchcock", a
    /// surname that is also a title (Hitchcock, 2012), stays a search of words and titles.
    /// </summary>
    [Fact]
    public void A_search_by_surname_answers_with_that_person_s_movies_unless_it_is_a_title()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var kubrick = search.Search("kubrick movies");
        Assert.Equal(["Stanley Kubrick"], kubrick.People!.Names);
        Assert.All(kubrick.Hits, h => Assert.Contains("Stanley Kubrick", h.Movie.Tmdb!.Directors.Concat(h.Movie.Tmdb.Cast)));
        // Nothing asked but the person: their best-known movies first.
        var counts = SearchTestData.RatingCounts();
        var mostRated = data.Catalog.Movies.Where(m => m.Tmdb?.Directors.Contains("Stanley Kubrick") == true).MaxBy(m => counts(m.Id))!;
        Assert.Equal(mostRated.Id, kubrick.Hits[0].Movie.Id);
        var hitchcock = search.Search("hitchcock");
        Assert.Null(hitchcock.People);
        Assert.Contains(hitchcock.Hits, h => h.Movie.Title == "Hitchcock");
    }

    /// <summary>No description of the description set and no topic query outside the people rows names a person.</summary>
    [Fact]
    public void The_test_sets_name_people_only_in_their_people_rows()
    {
        var descriptions = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Search", "movie-descriptions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')[3]).ToList();
        Assert.All(descriptions, d => Assert.Null(Index.Value.Parse(d)));
        var topics = TopicQuery.Load(Path.Combine(AppContext.BaseDirectory, "Search", "topic-queries.tsv"));
        Assert.All(topics.Where(t => t.Split != "people"), t => Assert.Null(Index.Value.Parse(t.Text)));
        Assert.All(topics.Where(t => t.Split == "people"), t => Assert.NotNull(Index.Value.Parse(t.Text)));
    }

    /// <summary>Through the engine: movies with both named people first, then those with either; no one else.</summary>
    [Fact]
    public void A_search_naming_two_people_puts_their_movies_together_first()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var result = search.Search("movies with tom hanks and meg ryan");
        Assert.Equal(["Tom Hanks", "Meg Ryan"], result.People!.Names);
        Assert.Equal("You've Got Mail", result.Hits[0].Movie.Title);
        Assert.Equal(10, result.Hits.Count);
        Assert.All(result.Hits, h => Assert.True(h.Movie.Tmdb!.Cast.Take(PersonIndex.CastDepth).Any(c => c is "Tom Hanks" or "Meg Ryan"), h.Movie.ToString()));
        // As words, "Ryan" was a title: Saving Private Ryan led.
        var asWords = search.Search("movies with tom hanks and meg ryan", new HybridSearchRequest { UnderstandPeople = false });
        Assert.Null(asWords.People);
        Assert.NotEqual("You've Got Mail", asWords.Hits[0].Movie.Title);
        var action = search.Search("brad pitt action");
        Assert.All(action.Hits, h => Assert.Contains("Brad Pitt", h.Movie.Tmdb!.Cast));
    }

    /// <summary>
    /// "robin williams family movies": too few of his movies are Children's for a browse answer, so the words rank
    /// them, and "family" alone is in One Hour Photo's overview: it led. The kind is read with the words around the
    /// name ("family movies"), so his children's movies come first, then the rest of his movies by the words.
    /// </summary>
    [Fact]
    public void A_person_with_a_kind_puts_their_movies_of_that_kind_first()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var result = search.Search("robin williams family movies");
        string shown = string.Join("; ", result.Hits.Select(h => $"{h.Movie} [{string.Join('|', h.Movie.Genres)}]"));
        Assert.Equal(["Robin Williams"], result.People!.Names);
        int children = result.Hits.TakeWhile(h => h.Movie.Genres.Contains("Children")).Count();
        Assert.True(children >= 4, shown);
        Assert.True(result.Hits.Skip(children).All(h => !h.Movie.Genres.Contains("Children")), shown);
        Assert.DoesNotContain(result.Hits.Take(children), h => h.Movie.Title == "One Hour Photo");
        Assert.All(result.Hits, h => Assert.Contains("Robin Williams", h.Movie.Tmdb!.Cast));
    }
}
