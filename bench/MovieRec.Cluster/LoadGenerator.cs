using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MovieRec.Cluster;

/// <summary>The bounds of a load run: it stops at whichever comes first, the time or the request count.</summary>
internal sealed record LoadOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many HTTP requests (retries included).</summary>
    public int MaxRequests { get; init; } = 1_000_000;

    /// <summary>Concurrent clients, each one anonymous user after another.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>Ratings each anonymous user gives before the next user starts.</summary>
    public int RatingsPerUser { get; init; } = 6;

    /// <summary>Tries per operation: a failed request is sent again after a short pause.</summary>
    public int MaxAttempts { get; init; } = 12;

    public int Seed { get; init; } = 42;
}

/// <summary>One HTTP request: when (ms since the load started), what, and how it ended (status 0: no response).</summary>
internal sealed record Attempt(string Operation, double StartMs, double EndMs, int Status, int Try, string? ModelVersion, string? Error)
{
    public bool Ok => Status is >= 200 and < 300;
}

/// <summary>A rating the service acknowledged with 2xx, and so must have stored.</summary>
internal sealed record AcknowledgedRating(string Token, long MovieId, float Rating, double AtMs);

/// <summary>Everything a load run saw.</summary>
internal sealed class LoadResult
{
    public required IReadOnlyList<Attempt> Attempts { get; init; }

    public required IReadOnlyList<AcknowledgedRating> Acknowledged { get; init; }

    /// <summary>Operations that never succeeded, every try used up (or a 4xx that no retry fixes).</summary>
    public required int OperationsFailed { get; init; }

    /// <summary>Operations whose first try failed and a later one succeeded.</summary>
    public required int RetriesSucceeded { get; init; }

    public required int Operations { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public double Percentile(double p) => Percentile(Attempts.Where(a => a.Ok), p);

    /// <summary>The <paramref name="p"/> quantile of the attempts' latencies (ms), NaN when there are none.</summary>
    public static double Percentile(IEnumerable<Attempt> attempts, double p)
    {
        var latencies = attempts.Select(a => a.EndMs - a.StartMs).Order().ToArray();
        if (latencies.Length == 0) return double.NaN;
        return latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Length) - 1, 0, latencies.Length - 1)];
    }
}

/// <summary>
/// Anonymous users through the load balancer: each creates a session, rates movies (PUT /me/ratings/{id}), asks for
/// its recommendations (GET /me/recommendations) and for recommendations of the same ratings sent in the body
/// (POST /recommendations), from one algorithm per user, taking every algorithm the service offers in turn. A failed request is retried like a client would; every 2xx rating is recorded.
/// </summary>
internal sealed class LoadGenerator(Uri baseUrl, LoadOptions options, Stopwatch clock)
{
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<AcknowledgedRating> _acknowledged = new();
    private int _requests;
    private int _operations;
    private int _failed;
    private int _retried;

    /// <summary>Runs until the duration or the request budget is spent, or <paramref name="stop"/> is cancelled.</summary>
    public async Task<LoadResult> RunAsync(CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        long[] movies = await PopularMoviesAsync(client, stop).ConfigureAwait(false);
        _algorithms = await AlgorithmsAsync(client, stop).ConfigureAwait(false);
        var started = clock.Elapsed;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(options.Duration);
        var workers = Enumerable.Range(0, options.Connections)
            .Select(w => Task.Run(() => WorkerAsync(client, movies, new Random(options.Seed + w), deadline.Token), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new LoadResult
        {
            Attempts = [.. _attempts.OrderBy(a => a.StartMs)],
            Acknowledged = [.. _acknowledged],
            OperationsFailed = _failed,
            RetriesSucceeded = _retried,
            Operations = _operations,
            Elapsed = clock.Elapsed - started,
        };
    }

    private string[] _algorithms = [];
    private int _users;

    /// <summary>The algorithms the service offers (GET /algorithms: an object keyed by name, or a list of objects with a name).</summary>
    internal static async Task<string[]> AlgorithmsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var body = await client.GetFromJsonAsync<JsonDocument>("api/v1/algorithms", cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterException("GET /api/v1/algorithms returned nothing");
        var root = body.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items)) root = items;
        return root.ValueKind == JsonValueKind.Array
            ? [.. root.EnumerateArray().Select(a => a.GetProperty("name").GetString()!)]
            : [.. root.EnumerateObject().Select(p => p.Name)];
    }

    private bool Spent(CancellationToken deadline) => deadline.IsCancellationRequested || Volatile.Read(ref _requests) >= options.MaxRequests;

    private static async Task<long[]> PopularMoviesAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var page = await client.GetFromJsonAsync<JsonDocument>("api/v1/movies?pageSize=100", cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterException("GET /api/v1/movies returned nothing");
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("movieId").GetInt64())];
    }

    private async Task WorkerAsync(HttpClient client, long[] movies, Random random, CancellationToken deadline)
    {
        while (!Spent(deadline))
        {
            var session = await SendAsync(client, "POST /sessions", () => new HttpRequestMessage(HttpMethod.Post, "api/v1/sessions")).ConfigureAwait(false);
            if (session is null) continue;
            string token;
            using (var body = JsonDocument.Parse(session))
                token = body.RootElement.GetProperty("token").GetString()!;
            // Each user asks one algorithm, in turn: every algorithm the service offers is under load.
            string algorithm = _algorithms[Interlocked.Increment(ref _users) % _algorithms.Length];
            var rated = new Dictionary<long, float>();
            while (rated.Count < options.RatingsPerUser && !Spent(deadline))
            {
                long movie = movies[random.Next(movies.Length)];
                if (rated.ContainsKey(movie)) continue;
                float rating = random.Next(1, 11) / 2f;
                string json = string.Create(CultureInfo.InvariantCulture, $"{{\"rating\":{rating}}}");
                var ok = await SendAsync(client, "PUT /me/ratings", () => Authorized(HttpMethod.Put, $"api/v1/me/ratings/{movie}", token, json)).ConfigureAwait(false);
                if (ok is null) continue;
                rated[movie] = rating;
                _acknowledged.Enqueue(new AcknowledgedRating(token, movie, rating, clock.Elapsed.TotalMilliseconds));
                if (rated.Count % 2 == 0 && !Spent(deadline))
                    await SendAsync(client, "GET /me/recommendations", () => Authorized(HttpMethod.Get, $"api/v1/me/recommendations?n=10&algorithm={algorithm}", token, null)).ConfigureAwait(false);
            }
            if (rated.Count == 0 || Spent(deadline)) continue;
            string profile = JsonSerializer.Serialize(new { ratings = rated.Select(r => new { movieId = r.Key, rating = r.Value }), n = 10, algorithm });
            await SendAsync(client, "POST /recommendations", () => Json(HttpMethod.Post, "api/v1/recommendations", profile)).ConfigureAwait(false);
        }
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token, string? json)
    {
        var request = json is null ? new HttpRequestMessage(method, path) : Json(method, path, json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    /// <summary>Sends until a 2xx (returns its body) or the tries are used up (null); records every try.</summary>
    private async Task<string?> SendAsync(HttpClient client, string operation, Func<HttpRequestMessage> request)
    {
        Interlocked.Increment(ref _operations);
        for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            Interlocked.Increment(ref _requests);
            double start = clock.Elapsed.TotalMilliseconds;
            int status = 0;
            string? error = null, version = null, body = null;
            try
            {
                using var message = request();
                using var response = await client.SendAsync(message).ConfigureAwait(false);
                status = (int)response.StatusCode;
                version = response.Headers.TryGetValues("X-Model-Version", out var v) ? v.FirstOrDefault() : null;
                body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) error = body.Length > 300 ? body[..300] : body;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            _attempts.Enqueue(new Attempt(operation, start, clock.Elapsed.TotalMilliseconds, status, attempt, version, error));
            if (status is >= 200 and < 300)
            {
                if (attempt > 1) Interlocked.Increment(ref _retried);
                return body;
            }
            // A 4xx other than throttling is the client's mistake: sending it again cannot help.
            if (status is >= 400 and < 500 and not (int)HttpStatusCode.TooManyRequests and not (int)HttpStatusCode.RequestTimeout) break;
            await Task.Delay(Math.Min(100 * attempt * attempt, 2000)).ConfigureAwait(false);
        }
        Interlocked.Increment(ref _failed);
        return null;
    }
}
