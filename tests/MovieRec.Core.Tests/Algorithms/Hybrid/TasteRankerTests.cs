using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Algorithms.Hybrid;

/// <summary>
/// The default for people who rate a handful of favourites: personas get lists that fit them, and on the new-user
/// protocol it stays well above the most-rated list (the floor fails if it regresses to that level).
/// </summary>
[Trait("Category", "Slow")]
public sealed class TasteRankerTests
{
    private static readonly Lazy<(TasteRanker Model, TrainingData Data)> Full = new(() =>
    {
        var data = TrainingData.From(TestData.MovieLensSmall);
        var model = (TasteRanker)AlgorithmCatalog.Create("taste");
        model.Fit(data, new TrainingContext { Seed = 0, Threads = 2 });
        return (model, data);
    });

    /// <summary>The service's path: the top 10 for these MovieLens ids and ratings.</summary>
    private static Movie[] TopTen(params (long MovieId, float Rating)[] ratings)
    {
        var (model, data) = Full.Value;
        var train = data.Ratings;
        var given = ratings.Select(r => new ItemRating(train.ItemIds.ToDense(r.MovieId), r.Rating)).ToArray();
        Assert.All(given, g => Assert.True(g.Item >= 0));
        var top = NewUserRecommendations.Recommend(model, given, train.Scale, 10, TieBreak.ByTrainingRatings(train));
        Assert.Equal(10, top.Length);
        return [.. top.Select(t => data.MovieOf(t.Item)!)];
    }

    private static int With(Movie[] list, string genre) => list.Count(m => m.Genres.Contains(genre, StringComparer.OrdinalIgnoreCase));

    private static string Show(Movie[] list) => string.Join("; ", list.Select(m => $"{m.Title} [{string.Join('|', m.Genres)}]"));

    [Fact]
    public void A_horror_fan_gets_horror_and_thrillers_not_the_classics_everyone_gets()
    {
        // The Shining, Psycho, The Exorcist, Halloween, A Nightmare on Elm Street.
        var list = TopTen((1258, 5), (1219, 5), (1997, 5), (1982, 5), (1347, 5));
        Assert.True(list.Count(m => m.Genres.Contains("Horror") || m.Genres.Contains("Thriller")) >= 6, Show(list));
        Assert.DoesNotContain(list, m => m.Title.Contains("Shawshank", StringComparison.Ordinal));
    }

    [Fact]
    public void An_animation_fan_gets_animated_films()
    {
        // Toy Story, The Lion King, Finding Nemo, Monsters Inc., Up.
        var list = TopTen((1, 5), (364, 5), (6377, 5), (4886, 5), (68954, 5));
        Assert.True(With(list, "Animation") >= 5, Show(list));
        Assert.True(With(list, "Children") + With(list, "Animation") >= 10, Show(list));
    }

    [Fact]
    public void A_drama_lover_who_dislikes_action_gets_mostly_drama()
    {
        // Loved: Shawshank, Good Will Hunting, Dead Poets Society, Schindler's List, Forrest Gump; disliked: Die Hard,
        // Terminator 2, Rambo II, Lethal Weapon.
        var list = TopTen((318, 5), (1704, 5), (1246, 5), (527, 5), (356, 5), (1036, 1), (589, 1), (2402, 1), (2000, 1));
        Assert.True(With(list, "Drama") >= 6, Show(list));
        Assert.True(With(list, "Action") <= 3, Show(list));
    }

    [Fact]
    public void A_science_fiction_fan_gets_science_fiction()
    {
        // Alien, Blade Runner, 2001, Star Wars, The Matrix.
        var list = TopTen((1214, 5), (541, 5), (924, 5), (260, 5), (2571, 5));
        Assert.True(With(list, "Sci-Fi") >= 5, Show(list));
    }

    [Fact]
    public void A_romantic_comedy_fan_gets_romance_and_comedy()
    {
        // When Harry Met Sally, Notting Hill, Pretty Woman, Sleepless in Seattle, You've Got Mail.
        var list = TopTen((1307, 5), (2671, 5), (597, 5), (539, 5), (2424, 5));
        Assert.True(With(list, "Romance") >= 6, Show(list));
        Assert.True(list.Count(m => m.Genres.Contains("Romance") || m.Genres.Contains("Comedy")) >= 9, Show(list));
    }

    [Fact]
    public void Different_people_get_different_lists()
    {
        var horror = TopTen((1258, 5), (1219, 5), (1997, 5), (1982, 5), (1347, 5));
        var animation = TopTen((1, 5), (364, 5), (6377, 5), (4886, 5), (68954, 5));
        Assert.Empty(horror.Select(m => m.Id).Intersect(animation.Select(m => m.Id)));
    }

    [Fact]
    public void On_the_new_user_protocol_it_beats_the_most_rated_list_by_a_margin_and_stays_personal()
    {
        var settings = new NewUserSettings { Seed = 0 };
        var split = NewUserProtocol.Split(TestData.MovieLensSmall.Ratings, settings);
        var data = new TrainingData(split.Train, TestData.MovieLensSmall.Catalog);
        var ties = TieBreak.ByTrainingRatings(split.Train);
        NewUserPoint Measure(string algorithm)
        {
            var model = AlgorithmCatalog.Create(algorithm);
            model.Fit(data, new TrainingContext { Seed = 0, Threads = 2 });
            return NewUserProtocol.Evaluate(split, settings, (given, k) =>
                Array.ConvertAll(NewUserRecommendations.Recommend(model, given, split.Train.Scale, k, ties), s => s.Item))[0];
        }
        var popularity = Measure("popularity");
        var taste = Measure("taste");
        string figures = $"taste {taste}, most-rated {popularity}";
        Assert.True(taste.Precision >= 1.15 * popularity.Precision, figures);
        Assert.True(taste.HitRate > popularity.HitRate, figures);
        Assert.True(taste.Personalization >= 0.85, figures);
        Assert.True(taste.PopularityShare <= 0.5, figures);
    }

    [Fact]
    public void Its_weights_are_learnt_per_number_of_favourites_and_the_cap_costs_familiarity()
    {
        var (model, _) = Full.Value;
        Assert.Equal(3, model.Weights.Count);
        Assert.All(model.Weights, w => Assert.Equal(TasteRanker.FeatureNames.Count, w.Count));
        // With one or two favourites nothing is capped; with more, the most-rated movies carry a penalty.
        Assert.Equal(0, model.PopularityPenalties[0]);
        Assert.True(model.PopularityPenalties[1] > 0 && model.PopularityPenalties[2] > 0);
        Assert.Contains("popular-share=0.45", model.ToString(), StringComparison.Ordinal);
    }
}
