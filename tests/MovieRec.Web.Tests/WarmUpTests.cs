using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>
/// The start-up warm-up asks for every page in <see cref="ModelWarmer.WarmedPages"/> at every start of every replica:
/// none of them may start background work. The dashboard did (its first visit starts the per-algorithm evaluation,
/// every served algorithm trained again: 875 MiB resident after start instead of 360, and minutes of a core).
/// </summary>
public sealed class WarmUpTests
{
    [Fact]
    public async Task No_warmed_page_starts_the_dashboard_evaluation()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        var evaluation = factory.Services.GetRequiredService<EvaluationReport>();
        foreach (string path in ModelWarmer.WarmedPages)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
            Assert.True(evaluation.Latest is null, $"{path} started the dashboard's evaluation");
        }
    }

    [Fact]
    public async Task The_dashboard_evaluation_gives_its_memory_back_when_done()
    {
        // Each served algorithm is trained again: its models are garbage in the large object heap once the rows are
        // done (one visit left a replica at 1,080 MiB resident instead of 360 for good). A compaction follows the run.
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:ServedAlgorithms"] = "item-knn" });
        var client = await factory.ReadyClientAsync();
        var evaluation = factory.Services.GetRequiredService<EvaluationReport>();
        var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        dashboard.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(dashboard)).StatusCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (evaluation.Latest is not { Finished: not null })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the evaluation did not finish");
            await Task.Delay(50);
        }
        // Finished is set just before the run asks: wait for the ask, then see it was one.
        while (evaluation.CompactionsAsked == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(70), "no compaction followed the evaluation");
            await Task.Delay(50);
        }
        Assert.Equal(1, evaluation.CompactionsAsked);
    }
}
