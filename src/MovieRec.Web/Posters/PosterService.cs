using System.Collections.Concurrent;
using System.Text.Json;
using MovieRec.Core.Data;

namespace MovieRec.Web.Posters;

/// <summary>
/// Poster URLs from OMDb (by IMDb id) when an API key is configured (OMDB_API_KEY or Omdb:ApiKey). Answers are cached
/// for the process (misses too; one instance, a singleton) and each lookup has a short timeout: no key, no network or a slow OMDb mean no poster URL (the caller
/// shows a generated one), never a failed page or request.
/// </summary>
public sealed class PosterService(IHttpClientFactory clients, IConfiguration configuration, ILogger<PosterService> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);
    private readonly string? _key = configuration["OMDB_API_KEY"] is { Length: > 0 } k ? k : configuration["Omdb:ApiKey"];
    private readonly Uri _endpoint = new(configuration["Omdb:Endpoint"] is { Length: > 0 } e ? e : "https://www.omdbapi.com/");

    public bool Enabled => !string.IsNullOrEmpty(_key);

    public async Task<string?> FindUrlAsync(Movie movie, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(movie);
        if (!Enabled || movie.ImdbTconst is not { } imdb) return null;
        if (_cache.TryGetValue(imdb, out var cached)) return cached;
        string? url = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var requestUri = new Uri(_endpoint, $"?i={Uri.EscapeDataString(imdb)}&apikey={Uri.EscapeDataString(_key!)}");
            using var http = clients.CreateClient(nameof(PosterService));
            using var response = await http.GetAsync(requestUri, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), cancellationToken: timeout.Token).ConfigureAwait(false);
                if (document.RootElement.TryGetProperty("Poster", out var poster) && poster.GetString() is { } p
                    && Uri.TryCreate(p, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
                    url = p;
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            // The key never appears in logs: only the movie and the kind of failure.
            logger.LogInformation("No OMDb poster for {Imdb}: {Problem}", imdb, e.GetType().Name);
        }
        _cache[imdb] = url;
        return url;
    }
}
