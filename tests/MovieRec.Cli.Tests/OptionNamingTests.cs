using System.CommandLine;
using System.Text.RegularExpressions;
using MovieRec.Cli.Commands;
using MovieRec.Core.Tests;
using Spectre.Console;

namespace MovieRec.Cli.Tests;

/// <summary>
/// One spelling per concept across the `movierec` commands (`clusters --k` against `export similarity -k`, `-a` on tune
/// but not train, greedy `--param` on train only), and the other spellings still parsing to the same thing.
/// </summary>
public class OptionNamingTests
{
    private static RootCommand Tree() =>
        MovieRecCli.Commands(new CliContext(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null, TextWriter.Null));

    private static IEnumerable<(string Path, Option Option)> Options(Command command, string path)
    {
        foreach (var option in command.Options) yield return (path, option);
        foreach (var sub in command.Subcommands)
        {
            foreach (var found in Options(sub, $"{path} {sub.Name}")) yield return found;
        }
    }

    /// <summary>Every spelling an option answers to: its name, its aliases and its hidden aliases.</summary>
    private static string Spellings(Option option) =>
        string.Join(' ', new[] { option.Name }.Concat(option.Aliases).Concat(CommonOptions.HiddenAliasesOf(option)).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_option_has_a_long_name_and_each_spelling_means_the_same_set_of_spellings_everywhere()
    {
        var options = Options(Tree(), "movierec").ToList();
        Assert.All(options, o => Assert.True(o.Option.Name.StartsWith("--", StringComparison.Ordinal), $"{o.Path} {o.Option.Name}: no long name"));
        var bySpelling = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var (path, option) in options)
        {
            string set = Spellings(option);
            foreach (var spelling in set.Split(' '))
            {
                if (!bySpelling.TryGetValue(spelling, out var sets)) bySpelling[spelling] = sets = [];
                if (!sets.TryGetValue(set, out var commands)) sets[set] = commands = [];
                commands.Add(path);
            }
        }
        var inconsistent = bySpelling.Where(p => p.Value.Count > 1)
            .Select(p => $"{p.Key}: " + string.Join("; ", p.Value.Select(s => $"[{s.Key}] in {string.Join(", ", s.Value)}")))
            .ToList();
        Assert.True(inconsistent.Count == 0, string.Join("\n", inconsistent));
    }

    [Theory]
    [InlineData("clusters --k 5", "clusters -k 5")]
    [InlineData("clusters --k 5", "clusters --k=5")]
    [InlineData("export similarity --out s.csv --k 5", "export similarity --out s.csv -k 5")]
    [InlineData("evaluate --algorithms svd,ease", "evaluate -a svd,ease")]
    [InlineData("evaluate --algorithms svd,ease", "evaluate --algorithm svd,ease")]
    [InlineData("evaluate --algorithms svd,ease", "evaluate --algorithm=svd,ease")]
    [InlineData("evaluate -a svd --metrics rmse,hr@10", "evaluate -a svd --metric rmse,hr@10")]
    [InlineData("evaluate -a svd --metrics rmse,hr@10", "evaluate -a svd --metric:rmse,hr@10")]
    [InlineData("evaluate -a svd --param factors=5 --param epochs=2", "evaluate -a svd --param factors=5 epochs=2")]
    [InlineData("tune --algorithm svd --grid factors=1,2 --metric mae", "tune -a svd --grid factors=1,2 --metrics mae")]
    [InlineData("tune --algorithm svd --grid factors=1,2", "tune --algorithms svd --grid factors=1,2")]
    [InlineData("tune -a svd --grid factors=1,2 --grid epochs=3,4 --param lr-all=0.01 --param reg-all=0.1", "tune -a svd --grid factors=1,2 epochs=3,4 --param lr-all=0.01 reg-all=0.1")]
    [InlineData("train --algorithm ease --out m.mrec", "train -a ease --out m.mrec")]
    [InlineData("train --algorithm ease --out m.mrec", "train --algorithms ease --out m.mrec")]
    [InlineData("similar Heat --count 3", "similar Heat -n 3")]
    [InlineData("search heat --count 3", "search heat -n 3")]
    [InlineData("onboarding --count 3", "onboarding -n 3")]
    [InlineData("recommend --model m.mrec --user 1 --count 3", "recommend --model m.mrec --user 1 -n 3")]
    public void Another_spelling_parses_to_the_same_command_line(string canonical, string other)
    {
        var root = Tree();
        var expected = MovieRecCli.Parse(root, canonical.Split(' '));
        var actual = MovieRecCli.Parse(root, other.Split(' '));
        Assert.Empty(expected.Errors);
        Assert.Empty(actual.Errors.Select(e => e.Message));
        Assert.Same(expected.CommandResult.Command, actual.CommandResult.Command);
        foreach (var option in expected.CommandResult.Command.Options)
        {
            var want = expected.GetResult(option)?.Tokens.Select(t => t.Value).ToArray();
            var got = actual.GetResult(option)?.Tokens.Select(t => t.Value).ToArray();
            Assert.True(Equals(want, got) || (want is not null && got is not null && want.SequenceEqual(got)),
                $"{option.Name}: [{string.Join(",", want ?? [])}] against [{string.Join(",", got ?? [])}]");
        }
    }

    [Fact]
    public void Hidden_aliases_change_only_the_invoked_commands_options_and_nothing_after_a_double_dash()
    {
        var root = Tree();
        Assert.Equal(["train", "--algorithm", "ease", "--", "--algorithms"], CommonOptions.Respell(root, ["train", "--algorithms", "ease", "--", "--algorithms"]));
        // similar has no option spelt --algorithm: a title of that spelling stays a title.
        Assert.Equal(["similar", "--algorithms"], CommonOptions.Respell(root, ["similar", "--algorithms"]));
    }

    [Theory]
    [InlineData("evaluate", "-a, --algorithms", @"--algorithm\b(?!s)")]
    [InlineData("tune", "-a, --algorithm", @"--algorithms\b|--metrics\b")]
    [InlineData("train", "-a, --algorithm", @"--algorithms\b")]
    [InlineData("similar", "-n, --count", "<n>")]
    public void The_help_shows_the_short_alias_and_not_the_hidden_spellings(string command, string shown, string hidden)
    {
        var (exit, output, error) = CliRunner.Run(command, "--help");
        Assert.True(exit == 0, error);
        Assert.Contains(shown, output, StringComparison.Ordinal);
        Assert.DoesNotMatch(hidden, output);
    }

    [Theory]
    [InlineData("similar", "Heat", "-n")]
    [InlineData("similar", "Heat", "--count")]
    [InlineData("search", "heat", "--count")]
    [InlineData("onboarding", null, "-n")]
    [InlineData("clusters", null, "-k")]
    [InlineData("export", "similarity", "--k")]
    public void A_count_that_is_not_positive_names_the_spelling_typed_before_the_dataset_is_read(string command, string? second, string option)
    {
        // The dataset does not exist: the count is refused first (it was checked after loading the dataset).
        using var tmp = TestData.NewFolder();
        var args = new List<string> { command };
        if (second is not null) args.Add(second);
        if (command == "export") args.AddRange(["--out", Path.Combine(tmp.Path, "s.csv")]);
        args.AddRange([option, "0", "--data", Path.Combine(tmp.Path, "missing")]);
        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Equal($"error: {option} must be a positive number, not 0.", error.Trim());
    }

    [Theory]
    [InlineData("data synth --format xyz --out {0}", "error: --format must be csv or dat, not 'xyz'.")]
    [InlineData("export similarity --format xyz --out {0} --data {1}", "error: --format must be csv or npy, not 'xyz'.")]
    public void A_value_outside_the_choices_is_one_line_naming_the_option_before_any_work(string command, string expected)
    {
        using var tmp = TestData.NewFolder();
        var args = string.Format(System.Globalization.CultureInfo.InvariantCulture, command, Path.Combine(tmp.Path, "out"), Path.Combine(tmp.Path, "missing")).Split(' ');
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Equal(expected, Regex.Split(error.Trim(), "\r?\n")[0]);
        Assert.DoesNotContain("not recognized", error, StringComparison.Ordinal);
    }
}
