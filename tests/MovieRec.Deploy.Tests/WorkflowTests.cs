using System.Text.RegularExpressions;

namespace MovieRec.Deploy.Tests;

public sealed partial class WorkflowTests
{
    private static Dictionary<string, object?> Workflow(string name) =>
        YamlTree.LoadFile($".github/workflows/{name}").Map(name);

    private static IEnumerable<Dictionary<string, object?>> Steps(Dictionary<string, object?> workflow) =>
        workflow.Req("jobs").Map().Values.SelectMany(j => j.Req("steps").Seq()).Select(s => s.Map());

    private static string Scripts(Dictionary<string, object?> workflow) =>
        string.Join('\n', Steps(workflow).Select(s => s.Get("run") as string).Where(r => r is not null));

    [Fact]
    public void Every_workflow_parses_with_triggers_and_jobs_of_steps()
    {
        var files = Directory.GetFiles(Repo.PathOf(".github/workflows"), "*.yml");
        Assert.Equal(new[] { "ci.yml", "deploy.yml", "image.yml" }, files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files.Select(Path.GetFileName))
        {
            var workflow = Workflow(file!);
            Assert.NotNull(workflow.Get("name"));
            Assert.NotNull(workflow.Get("on"));
            foreach (var (name, job) in workflow.Req("jobs").Map())
            {
                Assert.False(string.IsNullOrEmpty(job.Get("runs-on") as string), $"{file}: job {name} has no runs-on");
                Assert.All(job.Req("steps").Seq(), s => Assert.True(s.Get("uses") is string ^ s.Get("run") is string,
                    $"{file}: job {name}: a step needs exactly one of uses and run"));
            }
        }
    }

    [Fact]
    public void Ci_runs_the_test_script_with_the_tools_the_deployment_tests_need()
    {
        var ci = Workflow("ci.yml");
        Assert.True(ci.Req("on").Map().ContainsKey("pull_request"));
        var scripts = Scripts(ci);
        Assert.Contains("./test.sh", scripts, StringComparison.Ordinal);
        Assert.Contains("dotnet format MovieRec.slnx --verify-no-changes", scripts, StringComparison.Ordinal);
        Assert.Contains("cfn-lint", scripts, StringComparison.Ordinal);
        // The job runs as root on Debian, so test.sh can install kubernetes-client for `kubectl kustomize`.
        Assert.StartsWith("debian:", ci.Req("jobs.test.container").Str(), StringComparison.Ordinal);
        Assert.Contains("kubernetes-client", Repo.Read("test.sh"), StringComparison.Ordinal);
        Assert.Contains(Steps(ci), s => s.Get("uses") as string is { } u && u.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal)
            && s.Get("with.global-json-file") as string == "global.json");
    }

    [Fact]
    public void Image_workflow_builds_the_dockerfile_and_pushes_to_ghcr_on_main_and_tags()
    {
        var image = Workflow("image.yml");
        Assert.Contains("main", image.Req("on.push.branches").Seq().Select(b => b.Str()));
        Assert.Contains("v*", image.Req("on.push.tags").Seq().Select(t => t.Str()));
        Assert.Equal("write", image.Req("permissions.packages").Str());
        var build = Steps(image).Single(s => (s.Get("uses") as string)?.StartsWith("docker/build-push-action@", StringComparison.Ordinal) == true);
        var dockerfile = build.Req("with.file").Str();
        Assert.True(File.Exists(Repo.PathOf(dockerfile)), dockerfile);
        Assert.Equal(".", build.Req("with.context").Str());
        Assert.Equal("true", build.Req("with.push").Str());
        var meta = Steps(image).Single(s => (s.Get("uses") as string)?.StartsWith("docker/metadata-action@", StringComparison.Ordinal) == true);
        Assert.StartsWith("ghcr.io/", meta.Req("with.images").Str(), StringComparison.Ordinal);
        // deploy.yml deploys sha-<commit> tags: the image workflow must produce them.
        Assert.Contains("type=sha,prefix=sha-", meta.Req("with.tags").Str(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_workflow_is_manual_and_applies_the_production_overlay()
    {
        var deploy = Workflow("deploy.yml");
        Assert.Equal(["workflow_dispatch"], deploy.Req("on").Map().Keys);
        var scripts = Scripts(deploy);
        var overlay = Regex.Match(scripts, @"kubectl apply -k (\S+)").Groups[1].Value;
        Assert.Equal("deploy/k8s/overlays/production", overlay);
        Assert.True(File.Exists(Repo.PathOf(overlay + "/kustomization.yaml")));
        // The image it pins is the placeholder the base's Deployment uses.
        var placeholder = Regex.Match(scripts, @"kustomize edit set image ""([^=]+)=").Groups[1].Value;
        Assert.Equal(placeholder, YamlTree.LoadFile(overlay + "/kustomization.yaml").Req("images").Seq().Single().Req("name").Str());
        Assert.Contains($"image: {placeholder}\n", Repo.Read("deploy/k8s/base/deployment.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_workflow_creates_every_secret_key_the_pods_read()
    {
        var scripts = Scripts(Workflow("deploy.yml"));
        var created = Regex.Match(scripts, @"create secret generic (\S+)((?:\s+\\?\s*--from-literal=\S+)+)");
        Assert.True(created.Success, "deploy.yml does not create the Secret");
        var keys = Regex.Matches(created.Groups[2].Value, @"--from-literal=([A-Za-z0-9_]+)=").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var (name, key) in KubernetesTests.SecretKeyRefs(Manifests.Render("production")))
        {
            Assert.Equal(created.Groups[1].Value, name);
            Assert.Contains(key, keys);
        }
    }

    [Fact]
    public void Deploy_workflow_runs_sam_deploy_with_every_required_template_parameter()
    {
        var scripts = Steps(Workflow("deploy.yml")).Select(s => s.Get("run") as string).Single(r => r?.Contains("sam deploy", StringComparison.Ordinal) == true)!;
        var template = Regex.Match(scripts, @"sam deploy\s+\\?\s*--template-file (\S+)").Groups[1].Value;
        Assert.Equal("deploy/sam/template.yaml", template);
        var parameters = YamlTree.LoadFile(template).Req("Parameters").Map();
        var overrides = Regex.Matches(scripts, @"""([A-Za-z0-9]+)=").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(overrides, o => Assert.True(parameters.ContainsKey(o), $"parameter-overrides: {o} is not a template parameter"));
        foreach (var (name, parameter) in parameters.Where(p => p.Value.Get("Default") is null))
            Assert.Contains(name, overrides);
    }
}
