using System.CommandLine;
using System.Text.Json;
using MovieRec.Cli.Commands;
using MovieRec.Core.Data;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>Generic interactions files from the command line: --columns, or a movierec.columns file in the folder.</summary>
public class InteractionsCsvLoaderCliTests
{
    private const string Plays = "userId,songId,plays\nann,S1,3\nann,S2,1\nbob,S1,12\ncat,S3,2\n";

    [Fact]
    public void A_folder_with_a_movierec_columns_file_is_detected_by_data_info()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("plays.csv", Plays);
        tmp.Write("movierec.columns", "user=userId,item=songId,rating=none\n");
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("interactions-csv", doc.RootElement.GetProperty("format").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("users").GetInt32());
        Assert.Equal(3, doc.RootElement.GetProperty("items").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("ratings").GetInt32());
    }

    [Fact]
    public void Data_info_says_when_the_scale_was_detected_and_an_absurd_rating_names_its_line()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("plays.csv", Plays);
        tmp.Write("movierec.columns", "user=userId,item=songId,rating=plays\n");
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("detected from the ratings", output, StringComparison.Ordinal);
        (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path, "--json");
        Assert.True(exit == 0, error);
        using (var doc = JsonDocument.Parse(output)) Assert.True(doc.RootElement.GetProperty("scale_detected").GetBoolean());

        tmp.Write("movierec.columns", "user=userId,item=songId,rating=plays,scale=1-20\n");
        (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("detected", output, StringComparison.Ordinal);

        tmp.Write("plays.csv", Plays + "dan,S1,1e9\n");
        tmp.Write("movierec.columns", "user=userId,item=songId,rating=plays\n");
        (exit, _, error) = CliRunner.Run("data", "info", "--data", tmp.Path);
        Assert.Equal(2, exit);
        Assert.Contains("plays.csv", error, StringComparison.Ordinal);
        Assert.Contains("plays.csv, line 6", error, StringComparison.Ordinal);
        Assert.Contains("declare the scale", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_columns_option_reads_a_single_file_with_its_mapping()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("plays.csv", Plays);
        var data = CommonOptions.Data();
        var columns = CommonOptions.Columns();
        var command = new Command("probe") { data, columns };
        var parse = command.Parse(["--data", file, "--columns", "user=userId,item=songId,rating=plays"]);
        Assert.Empty(parse.Errors);
        var d = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, parse.GetValue(columns));
        Assert.Equal("plays", d.Name);
        Assert.Equal(4, d.Ratings.Count);
        Assert.Equal(4.5, d.Ratings.GlobalMean, 6);
        Assert.Equal(new RatingScale(1, 12, 1), d.Ratings.Scale);
    }

    [Fact]
    public void A_single_file_without_columns_or_a_bad_mapping_is_a_clear_user_error()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("plays.csv", Plays);
        var (exit, _, error) = CliRunner.Run("data", "info", "--data", file);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--columns", error);
        var e = Assert.Throws<CliException>(() => CommonOptions.LoadDataset(file, false, "user=userId,song=songId"));
        Assert.StartsWith("--columns: column mapping has an unknown key 'song'", e.Message);
    }

    [Fact]
    public void A_single_file_uses_a_movierec_columns_file_beside_it()
    {
        using var tmp = TestData.NewFolder();
        var file = tmp.Write("plays.csv", Plays);
        tmp.Write("other.csv", "not,interactions\n");
        tmp.Write("movierec.columns", "user=userId\nitem=songId\nrating=plays\n");
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", file, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("plays", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("ratings").GetInt32());
    }

    [Fact]
    public void Evaluate_and_train_take_the_columns_option_that_the_error_suggests()
    {
        using var tmp = TestData.NewFolder();
        // 30 users x 12 songs, each user playing 8 of them at increasing times: enough for leave-latest-out.
        var csv = new System.Text.StringBuilder("userId,songId,plays,ts\n");
        for (int u = 0; u < 30; u++)
        {
            for (int k = 0; k < 8; k++) csv.Append(System.FormattableString.Invariant($"u{u},S{(u + k * 5) % 12},{1 + (u * k) % 9},{1000 + 60 * k}\n"));
        }
        var file = tmp.Write("plays.csv", csv.ToString());
        var (exit, output, error) = CliRunner.Run("evaluate", "--data", file, "--columns", "user=userId,item=songId,rating=plays,timestamp=ts",
            "--algorithms", "popularity", "--protocol", "loo", "--metrics", "hr@10", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.InRange(doc.RootElement[0].GetProperty("hr@10").GetDouble(), 0, 1);
        var model = Path.Combine(tmp.Path, "plays.mrec");
        (exit, _, error) = CliRunner.Run("train", "--data", file, "--columns", "user=userId,item=songId,rating=plays", "--algorithm", "svd", "--out", model);
        Assert.True(exit == 0, error);
        Assert.True(File.Exists(model));
        // Commands without --columns point to the mapping file instead.
        (exit, _, error) = CliRunner.Run("onboarding", "--data", file);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.DoesNotContain("--columns", error);
        Assert.Contains("movierec.columns", error);
    }
}
