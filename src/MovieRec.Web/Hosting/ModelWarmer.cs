using System.Diagnostics;
using System.Globalization;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Readiness means ready: before a model version is promoted (at start, after a retrain, when another replica's model
/// is picked up, when the metadata is joined) every algorithm the service offers is trained and has answered one
/// request through the path real requests take, and the catalogue's indexes are built, so the first request after
/// /health/ready turns green, or after a swap, finds nothing cold. The algorithms come from
/// <see cref="AlgorithmChoices.All"/> (the one list of what the service serves); they are trained one after another,
/// so warming a candidate takes one core at a time from the requests the current model is still serving.
/// </summary>
public sealed class ModelWarmer(ILogger<ModelWarmer> logger)
{
    /// <summary>Warms <paramref name="model"/> and <paramref name="catalog"/>; returns the seconds each part took.</summary>
    public async Task<IReadOnlyDictionary<string, double>> WarmAsync(ServingModel model, CatalogIndex catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(catalog);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        await Task.Run(catalog.WarmUp, cancellationToken).ConfigureAwait(false);
        _ = model.Explainer;
        seconds["catalogue"] = clock.Elapsed.TotalSeconds;
        foreach (var algorithm in AlgorithmChoices.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Restart();
            await model.GetAsync(algorithm.Name).WaitAsync(cancellationToken).ConfigureAwait(false);
            // One list for a new visitor and one for a dataset user: what the first request builds besides the model.
            await Recommender.WarmAsync(model, algorithm.Name, cancellationToken).ConfigureAwait(false);
            seconds[algorithm.Name] = clock.Elapsed.TotalSeconds;
        }
        logger.LogInformation("Warmed model {Version} (catalogue generation {Generation}) in {Seconds:0.0} s: {Parts}", model.Version, catalog.Generation,
            total.Elapsed.TotalSeconds, string.Join(", ", seconds.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.00} s"))));
        return seconds;
    }

    /// <summary>
    /// The first request of each kind pays for compiling its code path (routing, binding, JSON, Razor): at start,
    /// once, the service sends itself one of each through its own listener before it says it is ready. Skipped when
    /// there is no network listener (in-process tests).
    /// </summary>
    public async Task WarmRequestsAsync(Microsoft.AspNetCore.Hosting.Server.IServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        string? address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var baseUri))
            return;
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        int ok = 0, failed = 0;
        async Task Send(HttpRequestMessage request)
        {
            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) ok++;
                else failed++;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failed++; // a warm-up request that fails costs nothing but its warmth
            }
            finally
            {
                request.Dispose();
            }
        }
        HttpRequestMessage Page(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html");
            return request;
        }
        foreach (var algorithm in AlgorithmChoices.All)
        {
            await Send(new HttpRequestMessage(HttpMethod.Post, "/api/v1/recommendations")
            {
                Content = new StringContent($"{{\"ratings\":[],\"n\":1,\"algorithm\":\"{algorithm.Name}\"}}", System.Text.Encoding.UTF8, "application/json"),
            }).ConfigureAwait(false);
        }
        foreach (string path in new[] { "/api/v1/movies?pageSize=1", "/api/v1/search?q=star", "/api/v1/users/1/recommendations?n=1" })
            await Send(new HttpRequestMessage(HttpMethod.Get, path)).ConfigureAwait(false);
        foreach (string path in new[] { "/", "/movies/1", "/search?q=star", "/recommendations", "/clusters" })
            await Send(Page(path)).ConfigureAwait(false);
        logger.LogInformation("Warmed the request paths with {Ok} requests to {Address} ({Failed} not 2xx) in {Seconds:0.00} s", ok, baseUri, failed, clock.Elapsed.TotalSeconds);
    }
}
