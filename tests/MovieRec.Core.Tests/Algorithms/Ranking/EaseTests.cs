using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class EaseTests
{
    private static readonly Lazy<Ease> Trained = new(() =>
    {
        var model = new Ease();
        model.Fit(new TrainingData(LeaveLatestOut.MovieLensSmall.Train), TrainingContext.Default);
        return model;
    });

    [Fact]
    [Trait("Category", "Slow")] // accuracy on the full catalogue
    public void Beats_the_ranking_goal_on_leave_latest_out()
    {
        var figures = LeaveLatestOut.MovieLensSmall.Evaluate(Trained.Value);
        // Goal: full-catalogue HR@10 >= 0.085 (Surprise SVD 0.0197, popularity 0.0426).
        Assert.True(figures.FullHr10 >= 0.085, figures.ToString());
        Assert.True(figures.FullNdcg10 >= 0.035, figures.ToString());
        Assert.True(figures.SampledHr10 >= 0.65, figures.ToString());
    }

    [Fact]
    public void Restricts_the_model_to_items_with_enough_ratings()
    {
        var model = Trained.Value;
        var train = LeaveLatestOut.MovieLensSmall.Train;
        int expected = 0;
        for (int i = 0; i < train.ItemCount; i++)
        {
            if (train.ByItem.RowLength(i) >= model.Options.MinItemCount) expected++;
        }
        Assert.Equal(expected, model.ModelItemCount);
        Assert.InRange(model.ModelItemCount, 3000, 4500);
        var scores = new float[model.ItemCount];
        model.Score(0, scores);
        for (int i = 0; i < train.ItemCount; i++)
            Assert.Equal(train.ByItem.RowLength(i) < model.Options.MinItemCount, float.IsNaN(scores[i]));
    }

    [Fact]
    public void Caps_the_model_at_the_most_rated_items()
    {
        var train = LeaveLatestOut.MovieLensSmall.Train;
        var model = new Ease(new EaseOptions { MinItemCount = 20, MaxItems = 300 });
        model.Fit(new TrainingData(train), TrainingContext.Default);
        Assert.Equal(300, model.ModelItemCount);
        var scores = new float[model.ItemCount];
        model.Score(3, scores);
        int cutoff = Enumerable.Range(0, train.ItemCount).Select(i => train.ByItem.RowLength(i)).OrderDescending().ElementAt(299);
        for (int i = 0; i < train.ItemCount; i++)
        {
            if (train.ByItem.RowLength(i) > cutoff) Assert.False(float.IsNaN(scores[i]));
            if (train.ByItem.RowLength(i) < cutoff) Assert.True(float.IsNaN(scores[i]));
        }
    }

    [Fact]
    public void Fold_in_gives_the_in_training_scores()
    {
        FoldInChecks.Folding_in_a_training_user_gives_their_in_training_scores(Trained.Value, LeaveLatestOut.MovieLensSmall.Train, 0, 17, 413);
    }

    [Fact]
    public void Dense_inverse_is_an_inverse_and_the_same_on_one_thread()
    {
        var rng = new Random(3);
        int n = 150, m = 40;
        // A = Mᵀ M + I: symmetric positive definite, like EASE's Gram matrix plus λI.
        var x = new double[m * n];
        for (int p = 0; p < x.Length; p++) x[p] = rng.NextDouble() < 0.2 ? 1 : 0;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 1 : 0;
                for (int r = 0; r < m; r++) s += x[r * n + i] * x[r * n + j];
                a[i * n + j] = s;
            }
        }
        var inverse = (double[])a.Clone();
        DenseSpd.Invert(inverse, n, TrainingContext.Default.ParallelOptions);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * inverse[k * n + j];
                Assert.Equal(i == j ? 1.0 : 0.0, s, 1e-9);
            }
        }
        var single = (double[])a.Clone();
        DenseSpd.Invert(single, n, TrainingContext.Deterministic().ParallelOptions);
        Assert.Equal(inverse, single);
    }

    [Theory]
    [InlineData(64, 64, 0, 300)] // the usual block: 4 × 3 tiles then 4 × 2, k across a chunk boundary
    [InlineData(7, 5, 3, 261)] // odd rows and columns: every kind of remainder
    [InlineData(4, 1, 0, 3)] // shorter than a SIMD vector
    [InlineData(9, 65, 10, 10)] // an empty range of k
    public void Dot_tiles_equal_plain_dot_products_for_every_shape(int aRows, int bRows, int k0, int k1)
    {
        var rng = new Random(aRows * 31 + bRows);
        int n = 300;
        var a = new double[(aRows + 2) * n];
        var b = new double[(bRows + 1) * n];
        for (int p = 0; p < a.Length; p++) a[p] = rng.NextDouble() - 0.5;
        for (int p = 0; p < b.Length; p++) b[p] = rng.NextDouble() - 0.5;
        var tile = new double[aRows * bRows];
        Array.Fill(tile, double.NaN); // the kernel clears it first
        DenseSpd.DotTile(a, 2, aRows, b, 1, bRows, n, k0, k1, tile);
        for (int r = 0; r < aRows; r++)
        {
            for (int c = 0; c < bRows; c++)
            {
                double expected = 0;
                for (int k = k0; k < k1; k++) expected += a[(2 + r) * n + k] * b[(1 + c) * n + k];
                Assert.Equal(expected, tile[r * bRows + c], 1e-12);
            }
        }
    }

    [Fact]
    public void Weights_have_a_zero_diagonal_and_reproduce_the_closed_form_on_a_tiny_set()
    {
        // 3 users x 3 items, λ = 1: check s = x B against B = I − P diag(1/diag P) computed by hand-rolled Gauss–Jordan.
        var train = PopularityRankerTests.Build([(0, 0, 5), (0, 1, 4), (1, 1, 3), (1, 2, 2), (2, 0, 1), (2, 2, 5)], users: 3, items: 3);
        var model = new Ease(new EaseOptions { Lambda = 1, MinItemCount = 1 });
        model.Fit(new TrainingData(train), TrainingContext.Deterministic());
        // XᵀX + I for binary X = [[1,1,0],[0,1,1],[1,0,1]].
        double[,] g = { { 3, 1, 1 }, { 1, 3, 1 }, { 1, 1, 3 } };
        var p = InvertSmall(g);
        var scores = new float[3];
        model.Score(0, scores);
        // User 0 rated items 0 and 1: s_j = B_0j + B_1j with B_ij = −P_ij / P_jj, B_jj = 0.
        for (int j = 0; j < 3; j++)
        {
            double expected = (j == 0 ? 0 : -p[0, j] / p[j, j]) + (j == 1 ? 0 : -p[1, j] / p[j, j]);
            Assert.Equal(expected, scores[j], 5);
        }
    }

    [Fact]
    public void Invalid_options_name_the_parameter()
    {
        Assert.Equal("Lambda", Assert.Throws<ArgumentException>(() => new Ease(new EaseOptions { Lambda = 0 })).ParamName);
        Assert.Equal("MinItemCount", Assert.Throws<ArgumentException>(() => new Ease(new EaseOptions { MinItemCount = 0 })).ParamName);
        Assert.Equal("MaxItems", Assert.Throws<ArgumentException>(() => new Ease(new EaseOptions { MaxItems = -3 })).ParamName);
        Assert.Equal("KeepPerRow", Assert.Throws<ArgumentException>(() => new Ease(new EaseOptions { KeepPerRow = -1 })).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ease", AlgorithmParameters.Empty.With("input", "stars"))).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ease", AlgorithmParameters.Empty.With("lambda", "big"))).ParamName);
    }

    private static double[,] InvertSmall(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int c = 0; c < n; c++)
        {
            double d = a[c, c];
            for (int j = 0; j < n; j++) { a[c, j] /= d; inv[c, j] /= d; }
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = a[r, c];
                for (int j = 0; j < n; j++) { a[r, j] -= f * a[c, j]; inv[r, j] -= f * inv[c, j]; }
            }
        }
        return inv;
    }
}
