using System.Globalization;
using System.Text.RegularExpressions;

namespace MovieRec.Deploy.Tests;

/// <summary>
/// Every PostgreSQL connection string the deployment files ship bounds the waits: without <c>Timeout</c> and
/// <c>Command Timeout</c> Npgsql waits 15 s to connect and 30 s per command, and a request during a database outage
/// held its client (and the ingress) that long before its 503.
/// </summary>
public sealed partial class ConnectionStringTests
{
    public static TheoryData<string> DeployFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.PathOf("deploy"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (ConnectionString().IsMatch(File.ReadAllText(file)))
                data.Add(Path.GetRelativePath(Repo.Root, file).Replace(Path.DirectorySeparatorChar, '/'));
        }
        return data;
    }

    [Fact]
    public void The_deployment_ships_postgresql_connection_strings()
    {
        // Compose, the Kubernetes Secret's example and the dev overlay: a move or rename must not empty the theory.
        Assert.True(DeployFiles().Count >= 3, "fewer than 3 deployment files hold a PostgreSQL connection string");
    }

    [Theory]
    [MemberData(nameof(DeployFiles))]
    public void Every_postgresql_connection_string_sets_short_connect_and_command_timeouts(string file)
    {
        foreach (Match match in ConnectionString().Matches(Repo.Read(file)))
        {
            var keys = match.Value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
            foreach (var key in new[] { "Timeout", "Command Timeout" })
            {
                Assert.True(keys.TryGetValue(key, out var value), $"{file}: '{match.Value}' sets no {key}");
                int seconds = int.Parse(value, CultureInfo.InvariantCulture);
                // Within the readiness probe's patience and well inside the ingress's and API Gateway's (29 s) timeouts.
                Assert.InRange(seconds, 1, 10);
            }
        }
    }

    // From Host= (not UseAppHost=) to the closing quote or the end of the line (values hold spaces: "Command Timeout").
    [GeneratedRegex("(?<![A-Za-z])Host=[^\"'\\r\\n]*")]
    private static partial Regex ConnectionString();
}
