using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace MovieRec.Cluster;

/// <summary>Bounds and timing of the fault scenario.</summary>
internal sealed record FaultOptions
{
    public LoadOptions Load { get; init; } = new();

    /// <summary>When (since the load started) replica 1 is killed with SIGKILL.</summary>
    public TimeSpan KillAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the replica stays dead before it is started again.</summary>
    public TimeSpan DeadFor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The kill window ends this long after the restarted replica is ready (nginx re-admits it).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Load that keeps running after both replicas serve the promoted model.</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Load that runs after the promotion window, counted as steady (with the load before the kill).</summary>
    public TimeSpan SteadyTail { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the replicas may take to serve the same model version after a promotion: the other replica warms the
    /// published model on one low-priority thread under the load (16 algorithms; replica 0's own warm took 135 s of
    /// that in a clean CI run, and 5 minutes were not enough for both).
    /// </summary>
    public TimeSpan ConvergeTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>A time window of the run, in ms since the load started.</summary>
internal sealed record Window(double StartMs, double EndMs)
{
    public bool Overlaps(Attempt a) => a.EndMs >= StartMs && a.StartMs <= EndMs;

    public override string ToString() => $"{StartMs / 1000:0.0}-{EndMs / 1000:0.0} s";
}

/// <summary>What the fault scenario measured and whether each promise held.</summary>
internal sealed record FaultReport
{
    public required int Requests { get; init; }

    public required int Operations { get; init; }

    public required double Seconds { get; init; }

    public required int FailedRequests { get; init; }

    public required int FailedInsideKillWindow { get; init; }

    public required int FailedOutsideKillWindow { get; init; }

    public required int FailedDuringPromotion { get; init; }

    public required int RetriesSucceeded { get; init; }

    /// <summary>Operations that never succeeded, all tries used.</summary>
    public required int OperationsFailed { get; init; }

    public required int RatingsAcknowledged { get; init; }

    public required int RatingsStored { get; init; }

    public required int RatingsLost { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    /// <summary>p99 of the requests outside the kill and promotion windows.</summary>
    public required double SteadyP99Ms { get; init; }

    /// <summary>p99 of the requests that overlap the promotion window (retrain, warm-up, publish, pick-up, swap).</summary>
    public required double PromotionP99Ms { get; init; }

    public required int PromotionRequests { get; init; }

    /// <summary>The first request of each algorithm to the restarted replica, sent the moment /health/ready turned green (ms).</summary>
    public required IReadOnlyDictionary<string, double> FirstRequestsAfterReadyMs { get; init; }

    /// <summary>A promotion may at most double the steady p99 (plus <see cref="PromotionP99SlackMs"/>).</summary>
    public const double PromotionP99Factor = 2;

    /// <summary>
    /// Milliseconds the promotion's p99 may exceed <see cref="PromotionP99Factor"/> times the steady p99 by. On 2 cores the
    /// p99 of a few thousand requests moves by several milliseconds from run to run (on a quiet machine the test cluster's
    /// promotion p99 was once 29.4 ms against about twice a 14 ms steady p99), so below this the ratio measures the
    /// scheduler, not the promotion; what the limit guards against was seconds (2.5 s and 5.9 s before warm promotion).
    /// </summary>
    public const double PromotionP99SlackMs = 10;

    /// <summary>The most the promotion's p99 may be: twice the steady p99, plus the slack.</summary>
    public double PromotionP99LimitMs => PromotionP99Factor * SteadyP99Ms + PromotionP99SlackMs;

    /// <summary>Every algorithm answers its first request after ready within this.</summary>
    public const double FirstRequestLimitMs = 200;

    public required Window KillWindow { get; init; }

    public required Window PromotionWindow { get; init; }

    public required string PromotedVersion { get; init; }

    public required IReadOnlyList<string> ReplicaVersions { get; init; }

    public required IReadOnlyList<string> FailureSamples { get; init; }

    /// <summary>Upstream errors nginx logged (a connection refused or cut by the dead replica): requests it re-sent to the other one.</summary>
    public required int NginxUpstreamErrors { get; init; }

    public bool SameVersion => ReplicaVersions.Distinct().Count() == 1 && ReplicaVersions[0] == PromotedVersion;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (RatingsLost > 0) problems.Add($"{RatingsLost} acknowledged ratings are not in PostgreSQL");
        if (FailedOutsideKillWindow > 0) problems.Add($"{FailedOutsideKillWindow} requests failed outside the kill window");
        if (OperationsFailed > 0) problems.Add($"{OperationsFailed} operations failed on every retry");
        if (FailedDuringPromotion > 0) problems.Add($"{FailedDuringPromotion} requests failed during the model promotion");
        if (!SameVersion) problems.Add($"the replicas serve {string.Join(", ", ReplicaVersions)}, not both {PromotedVersion}");
        if (PromotionP99Ms > PromotionP99LimitMs)
            problems.Add($"the p99 during the promotion ({PromotionP99Ms:0.0} ms) is more than {PromotionP99Factor:0}x the steady p99 ({SteadyP99Ms:0.0} ms) plus {PromotionP99SlackMs:0} ms");
        foreach (var (algorithm, ms) in FirstRequestsAfterReadyMs.Where(f => f.Value > FirstRequestLimitMs))
            problems.Add($"the first {algorithm} request after the restarted replica was ready took {ms:0} ms (limit {FirstRequestLimitMs:0} ms)");
        return problems;
    }
}

/// <summary>
/// The faults scenario of issue 8 on a running cluster: a steady load through nginx; replica 1 is killed with SIGKILL
/// and started again; then replica 0 retrains and promotes a model that replica 1 must pick up from the shared model
/// directory; at the end every acknowledged rating is looked up in PostgreSQL.
/// </summary>
internal static class FaultScenario
{
    public static async Task<FaultReport> RunAsync(LocalCluster cluster, FaultOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        if (cluster.Replicas.Count < 2) throw new ClusterException("The fault scenario needs two replicas.");
        var clock = Stopwatch.StartNew();
        double Now() => clock.Elapsed.TotalMilliseconds;

        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The load runs at least its duration and until the scenario is done (it is stopped then), never past a hard cap.
        var loadOptions = options.Load with { Duration = options.Load.Duration + TimeSpan.FromMinutes(12) };
        var load = new LoadGenerator(cluster.LoadBalancer, loadOptions, clock).RunAsync(stopLoad.Token);
        try
        {
            await Task.Delay(options.KillAfter, cancellationToken).ConfigureAwait(false);
            double killAt = Now();
            cluster.Kill(1);
            log($"{killAt / 1000:0.0} s: killed replica 1 (SIGKILL)");
            await Task.Delay(options.DeadFor, cancellationToken).ConfigureAwait(false);
            await cluster.RestartAsync(1, cancellationToken).ConfigureAwait(false);
            double readyAt = Now();
            log($"{readyAt / 1000:0.0} s: replica 1 restarted and ready");
            var firstRequests = await FirstRequestsAsync(cluster.Replicas[1], cancellationToken).ConfigureAwait(false);
            log($"first request of each algorithm after ready: {string.Join(", ", firstRequests.Select(f => $"{f.Key} {f.Value:0.0} ms"))}");
            var killWindow = new Window(killAt, readyAt + options.Grace.TotalMilliseconds);
            await Task.Delay(options.Grace, cancellationToken).ConfigureAwait(false);

            using var admin = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            double promoteAt = Now();
            using var retrain = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.Replicas[0].Url, "api/v1/admin/retrain"));
            retrain.Headers.Add("X-Api-Key", cluster.AdminKey);
            using var response = await admin.SendAsync(retrain, cancellationToken).ConfigureAwait(false);
            string outcome = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new ClusterException($"POST /admin/retrain: {(int)response.StatusCode} {outcome}");
            string promoted;
            using (var body = JsonDocument.Parse(outcome))
            {
                if (!body.RootElement.GetProperty("promoted").GetBoolean()) throw new ClusterException($"The retrain did not promote: {outcome}");
                promoted = body.RootElement.GetProperty("candidateVersion").GetString()!;
            }
            log($"{Now() / 1000:0.0} s: replica 0 promoted {promoted}");
            var versions = await ConvergeAsync(cluster, admin, promoted, options.ConvergeTimeout, cancellationToken).ConfigureAwait(false);
            double convergedAt = Now();
            log($"{convergedAt / 1000:0.0} s: replicas serve {string.Join(", ", versions)}");
            var promotionWindow = new Window(promoteAt, convergedAt + options.Tail.TotalMilliseconds);

            // The promotion window's tail, then steady load again (at least until the load's duration is reached).
            var remaining = options.Load.Duration - clock.Elapsed;
            var after = options.Tail + options.SteadyTail;
            await Task.Delay(remaining > after ? remaining : after, cancellationToken).ConfigureAwait(false);
            await stopLoad.CancelAsync().ConfigureAwait(false);
            var result = await load.ConfigureAwait(false);
            log($"{Now() / 1000:0.0} s: load done, {result.Attempts.Count} requests; checking PostgreSQL");

            var finalVersions = await VersionsAsync(cluster, admin, cancellationToken).ConfigureAwait(false);
            int stored = await CountStoredAsync(cluster.RatingsConnectionString, result.Acknowledged, cancellationToken).ConfigureAwait(false);
            var failures = result.Attempts.Where(a => !a.Ok).ToList();
            var promotion = result.Attempts.Where(a => a.Ok && promotionWindow.Overlaps(a)).ToList();
            var steady = result.Attempts.Where(a => a.Ok && !promotionWindow.Overlaps(a) && !killWindow.Overlaps(a)).ToList();
            return new FaultReport
            {
                Requests = result.Attempts.Count,
                Operations = result.Operations,
                Seconds = result.Elapsed.TotalSeconds,
                FailedRequests = failures.Count,
                FailedInsideKillWindow = failures.Count(killWindow.Overlaps),
                FailedOutsideKillWindow = failures.Count(a => !killWindow.Overlaps(a)),
                FailedDuringPromotion = failures.Count(promotionWindow.Overlaps),
                RetriesSucceeded = result.RetriesSucceeded,
                OperationsFailed = result.OperationsFailed,
                RatingsAcknowledged = LastAcknowledged(result.Acknowledged).Count,
                RatingsStored = stored,
                RatingsLost = LastAcknowledged(result.Acknowledged).Count - stored,
                P50Ms = result.Percentile(0.50),
                P99Ms = result.Percentile(0.99),
                SteadyP99Ms = LoadResult.Percentile(steady, 0.99),
                PromotionP99Ms = LoadResult.Percentile(promotion, 0.99),
                PromotionRequests = promotion.Count,
                FirstRequestsAfterReadyMs = firstRequests,
                KillWindow = killWindow,
                PromotionWindow = promotionWindow,
                PromotedVersion = promoted,
                ReplicaVersions = finalVersions,
                NginxUpstreamErrors = cluster.NginxUpstreamErrors(),
                FailureSamples = [.. failures.Take(8).Select(a => $"{a.StartMs / 1000:0.00}-{a.EndMs / 1000:0.00} s {a.Operation} try {a.Try}: {a.Status} {a.Error}")],
            };
        }
        finally
        {
            await stopLoad.CancelAsync().ConfigureAwait(false);
            try
            {
                await load.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or ClusterException)
            {
                // Already failing; the scenario's own exception says why.
            }
        }
    }

    /// <summary>
    /// One request per algorithm, straight to <paramref name="replica"/>, each timed (ms): POST /recommendations for those
    /// offered to new users, the first dataset user's list for the rest (rating models serve dataset users only).
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, double>> FirstRequestsAsync(Replica replica, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = replica.Url, Timeout = TimeSpan.FromMinutes(2) };
        var times = new Dictionary<string, double>(StringComparer.Ordinal);
        var forNewUsers = new HashSet<string>(await LoadGenerator.AlgorithmsAsync(client, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (string algorithm in await LoadGenerator.AlgorithmsAsync(client, cancellationToken, forNewUsers: false).ConfigureAwait(false))
        {
            string body = $$"""{"ratings":[{"movieId":1,"rating":5},{"movieId":260,"rating":4.5},{"movieId":2571,"rating":4},{"movieId":356,"rating":2}],"n":10,"algorithm":"{{algorithm}}"}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var clock = Stopwatch.StartNew();
            using var response = forNewUsers.Contains(algorithm)
                ? await client.PostAsync(new Uri("api/v1/recommendations", UriKind.Relative), content, cancellationToken).ConfigureAwait(false)
                : await client.GetAsync(new Uri($"api/v1/users/1/recommendations?n=10&algorithm={algorithm}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            times[algorithm] = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode) throw new ClusterException($"the first {algorithm} request to replica {replica.Index} answered {(int)response.StatusCode}");
        }
        return times;
    }

    /// <summary>Polls every replica directly until all serve <paramref name="version"/>.</summary>
    private static async Task<IReadOnlyList<string>> ConvergeAsync(LocalCluster cluster, HttpClient client, string version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> versions = [];
        while (clock.Elapsed < timeout)
        {
            versions = await VersionsAsync(cluster, client, cancellationToken).ConfigureAwait(false);
            if (versions.All(v => v == version)) return versions;
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        throw new ClusterException($"The replicas did not converge on {version} within {timeout.TotalSeconds:0} s: {string.Join(", ", versions)}");
    }

    /// <summary>The X-Model-Version each replica answers with, asked directly (not through nginx).</summary>
    public static async Task<IReadOnlyList<string>> VersionsAsync(LocalCluster cluster, HttpClient client, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        foreach (var replica in cluster.Replicas)
        {
            using var response = await client.GetAsync(new Uri(replica.Url, "api/v1/algorithms"), cancellationToken).ConfigureAwait(false);
            versions.Add(response.Headers.TryGetValues("X-Model-Version", out var v) ? v.First() : "(none)");
        }
        return versions;
    }

    /// <summary>The last acknowledged value of each (user, movie): what PostgreSQL must hold.</summary>
    private static Dictionary<(string Token, long MovieId), float> LastAcknowledged(IReadOnlyList<AcknowledgedRating> acknowledged)
    {
        var last = new Dictionary<(string, long), float>();
        foreach (var a in acknowledged.OrderBy(a => a.AtMs)) last[(a.Token, a.MovieId)] = a.Rating;
        return last;
    }

    /// <summary>How many acknowledged ratings PostgreSQL holds with the acknowledged value (accounts found by token hash).</summary>
    public static async Task<int> CountStoredAsync(string connectionString, IReadOnlyList<AcknowledgedRating> acknowledged, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string Hash, long MovieId), double>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                "SELECT encode(a.token_hash, 'hex'), r.movie_id, r.rating FROM ratings r JOIN accounts a ON a.id = r.account_id", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                stored[(reader.GetString(0), reader.GetInt64(1))] = reader.GetDouble(2);
        }
        int found = 0;
        foreach (var ((token, movie), rating) in LastAcknowledged(acknowledged))
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
            if (stored.TryGetValue((hash, movie), out double value) && Math.Abs(value - rating) < 1e-6) found++;
        }
        return found;
    }

    /// <summary>The ratings the load acknowledged, checked against PostgreSQL (for the <c>load</c> command).</summary>
    public static async Task<(int Acknowledged, int Stored)> AuditAsync(string connectionString, IReadOnlyList<AcknowledgedRating> acknowledged, CancellationToken cancellationToken) =>
        (LastAcknowledged(acknowledged).Count, await CountStoredAsync(connectionString, acknowledged, cancellationToken).ConfigureAwait(false));

}
