using System.Globalization;
using MovieRec.Core.Search;

namespace MovieRec.Core.Tests.Search;

public class SearchTests
{
    private static readonly Lazy<TitleSearch> Titles = new(() =>
    {
        var d = TestData.MovieLensSmall;
        var counts = new Dictionary<long, float>();
        for (int i = 0; i < d.Ratings.ItemCount; i++) counts[d.Ratings.ItemIds.ToRawNumeric(i)] = d.Ratings.ByItem.RowLength(i);
        return new TitleSearch(d.Catalog.Movies, id => counts.GetValueOrDefault(id));
    });

    private static readonly Lazy<LexicalSearch> Lexical = new(() => new LexicalSearch(TestData.MovieLensSmall.Catalog.Movies));

    [Fact]
    public void Prefix_finds_the_matrix_first()
    {
        var hits = Titles.Value.Search("matri", 5);
        Assert.Equal("The Matrix", hits[0].Movie.Title);
    }

    [Fact]
    public void A_first_word_puts_the_well_known_titles_that_begin_with_it_first()
    {
        // Someone typing "star" (the search box, its suggestions) means Star Wars or Star Trek, not Starman (13
        // ratings) or Star Maps (1) because their titles are short.
        var hits = Titles.Value.Search("star", 8).Select(h => h.Movie.Title).ToList();
        Assert.StartsWith("Star Wars", hits[0], StringComparison.Ordinal);
        Assert.Contains("Star Wars: Episode IV - A New Hope", hits.Take(3));
        Assert.All(hits.Take(5), t => Assert.StartsWith("Star ", t, StringComparison.Ordinal));
        // The whole title still wins, and so does a longer query's own film.
        Assert.Equal("Batman", Titles.Value.Search("batman", 1)[0].Movie.Title);
        Assert.Equal("Toy Story", Titles.Value.Search("toy story", 1)[0].Movie.Title);
    }

    [Fact]
    public void Accents_and_case_do_not_matter()
    {
        var accented = Titles.Value.Search("AMÉLIE", 3);
        var plain = Titles.Value.Search("amelie", 3);
        Assert.NotEmpty(plain);
        Assert.Equal(plain[0].Movie.Id, accented[0].Movie.Id);
        Assert.Equal(4973, plain[0].Movie.Id); // "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)"
        // The title's own accents too: "leon" found Léon twelfth, as a typo, after Leonard Part 6 and Aeon Flux.
        Assert.Equal(293, Titles.Value.Search("leon", 1)[0].Movie.Id); // "Léon: The Professional (a.k.a. The Professional) (Léon) (1994)"
        Assert.Equal("Pokémon Heroes", Titles.Value.Search("pokemon heroes", 1)[0].Movie.Title);
    }

    [Fact]
    public void Fuzzy_words_match_a_typo()
    {
        var hits = Titles.Value.Search("shawshenk redemption", 3);
        Assert.Equal("The Shawshank Redemption", hits[0].Movie.Title);
    }

    [Fact]
    public void Did_you_mean_suggests_the_closest_titles()
    {
        var suggestions = Titles.Value.Suggest("The Dark Knigth Rises");
        Assert.Equal("The Dark Knight Rises", suggestions[0].Title);
    }

    [Fact]
    public void Bm25_finds_movies_by_overview_and_people()
    {
        var robots = Lexical.Value.Search("space adventure with robots", 20).Select(h => h.Movie.Title).ToList();
        Assert.Contains(robots, t => t.Contains("WALL", StringComparison.Ordinal) || t.Contains("Star Wars", StringComparison.Ordinal));
        var nolan = Lexical.Value.Search("Christopher Nolan", 10).Select(h => h.Movie.Title).ToList();
        Assert.Contains("Inception", nolan);
    }

    [Fact]
    public void Edit_distance_counts_transpositions_once()
    {
        Assert.Equal(1, TitleSearch.EditDistance("knigth", "knight", 3));
        Assert.Equal(0, TitleSearch.EditDistance("heat", "heat", 3));
        Assert.Equal(3, TitleSearch.EditDistance("abc", "xyz", 2));
    }

    [Fact]
    public void Descriptions_never_name_their_movie()
    {
        foreach (var row in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Search", "movie-descriptions.tsv")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var f = row.Split('\t');
            var titleWords = f[2].Split([' ', ',', ':', '.', '(', ')', '-', '\''], StringSplitOptions.RemoveEmptyEntries)
                .Where(w => w.Length >= 4 && !int.TryParse(w, CultureInfo.InvariantCulture, out _));
            var description = f[3].ToLowerInvariant().Split([' ', ',', ':', '.', '(', ')', '-', '\''], StringSplitOptions.RemoveEmptyEntries);
            foreach (var word in titleWords)
                Assert.DoesNotContain(word.ToLowerInvariant(), description);
        }
    }
}
