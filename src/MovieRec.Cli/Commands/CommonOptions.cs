using System.CommandLine;
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

    public static Option<bool> Lenient() => new("--lenient")
    {
        Description = "Skip bad rows and report how many were skipped and why, instead of stopping at the first.",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document instead of tables." };

    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Read --data as a generic interactions file with this column mapping, e.g. "
            + "user=userId,item=songId,rating=plays,timestamp=ts (rating=none for implicit feedback; also file=, "
            + "delimiter=, header=no, scale=1-10, items=<file>, title=, category=). A folder can carry it in a movierec.columns file.",
    };

    public static Dataset LoadDataset(string data, bool lenient, string? columns = null)
    {
        var path = DataLocator.Resolve(data);
        var options = new LoadOptions { Lenient = lenient };
        if (columns is null)
        {
            if (File.Exists(path) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"'{data}' is a single file: give --columns user=<column>,item=<column>[,rating=<column>] to read it as interactions, or give a dataset folder or .zip.");
            return DatasetLoader.Load(path, options);
        }
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
