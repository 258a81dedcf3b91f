using System.Diagnostics;
using System.Net.Sockets;
using MovieRec.Cluster;

namespace MovieRec.Cluster.Tests;

/// <summary>
/// The harness stops nginx whole: the master and its worker. Killing the master alone left the worker running and
/// listening on the port after the test suite and deploy/local/cluster.sh ended (issue #17).
/// </summary>
public sealed class NginxStopTests
{
    [Fact]
    public async Task Stopping_nginx_leaves_no_worker_and_no_listener()
    {
        string nginx = Tools.Find("nginx", "/usr/sbin/nginx");
        string folder = Path.Combine(Path.GetTempPath(), $"movierec-nginx-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        int port = Tools.FreePort();
        string config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, NginxConfig.Render(folder, port, [Tools.FreePort()], Environment.UserName == "root"));
        var master = Tools.Spawn(nginx, ["-p", folder + "/", "-c", config, "-e", Path.Combine(folder, "error.log")], Path.Combine(folder, "nginx.out"));
        int masterPid = master.Id;
        var workers = new List<int>();
        try
        {
            await Tools.WaitAsync("nginx", () => Task.FromResult(Listening(port)), TimeSpan.FromSeconds(20), CancellationToken.None);
            // The master binds the port before it forks its worker: listening alone does not mean the worker is there
            // yet (CI once saw none).
            await Tools.WaitAsync("nginx's worker", () => Task.FromResult(Children(masterPid).Count > 0), TimeSpan.FromSeconds(20), CancellationToken.None);
            workers.AddRange(Children(masterPid));
            Assert.NotEmpty(workers); // worker_processes 1: the process that holds the connections

            Tools.KillQuietly(master);

            foreach (int pid in workers.Append(masterPid))
                Assert.True(await GoneAsync(pid), $"nginx process {pid} still runs after the harness stopped nginx");
            Assert.False(Listening(port), $"something still listens on 127.0.0.1:{port}");
        }
        finally
        {
            // Whatever happened above, this test leaves nothing running.
            foreach (int pid in workers.Concat(Children(masterPid)).Append(masterPid)) Tools.KillQuietly(pid);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Direct children of a process, from /proc.</summary>
    private static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int candidate)) continue;
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ...", comm may hold spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == pid) children.Add(candidate);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }

    private static async Task<bool> GoneAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            // A zombie (state Z) has exited; only its parent has not reaped it yet.
            string stat = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat");
            try
            {
                if (!File.Exists(stat)) return true;
                var text = await File.ReadAllTextAsync(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z')) return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
