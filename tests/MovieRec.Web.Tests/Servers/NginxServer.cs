using System.Diagnostics;
using System.Globalization;
using System.Net;
using MovieRec.Core.Tests;

namespace MovieRec.Web.Tests.Servers;

/// <summary>
/// nginx as a reverse proxy in front of one service, as docs/reliability.md and deploy/README.md configure it: it
/// listens on one loopback address, connects to the service from that address (proxy_bind), appends the client to
/// X-Forwarded-For and says X-Forwarded-Proto https (it stands for a proxy that terminated TLS). One process
/// (master_process off), killed on dispose; its folder is removed.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    private readonly TempFolder _folder;
    private readonly Process _process;

    private NginxServer(Process process, TempFolder folder, IPAddress address, int port)
    {
        _process = process;
        _folder = folder;
        Address = address;
        BaseAddress = new Uri($"http://{address}:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public IPAddress Address { get; }

    public Uri BaseAddress { get; }

    public static async Task<NginxServer> StartAsync(IPAddress address, Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        string nginx = ServerBinaries.OnPath("nginx") ?? throw new InvalidOperationException(
            "nginx is not installed (not on PATH or in /usr/sbin). Install the Debian package 'nginx' (test.sh does when run as root).");
        int port = ServerBinaries.FreePort();
        var folder = TestData.NewFolder();
        string config = Path.Combine(folder.Path, "nginx.conf");
        string f = folder.Path;
        await File.WriteAllTextAsync(config, $$"""
            {{(ServerBinaries.IsRoot ? "user root;" : "")}}
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{f}}/nginx.pid;
            error_log {{f}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{f}}/body;
                proxy_temp_path {{f}}/proxy;
                fastcgi_temp_path {{f}}/fastcgi;
                uwsgi_temp_path {{f}}/uwsgi;
                scgi_temp_path {{f}}/scgi;
                server {
                    listen {{address}}:{{port}};
                    location / {
                        proxy_pass {{upstream.ToString().TrimEnd('/')}};
                        proxy_bind {{address}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto https;
                    }
                }
            }
            """);
        var start = ServerBinaries.Command(nginx, ["-p", f + "/", "-c", config, "-e", Path.Combine(f, "error.log")]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        var server = new NginxServer(process, folder, address, port);
        try
        {
            using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await ServerBinaries.WaitUntilAsync(async () =>
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {(File.Exists(Path.Combine(f, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(f, "error.log")) : "")}");
                try
                {
                    return (await probe.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(20), "nginx did not proxy /health/live");
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _folder.Dispose();
    }
}
