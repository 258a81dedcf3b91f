using System.CommandLine;
using System.Runtime.CompilerServices;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Cli.Commands;

/// <summary>Options shared by every command that reads a dataset.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = $"A dataset folder, a .zip, or a name looked up under {DataLocator.EnvironmentVariable}, then the download cache.",
        DefaultValueFactory = _ => DataLocator.DefaultDataset,
    };

    /// <summary>How many results: `-n`, `--count` on every command that lists movies.</summary>
    public static Option<int> Count(string description, int defaultValue) => new("--count", "-n")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>The k of k-means and of top-k lists: `-k`, `--k` wherever a command takes one.</summary>
    public static Option<int> K(string description) => new("--k", "-k") { Description = description };

    /// <summary>One algorithm (`train`, `tune`): `-a`, `--algorithm`; `--algorithms` (evaluate's spelling) works too.</summary>
    public static Option<string> Algorithm(string description) =>
        WithHiddenAliases(new Option<string>("--algorithm", "-a") { Description = description }, "--algorithms");

    /// <summary>Several algorithms (`evaluate`): `-a`, `--algorithms`; `--algorithm` (train's and tune's spelling) works too.</summary>
    public static Option<string> Algorithms(string description) =>
        WithHiddenAliases(new Option<string>("--algorithms", "-a") { Description = description }, "--algorithm");

    /// <summary>Spellings each option also answers to without --help showing them (see <see cref="Respell"/>).</summary>
    private static readonly ConditionalWeakTable<Option, string[]> HiddenAliases = [];

    /// <summary>
    /// Makes <paramref name="option"/> answer to <paramref name="aliases"/> too, without listing them in --help: the
    /// spelling a sibling command uses for the same thing (evaluate's --algorithms on train), so a user's habit or an
    /// older script still parses. System.CommandLine shows every alias in the help, so these are rewritten to the
    /// option's name before parsing instead.
    /// </summary>
    public static T WithHiddenAliases<T>(T option, params string[] aliases) where T : Option
    {
        HiddenAliases.AddOrUpdate(option, aliases);
        return option;
    }

    /// <summary>The hidden aliases of <paramref name="option"/> (empty for most).</summary>
    public static IReadOnlyList<string> HiddenAliasesOf(Option option) =>
        HiddenAliases.TryGetValue(option, out var aliases) ? aliases : [];

    /// <summary>
    /// <paramref name="args"/> with each hidden alias of the invoked command's options (as a token, or before '=' or
    /// ':' and a value) replaced by the option's name; the command is found by its names at the start, as the parser
    /// does. Nothing after "--" changes.
    /// </summary>
    public static string[] Respell(Command root, string[] args)
    {
        var command = root;
        int start = 0;
        while (start < args.Length && command.Subcommands.FirstOrDefault(c => c.Name == args[start] || c.Aliases.Contains(args[start])) is { } sub)
        {
            command = sub;
            start++;
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            foreach (var alias in HiddenAliasesOf(option)) names[alias] = option.Name;
        }
        if (names.Count == 0) return args;
        var result = (string[])args.Clone();
        for (int i = start; i < result.Length && result[i] != "--"; i++)
        {
            string token = result[i];
            if (names.TryGetValue(token, out var name))
            {
                result[i] = name;
                continue;
            }
            int separator = token.IndexOfAny(['=', ':']);
            if (separator > 0 && names.TryGetValue(token[..separator], out name)) result[i] = name + token[separator..];
        }
        return result;
    }

    /// <summary>The option's value, which must be positive; the error names the spelling the user typed (-n or --count).</summary>
    public static int Positive(ParseResult parse, Option<int> option)
    {
        int value = parse.GetValue(option);
        return value > 0 ? value : throw new CliException($"{Spelt(parse, option)} must be a positive number, not {value}.");
    }

    /// <summary>The spelling of <paramref name="option"/> on the command line (its name when it was not given).</summary>
    public static string Spelt(ParseResult parse, Option option) => parse.GetResult(option)?.IdentifierToken?.Value ?? option.Name;

    public static Option<bool> Lenient() => new("--lenient")
    {
        Description = "Skip bad rows and report how many were skipped and why, instead of stopping at the first.",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document instead of tables." };

    /// <summary>
    /// The dataset's path; a known GroupLens release that is not present yet is downloaded first (into
    /// MOVIEREC_DATA, else the cache), so that `movierec ... --data ml-latest-small` works on a fresh machine.
    /// </summary>
    public static string ResolveOrDownload(string data) => DataLocator.ResolveOrDownload(data, Console.Error.WriteLine);

    /// <summary>
    /// Checks that <paramref name="option"/>'s file can be written before any work is done (a model can take minutes
    /// to train, only to fail at the save): not a folder, in a folder that exists and takes new files.
    /// </summary>
    public static void CheckOutput(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException($"{option} needs a file path.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new CliException($"{option} {path} is a folder; give the path of the file to write (in it, or elsewhere).");
        string folder = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(folder))
            throw new CliException($"{option} {path}: the folder {folder} does not exist.");
        // The save writes a temporary file beside the target, then renames it: the folder must take new files.
        string probe = Path.Combine(folder, $".movierec-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: cannot write in {folder}{(e is UnauthorizedAccessException ? " (permission denied)" : "")}.", e);
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe);
        }
    }

    /// <summary>Runs the write of <paramref name="option"/>'s file; a failure (disk full) is one line naming the option and the path.</summary>
    public static void WriteOutput(string path, string option, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: could not be written: {e.Message}", e);
        }
    }

    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Read --data as a generic interactions file with this column mapping, e.g. "
            + "user=userId,item=songId,rating=plays,timestamp=ts (rating=none for implicit feedback; also file=, "
            + "delimiter=, header=no, scale=1-10, items=<file>, item_id=, title=, category=). A folder can carry it in a movierec.columns file.",
    };

    public static Dataset LoadDataset(string data, bool lenient, string? columns = null, bool acceptsColumns = true)
    {
        var path = ResolveOrDownload(data);
        // TMDB 5000's credits file takes most of a load to parse (0.9 s of CPU in a fresh process); a process per
        // command reads the parsed copy kept in the cache instead, while the files are unchanged.
        var options = new LoadOptions { Lenient = lenient, MetadataCacheFolder = DataLocator.MetadataCacheDirectory };
        bool singleFile = File.Exists(path) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        if (columns is null && singleFile)
        {
            // A mapping file beside a single data file applies to it, as it would to the folder.
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, InteractionsCsvMapping.MappingFileName);
            columns = File.Exists(beside)
                ? File.ReadAllText(beside)
                : throw new CliException(acceptsColumns
                    ? $"'{data}' is a single file: to read it as interactions give its columns with "
                        + $"--columns user=<column>,item=<column>[,rating=<column>] or a {InteractionsCsvMapping.MappingFileName} file beside it; otherwise give a dataset folder or .zip."
                    : $"'{data}' is a single file: to read it as interactions put a {InteractionsCsvMapping.MappingFileName} file "
                        + "(user=<column>,item=<column>[,rating=<column>]) beside it; otherwise give a dataset folder or .zip.");
        }
        if (columns is null)
            return DatasetLoader.Load(path, options);
        InteractionsCsvMapping mapping;
        try
        {
            mapping = InteractionsCsvMapping.Parse(columns);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--columns: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        return InteractionsCsvLoader.Load(path, mapping, options);
    }
}
