using System.Diagnostics;
using System.Text.Json;
using MovieRec.Core.Models;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// The Spark job (deploy/spark/als_train.py) and the importer agree on the layout: the job's own LAYOUT and
/// hyperparameters(), read by running python3 on the job file (no Spark needed), match SparkAlsImport's constants,
/// and a model folder written as LAYOUT says, with the hyperparameters.json the job would write, imports with the
/// job's regParam (which Spark's metadata does not keep).
/// </summary>
public class SparkJobLayoutTests
{
    private const int Rank = 6;

    private static readonly Lazy<JsonElement> Job = new(() => RunJob(
        """
        import datetime, json, runpy, sys
        job = runpy.run_path(sys.argv[1])
        args = job["parse_args"](["--ratings", "s3a://b/ratings.csv", "--out", "s3a://b/models/spark/als", "--rank", "6", "--reg-param", "0.07"])
        at = datetime.datetime(2026, 11, 24, 1, 2, 3, tzinfo=datetime.timezone.utc)
        print(json.dumps({"layout": job["LAYOUT"], "hyperparameters": job["hyperparameters"](args, at, 80000, 0.8712, "3.5.1")}))
        """));

    private static JsonElement RunJob(string program)
    {
        var file = FindJob();
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", program, file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) throw new TimeoutException("python3 ran over a minute");
        Assert.True(process.ExitCode == 0, $"python3 on {file} failed: {error.Result}");
        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }

    private static string FindJob()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "spark", "als_train.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("deploy/spark/als_train.py not found above the test binaries.");
    }

    private static string Layout(string key) => Job.Value.GetProperty("layout").GetProperty(key).GetString()!;

    [Fact]
    public void The_jobs_layout_is_what_the_importer_reads()
    {
        Assert.Equal(SparkAlsImport.MetadataFile, Layout("metadata"));
        Assert.Equal(SparkAlsImport.UserFactorsFolder, Layout("user_factors"));
        Assert.Equal(SparkAlsImport.ItemFactorsFolder, Layout("item_factors"));
        Assert.Equal(SparkAlsImport.IdColumn, Layout("id_column"));
        Assert.Equal(SparkAlsImport.FeaturesColumn, Layout("features_column"));
        Assert.Equal(SparkAlsImport.HyperparametersFile, Layout("hyperparameters"));
        Assert.Equal(SparkAlsImport.AlsModelClass, Layout("model_class"));
        // The schema the job checks its factor tables against (Spark's simpleString) is the one the importer takes:
        // an int id and an array of floats.
        Assert.Equal($"struct<{SparkAlsImport.IdColumn}:int,{SparkAlsImport.FeaturesColumn}:array<float>>", Layout("factor_schema"));
    }

    [Fact]
    public void A_model_written_as_the_job_writes_it_imports_with_the_jobs_reg_param()
    {
        using var tmp = TestData.NewFolder();
        var folder = Path.Combine(tmp.Path, "als");
        int[] users = [1, 2, 3, 7], items = [10, 20, 30, 40, 50];
        SparkAlsFixture.WriteMetadata(folder, SparkAlsFixture.Metadata(Rank));
        Assert.True(File.Exists(Path.Combine(folder, Layout("metadata"))));
        SparkAlsFixture.WriteFactors(Path.Combine(folder, Layout("user_factors")), Rank, users, SparkAlsFixture.RandomFactors(users.Length, Rank, 1), parts: 2);
        SparkAlsFixture.WriteFactors(Path.Combine(folder, Layout("item_factors")), Rank, items, SparkAlsFixture.RandomFactors(items.Length, Rank, 2), parts: 2);
        var hyperparameters = Job.Value.GetProperty("hyperparameters");
        File.WriteAllText(Path.Combine(folder, Layout("hyperparameters")), hyperparameters.GetRawText());

        var result = SparkAlsImport.Import(folder);
        Assert.Equal(0.07, result.Model.Options.RegParam); // Spark's metadata does not record it; the job's file does
        Assert.Equal(0.07, result.Metadata.RegParam);
        Assert.Equal(hyperparameters.GetProperty("rank").GetInt32(), result.Metadata.Rank);
        Assert.Equal((4, 5), (result.SparkUsers, result.SparkItems));
        Assert.Equal("als-20261124T010203Z", hyperparameters.GetProperty("modelId").GetString());

        // An explicit --reg still wins over the file.
        Assert.Equal(0.2, SparkAlsImport.Import(folder, new SparkAlsImportOptions { RegParam = 0.2 }).Model.Options.RegParam);

        // A job run with implicit feedback is refused through the same file.
        var implicitRun = hyperparameters.GetRawText().Replace("\"implicitPrefs\": false", "\"implicitPrefs\": true", StringComparison.Ordinal);
        Assert.Contains("\"implicitPrefs\": true", implicitRun, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, Layout("hyperparameters")), implicitRun);
        var e = Assert.Throws<InvalidDataException>(() => SparkAlsImport.Import(folder));
        Assert.Contains("implicitPrefs is true", e.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, Layout("hyperparameters")), "{\"regParam\": \"high\"}");
        e = Assert.Throws<InvalidDataException>(() => SparkAlsImport.Import(folder));
        Assert.StartsWith(Path.Combine(folder, Layout("hyperparameters")), e.Message, StringComparison.Ordinal);
    }
}
