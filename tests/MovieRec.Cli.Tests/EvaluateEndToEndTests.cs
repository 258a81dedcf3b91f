using System.Text.Json;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>`movierec evaluate` end to end on ml-latest-small with real registry algorithms (fast ones only).</summary>
public class EvaluateEndToEndTests
{
    [Fact]
    public void Kfold_json_reports_rating_and_ranking_metrics_per_algorithm()
    {
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "baseline,popularity",
            "--cv", "2", "--metrics", "rmse,mae,hr@10", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal("baseline,popularity", string.Join(",", rows.Select(r => r.GetProperty("algorithm").GetString())));
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("fit_seconds").GetDouble() >= 0);
            Assert.True(row.GetProperty("test_seconds").GetDouble() >= 0);
            Assert.InRange(row.GetProperty("hr@10").GetDouble(), 0, 1);
        }
        // Baseline ALS on half the data: a little worse than its 5-fold 0.872.
        Assert.InRange(rows[0].GetProperty("rmse").GetDouble(), 0.86, 0.90);
        Assert.InRange(rows[0].GetProperty("mae").GetDouble(), 0.66, 0.71);
        // Popularity is a ranker: rating metrics do not apply.
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("rmse").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("mae").ValueKind);
    }

    [Fact]
    public void Leave_latest_out_popularity_matches_the_reference_hit_rate()
    {
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "loo", "--metrics", "hr@10", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var row = doc.RootElement.EnumerateArray().Single();
        // ../shared/reference: popularity full-catalogue HR@10 = 0.0426 (26 of 610 users).
        Assert.Equal(0.0426, row.GetProperty("hr@10").GetDouble(), 4);
    }

    [Fact]
    public void A_misspelt_parameter_is_a_user_error_naming_it()
    {
        var (exit, _, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "baseline",
            "--cv", "2", "--param", "baseline:reg_uu=5");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("reg_uu", err, StringComparison.Ordinal);
    }
}
