using System.Diagnostics;
using System.Globalization;

namespace MovieRec.Bench;

/// <summary>
/// Asks the service's GET /health/live every 100 ms on a thread of its own, beside a load, and keeps the probes that
/// waited more than <see cref="StallMs"/>: when each started, how long it waited, the service's threads before and after
/// (a thread pool that grows during a stall was starved: blocked workers, new ones injected one by one) and the
/// machine's steal time over it (/proc/stat: the host not running this VM). What a soak's errors and tail need to be
/// told apart.
/// </summary>
internal sealed class StallProbe : IDisposable
{
    private const int StallMs = 250;
    private readonly Process _service;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _live;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly List<string> _stalls = [];

    public StallProbe(Process service, int port)
    {
        _service = service;
        _live = new Uri($"http://127.0.0.1:{port}/health/live");
        _thread = new Thread(Loop) { IsBackground = true, Name = "stall probe" };
        _thread.Start();
    }

    /// <summary>The stalls seen since the last call, one line each.</summary>
    public IReadOnlyList<string> TakeStalls()
    {
        lock (_stalls)
        {
            var taken = _stalls.ToList();
            _stalls.Clear();
            return taken;
        }
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            int threadsBefore = Threads();
            long stealBefore = StealTicks();
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                using var response = _client.GetAsync(_live, _stop.Token).GetAwaiter().GetResult();
                outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = e.GetType().Name;
            }
            double ms = clock.Elapsed.TotalMilliseconds;
            if (ms > StallMs)
            {
                // USER_HZ is 100 on Linux: one tick is 10 ms.
                string line = $"stall at {started:HH:mm:ss.fff} UTC: /health/live took {ms:0} ms ({outcome}); service threads {threadsBefore} -> {Threads()}; "
                    + $"steal {(StealTicks() - stealBefore) * 10} ms";
                lock (_stalls) _stalls.Add(line);
            }
            _stop.Token.WaitHandle.WaitOne(100);
        }
    }

    private int Threads()
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_service.Id}/status"))
                if (line.StartsWith("Threads:", StringComparison.Ordinal)) return int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        return -1;
    }

    /// <summary>The 8th number of /proc/stat's "cpu" line: ticks the hypervisor ran someone else while we wanted a CPU.</summary>
    private static long StealTicks()
    {
        try
        {
            string first = File.ReadLines("/proc/stat").First();
            string[] parts = first.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 8 ? long.Parse(parts[8], CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _client.Dispose();
        _stop.Dispose();
    }
}
