using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>
/// The service in-process on ml-latest-small (MOVIEREC_DATA), with its own temp data directory (SQLite ratings,
/// models) and any extra settings a test class needs.
/// </summary>
public class ServiceFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key";
    private readonly Dictionary<string, string?> _settings;

    public ServiceFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? TestData.NewFolder().Path;
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["MovieRec:DataDirectory"] = DataDirectory,
            ["MovieRec:WarmUp"] = "false",
            ["MovieRec:ModelWatchInterval"] = "00:00:00",
            ["MovieRec:TrainingThreads"] = "1",
            ["MovieRec:RateLimitPerMinute"] = "0",
            // Lexical search unless a test names a model: embedding the catalogue costs a core-minute per cold cache.
            ["MovieRec:EmbeddingModel"] = "off",
            // A request that names no algorithm gets item-knn (trained in about a second) rather than the product's
            // default, taste (about 15 s on one thread), unless a test sets it: most tests ask for a list only to see
            // that the service answers. ServiceFixture and the tests of the default itself set the product's default.
            ["MovieRec:DefaultAlgorithm"] = "item-knn",
            ["Admin:ApiKey"] = AdminKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        Environment.SetEnvironmentVariable("MOVIEREC_DATA", TestData.DatasetsRoot);
    }

    public string DataDirectory { get; }

    public ModelHost Host => Services.GetRequiredService<ModelHost>();

    /// <summary>Replaces services for this test (a fake clock, say), after the service's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    /// <summary>A client once start-up has finished (model serving, metadata joined).</summary>
    public async Task<HttpClient> ReadyClientAsync()
    {
        var client = CreateClient();
        await Host.Started.WaitAsync(TimeSpan.FromMinutes(2));
        return client;
    }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient AdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms; fails the test after 30 s, naming <paramref name="what"/>.</summary>
    public static async Task WaitFor(Func<bool> condition, string what = "the condition")
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the catalogue's embeddings are built (search is hybrid from then on).</summary>
    public async Task WaitForSemanticAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Host.CatalogOrNull?.Search.Status.State != Core.Search.SemanticState.Ready)
        {
            var status = Host.CatalogOrNull?.Search.Status;
            if (status?.State == Core.Search.SemanticState.Failed) throw new InvalidOperationException(status.Message);
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"semantic search not ready after 3 minutes: {status}");
            await Task.Delay(100);
        }
    }
}

/// <summary>JSON helpers for the tests.</summary>
public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: not JSON: {text[..Math.Min(500, text.Length)]}", e);
        }
    }

    /// <summary>Asserts a ProblemDetails answer with the status and, when given, the field named in its errors or detail.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, int status, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Json();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        if (field is not null)
        {
            bool named = (body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _))
                || (body.TryGetProperty("detail", out var detail) && detail.GetString()!.Contains(field, StringComparison.Ordinal));
            Assert.True(named, $"the problem does not name '{field}': {body}");
        }
        return body;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);
}
