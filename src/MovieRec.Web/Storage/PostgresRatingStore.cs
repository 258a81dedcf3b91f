using System.Data.Common;
using Npgsql;

namespace MovieRec.Web.Storage;

/// <summary>Ratings in PostgreSQL (production; shared by replicas), through one pooled Npgsql data source.</summary>
public sealed class PostgresRatingStore(string connectionString) : SqlRatingStore, IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>
    /// A request waits for one call at most the connection string's Command Timeout (Npgsql's default, 30 s, when it
    /// sets none); the driver's connect and cancellation waits no longer add to it.
    /// </summary>
    protected override TimeSpan? WaitLimit { get; } = TimeSpan.FromSeconds(new NpgsqlConnectionStringBuilder(connectionString).CommandTimeout is > 0 and var seconds ? seconds : 30);

    public override string Kind => "postgresql";

    protected override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE accounts (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            token_hash BYTEA NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL);
        CREATE TABLE ratings (
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            movie_id BIGINT NOT NULL,
            rating DOUBLE PRECISION NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 2: sliding expiry and the purge of unused accounts need the last use.
        """
        ALTER TABLE accounts ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
        UPDATE accounts SET last_seen_at = created_at;
        CREATE INDEX accounts_last_seen ON accounts (last_seen_at);
        """,
        // 3: movies an account said it is not interested in, never recommended to it again.
        """
        CREATE TABLE hidden (
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            movie_id BIGINT NOT NULL,
            hidden_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 4: movies an account keeps to watch later.
        """
        CREATE TABLE watchlist (
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            movie_id BIGINT NOT NULL,
            added_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 5: movies an account has seen but not rated (an imported Letterboxd history), not recommended again.
        """
        CREATE TABLE seen (
            account_id BIGINT NOT NULL REFERENCES accounts(id),
            movie_id BIGINT NOT NULL,
            seen_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
    ];

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A transaction-scoped advisory lock: replicas starting together migrate one at a time.
        command.CommandText = "SELECT pg_advisory_xact_lock(7263501)";
        command.CommandTimeout = MaintenanceCommandTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _source.Dispose();
}
