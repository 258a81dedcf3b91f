using System.Globalization;
using System.Net;
using MovieRec.Core.Tests;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// The service as deployed behind a proxy (issue 16): the built service on 127.0.0.1 trusting only the proxy's
/// address (MovieRec:TrustedProxies=127.0.0.2), nginx on 127.0.0.2 in front of it (connecting from 127.0.0.2,
/// appending the client to X-Forwarded-For, saying X-Forwarded-Proto https as a TLS-terminating ingress does), and
/// clients on other loopback addresses (127.0.0.3 ...), some through nginx and some straight to the service.
/// </summary>
public sealed class ProxyTrustTests(ProxyTrustTests.Edge edge) : IClassFixture<ProxyTrustTests.Edge>
{
    public const int WritesPerMinute = 5;

    /// <summary>One service process and one nginx for the class; every test uses addresses of its own.</summary>
    public sealed class Edge : IAsyncLifetime
    {
        private readonly TempFolder _data = TestData.NewFolder();

        internal ServiceProcess Service { get; private set; } = null!;

        internal NginxServer Proxy { get; private set; } = null!;

        public int MetricsPort { get; } = ServerBinaries.FreePort();

        public async Task InitializeAsync()
        {
            Service = await ServiceProcess.StartAsync(_data.Path, new Dictionary<string, string?>
            {
                ["MovieRec__TrustedProxies"] = "127.0.0.2",
                ["MovieRec__RateLimitPerMinute"] = WritesPerMinute.ToString(CultureInfo.InvariantCulture),
                ["MovieRec__MetricsPort"] = MetricsPort.ToString(CultureInfo.InvariantCulture),
            });
            Proxy = await NginxServer.StartAsync(IPAddress.Parse("127.0.0.2"), Service.BaseAddress);
        }

        public Task DisposeAsync()
        {
            Proxy?.Dispose();
            Service?.Dispose();
            _data.Dispose();
            return Task.CompletedTask;
        }

        /// <summary>A client on <paramref name="address"/> going through nginx.</summary>
        public HttpClient ThroughProxy(string address) => LoopbackClients.From(IPAddress.Parse(address), Proxy.BaseAddress);

        /// <summary>A client on <paramref name="address"/> reaching the service directly.</summary>
        public HttpClient Direct(string address) => LoopbackClients.From(IPAddress.Parse(address), Service.BaseAddress);
    }

    private static async Task<HttpResponseMessage> NewSession(HttpClient client, string? forwardedFor = null, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/sessions", UriKind.Relative));
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await client.SendAsync(request);
    }

    private static string Cookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join("\n", cookies) : "";

    [Fact]
    public async Task Through_the_trusted_proxy_each_client_has_its_own_bucket_and_a_secure_cookie()
    {
        using var a = edge.ThroughProxy("127.0.0.3");
        using var b = edge.ThroughProxy("127.0.0.4");
        for (int k = 0; k < WritesPerMinute; k++)
        {
            var created = await NewSession(a);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            // TLS ended at the proxy (X-Forwarded-Proto https from a trusted hop): the cookie is Secure.
            Assert.Contains("; secure", Cookie(created), StringComparison.OrdinalIgnoreCase);
        }
        var limited = await NewSession(a);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // Another client behind the same proxy is not in a's bucket.
        Assert.Equal(HttpStatusCode.Created, (await NewSession(b)).StatusCode);
    }

    [Fact]
    public async Task A_client_reaching_the_service_directly_cannot_bypass_its_limit_by_rotating_x_forwarded_for()
    {
        using var direct = edge.Direct("127.0.0.5");
        var statuses = new List<HttpStatusCode>();
        for (int k = 0; k < WritesPerMinute + 3; k++)
            statuses.Add((await NewSession(direct, forwardedFor: $"198.51.100.{k + 1}")).StatusCode);
        Assert.Equal(WritesPerMinute, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses.Skip(WritesPerMinute), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task A_client_claiming_another_address_does_not_get_that_address_blocked()
    {
        // Directly: 127.0.0.6 says it is 127.0.0.7 until it is refused.
        using (var attacker = edge.Direct("127.0.0.6"))
        {
            for (int k = 0; k < WritesPerMinute; k++) Assert.Equal(HttpStatusCode.Created, (await NewSession(attacker, forwardedFor: "127.0.0.7")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await NewSession(attacker, forwardedFor: "127.0.0.7")).StatusCode);
        }
        using (var victim = edge.ThroughProxy("127.0.0.7"))
            Assert.Equal(HttpStatusCode.Created, (await NewSession(victim)).StatusCode);

        // Through the proxy: nginx appends the real address after the claimed one; the service takes the real one.
        using (var attacker = edge.ThroughProxy("127.0.0.8"))
        {
            for (int k = 0; k < WritesPerMinute; k++) Assert.Equal(HttpStatusCode.Created, (await NewSession(attacker, forwardedFor: "127.0.0.9")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await NewSession(attacker, forwardedFor: "127.0.0.9")).StatusCode);
        }
        using (var victim = edge.ThroughProxy("127.0.0.9"))
            Assert.Equal(HttpStatusCode.Created, (await NewSession(victim)).StatusCode);
    }

    [Fact]
    public async Task An_untrusted_client_claiming_https_does_not_get_a_secure_cookie_it_did_not_earn()
    {
        using var direct = edge.Direct("127.0.0.10");
        var created = await NewSession(direct, forwardedProto: "https");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("secure", Cookie(created), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_answer_only_on_their_own_port()
    {
        using var direct = edge.Direct("127.0.0.11");
        Assert.Equal(HttpStatusCode.NotFound, (await direct.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        using var proxied = edge.ThroughProxy("127.0.0.11");
        Assert.Equal(HttpStatusCode.NotFound, (await proxied.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await proxied.GetAsync(new Uri("/api/v1/algorithms", UriKind.Relative))).StatusCode);

        var metricsPort = new Uri($"http://127.0.0.1:{edge.MetricsPort.ToString(CultureInfo.InvariantCulture)}");
        using var scraper = LoopbackClients.From(IPAddress.Loopback, metricsPort);
        var scrape = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("movierec_model_info", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nothing else answers on the metrics port.
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/api/v1/algorithms", UriKind.Relative))).StatusCode);
    }
}
