namespace MovieRec.Deploy.Tests;

/// <summary>
/// What the deployment files may rely on from MovieRec.Web: its configuration keys (as environment variables) and the
/// endpoints the probes and jobs call. One list, so a typo in a manifest's variable name fails a test.
/// </summary>
internal static class ServiceContract
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string RetrainPath = "/api/v1/admin/retrain";
    public const string AdminKeyHeader = "X-Api-Key";

    public static IReadOnlySet<string> EnvironmentVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ASPNETCORE_HTTP_PORTS",
        "MOVIEREC_DATA",
        "MovieRec__Dataset",
        "MovieRec__DataDirectory",
        "MovieRec__ModelDirectory",
        "ConnectionStrings__Ratings",
        "Redis__Configuration",
        "Admin__ApiKey",
        "OMDB_API_KEY",
        "MovieRec__RetrainInterval",
        "MovieRec__MetricsPort",
        "MovieRec__TrustedProxies",
        "MovieRec__RateLimitPerMinute",
        "MovieRec__PurgeUnusedAccountsAfter",
        "MovieRec__WarmUp",
    };

    /// <summary>True for a variable of the service, or of the tools around it (AWS CLI, Lambda Web Adapter, .NET).</summary>
    public static bool IsKnownVariable(string name) =>
        EnvironmentVariables.Contains(name)
        || name.StartsWith("AWS_", StringComparison.Ordinal)
        || name.StartsWith("S3_", StringComparison.Ordinal)
        || name.StartsWith("DOTNET_", StringComparison.Ordinal);
}
