using MovieRec.Core.Algorithms.Clustering;

namespace MovieRec.Core.Tests.Algorithms.Clustering;

public class KMeansTests
{
    [Fact]
    public void Reference_features_have_22_columns_for_9724_movies()
    {
        var f = MovieFeatures.GenresRatingPopularity(TestData.MovieLensSmall);
        Assert.Equal(9724, f.Rows);
        Assert.Equal(22, f.Dimensions);
        Assert.Contains(MovieFeatures.NoGenres, f.Columns);
        Assert.Contains("IMAX", f.Columns);
        Assert.All(f.Values, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Inertia_on_the_reference_features_is_within_half_a_percent_of_scikit_learn()
    {
        var f = MovieFeatures.GenresRatingPopularity(TestData.MovieLensSmall);
        var result = KMeans.Fit(f.Values, f.Dimensions, new KMeansOptions { K = 9, Restarts = 10, Seed = 0 });
        // scikit-learn KMeans(n_clusters=9, n_init=10, random_state=0): inertia 9411.6018 (../shared/reference).
        Assert.True(result.Inertia <= 9411.6018 * 1.005, $"inertia {result.Inertia}");
        Assert.Equal(9724, result.Sizes().Sum());
        Assert.All(result.Sizes(), s => Assert.True(s > 0));
    }

    [Fact]
    public void Same_seed_gives_the_same_clustering_whatever_the_thread_count()
    {
        var f = MovieFeatures.GenresRatingPopularity(TestData.MovieLensSmall);
        var one = KMeans.Fit(f.Values, f.Dimensions, new KMeansOptions { Seed = 7, Threads = 1 });
        var many = KMeans.Fit(f.Values, f.Dimensions, new KMeansOptions { Seed = 7, Threads = 4 });
        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Inertia, many.Inertia);
    }

    [Fact]
    public void Separated_blobs_are_found_and_score_a_high_silhouette()
    {
        var rng = new Random(1);
        var points = new float[300 * 2];
        for (int i = 0; i < 300; i++)
        {
            int blob = i % 3;
            points[2 * i] = blob * 10 + (float)rng.NextDouble();
            points[2 * i + 1] = (float)rng.NextDouble();
        }
        var r = KMeans.Fit(points, 2, new KMeansOptions { K = 3, Seed = 1 });
        Assert.Equal([100, 100, 100], r.Sizes());
        for (int i = 3; i < 300; i++) Assert.Equal(r.Labels[i % 3], r.Labels[i]);
        Assert.True(KMeans.Silhouette(points, 2, r.Labels, 3) > 0.9);
        Assert.Equal(r.Labels[0], r.Assign([0.5f, 0.5f]));
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => KMeans.Fit(new float[10], 2, new KMeansOptions { K = 0 }));
        Assert.Equal("K", e.ParamName);
        var e2 = Assert.Throws<ArgumentException>(() => KMeans.Fit(new float[10], 2, new KMeansOptions { K = 6 }));
        Assert.Equal("K", e2.ParamName);
    }
}
