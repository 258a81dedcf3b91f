using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MovieRec.Web.Tests;

/// <summary>OMDb posters through a stand-in OMDb server on 127.0.0.1: found, cached, slow or failing.</summary>
public sealed class PosterTests
{
    [Fact]
    public async Task Posters_come_from_omdb_when_configured_cached_and_a_slow_or_failing_omdb_falls_back()
    {
        int calls = 0;
        using var omdb = new StubServer(async context =>
        {
            Interlocked.Increment(ref calls);
            string imdb = context.Request.QueryString["i"] ?? "";
            Assert.Equal("secret-omdb-key", context.Request.QueryString["apikey"]);
            if (imdb == "tt0114709") return """{"Title":"Toy Story","Poster":"https://img.example.org/toy.jpg"}""";
            if (imdb == "tt0113497") await Task.Delay(5000); // Jumanji: slower than the 2 s timeout
            context.Response.StatusCode = 500;
            return "boom";
        });
        await using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["OMDB_API_KEY"] = "secret-omdb-key",
            ["Omdb:Endpoint"] = omdb.Url,
        });
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        await factory.ReadyClientAsync();

        var found = await client.GetAsync("/api/v1/movies/1/poster");
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        Assert.Equal("https://img.example.org/toy.jpg", found.Headers.Location!.ToString());
        await client.GetAsync("/api/v1/movies/1/poster");
        Assert.Equal(1, calls);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slow = await client.GetAsync("/api/v1/movies/2/poster");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"the poster waited {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("image/svg+xml", slow.Content.Headers.ContentType?.MediaType);
        var failing = await client.GetAsync("/api/v1/movies/3/poster");
        Assert.Equal(HttpStatusCode.OK, failing.StatusCode);
        Assert.Equal("image/svg+xml", failing.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A tiny HTTP server answering every request with the handler's body.</summary>
    private sealed class StubServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public StubServer(Func<HttpListenerContext, Task<string>> handler)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            }
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            var body = Encoding.UTF8.GetBytes(await handler(context));
                            context.Response.ContentType = "application/json";
                            await context.Response.OutputStream.WriteAsync(body);
                            context.Response.Close();
                        }
                        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
                        {
                            // the client gave up (timeout)
                        }
                    });
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }
    }
}
