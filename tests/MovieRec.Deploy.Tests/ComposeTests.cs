using System.Globalization;
using System.Text.RegularExpressions;

namespace MovieRec.Deploy.Tests;

public sealed partial class ComposeTests
{
    private const string ComposePath = "deploy/docker/compose.yaml";
    private static readonly Dictionary<string, object?> Compose = YamlTree.LoadFile(ComposePath).Map(ComposePath);
    private static Dictionary<string, object?> Services => Compose.Req("services").Map("services");
    private static Dictionary<string, object?> App => Services.Req("app").Map("services.app");

    /// <summary>An environment value with compose's <c>${VAR:-default}</c> replaced by its default.</summary>
    private static string Env(string name) =>
        Interpolation().Replace(App.Req("environment").Map().Req(name).Str(name), m => m.Groups[2].Value);

    [Fact]
    public void App_builds_the_repository_dockerfile()
    {
        var context = App.Req("build.context").Str();
        var dockerfile = App.Req("build.dockerfile").Str();
        var root = Path.GetFullPath(Path.Combine(Repo.PathOf("deploy/docker"), context));
        Assert.Equal(Repo.Root.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(root, dockerfile)), $"{dockerfile} not found under the build context");
        Assert.Equal("deploy/docker/Dockerfile", dockerfile);
    }

    [Fact]
    public void App_listens_and_publishes_on_the_image_port()
    {
        var port = DockerfileTests.ExposedPort;
        Assert.Equal(port, int.Parse(Env("ASPNETCORE_HTTP_PORTS"), CultureInfo.InvariantCulture));
        var mapping = App.Req("ports").Seq().Single().Str();
        Assert.EndsWith($":{port}", Interpolation().Replace(mapping, m => m.Groups[2].Value), StringComparison.Ordinal);
    }

    [Fact]
    public void App_wires_postgres_and_redis_services_of_the_file()
    {
        var ratings = Env("ConnectionStrings__Ratings");
        var host = Regex.Match(ratings, @"(?:^|;)\s*Host=([^;]+)", RegexOptions.IgnoreCase).Groups[1].Value;
        Assert.True(Services.ContainsKey(host), $"ConnectionStrings__Ratings host '{host}' is not a service");
        Assert.StartsWith("postgres:16", Services[host].Req("image").Str(), StringComparison.Ordinal);
        var database = Services[host].Req("environment").Map();
        Assert.Contains($"Database={database.Req("POSTGRES_DB").Str()}", ratings, StringComparison.Ordinal);
        Assert.Contains($"Username={database.Req("POSTGRES_USER").Str()}", ratings, StringComparison.Ordinal);
        Assert.Contains($"Password={Interpolation().Replace(database.Req("POSTGRES_PASSWORD").Str(), m => m.Groups[2].Value)}", ratings, StringComparison.Ordinal);

        var redisEndpoint = Env("Redis__Configuration").Split(',')[0];
        var redisHost = redisEndpoint.Split(':')[0];
        Assert.True(Services.ContainsKey(redisHost), $"Redis__Configuration host '{redisHost}' is not a service");
        Assert.StartsWith("redis:7", Services[redisHost].Req("image").Str(), StringComparison.Ordinal);

        // The app starts once both answer their healthchecks.
        var dependsOn = App.Req("depends_on").Map();
        foreach (var dependency in new[] { host, redisHost })
        {
            Assert.Equal("service_healthy", dependsOn.Req(dependency).Map().Req("condition").Str());
            Assert.NotNull(Services[dependency].Get("healthcheck.test"));
        }
    }

    [Fact]
    public void App_healthcheck_calls_the_liveness_endpoint_on_the_container_port()
    {
        var test = string.Join(' ', App.Req("healthcheck.test").Seq().Select(t => t.Str()));
        Assert.Contains($"http://127.0.0.1:{DockerfileTests.ExposedPort}{ServiceContract.LivePath}", test, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_and_models_are_volumes_and_the_configured_directories_are_on_them()
    {
        var mounts = App.Req("volumes").Seq().Select(v => Interpolation().Replace(v.Str(), m => m.Groups[2].Value).Split(':')).ToList();
        var targets = mounts.Select(m => m[1]).ToList();
        Assert.Contains("/data", targets);
        Assert.Contains("/models", targets);
        foreach (var variable in new[] { "MOVIEREC_DATA", "MovieRec__DataDirectory", "MovieRec__ModelDirectory" })
        {
            var path = Env(variable);
            Assert.True(targets.Any(t => path == t || path.StartsWith(t + "/", StringComparison.Ordinal)), $"{variable}={path} is not on a volume");
        }
        // Named volumes are declared at the top level.
        var declared = Compose.Req("volumes").Map().Keys;
        foreach (var source in mounts.Select(m => m[0]).Where(s => !s.StartsWith('.') && !s.StartsWith('/')))
            Assert.Contains(source, declared);
    }

    [Fact]
    public void App_environment_uses_only_configuration_keys_of_the_service()
    {
        foreach (var key in App.Req("environment").Map().Keys)
            Assert.True(ServiceContract.EnvironmentVariables.Contains(key), $"{key} is not a configuration key of the service");
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")]
    private static partial Regex Interpolation();
}
