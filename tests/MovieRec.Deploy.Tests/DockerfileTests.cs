using System.Text.RegularExpressions;

namespace MovieRec.Deploy.Tests;

public sealed partial class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load("deploy/docker/Dockerfile");

    /// <summary>The port the image listens on: its single EXPOSE.</summary>
    internal static int ExposedPort
    {
        get
        {
            var exposes = File.Final.All("EXPOSE").SelectMany(a => a.Split(' ')).ToList();
            Assert.Single(exposes);
            return int.Parse(exposes[0].Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        Assert.True(File.Stages.Count >= 2, "multi-stage");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", File.Stages[0].Image);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", File.Final.Image);
        // The runtime stage takes build output from the SDK stage, not sources.
        Assert.Contains(File.Final.All("COPY"), c => c.Contains($"--from={File.Stages[0].Name}", StringComparison.Ordinal));
        Assert.DoesNotContain(File.Final.All("COPY"), c => c.Contains("src/", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishes_the_service_and_the_cli_and_starts_the_service()
    {
        var publish = File.Stages[0].All("RUN").SelectMany(r => PublishedProject().Matches(r)).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("src/MovieRec.Web/MovieRec.Web.csproj", publish);
        Assert.Contains("src/MovieRec.Cli/MovieRec.Cli.csproj", publish);

        // Every project file copied for the restore layer is a project the sources have (or the service's).
        foreach (var copy in File.Stages[0].All("COPY").Where(c => c.Contains(".csproj", StringComparison.Ordinal)))
        {
            var project = copy.Split(' ')[0];
            Assert.True(project == "src/MovieRec.Web/MovieRec.Web.csproj" || System.IO.File.Exists(Repo.PathOf(project)),
                $"COPY {project}: no such project");
        }

        // The CLI wrapper and the entrypoint name the assemblies the projects build.
        var cliAssembly = AssemblyName("src/MovieRec.Cli/MovieRec.Cli.csproj");
        Assert.Contains(File.Final.All("RUN"), r => r.Contains($"/app/cli/{cliAssembly}.dll", StringComparison.Ordinal));
        var entrypoint = File.Final.All("ENTRYPOINT").Single();
        Assert.Contains($"\"/app/{AssemblyName("src/MovieRec.Web/MovieRec.Web.csproj")}.dll\"", entrypoint, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_as_the_non_root_app_user()
    {
        var user = File.Final.All("USER").Last();
        Assert.Equal("$APP_UID", user);
        // The last USER comes after every RUN, so nothing at runtime runs as root.
        var instructions = File.Final.Instructions;
        var lastUser = instructions.ToList().FindLastIndex(i => i.Keyword == "USER");
        Assert.DoesNotContain(instructions.Skip(lastUser), i => i.Keyword == "RUN");
        Assert.Contains(File.Final.All("RUN"), r => r.Contains("chown -R \"$APP_UID:$APP_UID\" /data /models", StringComparison.Ordinal));
    }

    [Fact]
    public void Exposes_the_port_the_service_listens_on_with_data_and_models_on_volumes()
    {
        var env = File.Final.Environment();
        Assert.Equal(ExposedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), env["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(8080, ExposedPort);
        Assert.Equal("/data/datasets", env["MOVIEREC_DATA"]);
        Assert.Equal("/data", env["MovieRec__DataDirectory"]);
        Assert.Equal("/models", env["MovieRec__ModelDirectory"]);
        var volumes = string.Join(' ', File.Final.All("VOLUME"));
        Assert.Contains("\"/data\"", volumes, StringComparison.Ordinal);
        Assert.Contains("\"/models\"", volumes, StringComparison.Ordinal);
        Assert.All(env.Keys, k => Assert.True(ServiceContract.IsKnownVariable(k), $"ENV {k} is not a configuration key of the service"));
    }

    [Fact]
    public void Healthcheck_calls_the_liveness_endpoint_with_a_client_the_image_installs()
    {
        var check = File.Final.All("HEALTHCHECK").Single();
        Assert.Contains($"http://127.0.0.1:{ExposedPort}{ServiceContract.LivePath}", check, StringComparison.Ordinal);
        var client = Regex.Match(check, @"CMD\s+(\S+)").Groups[1].Value;
        Assert.Equal("curl", client);
        Assert.Contains(File.Final.All("RUN"), r => Regex.IsMatch(r, @"apt-get install .*\bcurl\b"));
    }

    [Fact]
    public void Carries_the_lambda_web_adapter_pointed_at_the_service_port_and_readiness_path()
    {
        Assert.Contains(File.Final.All("COPY"), c => c.Contains("/lambda-adapter /opt/extensions/lambda-adapter", StringComparison.Ordinal));
        var env = File.Final.Environment();
        Assert.Equal(env["ASPNETCORE_HTTP_PORTS"], env["AWS_LWA_PORT"]);
        Assert.Equal(ServiceContract.ReadyPath, env["AWS_LWA_READINESS_CHECK_PATH"]);
    }

    [Fact]
    public void Dockerignore_keeps_build_output_out_and_the_sources_in()
    {
        var patterns = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.Contains(".git/", patterns);
        // Everything the build stage copies must stay in the context.
        foreach (var copy in File.Stages[0].All("COPY"))
        {
            foreach (var source in copy.Split(' ')[..^1])
            {
                Assert.DoesNotContain(patterns, p => p.TrimStart('/').TrimEnd('/') is var q
                    && (source.TrimEnd('/') == q || source.StartsWith(q + "/", StringComparison.Ordinal)));
            }
        }
    }

    /// <summary>The AssemblyName a project sets, else MSBuild's default: the project file's name.</summary>
    internal static string AssemblyName(string project)
    {
        var path = Repo.PathOf(project);
        if (System.IO.File.Exists(path)
            && Regex.Match(System.IO.File.ReadAllText(path), "<AssemblyName>([^<]+)</AssemblyName>") is { Success: true } m)
        {
            return m.Groups[1].Value;
        }
        return Path.GetFileNameWithoutExtension(project);
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishedProject();
}
