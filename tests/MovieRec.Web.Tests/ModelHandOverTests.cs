using System.Net;
using MovieRec.Core.Models;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Models;

namespace MovieRec.Web.Tests;

/// <summary>
/// Factors trained on Spark, imported with the dataset's ids and dropped into the model directory's incoming folder,
/// become the served model version: recommendations equal the direct dot-product ranking, fold-in works; a file for
/// other movie ids is refused and the current model keeps serving.
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelHandOverTests
{
    [Fact]
    public async Task A_spark_als_model_dropped_into_incoming_serves_and_a_mismatched_one_is_refused()
    {
        string models = TestData.NewFolder().Path;
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["MovieRec:ModelDirectory"] = models,
            ["MovieRec:ModelWatchInterval"] = "00:00:00.2",
        });
        var client = await factory.ReadyClientAsync();
        string before = factory.Host.Current!.Version;
        var ratings = TestData.MovieLensSmall.Ratings;

        // Spark's layout: factors for every user and rated movie (rank 8), imported aligned to the dataset.
        string spark = TestData.NewFolder().Path;
        int rank = 8;
        int[] userIds = [.. ratings.UserIds.NumericIds.ToArray().Select(id => (int)id)];
        int[] itemIds = [.. ratings.ItemIds.NumericIds.ToArray().Select(id => (int)id)];
        var itemFactors = SparkAlsFixture.RandomFactors(itemIds.Length, rank, seed: 2);
        SparkAlsFixture.Write(spark, rank, userIds, SparkAlsFixture.RandomFactors(userIds.Length, rank, seed: 1), itemIds, itemFactors);
        var imported = SparkAlsImport.Import(spark, new SparkAlsImportOptions { AlignTo = ratings });
        string incoming = Path.Combine(models, "incoming");
        Directory.CreateDirectory(incoming);
        string staged = Path.Combine(models, "als.tmp");
        ModelFile.Save(staged, imported.Model, ModelFile.Fingerprint(ratings));
        File.Move(staged, Path.Combine(incoming, "als.mrec"));
        File.SetLastWriteTimeUtc(Path.Combine(incoming, "als.mrec"), DateTime.UtcNow.AddSeconds(-5));

        await ServiceFactory.WaitFor(() => factory.Host.Current!.Version != before);
        var current = factory.Host.Current!;
        Assert.Equal("spark-als", current.Report.Algorithm);
        Assert.True(File.Exists(Path.Combine(incoming, "done", "als.mrec")));

        // Dataset user 1 through the API equals the direct dot-product ranking over movies they did not rate.
        var body = await (await client.GetAsync("/api/v1/users/1/recommendations?n=5&algorithm=svd")).Json();
        var served = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()).ToList();
        Assert.Equal(current.Version, body.GetProperty("modelVersion").GetString());
        int user = Array.IndexOf(userIds, 1);
        var userVector = SparkAlsFixture.RandomFactors(userIds.Length, rank, seed: 1).AsSpan(user * rank, rank).ToArray();
        var rated = ratings.ByUser.RowColumns(ratings.UserIds.ToDense(1)).ToArray().Select(i => ratings.ItemIds.ToRawNumeric(i)).ToHashSet();
        var direct = Enumerable.Range(0, itemIds.Length).Where(i => !rated.Contains(itemIds[i]))
            .Select(i => (Id: (long)itemIds[i], Score: Enumerable.Range(0, rank).Sum(f => (double)userVector[f] * itemFactors[i * rank + f])))
            .OrderByDescending(x => x.Score).Take(5).Select(x => x.Id).ToList();
        Assert.Equal(direct, served);
        // Anonymous fold-in serves from it too.
        Assert.Equal(HttpStatusCode.OK, (await client.PostJson("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5 } } })).StatusCode);

        // Factors for other movie ids (not aligned): refused with the reason, the imported version keeps serving.
        string other = TestData.NewFolder().Path;
        SparkAlsFixture.Write(other, rank, [1, 2, 3], SparkAlsFixture.RandomFactors(3, rank, 3), [10, 20, 30], SparkAlsFixture.RandomFactors(3, rank, 4));
        ModelFile.Save(Path.Combine(models, "bad.tmp"), SparkAlsImport.Import(other).Model);
        File.Move(Path.Combine(models, "bad.tmp"), Path.Combine(incoming, "bad.mrec"));
        File.SetLastWriteTimeUtc(Path.Combine(incoming, "bad.mrec"), DateTime.UtcNow.AddSeconds(-5));
        await ServiceFactory.WaitFor(() => File.Exists(Path.Combine(incoming, "rejected", "bad.mrec.txt")));
        Assert.Contains("movie ids", await File.ReadAllTextAsync(Path.Combine(incoming, "rejected", "bad.mrec.txt")), StringComparison.Ordinal);
        Assert.Equal(current.Version, factory.Host.Current!.Version);
    }
}
