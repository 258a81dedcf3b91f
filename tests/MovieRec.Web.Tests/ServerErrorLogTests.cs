using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MovieRec.Core.Tests;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>What the service logs for a request it failed: the path the client asked for, not the error page's.</summary>
public sealed class ServerErrorLogTests
{
    [Fact]
    public async Task A_500_is_logged_with_the_path_the_client_asked_for()
    {
        // Was "Unhandled error for GET /error": the exception middleware has re-pointed the request by then.
        string data = TestData.NewFolder().Path;
        var log = new ErrorLog();
        await using var factory = new ServiceFactory(dataDirectory: data)
        {
            TestServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(log);
                services.AddSingleton(_ => InterceptingStore.Wrap(new SqliteRatingStore($"Data Source={Path.Combine(data, "ratings.db")}"),
                    (_, method, _) => method.Name == nameof(IRatingStore.GetRatingsAsync)
                        ? Task.FromException<IReadOnlyList<StoredRating>>(new InvalidOperationException("a bug"))
                        : null));
            },
        };
        var client = await factory.ReadyClientAsync();
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());

        await (await client.GetAsync("/api/v1/me/ratings")).AssertProblem(500);

        string error = Assert.Single(log.Errors, e => e.StartsWith("Unhandled error", StringComparison.Ordinal));
        Assert.Equal("Unhandled error for GET /api/v1/me/ratings", error);
    }
}
