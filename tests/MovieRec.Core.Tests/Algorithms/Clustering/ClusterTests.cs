using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;

namespace MovieRec.Core.Tests.Algorithms.Clustering;

public class ClusterTests
{
    private static readonly Lazy<MovieClusters> Movies = new(() => MovieClusters.Build(TestData.MovieLensSmall, new KMeansOptions { Seed = 0 }));

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
    public void Choose_k_reports_falling_inertia_and_a_silhouette()
    {
        var rows = MovieClusters.ChooseK(Movies.Value.Features, [3, 6, 9]);
        Assert.True(rows[0].Inertia > rows[1].Inertia && rows[1].Inertia > rows[2].Inertia);
        Assert.All(rows, r => Assert.InRange(r.Silhouette, -1, 1));
    }

    [Fact]
    public void User_clusters_recommend_unseen_well_rated_movies_and_fold_in_new_users()
    {
        var d = TestData.MovieLensSmall;
        var model = new UserClusters(new KMeansOptions { K = 9 });
        model.Fit(TrainingData.From(d), TrainingContext.Deterministic(0));
        Assert.InRange(model.ClusterOf(0), 0, 8);
        var scores = new float[model.ItemCount];
        model.Score(0, scores);
        var top = TopN.Select(scores, 10, TieBreak.ByTrainingRatings(d.Ratings), d.Ratings.ByUser.RowColumns(0));
        Assert.Equal(10, top.Length);
        Assert.All(top, t => Assert.True(t.Score > d.Ratings.GlobalMean));
        // Folding in user 0's own ratings lands them in the same cluster.
        var ratings = d.Ratings.ByUser;
        var mine = new ItemRating[ratings.RowLength(0)];
        for (int k = 0; k < mine.Length; k++) mine[k] = new ItemRating(ratings.RowColumns(0)[k], ratings.RowValues(0)[k]);
        Assert.Equal(model.ClusterOf(0), model.ClusterOf(model.FoldIn(mine)));
    }
}
