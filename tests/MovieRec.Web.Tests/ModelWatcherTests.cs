using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Models;
using MovieRec.Web.Hosting;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// The model watcher never dies (issue 16): a manifest whose "file" is null and a crafted incoming file (an id map
/// declaring 0x7FFFFFFF ids) are each logged, counted in /metrics and moved aside with the reason, the current model
/// keeps serving, and the next valid model published is still picked up. A manifest read half written is not judged
/// until it has been still for a second. Each refusal is logged when it happens (the
/// watcher used to die with nothing logged until shutdown).
/// </summary>
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelWatcherTests
{
    [Fact]
    public async Task Bad_manifests_and_crafted_files_are_refused_and_the_next_valid_model_is_picked_up()
    {
        using var folder = TestData.NewFolder();
        string models = folder.Path;
        var log = new ErrorLog();
        await using var factory = new ReplicaFactory(new Dictionary<string, string?>
        {
            ["MovieRec:ModelDirectory"] = models,
            ["MovieRec:ModelWatchInterval"] = "00:00:00.2",
        })
        {
            TestServices = s => s.AddSingleton<ILoggerProvider>(log),
        };
        var client = await factory.ReadyClientAsync();
        string first = factory.Host.Current!.Version;
        string manifestPath = Path.Combine(models, ModelTrainer.ManifestName);
        string rejected = Path.Combine(models, "rejected");

        // 1. A manifest naming no file.
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!.AsObject();
        manifest["version"] = "20990101T000000Z-nullfile";
        manifest["file"] = null;
        // Written in place in two parts, as a hand edit or a slow copy would: the half-written manifest (put in place
        // whole, with a modification time ahead of the clock, so no tick of a loaded machine can see it as settled)
        // is not refused as "not a model manifest" (CI caught the watcher moving a half-written one aside); once
        // complete and still for a second it is judged on what it says.
        string text = manifest.ToJsonString();
        string half = manifestPath + ".half";
        await File.WriteAllTextAsync(half, text[..(text.Length / 2)]);
        File.SetLastWriteTimeUtc(half, DateTime.UtcNow.AddHours(1));
        File.Move(half, manifestPath, overwrite: true);
        await Task.Delay(600);
        Assert.True(File.Exists(manifestPath), "the half-written manifest was moved aside");
        Assert.False(Directory.Exists(rejected) && Directory.GetFiles(rejected).Length > 0, "the half-written manifest was refused");
        await using (var rest = new FileStream(manifestPath, FileMode.Append, FileAccess.Write))
            await rest.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text[(text.Length / 2)..]));
        File.SetLastWriteTimeUtc(manifestPath, DateTime.UtcNow);
        // The reason is written beside the manifest just after the move: wait for both, the reason whole.
        await ServiceFactory.WaitFor(() => Directory.Exists(rejected) && Directory.GetFiles(rejected, "current-*.json").Length == 1
            && Directory.GetFiles(rejected, "current-*.json.txt") is [var written] && File.ReadAllText(written).EndsWith('\n'), "the null-file manifest moved aside with its reason");
        Assert.False(File.Exists(manifestPath));
        string reason = await File.ReadAllTextAsync(Directory.GetFiles(rejected, "current-*.json.txt").Single());
        Assert.Contains("\"file\" is missing or null", reason, StringComparison.Ordinal);
        await ServiceFactory.WaitFor(() => log.Errors.Any(e => e.StartsWith("Refused the published model: ", StringComparison.Ordinal) && e.Contains("\"file\" is missing or null", StringComparison.Ordinal)),
            "the refused manifest logged");
        Assert.Equal(first, factory.Host.Current!.Version);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/1/recommendations?algorithm=svd")).StatusCode);

        // 2. A crafted file dropped into incoming/.
        string incoming = Path.Combine(models, "incoming");
        Directory.CreateDirectory(incoming);
        string crafted = Path.Combine(incoming, "crafted.mrec");
        await File.WriteAllBytesAsync(crafted, CraftedModelFile.HugeIdMapCount());
        File.SetLastWriteTimeUtc(crafted, DateTime.UtcNow.AddSeconds(-5));
        string craftedReason = Path.Combine(incoming, "rejected", "crafted.mrec.txt");
        await ServiceFactory.WaitFor(() => File.Exists(craftedReason) && File.ReadAllText(craftedReason).EndsWith('\n'), "the crafted file moved to incoming/rejected with its reason");
        Assert.Contains("declares 2147483647 ids", await File.ReadAllTextAsync(craftedReason), StringComparison.Ordinal);
        await ServiceFactory.WaitFor(() => log.Errors.Any(e => e.StartsWith("Refused the incoming model crafted.mrec: ", StringComparison.Ordinal) && e.Contains("declares 2147483647 ids", StringComparison.Ordinal)),
            "the refused incoming file logged");
        Assert.True(File.Exists(Path.Combine(incoming, "rejected", "crafted.mrec")));
        Assert.Equal(first, factory.Host.Current!.Version);

        // Both counted.
        string metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("movierec_models_refused_total{source=\"manifest\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("movierec_models_refused_total{source=\"incoming\"} 1", metrics, StringComparison.Ordinal);

        // 3. The next valid model published (another replica's retrain) is picked up.
        var trainer = (ModelTrainer)factory.Services.GetService(typeof(ModelTrainer))!;
        var catalog = await factory.Host.CatalogAsync(CancellationToken.None);
        var next = await Task.Run(() => trainer.Train(catalog, [], CancellationToken.None));
        trainer.Publish(next);
        await ServiceFactory.WaitFor(() => factory.Host.Current!.Version == next.Version, "the valid model picked up");
        Assert.NotSame(next, factory.Host.Current); // loaded from the directory by the watcher, not handed over
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/1/recommendations?algorithm=svd")).StatusCode);
    }

}
