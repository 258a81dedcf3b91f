using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public class MetricTests
{
    private static readonly int[] Users = [0, 0, 0, 1, 1];
    private static readonly float[] Actual = [1, 2, 3, 4, 5];
    private static readonly float[] Predicted = [1.5f, 2.5f, 2, 4, 4];

    [Fact]
    public void Rmse_and_mae_match_hand_computation()
    {
        // Errors 0.5, 0.5, 1, 0, 1: squares sum to 2.5, absolutes to 3.
        Assert.Equal(Math.Sqrt(2.5 / 5), RatingMetrics.Rmse(Actual, Predicted), 12);
        Assert.Equal(3.0 / 5, RatingMetrics.Mae(Actual, Predicted), 12);
    }

    [Fact]
    public void Fcp_averages_counts_over_users_with_a_non_zero_count_as_surprise_does()
    {
        // User 0: concordant (2,1) and (3,1), discordant (2,3) -> nc 2, nd 1. User 1: (4,5) predicted equal -> nd 1, nc 0.
        // Surprise averages nc over users with nc > 0 (2) and nd over both users (1): 2 / (2 + 1).
        Assert.Equal(2.0 / 3, RatingMetrics.Fcp(Users, Actual, Predicted), 12);
    }

    [Fact]
    public void Fcp_is_nan_without_any_ordered_pair()
    {
        Assert.True(double.IsNaN(RatingMetrics.Fcp([0, 1], [3, 4], [3, 3])));
    }

    [Fact]
    public void Per_user_list_metrics_match_hand_computation()
    {
        // Two relevant items at ranks 0 and 3, cut-off 5.
        int[] ranks = [0, 3];
        Assert.Equal(1, RankingMetrics.PerUser(MetricKind.HitRate, ranks, 5));
        Assert.Equal(2.0 / 5, RankingMetrics.PerUser(MetricKind.Precision, ranks, 5), 12);
        Assert.Equal(1, RankingMetrics.PerUser(MetricKind.Recall, ranks, 5), 12);
        double dcg = 1 / Math.Log2(2) + 1 / Math.Log2(5), ideal = 1 / Math.Log2(2) + 1 / Math.Log2(3);
        Assert.Equal(dcg / ideal, RankingMetrics.PerUser(MetricKind.Ndcg, ranks, 5), 12);
        Assert.Equal((1.0 / 1 + 2.0 / 4) / 2, RankingMetrics.PerUser(MetricKind.Map, ranks, 5), 12);
        Assert.Equal(1, RankingMetrics.PerUser(MetricKind.Mrr, ranks, 5), 12);
        // Cut-off 3 leaves one hit of two.
        Assert.Equal(1.0 / 3, RankingMetrics.PerUser(MetricKind.Precision, ranks, 3), 12);
        Assert.Equal(0.5, RankingMetrics.PerUser(MetricKind.Recall, ranks, 3), 12);
        Assert.Equal(1 / (1 + 1 / Math.Log2(3)), RankingMetrics.PerUser(MetricKind.Ndcg, ranks, 3), 12);
    }

    [Fact]
    public void A_single_held_out_item_gives_the_reference_definitions()
    {
        int[] rank2 = [2], rank12 = [12];
        Assert.Equal(1, RankingMetrics.PerUser(MetricKind.HitRate, rank2, 10));
        Assert.Equal(0, RankingMetrics.PerUser(MetricKind.HitRate, rank12, 10));
        Assert.Equal(1 / Math.Log2(4), RankingMetrics.PerUser(MetricKind.Ndcg, rank2, 10), 12);
        Assert.Equal(0, RankingMetrics.PerUser(MetricKind.Ndcg, rank12, 10));
        Assert.Equal(1.0 / 3, RankingMetrics.PerUser(MetricKind.Mrr, rank2, 10), 12);
        Assert.Equal(1.0 / 3, RankingMetrics.PerUser(MetricKind.Map, rank2, 10), 12);
        Assert.Equal(0.1, RankingMetrics.PerUser(MetricKind.Precision, rank2, 10), 12);
    }

    [Theory]
    [InlineData("rmse", MetricKind.Rmse, 0, "rmse")]
    [InlineData("HR@10", MetricKind.HitRate, 10, "hr@10")]
    [InlineData("ndcg", MetricKind.Ndcg, 10, "ndcg@10")]
    [InlineData("precision@5", MetricKind.Precision, 5, "precision@5")]
    [InlineData("novelty@20", MetricKind.Novelty, 20, "novelty@20")]
    public void Metric_names_parse(string text, MetricKind kind, int k, string canonical)
    {
        var m = Metric.Parse(text);
        Assert.Equal(kind, m.Kind);
        Assert.Equal(k, m.K);
        Assert.Equal(canonical, m.Name);
    }

    [Theory]
    [InlineData("bogus@10", "bogus@10")]
    [InlineData("rmse@5", "rmse@5")]
    [InlineData("hr@0", "hr@0")]
    [InlineData("hr@ten", "hr@ten")]
    public void Bad_metric_names_are_named_in_the_error(string text, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => Metric.ParseList($"rmse,{text}"));
        Assert.Contains($"'{named}'", e.Message, StringComparison.Ordinal);
    }
}
