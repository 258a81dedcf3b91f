using System.Globalization;
using MovieRec.Cli.Commands;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Models;

namespace MovieRec.Cli.Tests;

public class ImportCommandTests
{
    /// <summary>A Spark ALSModel folder with factors for every ml-latest-small user and rated movie (rank 8).</summary>
    private static (string Folder, int[] Users, float[] UserFactors, int[] Items, float[] ItemFactors) WriteModel(TempFolder tmp)
    {
        var ratings = TestData.MovieLensSmall.Ratings;
        var users = Enumerable.Range(0, ratings.UserIds.Count).Select(u => (int)ratings.UserIds.ToRawNumeric(u)).ToArray();
        var items = Enumerable.Range(0, ratings.ItemIds.Count).Select(i => (int)ratings.ItemIds.ToRawNumeric(i)).ToArray();
        var p = SparkAlsFixture.RandomFactors(users.Length, 8, 11);
        var q = SparkAlsFixture.RandomFactors(items.Length, 8, 12);
        string folder = Path.Combine(tmp.Path, "als");
        SparkAlsFixture.Write(folder, 8, users, p, items, q, parts: 3);
        return (folder, users, p, items, q);
    }

    [Fact]
    public void Import_then_recommend_from_the_saved_model()
    {
        using var tmp = TestData.NewFolder();
        var (folder, users, p, items, q) = WriteModel(tmp);
        string model = Path.Combine(tmp.Path, "spark.mrec");
        var (exit, output, error) = CliRunner.Run("import", "spark-als", "--path", folder, "--out", model);
        Assert.True(exit == 0, error);
        Assert.Contains("imported spark-als(rank=8, regParam=0.1, spark=3.5.1)", output);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"users 610, items {items.Length:N0}, rank 8, scale 0.5-5 step 0.5"), output);
        Assert.Contains("Spark's default", output);
        Assert.Contains($"saved {model} (", output);
        Assert.Contains(" MB)", output);

        // The saved file restores through the same path the service and `recommend` use.
        var restored = Assert.IsType<SparkAlsModel>(PersistentModels.Restore(ModelFile.Read(model)));
        Assert.Equal(610, restored.UserCount);

        // `recommend --user` ranks by p_u·q_i: the best movie for user 1 by a direct dot product comes first.
        int k1 = Array.IndexOf(users, 1);
        int best = Enumerable.Range(0, items.Length).MaxBy(j =>
        {
            double s = 0;
            for (int c = 0; c < 8; c++) s += (double)p[k1 * 8 + c] * q[j * 8 + c];
            return s;
        });
        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--user", "1", "-n", "3");
        Assert.True(exit == 0, error);
        Assert.Contains("Top 3 for user 1 (spark-als)", output);
        var firstRow = output.Split('\n').First(l => l.Contains("│ 1 ", StringComparison.Ordinal));
        Assert.Contains($" {items[best]} │", firstRow);

        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--rate", "1=5,260=4.5,1196=5", "-n", "5");
        Assert.True(exit == 0, error);
        Assert.Contains("a new user with 3 rating(s)", output);
    }

    [Fact]
    public void Recommend_for_a_known_user_of_an_imported_model_leaves_out_what_they_rated_in_data()
    {
        // Spark's model holds no ratings, so the file alone cannot know what user 1 rated; --data can, and the help
        // promises "movies they have not rated".
        using var tmp = TestData.NewFolder();
        var (folder, _, _, _, _) = WriteModel(tmp);
        string model = Path.Combine(tmp.Path, "spark.mrec");
        var (exit, _, error) = CliRunner.Run("import", "spark-als", "--path", folder, "--out", model);
        Assert.True(exit == 0, error);
        var ratings = TestData.MovieLensSmall.Ratings;
        int user = ratings.UserIds.ToDense(1L);
        var rated = ratings.ByUser.RowColumns(user).ToArray().Select(i => ratings.ItemIds.ToRaw(i)).ToHashSet();

        static List<string> Listed(string output) => output.Split('\n')
            .Select(l => l.Split('│', StringSplitOptions.TrimEntries))
            .Where(c => c.Length > 3 && int.TryParse(c[1], CultureInfo.InvariantCulture, out _))
            .Select(c => c[2]).ToList();

        (exit, var alone, error) = CliRunner.Run("recommend", "--model", model, "--user", "1", "-n", "500");
        Assert.True(exit == 0, error);
        Assert.Contains(Listed(alone), rated.Contains); // without --data, rated movies come back: the file cannot tell

        (exit, var withData, error) = CliRunner.Run("recommend", "--model", model, "--user", "1", "-n", "500", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        var listed = Listed(withData);
        Assert.Equal(500, listed.Count);
        Assert.DoesNotContain(listed, rated.Contains);
    }

    [Fact]
    public void Scale_and_reg_options_reach_the_model()
    {
        using var tmp = TestData.NewFolder();
        var (folder, _, _, _, _) = WriteModel(tmp);
        string model = Path.Combine(tmp.Path, "spark.mrec");
        var (exit, output, error) = CliRunner.Run("import", "spark-als", "--path", folder, "--out", model, "--scale", "1,5", "--reg", "0.05");
        Assert.True(exit == 0, error);
        Assert.Contains("scale 1-5 step 1", output);
        Assert.DoesNotContain("Spark's default", output);
        var restored = Assert.IsType<SparkAlsModel>(PersistentModels.Restore(ModelFile.Read(model)));
        Assert.Equal(0.05, restored.Options.RegParam);
        Assert.Equal(new RatingScale(1, 5, 1), restored.Scale);
        Assert.Equal(new RatingScale(0, 10, 0.1f), ImportCommands.ParseScale("0,10,0.1"));

        // --data aligns the ids to the dataset and records its fingerprint, as the service expects.
        (exit, output, error) = CliRunner.Run("import", "spark-als", "--path", folder, "--out", model, "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("aligned to ml-latest-small: 9,724 of its 9,724 movies have factors, 0 Spark item(s) not in it left out, 0 user(s) not in it appended", output);
        Assert.Contains($"dataset fingerprint {ModelFile.Fingerprint(TestData.MovieLensSmall.Ratings)}", output);
        var contents = ModelFile.Read(model);
        Assert.Equal(ModelFile.Fingerprint(TestData.MovieLensSmall.Ratings), contents.DatasetFingerprint);
        var aligned = PersistentModels.Restore(contents);
        var ratings = TestData.MovieLensSmall.Ratings;
        Assert.Equal(ratings.ItemIds.NumericIds.ToArray(), ((SparkAlsModel)aligned).ItemIds.NumericIds.ToArray());
    }

    [Theory]
    [InlineData("--scale -10,10", -10f, 10f, 1f)]
    [InlineData("--scale=-10,10", -10f, 10f, 1f)]
    [InlineData("--scale -2.5,2.5,0.5", -2.5f, 2.5f, 0.5f)]
    [InlineData("--scale -10-10", -10f, 10f, 1f)] // a column mapping's scale= form: refused before
    [InlineData("--scale=-10--1:0.5", -10f, -1f, 0.5f)]
    [InlineData("--scale 1-10:0", 1f, 10f, 0f)]
    public void A_scale_with_a_negative_end_is_taken_in_either_form(string option, float min, float max, float step)
    {
        using var tmp = TestData.NewFolder();
        var (folder, _, _, _, _) = WriteModel(tmp);
        string model = Path.Combine(tmp.Path, "spark.mrec");
        var (exit, output, error) = CliRunner.Run(["import", "spark-als", "--path", folder, "--out", model, .. option.Split(' ')]);
        Assert.True(exit == 0, error);
        var expected = new RatingScale(min, max, step);
        Assert.Contains($"scale {expected}", output);
        Assert.Equal(expected, Assert.IsType<SparkAlsModel>(PersistentModels.Restore(ModelFile.Read(model))).Scale);
    }

    [Theory]
    [InlineData("--scale", "-10", "--scale expects MIN,MAX[,STEP] or MIN-MAX[:STEP]")]
    [InlineData("--scale=abc", null, "--scale expects MIN,MAX[,STEP] or MIN-MAX[:STEP]")]
    [InlineData("--scale", "-1-1:x", "--scale expects MIN,MAX[,STEP] or MIN-MAX[:STEP]")]
    [InlineData("--scale", "5-5", "--scale: the maximum 5 must be above the minimum 5.")]
    [InlineData("--scale", "1,-1", "--scale: the maximum -1 must be above the minimum 1.")]
    public void A_bad_scale_is_one_line_naming_the_option(string option, string? value, string expected)
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "m.mrec");
        var args = new List<string> { "import", "spark-als", "--path", Path.Combine(tmp.Path, "missing"), "--out", model, option };
        if (value is not null) args.Add(value);
        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.StartsWith($"error: {expected}", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Mistakes_give_one_line_and_exit_code_2()
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "m.mrec");
        var (exit, _, error) = CliRunner.Run("import", "spark-als", "--path", Path.Combine(tmp.Path, "missing"), "--out", model);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("missing", error);

        string broken = Path.Combine(tmp.Path, "broken");
        SparkAlsFixture.WriteMetadata(broken, SparkAlsFixture.Metadata(4));
        SparkAlsFixture.WriteFactors(Path.Combine(broken, "userFactors"), 3, [1, 2], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], parts: 1);
        (exit, _, error) = CliRunner.Run("import", "spark-als", "--path", broken, "--out", model);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("userFactors", error);
        Assert.Contains("rank is 4", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(model));

        (exit, _, error) = CliRunner.Run("import", "spark-als", "--path", broken, "--out", model, "--scale", "5,1");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--scale", error);
    }
}
