using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>Production companies found by the names people give them: "pixar movies", "disney animated movies".</summary>
public sealed class StudioIndexTests
{
    private static StudioIndex Index() => new(TestData.MovieLensSmall.Catalog.Movies);

    [Theory]
    [InlineData("pixar", "Pixar", "Pixar Animation Studios")]
    [InlineData("Pixar Animation Studios", "Pixar Animation Studios", "Pixar Animation Studios")]
    [InlineData("disney", "Disney", "Walt Disney Pictures")]
    [InlineData("marvel", "Marvel", "Marvel Studios")]
    [InlineData("dreamworks", "DreamWorks", "DreamWorks Animation")]
    [InlineData("warner bros", "Warner Bros.", "Warner Bros.")]
    public void A_studio_is_found_by_its_name_or_its_distinctive_word(string words, string name, string company)
    {
        var studio = Index().Find(words);
        Assert.NotNull(studio);
        Assert.Equal(name, studio.Name);
        Assert.Contains(company, studio.Companies);
    }

    /// <summary>Words of company names that describe movies name no studio: "new" (New Line Cinema), "legendary" (Legendary Pictures).</summary>
    [Theory]
    [InlineData("new")]
    [InlineData("legendary")]
    [InlineData("line")]
    [InlineData("pictures")]
    [InlineData("space adventure")]
    public void Words_that_describe_movies_name_no_studio(string words) => Assert.Null(Index().Find(words));

    /// <summary>
    /// "pixar movies": searched as words, the title word "movie" led (American Movie, The Lego Batman Movie); read as
    /// a studio, Pixar's best-known, and with a genre the studio's movies of that genre.
    /// </summary>
    [Fact]
    public void A_studio_search_gives_its_best_known_movies()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var pixar = search.Search("pixar movies");
        Assert.Equal("Pixar", pixar.Kinds?.Studio?.Name);
        Assert.Equal("The best-known Pixar movies", pixar.Kinds!.Heading);
        Assert.Equal(10, pixar.Hits.Count);
        Assert.All(pixar.Hits, h => Assert.Contains("Pixar Animation Studios", h.Movie.Tmdb!.Companies));
        Assert.Equal("Toy Story", pixar.Hits[0].Movie.Title);
        var disney = search.Search("disney animated movies");
        Assert.Equal("The best-known animated Disney movies", disney.Kinds?.Heading);
        Assert.All(disney.Hits, h =>
        {
            Assert.Contains("Animation", h.Movie.Genres);
            Assert.Contains(h.Movie.Tmdb!.Companies, c => c.Contains("Disney", StringComparison.Ordinal));
        });
        Assert.Null(search.Search("legendary movies").Kinds);
    }

    /// <summary>
    /// "walt disney films": Walt Disney is also a director (Fantasia alone), and read as a person the answer was that
    /// one movie; the studio of his name has far more, so it answers.
    /// </summary>
    [Fact]
    public void A_name_that_is_a_bigger_studio_than_a_person_is_the_studio()
    {
        using var search = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, SearchTestData.RatingCounts());
        var disney = search.Search("walt disney films");
        Assert.Null(disney.People);
        Assert.Equal("Walt Disney", disney.Kinds?.Studio?.Name);
        Assert.Equal(10, disney.Hits.Count);
        Assert.All(disney.Hits, h => Assert.Contains(h.Movie.Tmdb!.Companies, c => c.Contains("Disney", StringComparison.Ordinal)));
        // A person with more movies than any studio of their name stays a person.
        var hanks = search.Search("tom hanks movies");
        Assert.Equal(["Tom Hanks"], hanks.People?.Names);
    }
}
