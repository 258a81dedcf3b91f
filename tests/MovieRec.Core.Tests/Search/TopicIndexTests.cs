using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>
/// Browses by subject and language: "dog movies", "zombie comedies", "movies based on a true story", "korean thriller".
/// Searched as words, "dog movies" began with The Truth About Cats &amp; Dogs and Stray Dog (title words), "movies based
/// on a true story" with Fargo and Ghostbusters II, and "korean thriller" with Sliver and Die Another Day.
/// </summary>
public sealed class TopicIndexTests
{
    private static readonly Lazy<TopicIndex> Built = new(() => new(TestData.MovieLensSmall.Catalog.Movies));

    private static TopicIndex Index => Built.Value;

    [Theory]
    [InlineData("dogs", "dog")]
    [InlineData("movies about dogs", "movie dog")]
    [InlineData("based on a true story", "based true storie")]
    [InlineData("Stories of heroes", "storie hero")]
    [InlineData("a story about zombies", "storie zombie")]
    [InlineData("witches", "witch")]
    [InlineData("the boss", "boss")]
    public void Subjects_are_compared_without_small_words_and_plurals(string words, string key) => Assert.Equal(key, TopicIndex.Key(words));

    [Fact]
    public void A_subject_is_the_movies_whose_keyword_or_tag_says_it_exactly()
    {
        var index = Index;
        var movies = TestData.MovieLensSmall.Catalog.Movies;
        var shark = index.Find("sharks");
        Assert.NotNull(shark);
        Assert.Equal("sharks", shark.Words);
        var jaws = movies.Single(m => m.Title == "Jaws");
        Assert.True(shark.Covers(jaws));
        // "loan shark" (The Addams Family) holds the word but is not about sharks.
        Assert.DoesNotContain(movies.Where(shark.Covers), m => m.Title == "The Addams Family");
        Assert.All(movies.Where(shark.Covers), m => Assert.Contains(
            m.Tmdb?.Keywords.Concat(m.Tags) ?? m.Tags, k => TopicIndex.Key(k) == "shark"));
        Assert.Null(index.Find("purple elephant spaceship"));
        Assert.Null(index.Find("the"));
    }

    [Fact]
    public void A_browse_names_the_subject_and_every_answer_is_about_it()
    {
        using var search = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, SearchTestData.RatingCounts());
        var dogs = search.Search("dog movies");
        Assert.Equal(HybridSearch.BrowseMode, dogs.Mode);
        Assert.Equal("dog", dogs.Kinds?.Topic?.Words);
        Assert.Equal("The best-known movies tagged “dog”", dogs.Kinds!.Heading);
        Assert.Equal(10, dogs.Hits.Count);
        Assert.All(dogs.Hits, h => Assert.True(dogs.Kinds.Topic!.Covers(h.Movie)));
        Assert.DoesNotContain(dogs.Hits, h => h.Movie.Title == "The Truth About Cats & Dogs");

        var zombies = search.Search("zombie comedies");
        Assert.Equal(["Comedy"], zombies.Kinds?.Genres);
        Assert.All(zombies.Hits, h =>
        {
            Assert.Contains("Comedy", h.Movie.Genres);
            Assert.True(zombies.Kinds!.Topic!.Covers(h.Movie));
        });
        Assert.Contains(zombies.Hits.Take(3), h => h.Movie.Title == "Shaun of the Dead");

        var sad = search.Search("sad movie about a dog");
        Assert.Equal(["Drama"], sad.Kinds?.Genres);
        Assert.All(sad.Hits, h => Assert.Contains("Drama", h.Movie.Genres));
        // As words it began with The Truth About Cats & Dogs, A Cry in the Dark, Cry_Wolf (title words "dogs", "cry").
        var crying = search.Search("dog movies that make you cry");
        Assert.Equal("dog", crying.Kinds?.Topic?.Words);
        Assert.Equal(["Drama"], crying.Kinds?.Genres);
        Assert.Contains(crying.Hits, h => h.Movie.Title.StartsWith("Hachiko", StringComparison.Ordinal));

        // "time" is a filler of "best movies of all time", not here.
        var timeTravel = search.Search("time travel movies");
        Assert.Equal("time travel", timeTravel.Kinds?.Topic?.Words);
        Assert.Contains(timeTravel.Hits.Take(5), h => h.Movie.Title == "Back to the Future");
        Assert.Equal("zombie", search.Search("the best zombie movies of all time").Kinds?.Topic?.Words);

        // "new" of "new york" is the subject, not the catalogue's last years; "york" alone is no subject.
        var newYork = search.Search("romantic comedy in new york");
        Assert.Equal("new york", newYork.Kinds?.Topic?.Words);
        Assert.False(newYork.Kinds!.Recent);
        Assert.Null(newYork.Era);
        Assert.Null(Index.Find("york"));

        var trueStory = search.Search("movies based on a true story");
        Assert.NotNull(trueStory.Kinds?.Topic);
        Assert.Contains(trueStory.Hits, h => h.Movie.Title == "Apollo 13");

        // A subject alone, with no word asking for movies or a kind, is a description: searched as words.
        Assert.Null(search.Search("zombie apocalypse").Kinds);
        Assert.Null(search.Search("a giant shark terrorises a beach town").Kinds);
    }

    [Fact]
    public void A_movie_is_about_a_subject_by_how_much_says_it()
    {
        var movies = TestData.MovieLensSmall.Catalog.Movies;
        var boxing = Index.Find("boxing");
        Assert.NotNull(boxing);
        // Broken Arrow: "boxing" one of its 22 TMDB keywords (one scene), nothing else; Rocky: a tag and its overview.
        var brokenArrow = movies.Single(m => m.Title == "Broken Arrow" && m.Year == 1996);
        var rocky = movies.Single(m => m.Title == "Rocky" && m.Year == 1976);
        Assert.True(boxing.Covers(brokenArrow));
        Assert.InRange(brokenArrow.Tmdb!.Keywords.Count, TopicIndex.FullKeywords + 1, 100);
        Assert.Equal(MathF.Sqrt(TopicIndex.FullKeywords / (float)brokenArrow.Tmdb.Keywords.Count / 4), boxing.Strength(brokenArrow), 5);
        Assert.True(boxing.Strength(rocky) >= MathF.Sqrt(2 / 4f) - 1e-6f, $"Rocky {boxing.Strength(rocky)}");
        Assert.Equal(0, boxing.Strength(movies.Single(m => m.Title == "Jaws")));
        // Whole words of the title: Jaws is about sharks by its keyword, Shark Tale by its title too.
        var shark = Index.Find("shark")!;
        Assert.True(shark.Strength(movies.Single(m => m.Title == "Shark Tale")) > shark.Strength(movies.Single(m => m.Title == "The Beach" && m.Year == 2000)));

        // By ratings alone "boxing movies" began with Broken Arrow (84 ratings; Rocky 64, Raging Bull 40).
        using var search = new HybridSearch(movies, SearchTestData.RatingCounts());
        var answer = search.Search("boxing movies");
        Assert.Equal("boxing", answer.Kinds?.Topic?.Words);
        Assert.Equal(["Million Dollar Baby", "Raging Bull", "Rocky"], answer.Hits.Take(3).Select(h => h.Movie.Title).Order());
        Assert.DoesNotContain(answer.Hits.Take(5), h => h.Movie.Title == "Broken Arrow");
        // "vampire movies" began with Interview with the Vampire, I Am Legend, Blade, From Dusk Till Dawn, The Addams Family.
        var vampires = search.Search("vampire movies");
        Assert.DoesNotContain(vampires.Hits.Take(5), h => h.Movie.Title == "The Addams Family");
        Assert.Contains(vampires.Hits.Take(5), h => h.Movie.Title == "The Lost Boys");
    }

    [Fact]
    public void A_language_asked_gives_only_its_movies_even_when_there_are_few()
    {
        using var search = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, SearchTestData.RatingCounts());
        var korean = search.Search("korean thriller");
        Assert.Equal("Korean", korean.Kinds?.Language?.Name);
        Assert.Equal("The best-known Korean thriller movies", korean.Kinds!.Heading);
        Assert.InRange(korean.Hits.Count, 3, 9);
        Assert.All(korean.Hits, h =>
        {
            Assert.Equal("ko", h.Movie.Tmdb?.OriginalLanguage);
            Assert.Contains("Thriller", h.Movie.Genres);
        });
        Assert.Contains(korean.Hits, h => h.Movie.Title == "Old Boy");

        var foreign = search.Search("foreign films");
        Assert.Equal(10, foreign.Hits.Count);
        Assert.All(foreign.Hits, h => Assert.NotEqual("en", h.Movie.Tmdb?.OriginalLanguage));
        Assert.All(foreign.Hits, h => Assert.NotNull(h.Movie.Tmdb));
    }
}
