using MovieRec.Core.Evaluation;
using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

/// <summary>Release years in a query ("80s teen comedy") restrict the results; decades a story is set in do not.</summary>
public sealed class EraQueryTests
{
    [Theory]
    [InlineData("80s teen comedy", 1980, 1989, "the 1980s", "teen comedy")]
    [InlineData("90s action movies", 1990, 1999, "the 1990s", "action")]
    [InlineData("1970s horror", 1970, 1979, "the 1970s", "horror")]
    [InlineData("sci-fi from the 50s", 1950, 1959, "the 1950s", "sci-fi")]
    [InlineData("the best films of the 1970s", 1970, 1979, "the 1970s", "the best")]
    [InlineData("late 90s thriller", 1995, 1999, "the late 1990s", "thriller")]
    [InlineData("early 2000s comedy", 2000, 2004, "the early 2000s", "comedy")]
    [InlineData("mid-80s action", 1983, 1987, "the mid 1980s", "action")]
    [InlineData("romance from the nineties", 1990, 1999, "the 1990s", "romance")]
    [InlineData("comedy from 1995", 1995, 1995, "1995", "comedy")]
    [InlineData("western 1960s", 1960, 1969, "the 1960s", "western")]
    [InlineData("'90s rom-com", 1990, 1999, "the 1990s", "rom-com")]
    [InlineData("00s horror", 2000, 2009, "the 2000s", "horror")]
    [InlineData("2010s superhero movies", 2010, 2019, "the 2010s", "superhero")]
    [InlineData("animated films released in 1998", 1998, 1998, "1998", "animated")]
    [InlineData("best movies of 2015", 2015, 2015, "2015", "best")]
    [InlineData("the best of 1994", 1994, 1994, "1994", "the best")]
    [InlineData("top horror films of 1980", 1980, 1980, "1980", "top horror")]
    public void A_decade_or_a_year_asked_for_is_read_and_taken_out_of_the_words(string query, int from, int to, string label, string words)
    {
        var parsed = EraQuery.Parse(query);
        Assert.NotNull(parsed);
        Assert.Equal(new Era(from, to, label), parsed.Value.Era);
        Assert.Equal(words, parsed.Value.Words);
    }

    [Theory]
    [InlineData("2001")]
    [InlineData("1984")]
    [InlineData("the matrix")]
    [InlineData("a woman in her 30s falls in love")]
    [InlineData("a man in his late forties buys a sports car")]
    [InlineData("gangster movie set in the 1920s")]
    [InlineData("a boy travels back to the 1950s in a time machine")]
    [InlineData("a family in the 1970s drives across the country")]
    [InlineData("a heist that takes place in the 1960s")]
    [InlineData("a story in 1995")]
    [InlineData("a boy in the summer of 1942")]
    [InlineData("the class of 1999")]
    [InlineData("Mid90s")]
    public void Ages_settings_and_titles_are_not_release_years(string query) => Assert.Null(EraQuery.Parse(query));

    /// <summary>Plot descriptions mention decades as settings ("in the 1950s two US marshals investigate"): none is an era.</summary>
    [Fact]
    public void No_description_or_topic_query_of_the_test_sets_but_the_era_ones_asks_for_years()
    {
        var descriptions = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Search", "movie-descriptions.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')[3]).ToList();
        Assert.True(descriptions.Count > 100);
        Assert.Contains(descriptions, d => d.Contains("in the 1950s", StringComparison.Ordinal));
        Assert.All(descriptions, d => Assert.Null(EraQuery.Parse(d)));
        var topics = TopicQuery.Load(Path.Combine(AppContext.BaseDirectory, "Search", "topic-queries.tsv"));
        Assert.All(topics.Where(t => t.Split != "era"), t => Assert.Null(EraQuery.Parse(t.Text)));
        Assert.All(topics.Where(t => t.Split == "era"), t => Assert.NotNull(EraQuery.Parse(t.Text)));
    }

    [Theory]
    [InlineData("movies", true)]
    [InlineData("the best films", true)]
    [InlineData("", true)]
    [InlineData("teen comedy", false)]
    public void Nothing_else_means_only_generic_words_are_left(string words, bool expected) => Assert.Equal(expected, EraQuery.NothingElse(words));

    /// <summary>Through the engine (lexical, over the whole catalogue): every result is from the years asked for.</summary>
    [Fact]
    public void A_search_for_a_decade_answers_only_with_movies_from_it_and_says_so()
    {
        var data = TestData.MovieLensSmall;
        var counts = SearchTestData.RatingCounts();
        using var search = new HybridSearch(data.Catalog.Movies, counts);
        var sciFi = search.Search("sci-fi from the 50s");
        Assert.Equal(new Era(1950, 1959, "the 1950s"), sciFi.Era);
        Assert.Equal(10, sciFi.Hits.Count);
        Assert.All(sciFi.Hits, h => Assert.InRange(h.Movie.Year!.Value, 1950, 1959));
        Assert.True(sciFi.Hits.Count(h => h.Movie.Genres.Contains("Sci-Fi")) >= 7, string.Join("; ", sciFi.Hits.Select(h => h.Movie)));
        // Read as words, "50s" was a title: 50/50 led the list.
        var asWords = search.Search("sci-fi from the 50s", new HybridSearchRequest { UnderstandEras = false });
        Assert.Null(asWords.Era);
        Assert.Contains(asWords.Hits, h => h.Movie.Year is < 1950 or > 1959);

        // Nothing but the years: the decade's best-known movies.
        var nineties = search.Search("90s movies", new HybridSearchRequest { Count = 5 });
        Assert.Equal(5, nineties.Hits.Count);
        Assert.All(nineties.Hits, h => Assert.InRange(h.Movie.Year!.Value, 1990, 1999));
        long[] mostRatedNineties = [.. data.Catalog.Movies.Where(m => m.Year is >= 1990 and <= 1999).OrderByDescending(m => counts(m.Id)).ThenBy(m => m.Id).Take(5).Select(m => m.Id)];
        Assert.Equal(mostRatedNineties, nineties.Hits.Select(h => h.Movie.Id));

        // "of" a year after a movie word: that year's best-known movies, not titles with "Movie" or "Best" in them.
        var of2015 = search.Search("best movies of 2015", new HybridSearchRequest { Count = 5 });
        Assert.Equal(new Era(2015, 2015, "2015"), of2015.Era);
        long[] mostRated2015 = [.. data.Catalog.Movies.Where(m => m.Year == 2015).OrderByDescending(m => counts(m.Id)).ThenBy(m => m.Id).Take(5).Select(m => m.Id)];
        Assert.Equal(mostRated2015, of2015.Hits.Select(h => h.Movie.Id));
        // A title with a year in it stays a title.
        Assert.Equal("Gold Diggers of 1933", search.Search("gold diggers of 1933").Hits[0].Movie.Title);
    }
}
