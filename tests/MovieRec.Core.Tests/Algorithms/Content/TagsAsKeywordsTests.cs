using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Content;

/// <summary>
/// MovieLens tags join TMDB keywords in the content vectors (<see cref="ContentBlockWeights.TagsAsKeywords"/>) and in
/// what "both tagged" may name (<see cref="TaggedKeywords"/>, one rule for both): spelt as one term with the keyword, verdicts and
/// bookkeeping left out, nothing another block already says.
/// </summary>
public sealed class TagsAsKeywordsTests
{
    private static Movie Film(long id, string[] genres, string[] keywords, string[] tags, string director = "Some Director")
    {
        var movie = new Movie(id, $"Film {id} (2001)", genres)
        {
            Tmdb = keywords.Length == 0 ? null : new TmdbMetadata { Keywords = keywords, Directors = [director], Cast = ["Lead Actor"] },
        };
        movie.Tags.AddRange(tags);
        return movie;
    }

    private static readonly Movie[] Movies =
    [
        Film(1, ["Crime"], ["heist", "zombie"], ["Heist", "In Netflix queue", "overrated", "Crime", "Some Director", "zombies"]),
        Film(2, ["Crime"], [], ["heist", "atmospheric", "Zombies"]),
        Film(3, ["Comedy"], ["wedding"], []),
    ];

    private static string[] Terms(SparseVectors vectors, int row) => [.. vectors.RowTerms(row).ToArray().Select(t => vectors.Vocabulary[t])];

    [Fact]
    public void Tags_are_keywords_spelt_as_one_term_without_verdicts_genres_or_names()
    {
        var vectors = ContentTaste.Vectorize(Movies, new ContentBlockWeights { Overview = 0 });
        var first = Terms(vectors, 0);
        Assert.Contains("k:heist", first);
        Assert.Contains("k:zombie", first);
        Assert.DoesNotContain(first, t => t is "k:innetflixqueue" or "k:overrated" or "k:crime" or "k:somedirector" or "k:zombies");
        Assert.Equal(1, first.Count(t => t == "k:heist"));
        // A movie without TMDB metadata has its tags as keywords where TMDB uses the word: the heist term is shared, the
        // plural spelt as TMDB's singular; a mood TMDB has no keyword for is not content.
        var second = Terms(vectors, 1);
        Assert.Contains("k:heist", second);
        Assert.Contains("k:zombie", second);
        Assert.DoesNotContain("k:atmospheric", second);
        Assert.DoesNotContain(Terms(vectors, 2), t => t == "k:heist");
    }

    [Fact]
    public void Without_tags_only_TMDB_keywords_count()
    {
        var vectors = ContentTaste.Vectorize(Movies, new ContentBlockWeights { Overview = 0, TagsAsKeywords = false });
        Assert.Equal(["k:heist", "k:zombie"], Terms(vectors, 0).Where(t => t.StartsWith("k:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Terms(vectors, 1), t => t.StartsWith("k:", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_tagged_names_keywords_and_tags_once()
    {
        var tagged = new TaggedKeywords(Movies);
        Assert.Equal(["heist", "zombie"], tagged.Of(Movies[0]));
        Assert.Equal(["heist", "zombie"], tagged.Of(Movies[1]));
        Assert.Equal(["wedding"], tagged.Of(Movies[2]));
    }
}
