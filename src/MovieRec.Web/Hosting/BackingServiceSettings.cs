using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace MovieRec.Web.Hosting;

/// <summary>
/// The connection settings of the backing services, checked before anything is built: a value that cannot be a
/// connection string stops start-up with a sentence naming the setting (an <see cref="OptionsValidationException"/>,
/// as for every other bad setting), never an unhandled exception from deep in a driver. The sentences name the
/// keyword at fault but never repeat the value: connection strings hold passwords.
/// </summary>
public static class BackingServiceSettings
{
    public const string Ratings = "ConnectionStrings:Ratings";
    public const string Redis = "Redis:Configuration";

    private const string PostgresExample = "Host=db;Port=5432;Database=movierec;Username=movierec;Password=<password>";

    /// <summary>
    /// Whether <paramref name="connectionString"/> selects PostgreSQL (it has a Host or Server keyword, Npgsql's
    /// names for the server) rather than SQLite; throws when it is a valid connection string for neither.
    /// </summary>
    public static bool IsPostgres(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var keys = new DbConnectionStringBuilder();
        try
        {
            keys.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw Invalid(Ratings, $"{Ratings} is not a connection string (keyword=value pairs separated by ';'). For PostgreSQL: {PostgresExample}; for SQLite: Data Source=/path/ratings.db.");
        }
        bool postgres = keys.ContainsKey("Host") || keys.ContainsKey("Server");
        try
        {
            if (postgres) _ = new NpgsqlConnectionStringBuilder(connectionString);
            else _ = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            string keyword = Keyword(e, keys);
            throw Invalid(Ratings, postgres
                ? $"{Ratings} is not a valid PostgreSQL connection string: {(e.InnerException is KeyNotFoundException ? $"Npgsql knows no keyword '{keyword}'" : $"the value of '{keyword}' is not valid")}. Example: {PostgresExample}."
                : $"{Ratings} is neither a PostgreSQL connection string (it has no Host=) nor a SQLite one ('{keyword}' is not a SQLite keyword). For PostgreSQL: {PostgresExample}; for SQLite: Data Source=/path/ratings.db.");
        }
        return postgres;
    }

    /// <summary>Throws when <paramref name="configuration"/> is not a StackExchange.Redis configuration with at least one endpoint.</summary>
    public static void CheckRedis(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            throw Invalid(Redis, $"{Redis} is not a valid Redis configuration: the option '{e.ParamName ?? "?"}' has a value it does not accept. Example: redis:6379,password=<password>,ssl=false.");
        }
        if (options.EndPoints.Count == 0)
            throw Invalid(Redis, $"{Redis} names no server (host:port, e.g. redis:6379; a port must be a number). Example: redis:6379,password=<password>,ssl=false.");
    }

    private static string Keyword(ArgumentException e, DbConnectionStringBuilder keys)
    {
        if (e.ParamName is { Length: > 0 } name) return name;
        // Microsoft.Data.Sqlite: "Connection string keyword 'server' is not supported." (no parameter name).
        foreach (string key in keys.Keys) if (e.Message.Contains($"'{key}'", StringComparison.OrdinalIgnoreCase)) return key;
        return "?";
    }

    private static OptionsValidationException Invalid(string setting, string sentence) => new(setting, typeof(BackingServiceSettings), [sentence]);
}
