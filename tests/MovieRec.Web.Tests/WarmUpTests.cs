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
}
