using System.Text.Json;
using MovieRec.Cli.Commands;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Evaluation;

namespace MovieRec.Cli.Tests;

public class EvaluateCommandTests
{
    private static readonly AlgorithmEntry[] Doubles = [ItemMeanPredictor.Info, PopularityScorer.Info];

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = EvaluateCommands.Run(args, output, error, Doubles);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Unknown_algorithm_is_a_user_error_naming_it()
    {
        var (exit, _, err) = CliRunner.Run("evaluate", "--algorithms", "no-such-algorithm");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("'no-such-algorithm'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_algorithm_lists_the_known_ones()
    {
        var (exit, _, err) = Run("evaluate", "--algorithms", "test-item-mean,svdd");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("Unknown algorithm 'svdd'", err, StringComparison.Ordinal);
        Assert.Contains("Known: test-item-mean, test-popularity (or all)", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Tune_names_an_unknown_algorithm_without_offering_all()
    {
        // tune takes exactly one algorithm: its error offered "(or all)", which tune then refused.
        var (exit, _, err) = Run("tune", "--algorithm", "svdd", "--grid", "factors=1,2");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Equal("error: Unknown algorithm 'svdd'. Known: test-item-mean, test-popularity.", err.Trim());
    }

    [Theory]
    [InlineData("all")]
    [InlineData("test-item-mean,test-popularity")]
    [InlineData("test-item-mean,svdd")]
    public void Tune_refuses_several_algorithms_saying_it_takes_one(string algorithms)
    {
        var (exit, _, err) = Run("tune", "--algorithm", algorithms, "--grid", "factors=1,2");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.StartsWith($"error: tune takes one algorithm, not '{algorithms}'", err.Trim(), StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Bad_metric_is_named()
    {
        var (exit, _, err) = Run("evaluate", "--algorithms", "all", "--metrics", "rmse,ndcg@x");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("'ndcg@x'", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Bad_protocol_and_parameter_target_are_user_errors()
    {
        var (exit, _, err) = Run("evaluate", "--algorithms", "all", "--protocol", "leave-one-in");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("'leave-one-in'", err, StringComparison.Ordinal);
        (exit, _, err) = Run("evaluate", "--algorithms", "test-item-mean", "--param", "svd:factors=10");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("'svd'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_holds_one_object_per_algorithm_with_each_metric_under_its_name()
    {
        var (exit, output, err) = Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "all", "--cv", "3",
            "--metrics", "rmse,mae,hr@10,ndcg@10", "--param", "test-item-mean:shrinkage=5", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var items = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["test-item-mean", "test-popularity"], items.Select(i => i.GetProperty("algorithm").GetString()));
        foreach (var item in items)
        {
            foreach (var key in new[] { "rmse", "mae", "fit_seconds", "test_seconds", "hr@10", "ndcg@10" })
                Assert.True(item.TryGetProperty(key, out _), key);
            Assert.Equal(3, item.GetProperty("folds").GetInt32());
            Assert.Equal(3, item.GetProperty("fold_results").GetArrayLength());
            Assert.InRange(item.GetProperty("hr@10").GetDouble(), 0, 1);
        }
        Assert.InRange(items[0].GetProperty("rmse").GetDouble(), 0.85, 1.0);
        Assert.Equal("test-item-mean(shrinkage=5)", items[0].GetProperty("model").GetString());
        // The popularity double predicts no ratings.
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("rmse").ValueKind);
    }

    [Fact]
    public void Table_shows_metrics_and_seconds_per_fold()
    {
        var (exit, output, err) = Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "test-popularity", "--protocol", "loo");
        Assert.True(exit == 0, err);
        Assert.True(output.Contains("test-popularity", StringComparison.Ordinal), output);
        Assert.Contains("HR@10", output, StringComparison.Ordinal);
        Assert.Contains("0.0426", output, StringComparison.Ordinal);
        Assert.Contains("fit s / fold", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_n_models_get_ranking_metrics_by_default()
    {
        var (exit, output, err) = Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "test-popularity", "--cv", "2", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var item = Assert.Single(doc.RootElement.EnumerateArray().ToArray());
        Assert.Equal("kfold", item.GetProperty("protocol").GetString());
        Assert.InRange(item.GetProperty("hr@10").GetDouble(), 0.01, 1);
        Assert.True(item.TryGetProperty("ndcg@10", out _));
    }

    [Fact]
    public void Tune_reports_the_best_parameters_and_the_table()
    {
        var (exit, output, err) = Run("tune", "--data", TestData.MovieLensSmallPath, "--algorithm", "test-item-mean",
            "--grid", "shrinkage=0,10", "--cv", "2", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("rmse", root.GetProperty("metric").GetString());
        Assert.Equal("10", root.GetProperty("best_parameters").GetProperty("shrinkage").GetString());
        var rows = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        Assert.True(rows[0].GetProperty("rmse").GetDouble() <= rows[1].GetProperty("rmse").GetDouble());
    }

    [Fact]
    public void Tune_help_offers_only_the_protocols_tune_takes()
    {
        var (exit, help, err) = CliRunner.Run("tune", "--help");
        Assert.True(exit == 0, err);
        Assert.Contains("temporal:", help, StringComparison.Ordinal);
        // tune refuses new-user ("--protocol new-user is for evaluate"); its help described it all the same.
        Assert.DoesNotContain("new-user", help, StringComparison.Ordinal);
        var (refused, _, error) = CliRunner.Run("tune", "--algorithm", "svd", "--grid", "factors=5", "--protocol", "new-user");
        Assert.Equal(MovieRecCli.UserError, refused);
        Assert.Contains("is for evaluate", error, StringComparison.Ordinal);
        var (_, evaluateHelp, _) = CliRunner.Run("evaluate", "--help");
        Assert.Contains("new-user:", evaluateHelp, StringComparison.Ordinal);
    }
}
