using System.Net;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>A restart loads the saved model, and a corrupt saved model is refused and a new one trained.</summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelRestartTests
{
    [Fact]
    public async Task A_restart_loads_the_saved_model_instead_of_training()
    {
        string folder = TestData.NewFolder().Path;
        string version;
        float[] before = new float[40];
        await using (var first = new ServiceFactory(dataDirectory: folder))
        {
            await first.ReadyClientAsync();
            version = first.Host.Current!.Version;
            Predictions(first.Host.Current, before);
        }
        await using var second = new ServiceFactory(dataDirectory: folder);
        await second.ReadyClientAsync();
        var loaded = second.Host.Current!;
        Assert.Equal(version, loaded.Version);
        // The file's copy of each user's ratings is dropped for the training ratings' own rows (one copy, not two),
        // and the model predicts and excludes exactly as the one that was saved.
        Assert.True(loaded.Svd.SharesRatingsWith(loaded.Train.ByUser));
        float[] after = new float[40];
        Predictions(loaded, after);
        Assert.Equal(before, after);
    }

    private static void Predictions(ServingModel model, float[] into)
    {
        var train = model.Train;
        for (int k = 0; k < into.Length; k++)
        {
            int user = k * 13 % train.UserCount, item = k * 97 % train.ItemCount;
            into[k] = model.Svd.Predict(user, item) + model.Svd.RatedBy(user).Length;
        }
    }

    [Fact]
    public async Task A_corrupt_saved_model_is_refused_at_start_and_a_new_one_trained()
    {
        string folder = TestData.NewFolder().Path;
        string version, file;
        await using (var first = new ServiceFactory(dataDirectory: folder))
        {
            await first.ReadyClientAsync();
            version = first.Host.Current!.Version;
            file = Path.Combine(folder, "models", first.Host.Current!.Report.File);
        }
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length / 2)]);
        await using var second = new ServiceFactory(dataDirectory: folder);
        var client = await second.ReadyClientAsync();
        Assert.NotEqual(version, second.Host.Current!.Version);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/1/recommendations")).StatusCode);
    }
}
