using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>`movierec algorithms`: the catalogue as the CLI shows it, and the catalogue's word on what trains and saves.</summary>
public class AlgorithmsCommandTests
{
    [Fact]
    public void Lists_every_catalogue_entry_with_its_aliases_and_capabilities()
    {
        var (exit, output, err) = CliRunner.Run("algorithms", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(AlgorithmCatalog.All.Select(e => e.Name), rows.Select(r => r.GetProperty("name").GetString()));
        var knn = rows.Single(r => r.GetProperty("name").GetString() == "item-knn");
        Assert.Equal(["knn"], knn.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.True(knn.GetProperty("servable").GetBoolean());
        // Every entry saves except the three rewritten for new users (content, kmeans, taste), whose files are not written yet;
        // the random predictor's file says how it stays random.
        string[] notYet = ["content", "kmeans", "taste"];
        Assert.All(rows, r => Assert.Equal(!notYet.Contains(r.GetProperty("name").GetString()), r.GetProperty("saves").GetBoolean()));
        var normal = rows.Single(r => r.GetProperty("name").GetString() == "normal");
        Assert.Contains("random sequence", normal.GetProperty("model_file").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void One_algorithm_shows_its_options_defaults_and_aliases()
    {
        var (exit, output, err) = CliRunner.Run("algorithms", "svd");
        Assert.True(exit == 0, err);
        Assert.Contains("svd: predicts ratings", output, StringComparison.Ordinal);
        Assert.Contains("factors (n_factors)", output, StringComparison.Ordinal);
        Assert.Contains("init-std (init_std_dev)", output, StringComparison.Ordinal);
        Assert.Contains("Koren", output, StringComparison.Ordinal);
        (exit, output, _) = CliRunner.Run("algorithms", "knn");
        Assert.Equal(0, exit);
        Assert.Contains("item-knn (also knn): ranks items", output, StringComparison.Ordinal);
        (exit, _, err) = CliRunner.Run("algorithms", "svdd");
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("Unknown algorithm 'svdd'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_refuses_an_unknown_option_naming_it()
    {
        using var tmp = TestData.NewFolder();
        var (exit, _, err) = CliRunner.Run("train", "--data", TestData.MovieLensSmallPath, "--algorithm", "svd", "--param", "factor=3", "--out", Path.Combine(tmp.Path, "m.mrec"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("Unknown option 'factor' for svd", err, StringComparison.Ordinal);
    }
}
