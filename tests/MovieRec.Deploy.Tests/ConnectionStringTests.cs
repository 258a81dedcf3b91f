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
            if (Unbounded(match.Value) is { } problem) Assert.Fail($"{file}: {problem}");
        }
    }

    /// <summary>
    /// The Lambda template takes the connection string as a parameter (the operator's, so no Host= in the file): its
    /// AllowedPattern refuses a stack whose connection string the rule above would refuse. Before, the bounds were only
    /// written in the parameter's description and README, and a stack deployed without them waited Npgsql's 15 s and
    /// 30 s, into API Gateway's 29 s.
    /// </summary>
    [Theory]
    [InlineData("Host=db;Port=5432;Database=movierec;Username=movierec;Password=x;Timeout=5;Command Timeout=5")]
    [InlineData("Command Timeout=3; timeout = 10 ;Host=db")]
    [InlineData("Host=db;Database=movierec")]
    [InlineData("Host=db;Command Timeout=5")]
    [InlineData("Host=db;Timeout=5")]
    [InlineData("Host=db;Timeout=5;Command Timeout=30")]
    [InlineData("Host=db;Timeout=0;Command Timeout=5")]
    [InlineData("Host=db;Timeout=15;Command Timeout=5")]
    [InlineData("Host=db;Timeout=5;Command Timeout=")]
    public void The_lambda_template_accepts_only_a_connection_string_the_rule_accepts(string connectionString)
    {
        const string template = "deploy/sam/template.yaml";
        var root = YamlTree.LoadFile(template).Map(template);
        var function = root.Req("Resources").Map().Values.Single(r => r.Get("Type") as string == "AWS::Serverless::Function").Map();
        string parameter = function.Req("Properties.Environment.Variables.ConnectionStrings__Ratings").Req("Ref").Str("Ref");
        string? pattern = root.Req("Parameters").Map().Req(parameter).Map().Get("AllowedPattern") as string;
        Assert.True(pattern is not null, $"{template}: parameter {parameter} has no AllowedPattern");
        // CloudFormation's patterns are Java regexes matching the whole value; these constructs mean the same in .NET.
        bool allowed = Regex.IsMatch(connectionString, $"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        string? problem = Unbounded(connectionString);
        Assert.True(allowed == (problem is null), $"AllowedPattern {(allowed ? "accepts" : "refuses")} '{connectionString}'; the rule says: {problem ?? "bounded"}");
    }

    [Fact]
    public void The_lambda_template_accepts_the_connection_string_its_readme_shows()
    {
        var readme = Repo.Read("deploy/README.md");
        var shown = Regex.Match(readme, "RatingsConnectionString=\"(?<value>[^\"]+)\"", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(shown.Success, "deploy/README.md shows no RatingsConnectionString=\"...\"");
        Assert.Null(Unbounded(shown.Groups["value"].Value));
    }

    /// <summary>Why a connection string does not bound Npgsql's waits (Timeout and Command Timeout of 1..10 s), or null.</summary>
    private static string? Unbounded(string connectionString)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split('=', 2)).Where(pair => pair.Length == 2))
            keys[pair[0].Trim()] = pair[1].Trim();
        foreach (var key in new[] { "Timeout", "Command Timeout" })
        {
            if (!keys.TryGetValue(key, out var value)) return $"'{connectionString}' sets no {key}";
            // Within the readiness probe's patience and well inside the ingress's and API Gateway's (29 s) timeouts.
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds is < 1 or > 10)
                return $"'{connectionString}' sets {key}={value}, not 1..10 seconds";
        }
        return null;
    }

    // From Host= (not UseAppHost=) to the closing quote or the end of the line (values hold spaces: "Command Timeout").
    [GeneratedRegex("(?<![A-Za-z])Host=[^\"'\\r\\n]*")]
    private static partial Regex ConnectionString();
}
