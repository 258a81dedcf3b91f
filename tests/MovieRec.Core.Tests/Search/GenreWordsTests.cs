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
    [InlineData("courtroom drama", "Drama")]
    [InlineData("but funnier", "Comedy")]
    [InlineData("but scarier", "Horror")]
    [InlineData("feel good movie for kids", "Comedy,Children")]
    [InlineData("a sad movie about a dog", "Drama")]
    [InlineData("dog movies that make you cry", "Drama")]
    [InlineData("a real tear jerker", "Drama")]
    [InlineData("star wars", "")]
    [InlineData("warm-hearted", "")]
    public void The_genres_a_query_asks_for(string query, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), GenreWords.Of(query));

    [Theory]
    [InlineData("uplifting movies", "uplifting")]
    [InlineData("Movies about GRIEF", "about GRIEF")]
    [InlineData("a film, a flick or cinema verite", "a , a or verite")]
    [InlineData("moviegoers and filmmakers", "moviegoers and filmmakers")] // whole words only
    [InlineData("movies", "movies")] // nothing else: as it is
    [InlineData("the movie!", "the !")]
    [InlineData("film!", "film!")]
    public void Words_that_only_say_movie_are_left_out_when_others_remain(string query, string expected) =>
        Assert.Equal(expected, GenreWords.WithoutMovieWords(query));

    [Fact]
    public void Word_signals_do_not_match_titles_by_the_word_movie()
    {
        using var search = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, SearchTestData.RatingCounts());
        // Before: Disaster Movie, American Movie, The Lego Batman Movie, Scary Movie (title word "movie" alone).
        var uplifting = search.Search("uplifting movies");
        Assert.NotEmpty(uplifting.Hits);
        Assert.DoesNotContain(uplifting.Hits, h => h.Movie.Title.Contains("Movie", StringComparison.OrdinalIgnoreCase));
        // A title that is the query stays a title: Scary Movie first.
        Assert.Equal("Scary Movie", search.Search("scary movie").Hits[0].Movie.Title);
        using var off = new HybridSearch(TestData.MovieLensSmall.Catalog.Movies, SearchTestData.RatingCounts(), HybridSearchOptions.Default with { DropMovieWords = false });
        Assert.Contains(off.Search("uplifting movies").Hits, h => h.Movie.Title.Contains("Movie", StringComparison.OrdinalIgnoreCase));
        // No word at all: nothing to match, nothing answered (the API says so as a 400).
        foreach (string nothing in new[] { "!!!", "\0", "\u200B", "\U0001F600" })
            Assert.Empty(search.Search(nothing).Hits);
        Assert.True(HybridSearch.HasWords("\U00020000")); // a CJK letter outside the BMP
        Assert.False(HybridSearch.HasWords(" ?! "));
    }

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

    [Theory]
    [InlineData("horror movies", "Horror", false)]
    [InlineData("a good western", "Western", false)]
    [InlineData("show me some romantic comedies", "Romance,Comedy", false)]
    [InlineData("funny movie for kids", "Comedy", true)]
    [InlineData("something for the whole family", "", true)]
    [InlineData("sci-fi", "Sci-Fi", false)]
    [InlineData("best movies", "", false)]
    [InlineData("good films of all time", "", false)]
    public void A_query_that_asks_only_for_kinds_of_movie(string query, string genres, bool forChildren)
    {
        var kinds = GenreWords.Browse(query);
        Assert.NotNull(kinds);
        Assert.Equal(genres.Split(',', StringSplitOptions.RemoveEmptyEntries), kinds.Genres);
        Assert.Equal(forChildren, kinds.ForChildren);
    }

    [Theory]
    [InlineData("horror movie set in space")]
    [InlineData("sad movie about a dog")]
    [InlineData("the kids are all right")]
    [InlineData("star wars")]
    [InlineData("the")]
    [InlineData("show me")]
    [InlineData("")]
    public void A_query_that_asks_for_more_than_kinds_is_not_a_browse(string query) => Assert.Null(GenreWords.Browse(query));

    [Fact]
    public void A_movie_that_is_only_of_the_kind_asked_needs_less_familiarity()
    {
        var kinds = new BrowseKinds(["Romance"], false);
        var romance = new Core.Data.Movie(1, "A (2000)", ["Romance"]);
        var quarter = new Core.Data.Movie(2, "B (2000)", ["Comedy", "Drama", "Romance", "War"]);
        Assert.Equal(1f, kinds.Focus(romance));
        Assert.Equal(0.5f, kinds.Focus(quarter));
        Assert.Equal("The best-known romance movies", kinds.Heading);
        Assert.Equal("The best-known comedy and children's movies", new BrowseKinds(["Comedy"], true).Heading);
        Assert.False(new BrowseKinds(["Comedy"], true).Accepts(new Core.Data.Movie(3, "C (2000)", ["Comedy"])));
    }

    /// <summary>
    /// "horror movies": searched as words, Scary Movie 3 (a spoof) and Disaster Movie came first by the title word
    /// "movie" (the service, with the embeddings); read as a kind, the best-known horror movies, those that are only horror before those that are also
    /// three other things. A whole title ("scary movie") stays a title, and a kind too rare for ten movies ("scary movie
    /// for kids": five are Horror and Children) is searched as words.
    /// </summary>
    [Fact]
    public void A_kind_of_movie_is_answered_with_the_best_known_of_that_kind()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        var horror = search.Search("horror movies");
        string shown = string.Join("; ", horror.Hits.Select(h => $"{h.Movie} [{string.Join('|', h.Movie.Genres)}]"));
        Assert.NotNull(horror.Kinds);
        Assert.Equal(HybridSearch.BrowseMode, horror.Mode);
        Assert.Null(horror.Note);
        Assert.Equal(10, horror.Hits.Count);
        Assert.All(horror.Hits, h => Assert.Contains("Horror", h.Movie.Genres));
        Assert.True(horror.Hits.Take(3).Any(h => h.Movie.Title == "The Shining"), shown);
        using var everyWord = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts(), HybridSearchOptions.Default with { DropMovieWords = false });
        var asWords = everyWord.Search("horror movies", new HybridSearchRequest { UnderstandGenres = false });
        Assert.Null(asWords.Kinds);
        // As every word (lexical here), the title word "movie" leads: Scary Movie, Killer Movie, Tales from the Darkside: The Movie.
        Assert.True(asWords.Hits.Take(5).Count(h => h.Movie.Title.Contains("Movie", StringComparison.Ordinal)) >= 3, string.Join("; ", asWords.Hits.Select(h => h.Movie)));
        // Without the words that only say "movie", the words match "horror": The Rocky Horror Picture Show, The Amityville Horror.
        var horrorWord = search.Search("horror movies", new HybridSearchRequest { UnderstandGenres = false });
        Assert.DoesNotContain(horrorWord.Hits, h => h.Movie.Title.Contains("Movie", StringComparison.Ordinal));
        Assert.DoesNotContain(horror.Hits.Take(5), h => h.Movie.Title.Contains("Movie", StringComparison.Ordinal));
        var title = search.Search("scary movie");
        Assert.Null(title.Kinds);
        Assert.Contains(title.Hits.Take(3), h => h.Movie.Title == "Scary Movie");
        // Any kind: "best movies" began with The Lego Batman Movie and Disaster Movie (title words).
        var best = search.Search("best movies");
        Assert.NotNull(best.Kinds);
        Assert.Contains(best.Hits.Take(5), h => h.Movie.Title == "Forrest Gump");
        Assert.DoesNotContain(best.Hits, h => h.Movie.Title.Contains("Movie", StringComparison.Ordinal));
        // "new": the catalogue's last three years (ml-latest-small ends in 2018); "new york" is no kind at all.
        var recent = search.Search("new horror movies");
        Assert.True(recent.Kinds?.Recent);
        Assert.Equal(new Era(2016, 2018, "2016 to 2018"), recent.Era);
        Assert.All(recent.Hits, h =>
        {
            Assert.InRange(h.Movie.Year ?? 0, 2016, 2018);
            Assert.Contains("Horror", h.Movie.Genres);
        });
        Assert.Null(search.Search("new york").Kinds);
        var rare = search.Search("scary movie for kids");
        Assert.Null(rare.Kinds);
        Assert.NotEmpty(rare.Hits);
    }

    /// <summary>
    /// With the searcher's ratings the best-known of a kind are re-ranked by their taste, as fused results are: a taste
    /// that loves vampires moves the vampire films among the 30 best-known horror movies up.
    /// </summary>
    [Fact]
    public void The_best_known_of_a_kind_are_re_ranked_by_the_searchers_taste()
    {
        var data = TestData.MovieLensSmall;
        using var search = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts());
        TasteScorer vampires = (candidates, scores) =>
        {
            for (int i = 0; i < candidates.Count; i++) scores[i] = candidates[i].Title.Contains("Vampire", StringComparison.Ordinal) || candidates[i].Title.Contains("Dracula", StringComparison.Ordinal) ? 5 : 3;
        };
        var plain = search.Search("horror movies");
        var personal = search.Search("horror movies", new HybridSearchRequest { Taste = vampires });
        Assert.True(personal.Personalised);
        Assert.False(plain.Personalised);
        Assert.All(personal.Hits, h => Assert.Contains("Horror", h.Movie.Genres));
        static int FirstVampire(HybridSearchResult r) => r.Hits.ToList().FindIndex(h => h.Movie.Title.Contains("Vampire", StringComparison.Ordinal));
        Assert.InRange(FirstVampire(plain), 1, 9);
        Assert.InRange(FirstVampire(personal), 0, FirstVampire(plain) - 1);
        Assert.NotNull(personal.Hits[0].Taste);
        var off = search.Search("horror movies", new HybridSearchRequest { Taste = vampires, Personalise = false });
        Assert.Equal(plain.Hits.Select(h => h.Movie), off.Hits.Select(h => h.Movie));
    }

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
        using var unconstrained = new HybridSearch(data.Catalog.Movies, SearchTestData.RatingCounts(), new HybridSearchOptions { NotForChildren = 1, KindsFirst = false });
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
        var before = wordsOnly.Search("funny movie for a family night", new HybridSearchRequest { UnderstandGenres = false }).Hits;
        static int FamilyComedies(IEnumerable<HybridSearchHit> hits) => hits.Take(5).Count(h => h.Movie.Genres.Contains("Comedy") && h.Movie.Genres.Contains("Children"));
        Assert.True(FamilyComedies(before) < FamilyComedies(hits), $"before: {string.Join("; ", before.Select(h => h.Movie))} after: {shown}");
    }
}
