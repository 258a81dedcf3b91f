using System.CommandLine;
using MovieRec.Core.Data;

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

    public static Dataset LoadDataset(string data, bool lenient) =>
        DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { Lenient = lenient });
}
