using System.Text.RegularExpressions;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Models;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>
/// The entries that could not be saved before (issue 17, item 5): each trains to a file with `movierec train` and
/// recommends from it with `recommend --model`, for a user of the training set (exactly the movies the library ranks
/// from the same file) and for a new user folded in from --rate.
/// </summary>
public class SavedModelCommandTests
{
    [Theory]
    [InlineData("normal")]
    [InlineData("slope-one")]
    [InlineData("coclustering")]
    [InlineData("hybrid")]
    public void Train_then_recommend_from_the_file(string algorithm, params string[] parameters) => TrainThenRecommend(algorithm, parameters);

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("best", "folds=0")]
    [InlineData("best-ranking", "levels=1")]
    public void Train_then_recommend_a_stack_from_the_file(string algorithm, params string[] parameters) => TrainThenRecommend(algorithm, parameters);

    private static void TrainThenRecommend(string algorithm, string[] parameters)
    {
        using var tmp = TestData.NewFolder();
        string path = Path.Combine(tmp.Path, $"{algorithm}.mrec");
        var args = new List<string> { "train", "--data", TestData.MovieLensSmallPath, "--algorithm", algorithm, "--out", path };
        foreach (var p in parameters) args.AddRange(["--param", p]);
        var (exit, output, error) = CliRunner.Run([.. args]);
        Assert.True(exit == 0, error);
        Assert.Contains($"saved {path}", output);

        // What the library ranks from the same file: the CLI must print exactly these movies in this order.
        var model = PersistentModels.Load(path);
        var header = ((IPersistentModel)model).Header;
        var history = (IUserHistory)model;
        int user = header.UserIds.ToDense("1");
        var scores = new float[model.ItemCount];
        model.Score(user, scores);
        var rated = history.RatedBy(user).ToArray().Order().ToArray();
        var counts = new int[header.ItemIds.Count];
        for (int u = 0; u < header.UserIds.Count; u++)
        {
            foreach (int i in history.RatedBy(u)) counts[i]++;
        }
        var expected = TopN.Select(scores, 6, TieBreak.ByTrainingRatings(counts), rated);
        Assert.Equal(6, expected.Length);

        (exit, output, error) = CliRunner.Run("recommend", "--model", path, "--user", "1", "-n", "6");
        Assert.True(exit == 0, error);
        Assert.Contains($"Top 6 for user 1 ({algorithm})", output);
        Assert.Contains(model is IRatingPredictor ? "predicted" : "score", output);
        var rows = RankingModelCommandTests.Rows(output);
        Assert.Equal(expected.Select(e => header.ItemIds.ToRaw(e.Item)), rows.Select(r => r.Movie));

        (exit, output, error) = CliRunner.Run("recommend", "--model", path, "--rate", "1=5,260=4.5,1196=5,2571=4,999999=3", "-n", "5", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("a new user with 4 rating(s)", output);
        Assert.Contains("999999", error);
        var movies = Regex.Matches(output, @"^│\s*\d+\s*│\s*(\S+)\s*│\s*(.*?)\s*│", RegexOptions.Multiline).Select(m => (Id: m.Groups[1].Value, Title: m.Groups[2].Value)).ToList();
        Assert.Equal(5, movies.Count);
        Assert.DoesNotContain(movies, m => m.Id is "1" or "260" or "1196" or "2571");
        Assert.DoesNotContain(movies, m => m.Title is "?" or "");
    }
}
