using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// One replica of the service in-process, with its own metrics registry (the default registry is shared by every
/// factory in the test process, so per-replica cache hits are counted here).
/// </summary>
public sealed class ReplicaFactory(IDictionary<string, string?> settings, string? dataDirectory = null) : ServiceFactory(settings, dataDirectory)
{
    public ServiceMetrics Metrics => Services.GetRequiredService<ServiceMetrics>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton(new ServiceMetrics(Prometheus.Metrics.NewCustomRegistry())));
    }

    /// <summary>Settings for PostgreSQL ratings and, when given, Redis as the shared cache tier.</summary>
    public static Dictionary<string, string?> Settings(string? postgres, string? redis)
    {
        var settings = new Dictionary<string, string?>();
        if (postgres is not null) settings["ConnectionStrings:Ratings"] = postgres;
        if (redis is not null) settings["Redis:Configuration"] = redis;
        return settings;
    }
}

/// <summary>Client-side helpers shared by the integration and fault tests.</summary>
public static class Clients
{
    /// <summary>A new account's token (POST /sessions).</summary>
    public static async Task<string> NewTokenAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsync(new Uri("/api/v1/sessions", UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /sessions: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Json()).GetProperty("token").GetString()!;
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The movie ids of a recommendation list answer.</summary>
    public static async Task<List<long>> MovieIds(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64())];
    }

    /// <summary>The status of /health/ready and its checks' statuses and descriptions.</summary>
    public static async Task<(int Status, Dictionary<string, (string Status, string? Description)> Checks)> ReadinessAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Json();
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(
            p => p.Name, p => (p.Value.GetProperty("status").GetString()!, p.Value.GetProperty("description").GetString()));
        return ((int)response.StatusCode, checks);
    }

    /// <summary>Movie ids of ml-latest-small (from movies.csv), in file order.</summary>
    public static long[] MovieLensIds(int count)
    {
        var ids = new List<long>(count);
        foreach (var line in File.ReadLines(Path.Combine(Core.Tests.TestData.MovieLensSmallPath, "movies.csv")).Skip(1))
        {
            int comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && long.TryParse(line.AsSpan(0, comma), System.Globalization.CultureInfo.InvariantCulture, out long id)) ids.Add(id);
            if (ids.Count == count) break;
        }
        return [.. ids];
    }
}
