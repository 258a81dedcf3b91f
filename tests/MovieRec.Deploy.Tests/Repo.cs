namespace MovieRec.Deploy.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to MovieRec.slnx).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"MovieRec.slnx not found above {AppContext.BaseDirectory}.");
    }
}
