using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

public class ModelCommandTests
{
    [Fact]
    public void Train_then_recommend_for_a_user_and_for_new_ratings()
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "model.mrec");
        var (exit, output, error) = CliRunner.Run("train", "--data", TestData.MovieLensSmallPath, "--algorithm", "svd",
            "--param", "factors=20", "--param", "epochs=5", "--threads", "1", "--out", model);
        Assert.True(exit == 0, error);
        Assert.Contains("trained svd(factors=20, epochs=5", output);
        Assert.Contains("training loss", output);
        Assert.True(File.Exists(model));

        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--user", "1", "-n", "5", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Top 5 for user 1", output);
        Assert.Contains("title", output);

        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--rate", "1=5,260=4.5,1196=5,999999=3", "-n", "7");
        Assert.True(exit == 0, error);
        Assert.Contains("a new user with 3 rating(s)", output);
        Assert.Contains("999999", error);
        // Movies the new user rated are not recommended back.
        Assert.DoesNotContain("│ 260 ", output);
    }

    [Fact]
    public void Mistakes_give_one_line_and_exit_code_2()
    {
        using var tmp = TestData.NewFolder();
        string bogus = tmp.Write("bogus.mrec", "not a model");
        var (exit, _, error) = CliRunner.Run("recommend", "--model", bogus, "--user", "1");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("bogus.mrec", error);
        Assert.Contains("magic", error);

        (exit, _, error) = CliRunner.Run("train", "--data", TestData.MovieLensSmallPath, "--param", "factors=0", "--out", Path.Combine(tmp.Path, "m.mrec"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("factors", error);
    }
}
