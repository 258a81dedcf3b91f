using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Search;

/// <summary>The topic set (topic-queries.tsv) and its relevance rules (<see cref="TopicQuery"/>).</summary>
public sealed class TopicQueryTests
{
    internal static string TopicFile => Path.Combine(AppContext.BaseDirectory, "Search", "topic-queries.tsv");

    private static Movie Movie(string[] genres, string[] keywords, string[] tags)
    {
        var movie = new Movie(1, "Some Title (2000)", genres) { Tmdb = keywords.Length > 0 ? new TmdbMetadata { Keywords = keywords } : null };
        movie.Tags.AddRange(tags);
        return movie;
    }

    [Fact]
    public void The_topic_file_parses_into_halves_and_every_rule_matches_at_least_three_movies()
    {
        var set = TopicQuery.Load(TopicFile);
        Assert.True(set.Count >= 50, $"{set.Count} queries");
        Assert.Equal(set.Count(q => q.Split == "tune"), set.Count(q => q.Split == "holdout"));
        Assert.Equal(30, set.Count(q => q.Split == "fresh"));
        Assert.Equal(set.Count, set.Select(q => q.Text).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var movies = TestData.MovieLensSmall.Catalog.Movies;
        var few = set.Select(q => (q.Text, Count: movies.Count(q.IsRelevant))).Where(x => x.Count < 3).ToList();
        Assert.True(few.Count == 0, "rules matching fewer than 3 movies: " + string.Join("; ", few.Select(x => $"{x.Text} ({x.Count})")));
    }

    [Fact]
    public void Words_match_whole_words_with_a_plural_and_exact_atoms_the_whole_keyword()
    {
        var rule = TopicQuery.Create("tune", "dogs", "kt~dog");
        Assert.True(rule.IsRelevant(Movie([], ["sled dogs"], [])));
        Assert.True(rule.IsRelevant(Movie([], [], ["Dog"])));
        Assert.False(rule.IsRelevant(Movie([], ["underdog"], ["dogma"])));
        Assert.True(TopicQuery.Create("tune", "x", "kw~post apocalyptic").IsRelevant(Movie([], ["post-apocalyptic"], [])));
        Assert.False(TopicQuery.Create("tune", "x", "kw=dog").IsRelevant(Movie([], ["sled dogs"], [])));
        Assert.False(TopicQuery.Create("tune", "x", "kw~dog").IsRelevant(Movie([], [], ["dog"])));
        Assert.False(TopicQuery.Create("tune", "x", "tag~dog").IsRelevant(Movie([], ["dog"], [])));
    }

    [Fact]
    public void Bars_join_atoms_within_a_clause_and_ampersands_join_clauses()
    {
        var rule = TopicQuery.Create("tune", "x", "kt~cat | kt~dog & genre=Drama");
        Assert.True(rule.IsRelevant(Movie(["Drama"], ["dog"], [])));
        Assert.True(rule.IsRelevant(Movie(["Comedy", "drama"], ["cat"], [])));
        Assert.False(rule.IsRelevant(Movie(["Comedy"], ["dog"], [])));
        Assert.False(rule.IsRelevant(Movie(["Drama"], ["bird"], [])));
    }

    [Theory]
    [InlineData("genre~Drama")]
    [InlineData("title~dog")]
    [InlineData("kw~")]
    [InlineData("dog")]
    public void A_malformed_rule_is_refused(string rule) => Assert.Throws<FormatException>(() => TopicQuery.Create("tune", "x", rule));

    [Fact]
    public void Precision_and_ndcg_count_relevant_results_in_the_first_ten()
    {
        var q = TopicQuery.Create("tune", "sad dog", "kt~dog");
        var dog = Movie([], ["dog"], []);
        var other = Movie([], ["cat"], []);
        var ranked = new[] { other, dog, other, other, other, other, other, other, other, other, dog };
        Assert.Equal(0.1, TopicMetrics.Precision(q, ranked), 6);
        // One relevant at 0-based rank 1 of two relevant movies: (1/log2 3) / (1 + 1/log2 3).
        Assert.Equal(1 / Math.Log2(3) / (1 + 1 / Math.Log2(3)), TopicMetrics.Ndcg(q, ranked, 2), 6);
        Assert.Equal(1.0, TopicMetrics.Ndcg(q, [dog, dog], 2), 6);
    }

    [Fact]
    public void A_title_word_only_match_is_not_relevant_and_shares_a_title_term()
    {
        var q = TopicQuery.Create("tune", "sad movie about a dog", "kt~dog & genre=Drama");
        Assert.True(TopicMetrics.IsTitleWordOnly(q, new Movie(2, "War Dogs (2016)", ["Comedy"])));
        Assert.False(TopicMetrics.IsTitleWordOnly(q, new Movie(3, "Heat (1995)", ["Crime"])));
        var relevant = Movie(["Drama"], ["dog"], []);
        Assert.False(TopicMetrics.IsTitleWordOnly(q, relevant));
    }
}
