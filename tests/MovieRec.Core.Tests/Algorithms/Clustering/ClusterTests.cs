using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Content;

namespace MovieRec.Core.Tests.Algorithms.Clustering;

public class ClusterTests
{
    private static readonly Lazy<MovieClusters> Movies = new(() => MovieClusters.Build(TestData.MovieLensSmall, new KMeansOptions { Seed = 0 }));

    private static readonly Lazy<UserClusters> Users = new(() =>
    {
        var model = new UserClusters();
        model.Fit(TrainingData.From(TestData.MovieLensSmall), TrainingContext.Deterministic(0));
        return model;
    });

    [Fact]
    public void Nine_movie_clusters_are_named_from_their_features()
    {
        var clusters = Movies.Value;
        Assert.Equal(9, clusters.Clusters.Count);
        Assert.Equal(9724, clusters.Clusters.Sum(c => c.Size));
        Assert.Equal(9, clusters.Clusters.Select(c => c.Name).Distinct().Count());
        Assert.All(clusters.Clusters, c => Assert.NotEmpty(c.Representatives));
        // Toy Story sits in a cluster whose dominant genres include Animation or Children.
        var toyStory = clusters.Clusters[clusters.ClusterOf(1)];
        Assert.True(toyStory.Genres.Contains("Animation") || toyStory.Genres.Contains("Children"), toyStory.Name);
    }

    [Fact]
    public void Movie_cluster_names_say_what_sets_each_cluster_apart()
    {
        var clusters = Movies.Value;
        var features = clusters.Features;
        var names = string.Join(" | ", clusters.Clusters.Select(c => c.Name));
        // Not one label on every cluster (it said "well liked" on all nine).
        Assert.DoesNotContain("well liked", names, StringComparison.Ordinal);
        Assert.True(clusters.Clusters.Select(c => c.RatingLevel).Distinct().Count() > 1, names);
        // Every genre a name gives is at least 1.3 times as common in the cluster as in the catalogue, and 30 % of it.
        foreach (var c in clusters.Clusters)
        {
            var rows = Enumerable.Range(0, features.Rows).Where(r => clusters.Result.Labels[r] == c.Id).ToList();
            foreach (var genre in c.Genres)
            {
                int g = features.Columns.ToList().IndexOf(genre);
                double inCluster = rows.Average(r => features.Row(r)[g]);
                double overall = Enumerable.Range(0, features.Rows).Average(r => features.Row(r)[g]);
                Assert.True(inCluster >= 0.3 && inCluster / overall >= 1.3, $"{c.Name}: {genre} {inCluster:P0} against {overall:P0}");
            }
        }
        Assert.Contains(clusters.Clusters, c => c.Name.StartsWith("Horror", StringComparison.Ordinal));
        // Representatives are movies people know: each has more ratings than the cluster's median movie.
        var byItem = TestData.MovieLensSmall.Ratings.ByItem;
        foreach (var c in clusters.Clusters)
        {
            var counts = Enumerable.Range(0, features.Rows).Where(r => clusters.Result.Labels[r] == c.Id).Select(r => byItem.RowLength(features.Items[r])).Order().ToList();
            int median = counts[counts.Count / 2];
            Assert.All(c.Representatives, m => Assert.True(byItem.RowLength(TestData.MovieLensSmall.ItemOf(m)) > median, $"{c.Name}: {m}"));
        }
    }

    [Fact]
    public void Choose_k_reports_falling_inertia_and_a_silhouette()
    {
        var rows = MovieClusters.ChooseK(Movies.Value.Features, [3, 6, 9]);
        Assert.True(rows[0].Inertia > rows[1].Inertia && rows[1].Inertia > rows[2].Inertia);
        Assert.All(rows, r => Assert.InRange(r.Silhouette, -1, 1));
    }

    [Fact]
    public void User_clusters_are_named_by_the_genres_their_members_like_more_than_everyone()
    {
        var model = Users.Value;
        var d = TestData.MovieLensSmall;
        var ratings = d.Ratings;
        Assert.Equal(UserClusters.DefaultK, model.Clusters.Count);
        Assert.Equal(model.Clusters.Count, model.Clusters.Select(c => c.Name).Distinct().Count());
        float threshold = Likes.Threshold(ratings.Scale);
        // Recount from the ratings: the share of a cluster's likes in a genre over the share of everyone's.
        double Share(Func<int, bool> user, string genre)
        {
            double inGenre = 0, all = 0;
            for (int k = 0; k < ratings.Count; k++)
            {
                if (ratings.Values[k] < threshold || !user(ratings.Users[k])) continue;
                all++;
                if (d.MovieOf(ratings.Items[k])!.Genres.Contains(genre)) inGenre++;
            }
            return inGenre / all;
        }
        foreach (var c in model.Clusters)
        {
            Assert.Equal(c.Users, Enumerable.Range(0, ratings.UserCount).Count(u => model.ClusterOf(u) == c.Id));
            for (int g = 0; g < c.Genres.Count; g++)
            {
                double lift = Share(u => model.ClusterOf(u) == c.Id, c.Genres[g]) / Share(_ => true, c.Genres[g]);
                Assert.True(lift >= 1.15, $"{c.Name}: {c.Genres[g]} liked {lift:F2} times as often");
                Assert.InRange(c.GenreLifts[g], lift - 0.05, lift + 0.05);
            }
            // The movies named are liked by a quarter of the cluster at least.
            foreach (int item in c.Movies)
            {
                int fans = Enumerable.Range(0, ratings.UserCount).Count(u => model.ClusterOf(u) == c.Id && Likes.OfUser(ratings, u).Contains(item));
                Assert.True(fans >= c.Users / 4.0, $"{c.Name}: {d.MovieOf(item)} liked by {fans} of {c.Users}");
            }
        }
        Assert.Contains(model.Clusters, c => c.Genres.Contains("Horror"));
        Assert.Contains(model.Clusters, c => c.Genres.Contains("Animation"));
    }

    [Fact]
    public void Kmeans_personas_get_lists_that_fit_them_and_differ()
    {
        var d = TestData.MovieLensSmall;
        var model = Users.Value;
        var lists = new Dictionary<string, int[]>();
        foreach (var persona in TastePersonas.All)
        {
            var top = TastePersonas.TopFor(model, d, persona);
            lists[persona.Name] = top;
            Assert.Equal(10, top.Length);
            int fit = TastePersonas.InGenres(d, top, persona.Genres);
            Assert.True(fit >= 7, $"{persona.Name}: {fit} of 10 in {string.Join("/", persona.Genres)}: {TastePersonas.Describe(d, top)}");
        }
        var dramas = lists[TastePersonas.DramaNotAction.Name];
        Assert.True(TastePersonas.InGenres(d, dramas, ["Action"]) <= 3, TastePersonas.Describe(d, dramas));
        // Different people, different lists: no two personas share more than two movies (they shared all ten).
        var names = lists.Keys.ToList();
        for (int a = 0; a < names.Count; a++)
        {
            for (int b = a + 1; b < names.Count; b++)
            {
                int common = lists[names[a]].Intersect(lists[names[b]]).Count();
                Assert.True(common <= 2, $"{names[a]} and {names[b]} share {common}");
            }
        }
        // Placed softly, by their likes: the horror and the animation fan weigh different clusters most.
        var horror = model.FoldIn(TastePersonas.Ratings(d, TastePersonas.Horror));
        var animation = model.FoldIn(TastePersonas.Ratings(d, TastePersonas.Animation));
        Assert.NotEqual(model.ClusterOf(horror), model.ClusterOf(animation));
        Assert.Equal(1, model.WeightsOf(horror).Sum(), 6);
    }

    [Fact]
    public void Two_people_in_one_cluster_get_different_lists_from_their_own_genre_taste()
    {
        var d = TestData.MovieLensSmall;
        var model = Users.Value;
        var ties = TieBreak.ByTrainingRatings(d.Ratings);
        // The same three blockbusters, plus two horror films for one and two animated films for the other.
        string[] shared = ["Star Wars: Episode IV - A New Hope|1977", "The Matrix|1999", "Jurassic Park|1993"];
        ItemRating[] With(params string[] extra) => [.. shared.Concat(extra).Select(m => new ItemRating(TastePersonas.Item(d, m), 5f))];
        var horror = With("Alien|1979", "The Thing|1982");
        var animated = With("Aladdin|1992", "Toy Story|1995");
        Assert.Equal(model.ClusterOf(model.FoldIn(horror)), model.ClusterOf(model.FoldIn(animated)));
        int[] Top(IRecommender m, ItemRating[] r) => [.. NewUserRecommendations.Recommend(m, r, d.Ratings.Scale, 10, ties).Select(s => s.Item)];
        var topHorror = Top(model, horror);
        var topAnimated = Top(model, animated);
        // Without the personal term the cluster mixture alone gives them nearly one list; with it, their own lists.
        var clustersOnly = new UserClusters(taste: new UserClustersOptions { TasteWeight = 0 });
        clustersOnly.Fit(TrainingData.From(d), TrainingContext.Deterministic(0));
        int commonWithout = Top(clustersOnly, horror).Intersect(Top(clustersOnly, animated)).Count();
        int common = topHorror.Intersect(topAnimated).Count();
        Assert.True(common < commonWithout, $"{common} in common with the genre taste, {commonWithout} without");
        // ... and each list leans towards its person's genres (the cluster still dominates with three shared films).
        int animationGap = TastePersonas.InGenres(d, topAnimated, ["Animation", "Children"]) - TastePersonas.InGenres(d, topHorror, ["Animation", "Children"]);
        int horrorGap = TastePersonas.InGenres(d, topHorror, ["Horror"]) - TastePersonas.InGenres(d, topAnimated, ["Horror"]);
        Assert.True(animationGap >= 0 && horrorGap >= 0 && animationGap + horrorGap > 0,
            $"{TastePersonas.Describe(d, topHorror)} || {TastePersonas.Describe(d, topAnimated)}");
    }

    [Fact]
    public void A_training_user_is_scored_as_a_new_user_with_the_same_likes()
    {
        var d = TestData.MovieLensSmall;
        var model = Users.Value;
        var ratings = d.Ratings.ByUser;
        var mine = new ItemRating[ratings.RowLength(0)];
        for (int k = 0; k < mine.Length; k++) mine[k] = new ItemRating(ratings.RowColumns(0)[k], ratings.RowValues(0)[k]);
        var known = new float[model.ItemCount];
        var folded = new float[model.ItemCount];
        model.Score(0, known);
        model.Score(model.FoldIn(mine), folded);
        Assert.Equal(known, folded);
        Assert.All(known, s => Assert.True(float.IsFinite(s)));
    }
}
