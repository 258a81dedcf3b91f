using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

public sealed class DataLocatorTests
{
    [Fact]
    public void A_relative_data_folder_is_taken_from_the_shell_when_the_working_directory_has_none()
    {
        // The repository root holds shared/datasets; `dotnet run --project src/Web` starts the app in src/Web.
        using var tmp = TestData.NewFolder();
        string repo = Path.Combine(tmp.Path, "repo"), project = Path.Combine(repo, "src", "Web"), data = Path.Combine(tmp.Path, "shared", "datasets");
        Directory.CreateDirectory(project);
        Directory.CreateDirectory(data);
        Assert.Equal(data, DataLocator.ResolveRoot("../shared/datasets", project, shellDirectory: repo));
        // Found where the app runs: that one, whatever the shell.
        Assert.Equal(data, DataLocator.ResolveRoot("../../../shared/datasets", project, shellDirectory: tmp.Path));
        // Nowhere: the working directory's reading, in full, so the error names the folder it looked in.
        Assert.Equal(Path.Combine(repo, "src", "missing"), DataLocator.ResolveRoot("../missing", project, shellDirectory: repo));
        Assert.Equal(Path.Combine(repo, "src", "missing"), DataLocator.ResolveRoot("../missing", project, shellDirectory: null));
        // Absolute paths are taken as they are.
        Assert.Equal("/elsewhere/data", DataLocator.ResolveRoot("/elsewhere/data", project, shellDirectory: repo));
    }
}
