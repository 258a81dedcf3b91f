using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;

namespace MovieRec.Core.Tests.Algorithms.Content;

public class ContentRecommenderTests
{
    private static readonly Lazy<ContentRecommender> Model = new(() =>
    {
        var model = new ContentRecommender();
        model.Fit(TrainingData.From(TestData.MovieLensSmall), TrainingContext.Deterministic(0));
        return model;
    });

    [Fact]
    public void Personas_get_known_movies_in_their_genres_and_different_lists()
    {
        var d = TestData.MovieLensSmall;
        var counts = d.Ratings.ByItem;
        var lists = new Dictionary<string, int[]>();
        foreach (var persona in TastePersonas.All)
        {
            var top = TastePersonas.TopFor(Model.Value, d, persona);
            lists[persona.Name] = top;
            int fit = TastePersonas.InGenres(d, top, persona.Genres);
            Assert.True(fit >= 7, $"{persona.Name}: {fit} of 10 in {string.Join("/", persona.Genres)}: {TastePersonas.Describe(d, top)}");
            // Familiar films, not obscure ones sharing a keyword: the median has at least 20 ratings (pure content: 2).
            int median = top.Select(i => counts.RowLength(i)).Order().ElementAt(top.Length / 2);
            Assert.True(median >= 20, $"{persona.Name}: median {median} ratings: {TastePersonas.Describe(d, top)}");
        }
        Assert.True(TastePersonas.InGenres(d, lists[TastePersonas.DramaNotAction.Name], ["Action"]) <= 3, TastePersonas.Describe(d, lists[TastePersonas.DramaNotAction.Name]));
        var names = lists.Keys.ToList();
        for (int a = 0; a < names.Count; a++)
        {
            for (int b = a + 1; b < names.Count; b++)
                Assert.True(lists[names[a]].Intersect(lists[names[b]]).Count() <= 2, $"{names[a]} and {names[b]}");
        }
    }

    [Fact]
    public void The_taste_profile_keeps_what_the_liked_movies_share_and_drops_what_everyone_likes()
    {
        var d = TestData.MovieLensSmall;
        var taste = Model.Value.Taste;
        var affinity = new float[taste.ItemCount];
        taste.Affinity([.. TastePersonas.Ratings(d, TastePersonas.Horror).Select(r => r.Item)], affinity);
        double Mean(string genre, bool with) => Enumerable.Range(0, affinity.Length)
            .Where(i => d.MovieOf(i) is { } m && m.Genres.Contains(genre) == with && m.Genres.Count > 0).Average(i => affinity[i]);
        // Horror films are far closer to the profile than the rest; dramas, which everyone likes, score below the average film.
        Assert.True(Mean("Horror", true) > Mean("Horror", false) + 0.1, $"{Mean("Horror", true):F3} vs {Mean("Horror", false):F3}");
        Assert.True(Mean("Drama", true) < Mean("Drama", false), $"{Mean("Drama", true):F3} vs {Mean("Drama", false):F3}");
        Assert.All(affinity, a => Assert.InRange(a, -1.0001f, 1.0001f));
    }

    [Fact]
    public void Familiarity_and_quality_lift_the_known_and_well_rated_over_the_merely_similar()
    {
        var d = TestData.MovieLensSmall;
        var ratings = TastePersonas.Ratings(d, TastePersonas.Horror);
        var similarityOnly = new ContentRecommender(new ContentRecommenderOptions { FamiliarityWeight = 0, QualityWeight = 0, YearWeight = 0 });
        similarityOnly.Fit(TrainingData.From(d), TrainingContext.Deterministic(0));
        var counts = d.Ratings.ByItem;
        double MedianCount(int[] top) => top.Select(i => counts.RowLength(i)).Order().ElementAt(top.Length / 2);
        var plain = TastePersonas.TopFor(similarityOnly, d, TastePersonas.Horror);
        var full = TastePersonas.TopFor(Model.Value, d, TastePersonas.Horror);
        Assert.True(MedianCount(full) >= 5 * Math.Max(1, MedianCount(plain)), $"{TastePersonas.Describe(d, plain)} || {TastePersonas.Describe(d, full)}");
        Assert.NotEqual(plain, full);
        Assert.Equal(5, ratings.Length);
    }

    [Fact]
    public void A_movie_nobody_rated_yet_is_reachable_through_its_votes()
    {
        var d = TestData.MovieLensSmall;
        // Train without any rating of The Dark Knight Rises: its TMDB votes stand in for familiarity.
        int rises = TastePersonas.Item(d, "The Dark Knight Rises|2012");
        int darkKnight = TastePersonas.Item(d, "The Dark Knight|2008");
        var keep = Enumerable.Range(0, d.Ratings.Count).Where(k => d.Ratings.Items[k] != rises).ToArray();
        var train = d.Ratings.Subset(keep);
        var content = new ContentRecommender();
        content.Fit(new TrainingData(train, d.Catalog), TrainingContext.Default);
        var scores = new float[content.ItemCount];
        content.Score(content.FoldIn([new ItemRating(darkKnight, 5f), new ItemRating(TastePersonas.Item(d, "Batman Begins|2005"), 5f)]), scores);
        var top = TopN.Select(scores, 10, TieBreak.ByTrainingRatings(train), [darkKnight]);
        Assert.Contains(top, t => t.Item == rises);
    }

    [Fact]
    public void A_training_user_is_scored_from_their_liked_ratings()
    {
        var d = TestData.MovieLensSmall;
        var model = Model.Value;
        var known = new float[model.ItemCount];
        var folded = new float[model.ItemCount];
        model.Score(5, known);
        var row = d.Ratings.ByUser;
        var mine = new ItemRating[row.RowLength(5)];
        for (int k = 0; k < mine.Length; k++) mine[k] = new ItemRating(row.RowColumns(5)[k], row.RowValues(5)[k]);
        model.Score(model.FoldIn(mine), folded);
        Assert.Equal(known, folded);
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Equal("YearWidth", Assert.Throws<ArgumentException>(() => new ContentRecommender(new ContentRecommenderOptions { YearWidth = 0 })).ParamName);
        Assert.Equal("similarity-weight", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("content", AlgorithmParameters.Parse(["similarity-weight=-1"]))).ParamName);
    }
}
