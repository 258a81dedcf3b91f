using System.Text.Json;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

public class NewUserCommandTests
{
    [Fact]
    public void New_user_protocol_prints_one_row_per_algorithm_and_given_count()
    {
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given", "1,5", "--json");
        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal([1, 5], rows.Select(r => r.GetProperty("given").GetInt32()));
        foreach (var row in rows)
        {
            Assert.Equal("new-user", row.GetProperty("protocol").GetString());
            Assert.Equal("favourites", row.GetProperty("given_ratings").GetString());
            Assert.InRange(row.GetProperty("precision@10").GetDouble(), 0.2, 0.5);
            Assert.True(row.GetProperty("personalization").GetDouble() < 0.2);
            Assert.True(row.GetProperty("users").GetInt32() > 100);
            foreach (var field in new[] { "recall@10", "hr@10", "ndcg@10", "popularity_share", "coverage" })
                Assert.True(row.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Random_givens_and_the_table_work_too()
    {
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given-ratings", "random", "--users-held", "0.1");
        Assert.True(exit == 0, err);
        Assert.Contains("new users", output, StringComparison.Ordinal);
        Assert.Contains("random given", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_given_count_no_held_out_user_can_give_is_refused_naming_the_largest_that_works()
    {
        // Was: exit 0 and a row of 0 users with "-" figures.
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given", "100000");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Empty(output);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: --given 100000: no held-out user", err, StringComparison.Ordinal);
        var largest = int.Parse(System.Text.RegularExpressions.Regex.Match(err, @"the largest usable --given is (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The value named works (some users are evaluated), one more is refused.
        (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given", largest.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(exit == 0, err);
        using (var json = JsonDocument.Parse(output))
            Assert.True(json.RootElement[0].GetProperty("users").GetInt32() >= 1);
        (exit, _, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given", (largest + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains($"the largest usable --given is {largest}", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_keeps_its_usable_points_and_says_which_it_dropped()
    {
        var (exit, output, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", "--given", "1,100000,5", "--json");
        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        Assert.Equal([1, 5], json.RootElement.EnumerateArray().Select(r => r.GetProperty("given").GetInt32()));
        Assert.StartsWith("warning: --given 100000 dropped: no held-out user", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--given", "0", "--given")]
    [InlineData("--given", "five", "--given")]
    [InlineData("--users-held", "1", "--users-held")]
    [InlineData("--given-ratings", "best", "--given-ratings")]
    public void Bad_options_are_user_errors_naming_the_option(string option, string value, string named)
    {
        var (exit, _, err) = CliRunner.Run("evaluate", "--data", TestData.MovieLensSmallPath, "--algorithms", "popularity",
            "--protocol", "new-user", option, value);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains(named, err, StringComparison.Ordinal);
    }
}
