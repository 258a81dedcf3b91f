using System.Text.Json;

namespace MovieRec.Deploy.Tests;

/// <summary>
/// deploy/spark cannot run here (no Spark, no cluster), so it is checked by its structure: the job compiles, its
/// arguments parse, the manifests run that file with arguments it accepts and write where the nightly retrain fetches,
/// and the retrain hands the result over through models/incoming/ with the CLI. The layout the job writes is checked
/// against the importer in tests/MovieRec.Core.Tests/Models/SparkJobLayoutTests.cs.
/// </summary>
public sealed class SparkJobTests
{
    private const string Job = "deploy/spark/als_train.py";

    private static string Python =>
        Tool.Find("python3") ?? throw new Xunit.Sdk.XunitException("python3 is not installed (./test.sh installs python3 with python3-onnx).");

    private static Dictionary<string, object?> Application => YamlTree.LoadFile("deploy/spark/sparkapplication.yaml").Map();

    [Fact]
    public void The_job_compiles()
    {
        using var scratch = new TempFile();
        var result = Tool.Run(Python, ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", Repo.PathOf(Job), scratch.Path],
            TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public void The_application_runs_the_job_with_arguments_it_accepts()
    {
        var app = Application;
        Assert.Equal("sparkoperator.k8s.io/v1beta2", app.Req("apiVersion").Str());
        Assert.Equal("SparkApplication", app.Req("kind").Str());
        Assert.Equal("Python", app.Req("spec.type").Str());
        // The script comes from the ConfigMap deploy/spark/kustomization.yaml generates from the job file, mounted where
        // mainApplicationFile points, in the driver and in the executors.
        var main = app.Req("spec.mainApplicationFile").Str();
        Assert.StartsWith("local://", main, StringComparison.Ordinal);
        var mount = Path.GetDirectoryName(main["local://".Length..])!;
        Assert.Equal(Path.GetFileName(Job), Path.GetFileName(main));
        var volume = app.Req("spec.volumes").Seq().Single();
        var configMap = volume.Req("configMap.name").Str();
        foreach (var role in new[] { "driver", "executor" })
        {
            var mounted = app.Req($"spec.{role}.volumeMounts").Seq().Single(m => m.Get("name") as string == volume.Req("name").Str());
            Assert.Equal(mount, mounted.Req("mountPath").Str());
            Assert.NotNull(app.Get($"spec.{role}.envSecretKeyRefs.AWS_ACCESS_KEY_ID"));
        }
        var kustomization = YamlTree.LoadFile("deploy/spark/kustomization.yaml");
        var generator = kustomization.Req("configMapGenerator").Seq().Single();
        Assert.Equal(configMap, generator.Req("name").Str());
        Assert.Contains(Path.GetFileName(Job), generator.Req("files").Seq().Select(f => f.Str()));
        Assert.Equal("true", kustomization.Req("generatorOptions.disableNameSuffixHash").Str());
        Assert.Equal(app.Req("spec.driver.serviceAccount").Str(),
            YamlTree.LoadAll(Repo.Read("deploy/spark/rbac.yaml")).Single(d => d.Get("kind") as string == "ServiceAccount").Req("metadata.name").Str());

        // The job's own parser accepts the manifest's arguments, and they say what the job will write.
        var arguments = app.Req("spec.arguments").Seq().Select(a => a.Str()).ToList();
        var result = Tool.Run(Python, [Repo.PathOf(Job), .. arguments, "--print-hyperparameters"], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Error);
        var hp = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(arguments[arguments.IndexOf("--rank") + 1], hp.GetProperty("rank").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(hp.GetProperty("implicitPrefs").GetBoolean()); // the importer refuses implicit models
        Assert.StartsWith("als-", hp.GetProperty("modelId").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("s3a://", arguments[arguments.IndexOf("--ratings") + 1], StringComparison.Ordinal);

        // A bad argument is refused by the job, not silently used.
        var bad = Tool.Run(Python, [Repo.PathOf(Job), "--ratings", "r.csv", "--out", "m", "--reg-param", "-1", "--print-hyperparameters"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--reg-param", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_nightly_schedule_runs_the_same_application()
    {
        var scheduled = YamlTree.LoadFile("deploy/spark/scheduled-sparkapplication.yaml");
        Assert.Equal("ScheduledSparkApplication", scheduled.Req("kind").Str());
        Assert.Equal(JsonSerializer.Serialize(Application.Req("spec")), JsonSerializer.Serialize(scheduled.Req("spec.template")));
        // Before the retrain CronJob (03:00 UTC) that imports its output.
        var hour = int.Parse(scheduled.Req("spec.schedule").Str().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var retrainHour = int.Parse(YamlTree.LoadFile("deploy/k8s/base/cronjob-retrain.yaml").Req("spec.schedule").Str().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(hour < retrainHour, $"Spark runs at {hour}:00, after the retrain at {retrainHour}:00");
        if (Tool.Find("kubectl") is { } kubectl)
        {
            var rendered = Tool.Run(kubectl, ["kustomize", "deploy/spark"], TimeSpan.FromMinutes(1));
            Assert.True(rendered.ExitCode == 0, rendered.Error);
            var kinds = YamlTree.LoadAll(rendered.Output).Select(o => o.Req("kind").Str()).ToList();
            Assert.Contains("ScheduledSparkApplication", kinds);
            Assert.Contains("ConfigMap", kinds);
            Assert.DoesNotContain("SparkApplication", kinds); // a one-off run is created by hand, not on every apply
        }
    }

    [Fact]
    public void The_nightly_retrain_hands_the_spark_model_over_through_incoming()
    {
        var production = Manifests.Render("production");
        var cron = production.OfKind("CronJob").Single();
        var spec = Manifests.PodSpec(cron)!;
        var init = spec.Req("initContainers").Seq().Select(c => c.Map()).ToList();
        Assert.Equal(["retrain", "spark-fetch", "spark-import"], init.Select(c => c.Req("name").Str()));
        var config = production.OfKind("ConfigMap").Single(c => Manifests.Name(c).StartsWith("movierec-config", StringComparison.Ordinal)).Req("data").Map();

        // spark-fetch copies the prefix the Spark application writes to.
        var prefix = config.Req("S3_SPARK_MODEL_PREFIX").Str();
        var output = Application.Req("spec.arguments").Seq().Select(a => a.Str()).ToList() is var args ? args[args.IndexOf("--out") + 1] : "";
        Assert.EndsWith("/" + prefix.TrimEnd('/'), output, StringComparison.Ordinal);
        var fetch = string.Join('\n', init[1].Req("args").Seq().Select(a => a.Str()));
        Assert.Contains("aws s3 sync \"s3://${S3_BUCKET}/${S3_SPARK_MODEL_PREFIX}\" /spark/model", fetch, StringComparison.Ordinal);

        // spark-import runs the CLI of the service's own image into models/incoming/, under a temporary name first.
        var import = init[2];
        var app = production.OfKind("Deployment").SelectMany(Manifests.AllContainers).Single(c => c.Get("name") as string == "movierec");
        Assert.Equal(app.Req("image").Str(), import.Req("image").Str());
        var script = string.Join('\n', import.Req("args").Seq().Select(a => a.Str()));
        Assert.Contains("movierec import spark-als --path /spark/model --data \"${MovieRec__Dataset}\" --out \"$incoming/.spark-$id.tmp\"", script, StringComparison.Ordinal);
        Assert.Contains("mv \"$incoming/.spark-$id.tmp\" \"$incoming/spark-$id.mrec\"", script, StringComparison.Ordinal);
        Assert.Contains("incoming=\"${MovieRec__ModelDirectory}/incoming\"", script, StringComparison.Ordinal);
        Assert.NotNull(config.Get("MovieRec__ModelDirectory"));
        // Both steps share the scratch volume; the import writes the shared claim the replicas watch.
        var claim = spec.Req("volumes").Seq().Single(v => v.Get("persistentVolumeClaim") is not null).Req("name").Str();
        Assert.Null(import.Req("volumeMounts").Seq().Single(m => m.Get("name") as string == claim).Get("readOnly"));
        Assert.Equal(
            init[1].Req("volumeMounts").Seq().Single(m => m.Get("mountPath") as string == "/spark").Req("name").Str(),
            import.Req("volumeMounts").Seq().Single(m => m.Get("mountPath") as string == "/spark").Req("name").Str());
    }

    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"als_train-{Guid.NewGuid():N}.pyc");

        public void Dispose() => File.Delete(Path);
    }
}
