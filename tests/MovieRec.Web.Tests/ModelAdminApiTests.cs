namespace MovieRec.Web.Tests;

/// <summary>Admin endpoints: the key asked for first, and the model status with its training metrics.</summary>
public sealed class ModelAdminApiTests
{
    [Fact]
    public async Task Admin_endpoints_need_the_key()
    {
        await using var factory = new ServiceFactory();
        var client = await factory.ReadyClientAsync();
        await (await client.GetAsync("/api/v1/admin/model")).AssertProblem(401);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.PostAsync("/api/v1/admin/retrain", null)).AssertProblem(401);
        await using var noKey = new ServiceFactory(new Dictionary<string, string?> { ["Admin:ApiKey"] = "" });
        await (await (await noKey.ReadyClientAsync()).GetAsync("/api/v1/admin/model")).AssertProblem(403);
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/memory?arrays=maybe")]
    [InlineData("POST", "/api/v1/admin/retrain?wait=maybe")]
    [InlineData("GET", "/api/v1/admin/memory?arrays=2")]
    public async Task Admin_endpoints_ask_for_the_key_before_looking_at_the_parameters(string method, string url)
    {
        await using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        // Without the key, a parameter of the wrong type is not the client's first problem: the key is.
        var body = await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(401);
        Assert.Contains("X-Api-Key", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(401);
        // With the key, the parameter is the problem.
        await (await factory.AdminClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url))).AssertProblem(400);
    }

    [Fact]
    public async Task Model_status_reports_training_metrics_loss_and_data()
    {
        await using var factory = new ServiceFactory();
        await factory.ReadyClientAsync();
        var status = await (await factory.AdminClient().GetAsync("/api/v1/admin/model")).Json();
        var model = status.GetProperty("model");
        Assert.Equal(factory.Host.Current!.Version, model.GetProperty("version").GetString());
        Assert.InRange(model.GetProperty("holdoutRmse").GetDouble(), 0.80, 0.92);
        Assert.Equal(20, model.GetProperty("epochLoss").GetArrayLength());
        var loss = model.GetProperty("epochLoss").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.True(loss[^1] < loss[0]);
        Assert.Equal(100836, model.GetProperty("ratings").GetInt32());
        Assert.Equal(610, status.GetProperty("dataset").GetProperty("users").GetInt32());
        Assert.Equal("sqlite", status.GetProperty("ratingStore").GetString());
        Assert.True(status.GetProperty("ratingStoreAnswers").GetBoolean());
        Assert.Equal(0, status.GetProperty("storedRatings").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("ratingStoreProblem").ValueKind);
    }
}
