using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MovieRec.Core.Tests.Data;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for download tests: each path answers with a fixed status and body, and a
/// body can be cut short after announcing its full Content-Length (a dropped connection).
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LocalHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The base address, ending with '/'.</summary>
    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>; <paramref name="sendBytes"/> cuts it short.</summary>
    public void Serve(string path, byte[] body, int status = 200, int? sendBytes = null)
    {
        lock (_routes) _routes["/" + path.TrimStart('/')] = new Route(status, body, sendBytes ?? body.Length);
    }

    public void Serve(string path, string body, int status = 200) => Serve(path, Encoding.ASCII.GetBytes(body), status);

    private sealed record Route(int Status, byte[] Body, int SendBytes);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                var path = request.ToString().Split(' ')[1];
                Route? route;
                lock (_routes) _routes.TryGetValue(path, out route);
                route ??= new Route(404, Encoding.ASCII.GetBytes("not found"), 9);
                Interlocked.Increment(ref _requests);
                var reason = route.Status == 200 ? "OK" : route.Status == 404 ? "Not Found" : "Error";
                var head = $"HTTP/1.1 {route.Status} {reason}\r\nContent-Length: {route.Body.Length}\r\n"
                    + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(route.Body.AsMemory(0, route.SendBytes), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping the listener ends the loop with an exception; that is the point.
        }
        _stop.Dispose();
    }
}
