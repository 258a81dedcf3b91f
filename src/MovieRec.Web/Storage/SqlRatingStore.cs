using System.Data.Common;

namespace MovieRec.Web.Storage;

/// <summary>
/// The SQL both stores share: SQLite and PostgreSQL accept the same statements here (ON CONFLICT upserts, RETURNING,
/// @name parameters); only the connection and the schema's id column differ.
/// </summary>
public abstract class SqlRatingStore : IRatingStore
{
    public abstract string Kind { get; }

    /// <summary>An open connection, set up for durable writes.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The schema migrations in order; the index + 1 is the schema version they bring.</summary>
    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>
    /// How long a request waits for one database call before it gives up (null: as long as the driver waits). The
    /// driver's own timeouts can add up past it: a command on a pooled connection to a frozen PostgreSQL waited its
    /// Command Timeout, then twice the connect Timeout for the cancellation it sent (7 s for Timeout=1;Command Timeout=5).
    /// </summary>
    protected virtual TimeSpan? WaitLimit => null;

    /// <summary>
    /// Runs one call of a request: at most <see cref="WaitLimit"/>, and not at all when the database already failed to
    /// answer earlier in the same request (<see cref="DatabaseWaits"/>). A call that gives up leaves the driver to end
    /// the operation in the background; its outcome is observed there.
    /// </summary>
    protected async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (DatabaseWaits.UnavailableInThisRequest is { } earlier) throw new RatingStoreUnavailableException(earlier);
        var task = call(cancellationToken);
        try
        {
            return WaitLimit is { } limit ? await task.WaitAsync(limit, cancellationToken).ConfigureAwait(false) : await task.ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            string reason = $"The {Kind} ratings database did not answer within {WaitLimit!.Value.TotalSeconds:0.#} s.";
            DatabaseWaits.MarkUnavailable(reason);
            throw new RatingStoreUnavailableException(reason);
        }
        catch (Exception e) when (e is TimeoutException or DbException { IsTransient: true })
        {
            DatabaseWaits.MarkUnavailable($"The {Kind} ratings database does not answer ({e.Message}).");
            throw;
        }
    }

    private async Task BoundedAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await BoundedAsync(async c =>
        {
            await call(c).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Command timeout of the calls that are not a request's and may take long on a large store: the migrations and
    /// the advisory lock that serialises them, and the purge's deletes. Nobody waits on them. Not the read of every
    /// rating (<see cref="GetAllRatingsAsync"/>), which is paged and bounded by <see cref="ReadAllTimeout"/>.
    /// </summary>
    protected const int MaintenanceCommandTimeoutSeconds = 600;

    /// <summary>Rows per page of <see cref="GetAllRatingsAsync"/> (50,000: about 2 MB, some 10 ms of an index range scan).</summary>
    public int ReadAllPageSize { get; init; } = 50_000;

    /// <summary>
    /// How long <see cref="GetAllRatingsAsync"/> waits for the database to send more of a page (MovieRec:StoredRatingsReadTimeout,
    /// the command timeout of each page: Npgsql applies it to each wait for the network, so it bounds a read that makes
    /// no progress, not a long one that does). A database that freezes or drops mid-read fails the read after it, plus
    /// the driver's attempt to cancel the query (PostgreSQL: up to the connection string's connect Timeout and 2 s), and
    /// the connection is given back. It was the 600 s of the maintenance commands, on one pooled connection.
    /// </summary>
    public TimeSpan ReadAllTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
        await using var read = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        read.CommandTimeout = MaintenanceCommandTimeoutSeconds;
        int version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Count)
            throw new InvalidOperationException($"The ratings database has schema version {version}, newer than this build knows ({Migrations.Count}).");
        for (int v = version; v < Migrations.Count; v++)
        {
            await ExecuteAsync(connection, transaction, Migrations[v], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({v + 1})", cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serialises concurrent migrations (several replicas starting at once); nothing to do for SQLite.</summary>
    protected virtual Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<long> CreateAccountAsync(byte[] tokenHash, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null,
                "INSERT INTO accounts (token_hash, created_at, expires_at, last_seen_at) VALUES (@hash, @now, @expires, @now) RETURNING id");
            Add(command, "hash", tokenHash);
            Add(command, "now", now.ToUnixTimeSeconds());
            Add(command, "expires", expires.ToUnixTimeSeconds());
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> CreateAccountAsync(byte[] tokenHash, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        CreateAccountAsync(tokenHash, DateTimeOffset.UtcNow, expires, cancellationToken);

    public async Task<long?> FindAccountAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await FindSessionAsync(tokenHash, now, cancellationToken).ConfigureAwait(false))?.AccountId;

    public async Task<SessionInfo?> FindSessionAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT id, expires_at, last_seen_at FROM accounts WHERE token_hash = @hash AND expires_at > @now");
            Add(command, "hash", tokenHash);
            Add(command, "now", now.ToUnixTimeSeconds());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            return new SessionInfo(reader.GetInt64(0), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)));
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task TouchSessionAsync(long accountId, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "UPDATE accounts SET last_seen_at = @now, expires_at = @expires WHERE id = @account");
            Add(command, "now", now.ToUnixTimeSeconds());
            Add(command, "expires", expires.ToUnixTimeSeconds());
            Add(command, "account", accountId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The tables of an account's own rows, deleted before the account (their foreign keys refer to it).</summary>
    private static readonly string[] AccountTables = ["ratings", "hidden", "watchlist", "seen"];

    private static readonly string[] AccountRowDeletes = [.. AccountTables.Select(t => $"DELETE FROM {t} WHERE account_id = @account")];

    public async Task<bool> DeleteAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sql in AccountRowDeletes)
            {
                await using var rows = Command(connection, transaction, sql);
                Add(rows, "account", accountId);
                await rows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            int deleted;
            await using (var account = Command(connection, transaction, "DELETE FROM accounts WHERE id = @account"))
            {
                Add(account, "account", accountId);
                deleted = await account.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeAccountsAsync(DateTimeOffset unusedSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in AccountTables)
        {
            await using var rows = Command(connection, transaction,
                $"DELETE FROM {table} WHERE account_id IN (SELECT id FROM accounts WHERE last_seen_at < @cutoff)");
            Add(rows, "cutoff", unusedSince.ToUnixTimeSeconds());
            rows.CommandTimeout = MaintenanceCommandTimeoutSeconds;
            await rows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        int deleted;
        await using (var accounts = Command(connection, transaction, "DELETE FROM accounts WHERE last_seen_at < @cutoff"))
        {
            Add(accounts, "cutoff", unusedSince.ToUnixTimeSeconds());
            accounts.CommandTimeout = MaintenanceCommandTimeoutSeconds;
            deleted = await accounts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>A rating replaces the account's earlier one; a rated movie leaves the watchlist (watched) and the seen list (rated now).</summary>
    private const string UpsertRatingSql =
        "INSERT INTO ratings (account_id, movie_id, rating, updated_at) VALUES (@account, @movie, @rating, @at) " +
        "ON CONFLICT (account_id, movie_id) DO UPDATE SET rating = excluded.rating, updated_at = excluded.updated_at; " +
        "DELETE FROM watchlist WHERE account_id = @account AND movie_id = @movie; " +
        "DELETE FROM seen WHERE account_id = @account AND movie_id = @movie";

    public Task<bool> UpsertRatingAsync(long accountId, long movieId, float rating, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        AccountRowWriteAsync(accountId,
            UpsertRatingSql,
            command =>
            {
                Add(command, "movie", movieId);
                Add(command, "rating", (double)rating);
                Add(command, "at", at.ToUnixTimeMilliseconds());
            }, cancellationToken);

    /// <summary>
    /// One statement writing a row of the account (@account bound here, the rest by <paramref name="bind"/>); false when
    /// the account no longer exists.
    /// </summary>
    private async Task<bool> AccountRowWriteAsync(long accountId, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, sql);
            Add(command, "account", accountId);
            bind(command);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbException e) when (!e.IsTransient)
            {
                // The account was deleted between the request's authentication and this write (DELETE /me at the same
                // time): the foreign key refused the row. Not a database fault; the caller says the account is gone.
                if (await AccountIsGoneAsync(accountId, cancellationToken).ConfigureAwait(false)) return false;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpsertRatingsAsync(long accountId, IReadOnlyList<StoredRating> ratings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (!await AccountExistsAsync(connection, transaction, accountId, cancellationToken).ConfigureAwait(false)) return false;
            // One statement, its parameters reset per rating, in one transaction: all of an import or none of it.
            await using var command = Command(connection, transaction, UpsertRatingSql);
            Add(command, "account", accountId);
            Add(command, "movie", 0L);
            Add(command, "rating", 0.0);
            Add(command, "at", 0L);
            foreach (var r in ratings)
            {
                command.Parameters["movie"].Value = r.MovieId;
                command.Parameters["rating"].Value = (double)r.Rating;
                command.Parameters["at"].Value = r.UpdatedAt.ToUnixTimeMilliseconds();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> AccountExistsAsync(DbConnection connection, DbTransaction transaction, long accountId, CancellationToken cancellationToken)
    {
        await using var exists = Command(connection, transaction, "SELECT COUNT(*) FROM accounts WHERE id = @account");
        Add(exists, "account", accountId);
        return Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>A list's table and the column of when a movie was added.</summary>
    private static (string Table, string AddedAt) TableOf(MovieList list) => list switch
    {
        MovieList.Hidden => ("hidden", "hidden_at"),
        MovieList.Watchlist => ("watchlist", "added_at"),
        MovieList.Seen => ("seen", "seen_at"),
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, "no such list"),
    };

    /// <summary>Puts @movie on a list at @at for @account; a movie already there keeps its date.</summary>
    private static string AddToListSql(MovieList list)
    {
        var (table, addedAt) = TableOf(list);
        return $"INSERT INTO {table} (account_id, movie_id, {addedAt}) VALUES (@account, @movie, @at) ON CONFLICT (account_id, movie_id) DO NOTHING";
    }

    /// <summary>Every list's movies for @account: none of them is recommended to it.</summary>
    private static readonly string UnrecommendedSql =
        string.Join(" UNION ", Enum.GetValues<MovieList>().Select(l => $"SELECT movie_id FROM {TableOf(l).Table} WHERE account_id = @account"));

    public Task<bool> AddToListAsync(long accountId, MovieList list, long movieId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        AccountRowWriteAsync(accountId, AddToListSql(list),
            command =>
            {
                Add(command, "movie", movieId);
                Add(command, "at", at.ToUnixTimeMilliseconds());
            }, cancellationToken);

    public async Task<bool> AddManyToListAsync(long accountId, MovieList list, IReadOnlyList<ListedMovieRow> movies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movies);
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (!await AccountExistsAsync(connection, transaction, accountId, cancellationToken).ConfigureAwait(false)) return false;
            await using var command = Command(connection, transaction, AddToListSql(list));
            Add(command, "account", accountId);
            Add(command, "movie", 0L);
            Add(command, "at", 0L);
            foreach (var m in movies)
            {
                command.Parameters["movie"].Value = m.MovieId;
                command.Parameters["at"].Value = m.AddedAt.ToUnixTimeMilliseconds();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveFromListAsync(long accountId, MovieList list, long movieId, CancellationToken cancellationToken = default)
    {
        string table = TableOf(list).Table;
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, $"DELETE FROM {table} WHERE account_id = @account AND movie_id = @movie");
            Add(command, "account", accountId);
            Add(command, "movie", movieId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<long>> GetListAsync(long accountId, MovieList list, CancellationToken cancellationToken = default)
    {
        var (table, addedAt) = TableOf(list);
        return MovieIdsAsync(accountId, $"SELECT movie_id FROM {table} WHERE account_id = @account ORDER BY {addedAt} DESC, movie_id", cancellationToken);
    }

    public Task<IReadOnlyList<long>> GetUnrecommendedAsync(long accountId, CancellationToken cancellationToken = default) =>
        MovieIdsAsync(accountId, UnrecommendedSql, cancellationToken);

    private async Task<IReadOnlyList<long>> MovieIdsAsync(long accountId, string sql, CancellationToken cancellationToken)
    {
        return await BoundedAsync<IReadOnlyList<long>>(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, sql);
            Add(command, "account", accountId);
            var movies = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) movies.Add(reader.GetInt64(0));
            return movies;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the account is known to be gone; false when that cannot be told (the database is down).</summary>
    private async Task<bool> AccountIsGoneAsync(long accountId, CancellationToken cancellationToken)
    {
        try
        {
            // A new connection: the failed write's may be broken.
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM accounts WHERE id = @account");
            Add(command, "account", accountId);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0;
        }
#pragma warning disable CA1031 // Any failure here means "cannot tell": the write's own error is what the caller gets.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    public async Task<bool> DeleteRatingAsync(long accountId, long movieId, CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "DELETE FROM ratings WHERE account_id = @account AND movie_id = @movie");
            Add(command, "account", accountId);
            Add(command, "movie", movieId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredRating>> GetRatingsAsync(long accountId, CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null,
                "SELECT movie_id, rating, updated_at FROM ratings WHERE account_id = @account ORDER BY updated_at DESC, movie_id");
            Add(command, "account", accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<StoredRating>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                result.Add(new StoredRating(reader.GetInt64(0), (float)reader.GetDouble(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every stored rating, in (account, movie) order, read in pages of <see cref="ReadAllPageSize"/> rows by key (each
    /// an index range scan that answers at once, on its own pooled connection for milliseconds): the read of a large
    /// store takes as long as it needs while requests share the pool between pages, and one page that gets no answer
    /// within <see cref="ReadAllTimeout"/> fails the read with <see cref="RatingStoreUnavailableException"/>. Pages are
    /// separate statements: a rating written during the read is included or not, as if written just before or after it.
    /// </summary>
    public async Task<IReadOnlyList<AccountRating>> GetAllRatingsAsync(CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new List<AccountRating>();
        long afterAccount = long.MinValue, afterMovie = long.MinValue;
        int timeout = Math.Max(1, (int)Math.Ceiling(ReadAllTimeout.TotalSeconds));
        int pageSize = Math.Max(1, ReadAllPageSize);
        while (true)
        {
            int read = 0;
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command(connection, null,
                    "SELECT account_id, movie_id, rating, updated_at FROM ratings WHERE (account_id, movie_id) > (@account, @movie) " +
                    "ORDER BY account_id, movie_id LIMIT @limit");
                Add(command, "account", afterAccount);
                Add(command, "movie", afterMovie);
                Add(command, "limit", pageSize);
                command.CommandTimeout = timeout;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var rating = new AccountRating(reader.GetInt64(0), reader.GetInt64(1), (float)reader.GetDouble(2), reader.GetInt64(3) / 1000);
                    result.Add(rating);
                    (afterAccount, afterMovie) = (rating.AccountId, rating.MovieId);
                    read++;
                }
            }
            catch (Exception e) when (e is TimeoutException or DbException { IsTransient: true } && e is not RatingStoreUnavailableException)
            {
                throw new RatingStoreUnavailableException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Reading every stored rating from the {Kind} ratings database failed after {result.Count} ratings and {clock.Elapsed.TotalSeconds:0.0} s: " +
                    $"a page got no answer within {timeout} s (MovieRec:StoredRatingsReadTimeout) or the connection failed ({e.Message})"), e);
            }
            if (read < pageSize) return result;
        }
    }

    public async Task<long> CountRatingsAsync(CancellationToken cancellationToken = default)
    {
        return await BoundedAsync(async cancellationToken =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM ratings");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await BoundedAsync(async cancellationToken =>
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = Command(connection, null, "SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Every statement is a constant of this class; values go in parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        command.CommandTimeout = MaintenanceCommandTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
