using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MovieRec.Web.Storage;

/// <summary>
/// Ratings in a SQLite file (the default): write-ahead log for concurrent readers, synchronous=FULL so that a
/// committed write survives a crash of the process or the machine before it is acknowledged.
/// </summary>
public sealed class SqliteRatingStore : SqlRatingStore
{
    private readonly string _connectionString;

    public SqliteRatingStore(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder) Directory.CreateDirectory(folder);
        _connectionString = builder.ToString();
        DatabasePath = builder.DataSource;
    }

    public string DatabasePath { get; }

    public override string Kind => "sqlite";

    protected override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash BLOB NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL);
        CREATE TABLE ratings (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            movie_id INTEGER NOT NULL,
            rating REAL NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 2: sliding expiry and the purge of unused accounts need the last use.
        """
        ALTER TABLE accounts ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
        UPDATE accounts SET last_seen_at = created_at;
        CREATE INDEX accounts_last_seen ON accounts (last_seen_at);
        """,
        // 3: movies an account said it is not interested in, never recommended to it again.
        """
        CREATE TABLE hidden (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            movie_id INTEGER NOT NULL,
            hidden_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 4: movies an account keeps to watch later.
        """
        CREATE TABLE watchlist (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            movie_id INTEGER NOT NULL,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
        // 5: movies an account has seen but not rated (an imported Letterboxd history), not recommended again.
        """
        CREATE TABLE seen (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            movie_id INTEGER NOT NULL,
            seen_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, movie_id));
        """,
    ];

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
