using System.Net.Http.Json;

namespace MovieRec.Web.Tests;

/// <summary>The memory report, and the compacting collection after a model trains on a request.</summary>
[LongRunning]
[Trait("Category", "Slow")] // a service scenario of seconds: the slow tier (CI runs both)
public sealed class ModelMemoryTests
{
    [Fact]
    public async Task Memory_report_charges_each_part_once_and_names_the_arrays()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        // Two algorithms that share one EASE weight matrix, trained by their first requests.
        foreach (string algorithm in new[] { "ease", "hybrid" })
        {
            var body = new { ratings = RecommendationApiTests.AnimatedFamily.Select(id => new { movieId = id, rating = 5 }), algorithm };
            (await client.PostAsJsonAsync("/api/v1/recommendations", body)).EnsureSuccessStatusCode();
        }
        await (await client.GetAsync("/api/v1/admin/memory")).AssertProblem(401);
        var report = await (await factory.AdminClient().GetAsync("/api/v1/admin/memory?arrays=true")).Json();
        var parts = report.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("part").GetString()!, p => p);
        double ease = parts["ease"].GetProperty("miB").GetDouble();
        Assert.InRange(ease, 5, 10); // B over the ~3,650 items with at least 5 ratings: its n × 512 largest weights, halves and 16-bit columns
        Assert.Contains(parts["ease"].GetProperty("largeArrays").EnumerateArray(), a => a.GetString()!.StartsWith("Ease._b: Half[", StringComparison.Ordinal));
        Assert.InRange(parts["hybrid"].GetProperty("miB").GetDouble(), 0.1, 15); // its EASE is ease's, charged there
        Assert.True(parts.ContainsKey("movies (titles, genres, TMDB cast, directors, keywords, overviews)"));
        double sum = parts.Values.Sum(p => p.GetProperty("miB").GetDouble());
        Assert.Equal(sum, report.GetProperty("partsMiB").GetDouble(), 0.1);
        Assert.True(report.GetProperty("gcHeapMiB").GetDouble() >= sum * 0.8, report.ToString());
        Assert.True(report.GetProperty("workingSetMiB").GetDouble() > report.GetProperty("gcHeapMiB").GetDouble() * 0.5, report.ToString());
    }

    [Fact]
    public async Task A_model_trained_on_its_first_request_is_followed_by_a_compacting_collection()
    {
        // Warm-up off (the factory's default): ease trains on the request that first names it, after start-up, and its
        // temporaries (the float64 Gram matrix and inverse) are garbage in the large object heap that nothing else
        // compacts.
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        await factory.Host.Started;
        long before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        var body = new { ratings = RecommendationApiTests.AnimatedFamily.Select(id => new { movieId = id, rating = 5 }), algorithm = "ease" };
        (await client.PostAsJsonAsync("/api/v1/recommendations", body)).EnsureSuccessStatusCode();
        await ServiceFactory.WaitFor(() => GC.GetGCMemoryInfo(GCKind.FullBlocking) is { Compacted: true } info && info.Index > before);
    }
}
