using System.Globalization;

namespace MovieRec.Deploy.Tests;

public sealed class SamTemplateTests
{
    private const string TemplatePath = "deploy/sam/template.yaml";
    private static readonly Dictionary<string, object?> Template = YamlTree.LoadFile(TemplatePath).Map(TemplatePath);

    private static Dictionary<string, object?> Parameters => Template.Req("Parameters").Map();

    private static Dictionary<string, object?> Function =>
        Template.Req("Resources").Map().Values.Single(r => r.Get("Type") as string == "AWS::Serverless::Function").Map();

    private static Dictionary<string, object?> Variables => Function.Req("Properties.Environment.Variables").Map();

    /// <summary>The parameter a <c>!Ref</c> names (and that it exists).</summary>
    private static Dictionary<string, object?> ParameterOf(object? reference)
    {
        var name = reference.Req("Ref").Str("Ref");
        Assert.True(Parameters.ContainsKey(name), $"!Ref {name}: no such parameter");
        return Parameters[name].Map();
    }

    [Fact]
    public void Function_runs_the_service_image_through_the_web_adapter()
    {
        Assert.Equal("AWS::Serverless-2016-10-31", Template.Req("Transform").Str());
        var properties = Function.Req("Properties").Map();
        Assert.Equal("Image", properties.Req("PackageType").Str());
        Assert.Equal("String", ParameterOf(properties.Req("ImageUri")).Req("Type").Str());
        var port = DockerfileTests.ExposedPort.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(port, Variables.Req("AWS_LWA_PORT").Str());
        Assert.Equal(port, Variables.Req("ASPNETCORE_HTTP_PORTS").Str());
        Assert.Equal(ServiceContract.ReadyPath, Variables.Req("AWS_LWA_READINESS_CHECK_PATH").Str());
        Assert.All(Variables.Keys, k => Assert.True(ServiceContract.IsKnownVariable(k), $"{k} is not a configuration key"));
        // An HTTP API waits 30 s at most.
        Assert.True(properties.Req("Timeout").Int() < 30);
    }

    [Fact]
    public void Memory_defaults_to_1024_and_never_goes_below_the_512_mb_the_model_must_fit()
    {
        var memory = ParameterOf(Function.Req("Properties.MemorySize"));
        Assert.Equal(1024, memory.Req("Default").Int());
        Assert.Equal(512, memory.Req("MinValue").Int());
    }

    [Fact]
    public void Provisioned_concurrency_is_optional_by_condition_on_the_published_alias()
    {
        var properties = Function.Req("Properties").Map();
        Assert.False(string.IsNullOrEmpty(properties.Get("AutoPublishAlias") as string));
        var choice = properties.Req("ProvisionedConcurrencyConfig").Req("Fn::If").Seq();
        Assert.Equal(3, choice.Count);
        Assert.True(Template.Req("Conditions").Map().ContainsKey(choice[0].Str()), $"no condition {choice[0]}");
        Assert.Equal("0", ParameterOf(choice[1].Req("ProvisionedConcurrentExecutions")).Req("Default").Str());
        Assert.Equal("AWS::NoValue", choice[2].Req("Ref").Str());
    }

    [Fact]
    public void Http_api_routes_every_path_to_the_function()
    {
        var resources = Template.Req("Resources").Map();
        var events = Function.Req("Properties.Events").Map().Values.Select(e => e.Map()).ToList();
        Assert.All(events, e => Assert.Equal("HttpApi", e.Req("Type").Str()));
        var paths = events.Select(e => (Path: e.Req("Properties.Path").Str(), Method: e.Req("Properties.Method").Str())).ToList();
        Assert.Contains(("/{proxy+}", "ANY"), paths);
        Assert.Contains(("/", "ANY"), paths);
        foreach (var e in events)
        {
            var api = e.Req("Properties.ApiId").Req("Ref").Str();
            Assert.Equal("AWS::Serverless::HttpApi", resources.Req(api).Req("Type").Str());
        }
    }

    [Fact]
    public void Secrets_are_no_echo_parameters_and_the_data_paths_are_on_the_mounted_file_system()
    {
        foreach (var variable in new[] { "ConnectionStrings__Ratings", "Admin__ApiKey", "OMDB_API_KEY", "Redis__Configuration" })
            Assert.Equal("true", ParameterOf(Variables.Req(variable)).Req("NoEcho").Str());
        var mount = Function.Req("Properties.FileSystemConfigs").Seq().Single().Req("LocalMountPath").Str();
        Assert.StartsWith("/mnt/", mount, StringComparison.Ordinal);
        Assert.StartsWith(mount + "/", Variables.Req("MOVIEREC_DATA").Str(), StringComparison.Ordinal);
        Assert.StartsWith(mount + "/", Variables.Req("MovieRec__ModelDirectory").Str(), StringComparison.Ordinal);
        // /tmp is the only writable local path on Lambda.
        Assert.StartsWith("/tmp/", Variables.Req("MovieRec__DataDirectory").Str(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cfn_lint_passes_the_template_and_rejects_a_function_property_the_transform_does_not_know()
    {
        // One cfn-lint run over both files (its start-up, loading every resource spec, is most of its 15 s of CPU):
        // ours passes, and a copy with a bad property fails, which shows the check is live (cfn-lint runs the SAM
        // transform). Each finding names its file.
        var broken = Path.Combine(Path.GetTempPath(), $"movierec-sam-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(broken, Repo.Read(TemplatePath).Replace("      PackageType: Image\n", "      PackageType: Image\n      NotAProperty: 1\n", StringComparison.Ordinal));
        try
        {
            var result = Tool.Run(CfnLint(), [TemplatePath, broken], TimeSpan.FromMinutes(3));
            string output = result.Output + result.Error;
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("NotAProperty", output, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(broken), output, StringComparison.Ordinal);
            Assert.True(!output.Contains(TemplatePath, StringComparison.Ordinal), $"cfn-lint found problems in {TemplatePath}:\n{output}");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static string CfnLint() => Tool.Find("cfn-lint") ?? throw new Xunit.Sdk.XunitException(
        "cfn-lint not found on PATH, in ~/.pyenv/shims or in ~/.local/bin: install it (pip install cfn-lint); "
        + "the SAM template must pass it.");
}
