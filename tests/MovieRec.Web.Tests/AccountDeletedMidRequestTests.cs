using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// DELETE /me racing a PUT /me/ratings: the rating's write finds its account gone. Was a 503 "a backing service is
/// unavailable; retry shortly" (the foreign key's DbException), which a retry can never fix.
/// </summary>
public sealed class AccountDeletedMidRequestTests
{
    [Fact]
    public async Task A_rating_for_an_account_deleted_meanwhile_is_a_404_problem_and_stores_nothing()
    {
        string data = TestData.NewFolder().Path;
        await using var factory = new ServiceFactory(dataDirectory: data)
        {
            // The store deletes the account just before the rating's write: what DELETE /me does when it wins the race.
            TestServices = services => services.AddSingleton(_ => InterceptingStore.Wrap(new SqliteRatingStore($"Data Source={Path.Combine(data, "ratings.db")}"),
                (store, method, args) =>
                {
                    if (method.Name == nameof(IRatingStore.UpsertRatingAsync)) store.DeleteAccountAsync((long)args[0]!).GetAwaiter().GetResult();
                    return null;
                })),
        };
        var client = await factory.ReadyClientAsync();
        var session = await (await client.PostAsync("/api/v1/sessions", null)).Json();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());

        var response = await client.PutAsJsonAsync("/api/v1/me/ratings/1", new { rating = 4 });

        var problem = await response.AssertProblem(404);
        Assert.Contains("account", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal(0, await factory.Services.GetRequiredService<IRatingStore>().CountRatingsAsync());
    }
}
