using System.Globalization;
using System.Text.RegularExpressions;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Models;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>`train` saves ranking models and `recommend --model` serves them: top-N with scores, no rating column.</summary>
public class RankingModelCommandTests
{
    [Theory]
    [InlineData("popularity")]
    [InlineData("ease", "max-items=800")]
    public void Train_then_recommend_a_ranking_model_for_a_user_and_for_new_ratings(string algorithm, params string[] parameters)
    {
        using var tmp = TestData.NewFolder();
        string path = Path.Combine(tmp.Path, $"{algorithm}.mrec");
        var args = new List<string> { "train", "--data", TestData.MovieLensSmallPath, "--algorithm", algorithm, "--threads", "1", "--out", path };
        foreach (var p in parameters) args.AddRange(["--param", p]);
        var (exit, output, error) = CliRunner.Run([.. args]);
        Assert.True(exit == 0, error);
        Assert.Contains($"trained {algorithm}(", output);
        Assert.Contains("saved", output);

        // What the library gives for the same file: the CLI must print exactly these movies in this order.
        var model = PersistentModels.Load(path);
        var header = ((IPersistentModel)model).Header;
        var scorer = model;
        int user = header.UserIds.ToDense("1");
        var scores = new float[scorer.ItemCount];
        scorer.Score(user, scores);
        var rated = ((IUserHistory)model).RatedBy(user).ToArray().Order().ToArray();
        var counts = new int[header.ItemIds.Count];
        for (int u = 0; u < header.UserIds.Count; u++)
        {
            foreach (int i in ((IUserHistory)model).RatedBy(u)) counts[i]++;
        }
        var expected = TopN.Select(scores, 6, TieBreak.ByTrainingRatings(counts), rated);

        (exit, output, error) = CliRunner.Run("recommend", "--model", path, "--user", "1", "-n", "6");
        Assert.True(exit == 0, error);
        Assert.Contains($"Top 6 for user 1 ({algorithm})", output);
        Assert.Contains("score", output);
        Assert.DoesNotContain("predicted", output);
        var rows = Rows(output);
        Assert.Equal(expected.Select(e => header.ItemIds.ToRaw(e.Item)), rows.Select(r => r.Movie));
        Assert.Equal(expected.Select(e => e.Score.ToString("0.0000", CultureInfo.InvariantCulture)), rows.Select(r => r.Score));
        Assert.DoesNotContain(rows, r => rated.Contains(header.ItemIds.ToDense(r.Movie)));

        (exit, output, error) = CliRunner.Run("recommend", "--model", path, "--rate", "1=5,260=4.5,1196=5,999999=3", "-n", "5");
        Assert.True(exit == 0, error);
        Assert.Contains("a new user with 3 rating(s)", output);
        Assert.Contains("999999", error);
        rows = Rows(output);
        Assert.Equal(5, rows.Count);
        Assert.DoesNotContain(rows, r => r.Movie is "1" or "260" or "1196");

        // The service's path for new ratings (NewUserRecommendations): a ranking model folds in what was liked, so a
        // 1-star rating only leaves its movie out of the list; the same movies, in the same order, as the library gives.
        var profile = new[] { new ItemRating(header.ItemIds.ToDense("1"), 5), new ItemRating(header.ItemIds.ToDense("2"), 1) };
        var service = NewUserRecommendations.Recommend(model, profile, header.Scale, 5, TieBreak.ByTrainingRatings(counts));
        (exit, output, error) = CliRunner.Run("recommend", "--model", path, "--rate", "1=5,2=1", "-n", "5");
        Assert.True(exit == 0, error);
        Assert.Equal(service.Select(e => header.ItemIds.ToRaw(e.Item)), Rows(output).Select(r => r.Movie));
        (exit, var liked, error) = CliRunner.Run("recommend", "--model", path, "--rate", "1=5", "-n", "6");
        Assert.True(exit == 0, error);
        Assert.Equal(Rows(liked).Select(r => r.Movie).Where(m => m != "2").Take(5), Rows(output).Select(r => r.Movie));
        // ease is offered to new users; the most-popular list is not (the same list for everyone), and says so.
        if (algorithm == "ease") Assert.DoesNotContain("note:", error);
        else Assert.Contains($"note: the service does not offer {algorithm} for a handful of ratings", error);
    }

    /// <summary>A rating model asked for a new user's list answers, and says why the service would not offer it.</summary>
    [Fact]
    public void A_rating_model_s_list_for_new_ratings_says_the_service_does_not_offer_it()
    {
        using var tmp = TestData.NewFolder();
        string path = Path.Combine(tmp.Path, "svd.mrec");
        var (exit, _, error) = CliRunner.Run("train", "--data", TestData.MovieLensSmallPath, "--algorithm", "svd", "--param", "epochs=2", "--threads", "1", "--out", path);
        Assert.True(exit == 0, error);
        (exit, var output, error) = CliRunner.Run("recommend", "--model", path, "--rate", "1=5,260=4.5", "-n", "3");
        Assert.True(exit == 0, error);
        Assert.Contains("Top 3 for a new user with 2 rating(s) (svd)", output);
        Assert.Contains("note: the service does not offer svd for a handful of ratings: it predicts how many stars", error);
        Assert.Contains("train taste", error);
    }

    internal static List<(string Movie, string Score)> Rows(string output) =>
        [.. Regex.Matches(output, @"^│\s*\d+\s*│\s*(\S+)\s*│\s*(-?[0-9.]+)\s*│\s*$", RegexOptions.Multiline).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
}
