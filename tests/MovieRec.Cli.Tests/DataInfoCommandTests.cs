using System.Text.Json;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

public class DataInfoCommandTests
{
    [Fact]
    public void Json_output_has_the_integer_counts()
    {
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", TestData.MovieLensSmallPath, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(610, root.GetProperty("users").GetInt32());
        Assert.Equal(9724, root.GetProperty("items").GetInt32());
        Assert.Equal(9742, root.GetProperty("movies").GetInt32());
        Assert.Equal(100836, root.GetProperty("ratings").GetInt32());
        Assert.Equal(3683, root.GetProperty("tags").GetInt32());
        Assert.Equal(26818, root.GetProperty("histogram").GetProperty("4").GetInt32());
    }

    [Fact]
    public void Table_output_draws_the_histogram_and_coverage()
    {
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("100,836", output);
        Assert.Contains("Rating histogram", output);
        Assert.Contains("TMDB metadata", output);
    }

    [Fact]
    public void Bad_data_gives_one_clear_line_and_exit_code_2()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,seven,10\n");
        var (exit, _, error) = CliRunner.Run("data", "info", "--data", tmp.Path);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("ratings.csv, line 2, field 'rating'", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Lenient_reports_the_skipped_rows()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,seven,10\n2,1,4,10\n");
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path, "--lenient", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("rows_skipped").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("ratings").GetInt32());
    }

    [Fact]
    public void Unknown_dataset_name_explains_movierec_data()
    {
        var (exit, _, error) = CliRunner.Run("data", "info", "--data", "no-such-dataset-xyz");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("MOVIEREC_DATA", error);
        Assert.Contains("movierec data download", error);
    }
}
