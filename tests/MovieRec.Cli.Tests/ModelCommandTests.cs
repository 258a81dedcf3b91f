using System.IO.Compression;
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
    public void Recommendations_with_the_dataset_say_why_as_the_service_does()
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "knn.mrec");
        var (exit, output, error) = CliRunner.Run("train", "--data", TestData.MovieLensSmallPath, "--algorithm", "item-knn", "--out", model);
        Assert.True(exit == 0, error);
        // Toy Story, Finding Nemo and Monsters, Inc. at 5 stars: every row says which of them it is for, and how, or
        // (no link) how the movie stands with everyone.
        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--rate", "1=5,6377=5,4886=5", "-n", "8", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("│ why", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && !l.Contains("movie id", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, row => Assert.Matches(@"because you liked (Toy Story|Finding Nemo|Monsters, Inc\.): |rated \d\.\d (on average by [\d,]+ people|by one person)", row));
        Assert.True(rows.Count(row => row.Contains("because you liked", StringComparison.Ordinal)) >= 6, string.Join('\n', rows));
        // Without the dataset there are no titles and no reasons.
        (exit, string bare, _) = CliRunner.Run("recommend", "--model", model, "--rate", "1=5,6377=5,4886=5", "-n", "8");
        Assert.True(exit == 0);
        Assert.DoesNotContain("because you liked", bare, StringComparison.Ordinal);

        // The same three from a Letterboxd export (by title and year), beside a film the dataset does not have.
        string letterboxd = tmp.Write("ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Toy Story,1995,https://boxd.it/a,5\n"
            + "2024-01-02,Finding Nemo,2003,https://boxd.it/b,5\n2024-01-03,\"Monsters, Inc.\",2001,https://boxd.it/c,5\n2024-01-04,Past Lives,2023,https://boxd.it/d,4.5\n");
        (exit, string imported, error) = CliRunner.Run("recommend", "--model", model, "--ratings-file", letterboxd, "-n", "8", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Equal(output, imported);
        Assert.Contains("1 of the 4 rated rows", error, StringComparison.Ordinal);
        Assert.Contains("line 5, Past Lives (2023)", error, StringComparison.Ordinal);
        // Letterboxd's whole export (a zip holding ratings.csv among others): the same.
        string zip = Path.Combine(tmp.Path, "letterboxd-export.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(letterboxd, "ratings.csv");
            archive.CreateEntryFromFile(letterboxd, "diary.csv");
        }
        (exit, string zipped, error) = CliRunner.Run("recommend", "--model", model, "--ratings-file", zip, "-n", "8", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Equal(output, zipped);
        Assert.Contains("letterboxd-export.zip/ratings.csv", error, StringComparison.Ordinal);
        (exit, _, error) = CliRunner.Run("recommend", "--model", model, "--ratings-file", letterboxd);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--ratings-file needs --data", error, StringComparison.Ordinal);
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
