using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Content;

public class TextSimilarityTests
{
    private static readonly Lazy<Dataset> Tmdb = new(() => DatasetLoader.Load(TestData.TmdbPath));

    [Fact]
    public void Analyzer_stems_and_drops_stop_words()
    {
        var terms = TextAnalyzer.Shared.Terms("The robots are fighting in space with other robots");
        Assert.DoesNotContain("the", terms);
        Assert.DoesNotContain("are", terms);
        Assert.Equal(2, terms.Count(t => t == "robot"));
        Assert.Contains("fight", terms);
    }

    [Fact]
    public void Similar_by_text_finds_the_sequels_and_is_deterministic()
    {
        var a = TextSimilarity.Build(Tmdb.Value, new TextSimilarityOptions { Threads = 1 });
        var b = TextSimilarity.Build(Tmdb.Value, new TextSimilarityOptions { Threads = 2 });
        var darkKnightRises = Tmdb.Value.Catalog.FindByTitle("The Dark Knight Rises")[0];
        var listA = a.Similar(darkKnightRises.Id).Select(p => p.Movie.Title).ToList();
        var listB = b.Similar(darkKnightRises.Id).Select(p => p.Movie.Title).ToList();
        Assert.Equal(10, listA.Count);
        Assert.Equal(listA, listB);
        Assert.Contains("The Dark Knight", listA);
        Assert.Contains("Batman Begins", listA);
    }

    [Fact]
    public void Movies_with_few_votes_are_left_out_by_default()
    {
        var sim = TextSimilarity.Build(Tmdb.Value);
        Assert.All(sim.Movies, m => Assert.True(m.Tmdb!.VoteCount >= 20));
        Assert.True(sim.Movies.Count < Tmdb.Value.Catalog.Count);
        var all = TextSimilarity.Build(Tmdb.Value, new TextSimilarityOptions { MinimumVotes = 0 });
        Assert.Equal(Tmdb.Value.Catalog.Count, all.Movies.Count);
    }
}
