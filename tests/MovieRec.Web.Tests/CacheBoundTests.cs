using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace MovieRec.Web.Tests;

/// <summary>The in-memory cache tier stays within its byte budget under ever-new anonymous requests (found by the soak).</summary>
public sealed class CacheBoundTests
{
    [Fact]
    public async Task Unique_requests_do_not_grow_the_cache_past_its_limit()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:CacheMegabytes"] = "1" });
        var client = await factory.ReadyClientAsync();
        var cache = (MemoryCache)factory.Services.GetRequiredService<IMemoryCache>();
        var movies = Core.Tests.TestData.MovieLensSmall.Catalog.Movies;
        for (int k = 0; k < 600; k++)
        {
            var ratings = Enumerable.Range(0, 10).Select(j => new { movieId = movies[(k * 7 + j * 13) % 2000].Id, rating = 0.5f + (k + j) % 10 * 0.5f }).ToArray();
            // Twice each: a profile's first sighting is not kept in memory (Recommender's doorkeeper), the second is.
            for (int time = 0; time < 2; time++)
            {
                var response = await client.PostJson("/api/v1/recommendations", new { ratings, n = 20, algorithm = "sequential" });
                response.EnsureSuccessStatusCode();
            }
        }
        var stats = cache.GetCurrentStatistics()!;
        Assert.True(stats.CurrentEstimatedSize is > 0 and <= 1 << 20, $"cache holds {stats.CurrentEstimatedSize} bytes in {stats.CurrentEntryCount} entries");
    }
}
