using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MovieRec.Core.Data.Synthetic;
using MovieRec.Core.Tests;
using MovieRec.Core.Tests.Models;
using Xunit.Abstractions;

namespace MovieRec.Cli.Tests;

/// <summary>
/// Every `movierec` command in the README's code blocks runs as written, in order, as its own process, in a fresh
/// working folder with a fresh MOVIEREC_DATA (ml-latest-small and tmdb-5000 copied in) and an empty cache. The one
/// commands whose inputs a fresh machine cannot have get them: `import spark-als --path als-model/ ... --data ml-25m` a
/// synthetic dataset named ml-25m and Spark-layout factors for its ids, made small; `recommend --ratings-file
/// ratings.csv` a person's Letterboxd export.
/// </summary>
public sealed class ReadmeCommandTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")] // 5-fold evaluations, a grid search and the first embedding of the catalogue: minutes of CPU
    // Alone: its first search embeds the whole catalogue (about 130 s on an idle 2-core machine without AVX-512),
    // which beside the slow tier's accuracy tests ran over the bound of one command (5 minutes then, 10 now).
    [Trait("RunsAlone", "true")]
    public void Every_movierec_command_in_the_readme_runs_as_written()
    {
        var commands = ReadmeCommands();
        Assert.True(commands.Count >= 10, $"only {commands.Count} movierec commands found in the README");
        using var work = TestData.NewFolder();
        var data = Path.Combine(work.Path, "datasets");
        foreach (var name in new[] { "ml-latest-small", "tmdb-5000" })
        {
            Directory.CreateDirectory(Path.Combine(data, name));
            foreach (var file in Directory.GetFiles(Path.Combine(TestData.DatasetsRoot, name)))
                File.Copy(file, Path.Combine(data, name, Path.GetFileName(file)));
        }
        PrepareSparkImport(work.Path, data);
        File.WriteAllText(Path.Combine(work.Path, "ratings.csv"), "Date,Name,Year,Letterboxd URI,Rating\n2024-03-01,Alien,1979,https://boxd.it/2b0k,5\n"
            + "2024-03-02,Blade Runner,1982,https://boxd.it/2b1a,4.5\n2024-03-03,The Thing,1982,https://boxd.it/2b2c,4\n");
        var cache = Path.Combine(work.Path, "cache");
        foreach (var args in commands)
        {
            var clock = Stopwatch.StartNew();
            var (exit, stdout, stderr) = Run(args, work.Path, data, cache);
            output.WriteLine($"movierec {string.Join(' ', args)}: exit {exit} in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(exit == 0, $"movierec {string.Join(' ', args)} exited {exit}:\n{stderr}\n{Tail(stdout)}");
            Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        }
        // What the commands say they write is there.
        foreach (var file in new[] { "svd.mrec", "taste.mrec", "ease.mrec", "als.mrec", "similar.csv" })
            Assert.True(File.Exists(Path.Combine(work.Path, file)), $"{file} was not written");
    }

    [Fact]
    public void The_readme_synth_command_fits_its_shape()
    {
        // `movierec data synth --ratings 25000000 --out DIR` is in the README's text; 673 MB is too much to write in a
        // test, so its shape is checked: the generator accepts it (it refused it before users and items were fitted).
        var readme = File.ReadAllText(ReadmePath());
        var match = Regex.Match(readme, @"`movierec data synth --ratings (\d+) --out DIR`");
        Assert.True(match.Success, "the README no longer shows the synth command");
        var options = SyntheticOptions.ForRatings(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        options.Validate();
    }

    [Fact]
    public void Every_dotnet_run_in_the_readme_builds_release()
    {
        // `dotnet run --project src/MovieRec.Web` built Debug, whose first start trained for 10 s where the README said
        // "about a second" (Release: 0.25 s): every `dotnet run` the README shows, in a code block or inline, names -c Release.
        var runs = Regex.Matches(File.ReadAllText(ReadmePath()), @"dotnet run\b[^`\n#]*--project [^`\n#]*").Select(m => m.Value.Trim()).ToList();
        Assert.Contains(runs, r => r.Contains("src/MovieRec.Web", StringComparison.Ordinal));
        Assert.All(runs, r => Assert.True(Regex.IsMatch(r, @"(^|\s)(-c|--configuration) Release(\s|$)"), $"the README runs `{r}` without -c Release"));
    }

    /// <summary>A small dataset named ml-25m (MovieLens csv layout) and Spark ALS factors for its users and movies.</summary>
    private static void PrepareSparkImport(string work, string data)
    {
        var synth = SyntheticDatasetGenerator.Write(new SyntheticOptions { Users = 200, Items = 500, Ratings = 8_000, Seed = 3 }, Path.Combine(data, "ml-25m"), SyntheticFormat.Csv);
        int[] users = [.. Enumerable.Range(1, synth.Users)];
        int[] items = [.. Enumerable.Range(1, synth.Items)];
        const int rank = 8;
        var folder = Path.Combine(work, "als-model");
        SparkAlsFixture.Write(folder, rank, users, SparkAlsFixture.RandomFactors(users.Length, rank, 1), items, SparkAlsFixture.RandomFactors(items.Length, rank, 2), parts: 2);
    }

    private static (int Exit, string Out, string Err) Run(IReadOnlyList<string> args, string workingDirectory, string data, string cache)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "movierec.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["MOVIEREC_DATA"] = data;
        start.Environment["XDG_CACHE_HOME"] = cache;
        start.Environment.Remove("MOVIEREC_EMBEDDING_MODEL");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"movierec {string.Join(' ', args)} ran over 10 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;

    private static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) return Path.Combine(dir.FullName, "README.md");
        }
        throw new FileNotFoundException("README.md (beside MovieRec.slnx) not found above the test binaries.");
    }

    /// <summary>The `movierec` lines of the README's fenced code blocks, split as a shell would, comments dropped.</summary>
    internal static List<IReadOnlyList<string>> ReadmeCommands()
    {
        var commands = new List<IReadOnlyList<string>>();
        bool inBlock = false;
        foreach (var line in File.ReadLines(ReadmePath()))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock && line.StartsWith("movierec ", StringComparison.Ordinal))
                commands.Add(Split(line)[1..]);
        }
        return commands;
    }

    /// <summary>Words of a shell line: double or single quotes group, an unquoted word starting with # ends the line.</summary>
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool any = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else if (c == '#' && !any)
            {
                break;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }
        if (any) words.Add(word.ToString());
        return words;
    }
}
