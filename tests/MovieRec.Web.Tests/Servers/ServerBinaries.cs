using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// Finding and running the server binaries the integration tests start (Debian's postgresql and redis-server):
/// free ports on 127.0.0.1, bounded runs of a command, and a clear failure naming the package when a binary is missing.
/// </summary>
internal static class ServerBinaries
{
    /// <summary>Whether this process runs as root (CI does): PostgreSQL then has to run as the postgres user.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The PostgreSQL bin folder (initdb, pg_ctl, postgres), newest version first.</summary>
    public static string PostgresBin()
    {
        const string Root = "/usr/lib/postgresql";
        if (Directory.Exists(Root))
        {
            foreach (var dir in Directory.GetDirectories(Root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0))
            {
                string bin = Path.Combine(dir, "bin");
                if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"))) return bin;
            }
        }
        if (OnPath("initdb") is { } initdb && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl"))) return Path.GetDirectoryName(initdb)!;
        throw new InvalidOperationException(
            "PostgreSQL is not installed: no initdb/pg_ctl under /usr/lib/postgresql/*/bin or on PATH. Install the Debian package 'postgresql' (test.sh does when run as root).");
    }

    /// <summary>The redis-server executable.</summary>
    public static string RedisServer() =>
        OnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed (not on PATH). Install the Debian package 'redis-server' (test.sh does when run as root).");

    public static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs a command to completion within <paramref name="timeout"/>; throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? asUser = null)
    {
        var start = Command(file, arguments, asUser);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(start)} did not finish within {timeout.TotalSeconds:0} s");
        }
        string text = await output + await error;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Describe(start)} exited with {process.ExitCode}: {text}");
        return text;
    }

    /// <summary>The start info of a command, run as <paramref name="asUser"/> through runuser when given.</summary>
    public static ProcessStartInfo Command(string file, IEnumerable<string> arguments, string? asUser = null)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        if (asUser is null)
        {
            start.FileName = file;
        }
        else
        {
            start.FileName = OnPath("runuser") ?? throw new InvalidOperationException("runuser (util-linux) is needed to run PostgreSQL as the postgres user when the tests run as root.");
            foreach (var a in new[] { "-u", asUser, "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private static string Describe(ProcessStartInfo start) => start.FileName + " " + string.Join(' ', start.ArgumentList);

    /// <summary>Polls <paramref name="ready"/> until it is true, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await ready())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"{what} within {timeout.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }
}
