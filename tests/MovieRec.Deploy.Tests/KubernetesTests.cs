using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MovieRec.Deploy.Tests;

public sealed partial class KubernetesTests(ITestOutputHelper output)
{
    private static Manifests Production => Manifests.Render("production");

    private static Dictionary<string, object?> Deployment => Production.OfKind("Deployment").Single();

    private static Dictionary<string, object?> PodSpec => Manifests.PodSpec(Deployment)!;

    private static Dictionary<string, object?> App =>
        PodSpec.Req("containers").Seq().Select(c => c.Map()).Single(c => c.Get("name") as string == "movierec");

    private static Dictionary<string, object?> Config =>
        Production.Single("ConfigMap", Reference(App.Req("envFrom").Seq().Single(), "configMapRef")).Req("data").Map();

    /// <summary>The name an envFrom entry refers to (kustomize has added the generator's hash suffix).</summary>
    private static string Reference(object? envFrom, string kind) => envFrom.Req($"{kind}.name").Str();

    /// <summary>A container port given by name or number, as the container's port number.</summary>
    private static int ResolvePort(Dictionary<string, object?> container, object? port)
    {
        var text = port.Str("port");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) return number;
        return container.Req("ports").Seq().Single(p => p.Get("name") as string == text).Req("containerPort").Int();
    }

    private static int AppPort => App.Req("ports").Seq().Single(p => p.Get("name") as string == "http").Req("containerPort").Int();

    [Theory]
    [InlineData("production")]
    [InlineData("dev")]
    public void Overlay_renders_the_whole_application(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        output.WriteLine($"{overlay}: {manifests.Objects.Count} objects from {manifests.Source}");
        if (Manifests.Note is { } note) output.WriteLine("note: " + note);
        foreach (var kind in new[] { "Namespace", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PersistentVolumeClaim", "ConfigMap", "CronJob", "PodDisruptionBudget" })
            Assert.True(manifests.OfKind(kind).Any(), $"{overlay}: no {kind}");
        var ns = manifests.OfKind("Namespace").Single();
        Assert.All(manifests.Objects.Where(o => o.Get("kind") as string != "Namespace"),
            o => Assert.Equal(Manifests.Name(ns), o.Get("metadata.namespace")));
        // Every image is pinned to a tag, and the app's placeholder image became the registry's.
        Assert.All(manifests.Objects.SelectMany(Manifests.AllContainers),
            c => Assert.Matches(@"^[^:/]+(/[^:/]+)+:[^:/]+$", c.Req("image").Str()));
        var app = manifests.OfKind("Deployment").SelectMany(Manifests.AllContainers).Single(c => c.Get("name") as string == "movierec");
        Assert.StartsWith("ghcr.io/", app.Req("image").Str(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_runs_at_least_two_replicas_on_the_image_port()
    {
        Assert.True(Deployment.Req("spec.replicas").Int() >= 2);
        Assert.Equal(DockerfileTests.ExposedPort, AppPort);
        var env = App.Req("env").Seq().ToDictionary(e => e.Req("name").Str(), e => e);
        Assert.Equal(AppPort.ToString(CultureInfo.InvariantCulture), env["ASPNETCORE_HTTP_PORTS"].Req("value").Str());
        Assert.Equal("0", Deployment.Req("spec.strategy.rollingUpdate.maxUnavailable").Str());
    }

    [Fact]
    public void Probes_hit_the_health_endpoints_on_the_container_port()
    {
        Assert.Equal(ServiceContract.ReadyPath, App.Req("readinessProbe.httpGet.path").Str());
        Assert.Equal(ServiceContract.LivePath, App.Req("livenessProbe.httpGet.path").Str());
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            Assert.Equal(AppPort, ResolvePort(App, App.Req($"{probe}.httpGet.port")));
            var path = App.Req($"{probe}.httpGet.path").Str();
            Assert.Contains(path, new[] { ServiceContract.LivePath, ServiceContract.ReadyPath });
        }
    }

    [Fact]
    public void Every_container_has_resource_requests_and_limits_and_runs_unprivileged()
    {
        foreach (var manifest in Production.OfKind("Deployment").Concat(Production.OfKind("CronJob")))
        {
            var spec = Manifests.PodSpec(manifest)!;
            Assert.Equal("true", spec.Req("securityContext.runAsNonRoot").Str());
            Assert.NotEqual(0, spec.Req("securityContext.runAsUser").Int());
            foreach (var container in Manifests.AllContainers(manifest))
            {
                var name = $"{manifest.Get("kind")}/{Manifests.Name(manifest)}/{container.Get("name")}";
                foreach (var part in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                    Assert.True(container.Get($"resources.{part}") is string, $"{name}: no resources.{part}");
                Assert.Equal("false", container.Req("securityContext.allowPrivilegeEscalation").Str());
                Assert.Contains("ALL", container.Req("securityContext.capabilities.drop").Seq().Select(c => c.Str()));
            }
        }
    }

    [Fact]
    public void Shared_volume_is_a_read_write_many_claim_holding_datasets_and_models()
    {
        var volume = PodSpec.Req("volumes").Seq().Single(v => v.Get("persistentVolumeClaim") is not null);
        var claim = Production.Single("PersistentVolumeClaim", volume.Req("persistentVolumeClaim.claimName").Str());
        Assert.Contains("ReadWriteMany", claim.Req("spec.accessModes").Seq().Select(m => m.Str()));
        Assert.NotNull(claim.Get("spec.resources.requests.storage"));

        var volumeName = volume.Req("name").Str();
        var mount = App.Req("volumeMounts").Seq().Single(m => m.Get("name") as string == volumeName).Req("mountPath").Str();
        foreach (var key in new[] { "MOVIEREC_DATA", "MovieRec__ModelDirectory" })
        {
            var path = Config.Req(key).Str();
            Assert.True(path.StartsWith(mount + "/", StringComparison.Ordinal), $"{key}={path} is not on the shared volume ({mount})");
        }
        Assert.All(Config.Keys, k => Assert.True(ServiceContract.IsKnownVariable(k), $"ConfigMap key {k} is not a configuration key"));
        Assert.All(App.Req("env").Seq().Select(e => e.Req("name").Str()),
            k => Assert.True(ServiceContract.EnvironmentVariables.Contains(k), $"{k} is not a configuration key of the service"));
    }

    [Fact]
    public void Init_container_fills_the_same_volume_from_s3_before_the_app_starts()
    {
        var init = PodSpec.Req("initContainers").Seq().Single().Map();
        var shared = PodSpec.Req("volumes").Seq().Single(v => v.Get("persistentVolumeClaim") is not null).Req("name").Str();
        string MountOf(Dictionary<string, object?> c) =>
            c.Req("volumeMounts").Seq().Single(m => m.Get("name") as string == shared).Req("mountPath").Str();
        Assert.Equal(MountOf(App), MountOf(init));
        Assert.Null(init.Req("volumeMounts").Seq().Single(m => m.Get("name") as string == shared).Get("readOnly"));

        // It syncs both directories the app reads, from the endpoint and bucket in the ConfigMap it loads.
        var script = string.Join('\n', init.Get("command").Items().Concat(init.Get("args").Items()).Select(a => a.Str()));
        Assert.Contains(Config.Req("MOVIEREC_DATA").Str(), script, StringComparison.Ordinal);
        Assert.Contains(Config.Req("MovieRec__ModelDirectory").Str(), script, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(script, @"aws s3 sync ""s3://\$\{S3_BUCKET\}/\$\{S3_[A-Z_]+_PREFIX\}"" \S+ --endpoint-url ""\$\{S3_ENDPOINT\}""").Count);
        Assert.Equal(Reference(App.Req("envFrom").Seq().Single(), "configMapRef"), Reference(init.Req("envFrom").Seq().Single(), "configMapRef"));
        foreach (var key in new[] { "S3_ENDPOINT", "S3_BUCKET", "S3_DATASETS_PREFIX", "S3_MODELS_PREFIX" })
            Assert.NotNull(Config.Get(key));
        Assert.StartsWith("https://", Config.Req("S3_ENDPOINT").Str(), StringComparison.Ordinal);

        // Credentials come from the Secret, never from the ConfigMap.
        var env = init.Req("env").Seq().ToDictionary(e => e.Req("name").Str(), e => e);
        Assert.NotNull(env["AWS_ACCESS_KEY_ID"].Get("valueFrom.secretKeyRef"));
        Assert.NotNull(env["AWS_SECRET_ACCESS_KEY"].Get("valueFrom.secretKeyRef"));
        Assert.DoesNotContain(Config.Keys, k => k.Contains("SECRET", StringComparison.Ordinal) || k.Contains("KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_selects_the_pods_and_targets_the_container_port()
    {
        var service = Production.OfKind("Service").Single();
        var labels = Deployment.Req("spec.template.metadata.labels").Map();
        foreach (var (key, value) in service.Req("spec.selector").Map())
            Assert.Equal(value, labels.GetValueOrDefault(key));
        Assert.Equal(AppPort, ResolvePort(App, service.Req("spec.ports").Seq().Single().Req("targetPort")));
    }

    [Fact]
    public void Ingress_serves_every_host_over_tls_through_the_service()
    {
        var ingress = Production.OfKind("Ingress").Single();
        var service = Production.OfKind("Service").Single();
        var tls = ingress.Req("spec.tls").Seq();
        Assert.NotEmpty(tls);
        var tlsHosts = tls.SelectMany(t => t.Req("hosts").Seq().Select(h => h.Str())).ToHashSet();
        Assert.All(tls, t => Assert.False(string.IsNullOrEmpty(t.Get("secretName") as string)));
        foreach (var rule in ingress.Req("spec.rules").Seq())
        {
            Assert.Contains(rule.Req("host").Str(), tlsHosts);
            foreach (var path in rule.Req("http.paths").Seq())
            {
                Assert.Equal(Manifests.Name(service), path.Req("backend.service.name").Str());
                var port = path.Req("backend.service.port").Map();
                Assert.Contains(service.Req("spec.ports").Seq(), p =>
                    (port.Get("name") is string n && p.Get("name") as string == n) || (port.Get("number") is string x && p.Get("port") as string == x));
            }
        }
    }

    [Fact]
    public void Autoscaler_scales_the_deployment_on_cpu_and_memory()
    {
        var hpa = Production.OfKind("HorizontalPodAutoscaler").Single();
        Assert.Equal("autoscaling/v2", hpa.Req("apiVersion").Str());
        Assert.Equal("apps/v1", hpa.Req("spec.scaleTargetRef.apiVersion").Str());
        Assert.Equal("Deployment", hpa.Req("spec.scaleTargetRef.kind").Str());
        Assert.Equal(Manifests.Name(Deployment), hpa.Req("spec.scaleTargetRef.name").Str());
        var min = hpa.Req("spec.minReplicas").Int();
        Assert.True(min >= 2);
        Assert.True(hpa.Req("spec.maxReplicas").Int() > min);
        var resources = hpa.Req("spec.metrics").Seq().Select(m => m.Req("resource.name").Str()).ToList();
        Assert.Contains("cpu", resources);
        Assert.Contains("memory", resources);
        // Utilisation is relative to requests, so the app container must set them (checked above) and the HPA's
        // floor must not undercut the Deployment's replicas in a way that scales it down at once.
        Assert.True(min >= 2 && min <= Math.Max(min, Deployment.Req("spec.replicas").Int()));
    }

    [Fact]
    public void Nightly_cronjob_calls_the_admin_retrain_endpoint_on_the_service_then_publishes_the_models()
    {
        var cron = Production.OfKind("CronJob").Single();
        Assert.Equal(5, cron.Req("spec.schedule").Str().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("Forbid", cron.Req("spec.concurrencyPolicy").Str());
        var spec = Manifests.PodSpec(cron)!;

        var call = spec.Req("initContainers").Seq().Select(c => c.Map()).Single(c => c.Get("name") as string == "retrain");
        var args = call.Req("args").Seq().Select(a => a.Str()).ToList();
        var url = args.Single(a => a.StartsWith("http", StringComparison.Ordinal));
        var uri = new Uri(url);
        var service = Production.Single("Service", uri.Host);
        Assert.Contains(service.Req("spec.ports").Seq(), p => p.Req("port").Int() == uri.Port);
        Assert.Equal(ServiceContract.RetrainPath, uri.AbsolutePath);
        Assert.Equal("POST", args[args.IndexOf("--request") + 1]);
        Assert.Contains("--fail-with-body", args);
        var header = args[args.IndexOf("--header") + 1];
        var variable = Regex.Match(header, $@"^{ServiceContract.AdminKeyHeader}: \$\(([A-Z_]+)\)$").Groups[1].Value;
        var keyRef = call.Req("env").Seq().Single(e => e.Get("name") as string == variable).Req("valueFrom.secretKeyRef");
        Assert.Equal("Admin__ApiKey", keyRef.Req("key").Str());
        Assert.Equal(
            App.Req("env").Seq().Single(e => e.Get("name") as string == "Admin__ApiKey").Req("valueFrom.secretKeyRef.name").Str(),
            keyRef.Req("name").Str());

        // The publisher reads the model directory the app writes, on the same claim.
        var publish = spec.Req("containers").Seq().Single().Map();
        var claim = spec.Req("volumes").Seq().Single(v => v.Get("persistentVolumeClaim") is not null);
        var appClaim = PodSpec.Req("volumes").Seq().Single(v => v.Get("persistentVolumeClaim") is not null);
        Assert.Equal(appClaim.Req("persistentVolumeClaim.claimName"), claim.Req("persistentVolumeClaim.claimName"));
        var mount = publish.Req("volumeMounts").Seq().Single(m => Equals(m.Get("name"), claim.Get("name"))).Req("mountPath").Str();
        var models = Config.Req("MovieRec__ModelDirectory").Str();
        Assert.StartsWith(mount + "/", models, StringComparison.Ordinal);
        var script = string.Join('\n', publish.Req("args").Seq().Select(a => a.Str()));
        Assert.Contains($"aws s3 sync {models} \"s3://${{S3_BUCKET}}/${{S3_MODELS_PREFIX}}\"", script, StringComparison.Ordinal);
        Assert.Contains($"aws s3 sync {models} \"s3://${{S3_BUCKET}}/${{S3_SNAPSHOTS_PREFIX}}", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_keys_the_pods_read_are_the_documented_ones_and_dev_generates_them_all()
    {
        var documented = YamlTree.LoadFile("deploy/k8s/base/secret.example.yaml").Req("stringData").Map().Keys.ToHashSet();
        var secretName = YamlTree.LoadFile("deploy/k8s/base/secret.example.yaml").Req("metadata.name").Str();
        var used = SecretKeyRefs(Production).ToList();
        Assert.NotEmpty(used);
        Assert.All(used, r => Assert.Equal(secretName, r.Name));
        Assert.All(used, r => Assert.Contains(r.Key, documented));
        // Production does not ship a Secret: CI creates it (see WorkflowTests).
        Assert.Empty(Production.OfKind("Secret"));

        var dev = Manifests.Render("dev");
        var secret = dev.OfKind("Secret").Single();
        var keys = (secret.Get("data") ?? secret.Get("stringData")).Map().Keys.ToHashSet();
        Assert.Equal(documented, keys);
        Assert.All(SecretKeyRefs(dev), r => Assert.Equal(Manifests.Name(secret), r.Name));
    }

    internal static IEnumerable<(string Name, string Key)> SecretKeyRefs(Manifests manifests) =>
        manifests.Objects.SelectMany(Manifests.AllContainers)
            .SelectMany(c => c.Get("env").Items())
            .Select(e => e.Get("valueFrom.secretKeyRef"))
            .Where(r => r is not null)
            .Select(r => (r.Req("name").Str(), r.Req("key").Str()));

    [Fact]
    public void Metrics_are_served_on_their_own_port_which_no_service_or_ingress_exposes()
    {
        foreach (var overlay in new[] { "production", "dev" })
        {
            var manifests = Manifests.Render(overlay);
            var deployment = manifests.OfKind("Deployment").Single();
            var app = Manifests.AllContainers(deployment).Single(c => c.Get("name") as string == "movierec");
            var config = manifests.Single("ConfigMap", Reference(app.Req("envFrom").Seq().Single(), "configMapRef")).Req("data").Map();
            int metrics = int.Parse(config.Req("MovieRec__MetricsPort").Str(), CultureInfo.InvariantCulture);
            int http = app.Req("ports").Seq().Single(p => p.Get("name") as string == "http").Req("containerPort").Int();
            Assert.NotEqual(http, metrics);
            // The container declares it; Prometheus is told to scrape it there.
            Assert.Equal(metrics, app.Req("ports").Seq().Single(p => p.Get("name") as string == "metrics").Req("containerPort").Int());
            Assert.Equal(metrics.ToString(CultureInfo.InvariantCulture), deployment.Req("spec.template.metadata.annotations").Map()["prometheus.io/port"].Str());
            // The service adds the metrics port itself: the main port list stays the image's.
            var env = app.Req("env").Seq().ToDictionary(e => e.Req("name").Str(), e => e);
            Assert.Equal(http.ToString(CultureInfo.InvariantCulture), env["ASPNETCORE_HTTP_PORTS"].Req("value").Str());
            // No Service port reaches it, so no Ingress path can.
            foreach (var service in manifests.OfKind("Service"))
                Assert.All(service.Req("spec.ports").Seq(), p => Assert.NotEqual(metrics, ResolvePort(app, p.Req("targetPort"))));
            var serviceNames = manifests.OfKind("Service").Select(Manifests.Name).ToHashSet();
            foreach (var path in manifests.OfKind("Ingress").SelectMany(i => i.Req("spec.rules").Seq()).SelectMany(r => r.Req("http.paths").Seq()))
                Assert.Contains(path.Req("backend.service.name").Str(), serviceNames);
        }
    }

    [Theory]
    [InlineData("production")]
    [InlineData("dev")]
    public void Every_overlay_trusts_its_ingress_controllers_pod_network_and_nothing_public(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var app = manifests.OfKind("Deployment").SelectMany(Manifests.AllContainers).Single(c => c.Get("name") as string == "movierec");
        var config = manifests.Single("ConfigMap", Reference(app.Req("envFrom").Seq().Single(), "configMapRef")).Req("data").Map();
        Assert.Equal("nginx", manifests.OfKind("Ingress").Single().Req("spec.ingressClassName").Str());
        string trusted = config.Req("MovieRec__TrustedProxies").Str();
        var entries = trusted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(entries);
        System.Net.IPNetwork[] privateRanges = [System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("172.16.0.0/12"), System.Net.IPNetwork.Parse("192.168.0.0/16"), System.Net.IPNetwork.Parse("fc00::/7")];
        foreach (string entry in entries)
        {
            var network = System.Net.IPNetwork.Parse(entry);
            Assert.True(privateRanges.Any(r => r.Contains(network.BaseAddress) && r.PrefixLength <= network.PrefixLength),
                $"{overlay}: MovieRec__TrustedProxies entry {entry} is not inside a private network: clients there could choose their address");
        }
    }
}
