using System.Data.Common;
using Microsoft.Data.Sqlite;
using MovieRec.Core.Tests;
using MovieRec.Web.Storage;
using MovieRec.Web.Tests.Servers;

namespace MovieRec.Web.Tests;

/// <summary>
/// The one contract of <see cref="IRatingStore"/>, run against every implementation (SQLite on a temp file,
/// PostgreSQL on a server the tests start): schema and migrations, accounts and token hashes, expiry, upserts,
/// deletes, isolation between accounts, listing, counting, pinging and concurrent writes.
/// </summary>
public abstract class RatingStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private static readonly DateTimeOffset Later = Now.AddDays(30);

    protected IRatingStore Store { get; private set; } = null!;

    /// <summary>A new store on an empty database (not yet initialised).</summary>
    protected abstract Task<IRatingStore> NewStoreAsync();

    /// <summary>Another store on the same database as <see cref="Store"/> (a second replica), reading every rating in pages of <paramref name="readAllPageSize"/>.</summary>
    protected abstract IRatingStore SameDatabase(int readAllPageSize = 50_000);

    /// <summary>Runs <paramref name="check"/> on a store whose database does not answer, then brings it back.</summary>
    protected abstract Task WithDatabaseDownAsync(Func<IRatingStore, Task> check);

    public async Task InitializeAsync()
    {
        Store = await NewStoreAsync();
        await Store.InitializeAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] Hash(string token) => Accounts.SessionTokens.Hash(token);

    [Fact]
    public async Task Initialising_again_keeps_the_schema_and_the_data()
    {
        long account = await Store.CreateAccountAsync(Hash("a"), Later);
        await Store.UpsertRatingAsync(account, 1, 4.5f, Now);
        await Store.InitializeAsync();
        var replica = SameDatabase();
        try
        {
            await replica.InitializeAsync();
            Assert.Equal(account, await replica.FindAccountAsync(Hash("a"), Now));
            Assert.Equal(1, await replica.CountRatingsAsync());
        }
        finally
        {
            (replica as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Accounts_are_found_by_token_hash_only()
    {
        long alice = await Store.CreateAccountAsync(Hash("alice"), Later);
        long bob = await Store.CreateAccountAsync(Hash("bob"), Later);
        Assert.NotEqual(alice, bob);
        Assert.Equal(alice, await Store.FindAccountAsync(Hash("alice"), Now));
        Assert.Equal(bob, await Store.FindAccountAsync(Hash("bob"), Now));
        Assert.Null(await Store.FindAccountAsync(Hash("carol"), Now));
        Assert.Null(await Store.FindAccountAsync([], Now));
        // A token hash belongs to one account.
        await Assert.ThrowsAnyAsync<DbException>(() => Store.CreateAccountAsync(Hash("alice"), Later));
    }

    [Fact]
    public async Task An_expired_session_finds_no_account()
    {
        long account = await Store.CreateAccountAsync(Hash("t"), Now.AddSeconds(10));
        Assert.Equal(account, await Store.FindAccountAsync(Hash("t"), Now));
        Assert.Equal(account, await Store.FindAccountAsync(Hash("t"), Now.AddSeconds(9)));
        Assert.Null(await Store.FindAccountAsync(Hash("t"), Now.AddSeconds(10)));
        Assert.Null(await Store.FindAccountAsync(Hash("t"), Now.AddDays(1)));
    }

    [Fact]
    public async Task A_used_session_slides_and_records_its_last_use()
    {
        long account = await Store.CreateAccountAsync(Hash("s"), Now, Now.AddDays(10));
        var session = await Store.FindSessionAsync(Hash("s"), Now.AddDays(1));
        Assert.Equal(new SessionInfo(account, Now.AddDays(10), Now), session);
        await Store.TouchSessionAsync(account, Now.AddDays(9), Now.AddDays(19));
        Assert.Equal(new SessionInfo(account, Now.AddDays(19), Now.AddDays(9)), await Store.FindSessionAsync(Hash("s"), Now.AddDays(12)));
        Assert.Null(await Store.FindSessionAsync(Hash("s"), Now.AddDays(19)));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_ratings_and_no_one_elses()
    {
        long gone = await Store.CreateAccountAsync(Hash("gone"), Now, Later);
        long kept = await Store.CreateAccountAsync(Hash("kept"), Now, Later);
        await Store.UpsertRatingAsync(gone, 1, 4f, Now);
        await Store.UpsertRatingAsync(gone, 2, 3f, Now);
        await Store.UpsertRatingAsync(kept, 1, 5f, Now);
        Assert.True(await Store.DeleteAccountAsync(gone));
        Assert.False(await Store.DeleteAccountAsync(gone));
        Assert.Null(await Store.FindAccountAsync(Hash("gone"), Now));
        Assert.Empty(await Store.GetRatingsAsync(gone));
        Assert.Equal(kept, await Store.FindAccountAsync(Hash("kept"), Now));
        Assert.Equal([new AccountRating(kept, 1, 5f, Now.ToUnixTimeSeconds())], await Store.GetAllRatingsAsync());
    }

    [Fact]
    public async Task A_rating_for_a_deleted_account_is_refused_without_an_error_and_stores_nothing()
    {
        // DELETE /me racing PUT /me/ratings: the write comes after the delete. It was a foreign-key DbException (a 503).
        long gone = await Store.CreateAccountAsync(Hash("gone"), Now, Later);
        Assert.True(await Store.UpsertRatingAsync(gone, 1, 4f, Now));
        Assert.True(await Store.DeleteAccountAsync(gone));
        Assert.False(await Store.UpsertRatingAsync(gone, 2, 3f, Now));
        Assert.Equal(0, await Store.CountRatingsAsync());
    }

    [Fact]
    public async Task The_purge_deletes_accounts_unused_since_the_cutoff_with_their_ratings()
    {
        long old = await Store.CreateAccountAsync(Hash("old"), Now, Later);
        long used = await Store.CreateAccountAsync(Hash("used"), Now, Later);
        long recent = await Store.CreateAccountAsync(Hash("recent"), Now.AddDays(5), Later);
        await Store.UpsertRatingAsync(old, 1, 4f, Now);
        await Store.UpsertRatingAsync(used, 1, 4f, Now);
        await Store.UpsertRatingAsync(recent, 1, 4f, Now);
        await Store.TouchSessionAsync(used, Now.AddDays(4), Later);
        Assert.Equal(1, await Store.PurgeAccountsAsync(Now.AddDays(3)));
        Assert.Equal([used, recent], (await Store.GetAllRatingsAsync()).Select(r => r.AccountId).Order());
        Assert.Null(await Store.FindAccountAsync(Hash("old"), Now));
        Assert.Equal(0, await Store.PurgeAccountsAsync(Now.AddDays(3)));
    }

    [Fact]
    public async Task An_upsert_replaces_the_rating_and_the_list_is_most_recent_first()
    {
        long account = await Store.CreateAccountAsync(Hash("u"), Later);
        await Store.UpsertRatingAsync(account, 1, 4f, Now);
        await Store.UpsertRatingAsync(account, 2, 3f, Now.AddMinutes(1));
        await Store.UpsertRatingAsync(account, 1, 2.5f, Now.AddMinutes(2));
        var ratings = await Store.GetRatingsAsync(account);
        Assert.Equal([1L, 2L], ratings.Select(r => r.MovieId));
        Assert.Equal(2.5f, ratings[0].Rating);
        Assert.Equal(Now.AddMinutes(2), ratings[0].UpdatedAt);
        Assert.Equal(3f, ratings[1].Rating);
        Assert.Equal(2, await Store.CountRatingsAsync());
    }

    [Fact]
    public async Task A_bulk_upsert_stores_every_rating_replacing_earlier_ones_and_none_for_a_deleted_account()
    {
        long account = await Store.CreateAccountAsync(Hash("import"), Later);
        await Store.UpsertRatingAsync(account, 1, 1f, Now);
        Assert.True(await Store.UpsertRatingsAsync(account, [new(1, 4.5f, Now.AddDays(-3)), new(2, 3f, Now.AddDays(-2)), new(3, 5f, Now.AddDays(-1))]));
        var ratings = await Store.GetRatingsAsync(account);
        Assert.Equal([3L, 2L, 1L], ratings.Select(r => r.MovieId));
        Assert.Equal([5f, 3f, 4.5f], ratings.Select(r => r.Rating));
        Assert.Equal(Now.AddDays(-3), ratings[2].UpdatedAt);
        Assert.True(await Store.DeleteAccountAsync(account));
        Assert.False(await Store.UpsertRatingsAsync(account, [new(4, 4f, Now)]));
        Assert.Equal(0, await Store.CountRatingsAsync());
    }

    [Theory]
    [InlineData(MovieList.Hidden)]
    [InlineData(MovieList.Watchlist)]
    [InlineData(MovieList.Seen)]
    public async Task Lists_of_movies_are_kept_per_account_taken_back_and_deleted_with_the_account(MovieList list)
    {
        long account = await Store.CreateAccountAsync(Hash("lists"), Later);
        long other = await Store.CreateAccountAsync(Hash("other"), Now, Later);
        Assert.True(await Store.AddToListAsync(account, list, 10, Now));
        Assert.True(await Store.AddToListAsync(account, list, 11, Now.AddMinutes(1)));
        Assert.True(await Store.AddToListAsync(account, list, 10, Now.AddMinutes(2))); // again: still once
        Assert.True(await Store.AddToListAsync(other, list, 12, Now));
        Assert.Equal([11L, 10L], await Store.GetListAsync(account, list));
        Assert.Empty(await Store.GetListAsync(account, list == MovieList.Hidden ? MovieList.Watchlist : MovieList.Hidden));
        Assert.Equal([10L, 11L], (await Store.GetUnrecommendedAsync(account)).Order());
        Assert.True(await Store.RemoveFromListAsync(account, list, 11));
        Assert.False(await Store.RemoveFromListAsync(account, list, 11));
        Assert.Equal([10L], await Store.GetListAsync(account, list));
        // Many at once (an import): one already there keeps its date, the rest by theirs.
        Assert.True(await Store.AddManyToListAsync(account, list, [new(14, Now.AddMinutes(-2)), new(10, Now.AddMinutes(5)), new(15, Now.AddMinutes(3))]));
        Assert.Equal([15L, 10L, 14L], await Store.GetListAsync(account, list));
        await Store.UpsertRatingAsync(account, 1, 4f, Now);
        Assert.True(await Store.DeleteAccountAsync(account));
        Assert.Empty(await Store.GetListAsync(account, list));
        Assert.False(await Store.AddToListAsync(account, list, 13, Now));
        Assert.False(await Store.AddManyToListAsync(account, list, [new(13, Now)]));
        Assert.Equal([12L], await Store.GetListAsync(other, list));
        // The purge takes an unused account's lists with it.
        Assert.Equal(1, await Store.PurgeAccountsAsync(Now.AddDays(1)));
        Assert.Empty(await Store.GetListAsync(other, list));
    }

    [Fact]
    public async Task Rating_a_movie_takes_it_off_the_watchlist_and_the_seen_list_but_not_off_the_hidden_list()
    {
        long account = await Store.CreateAccountAsync(Hash("watch"), Later);
        foreach (long movie in new long[] { 1, 2, 3 }) Assert.True(await Store.AddToListAsync(account, MovieList.Watchlist, movie, Now));
        Assert.True(await Store.AddToListAsync(account, MovieList.Hidden, 4, Now));
        Assert.True(await Store.AddManyToListAsync(account, MovieList.Seen, [new(5, Now), new(6, Now)]));
        await Store.UpsertRatingAsync(account, 1, 4f, Now);
        await Store.UpsertRatingsAsync(account, [new(2, 3f, Now), new(4, 1f, Now), new(5, 2f, Now)]);
        Assert.Equal([3L], await Store.GetListAsync(account, MovieList.Watchlist));
        Assert.Equal([4L], await Store.GetListAsync(account, MovieList.Hidden));
        Assert.Equal([6L], await Store.GetListAsync(account, MovieList.Seen));
        Assert.Equal([3L, 4L, 6L], (await Store.GetUnrecommendedAsync(account)).Order());
    }

    [Fact]
    public async Task A_delete_removes_one_rating_once()
    {
        long account = await Store.CreateAccountAsync(Hash("d"), Later);
        await Store.UpsertRatingAsync(account, 10, 5f, Now);
        await Store.UpsertRatingAsync(account, 11, 1f, Now);
        Assert.True(await Store.DeleteRatingAsync(account, 10));
        Assert.False(await Store.DeleteRatingAsync(account, 10));
        Assert.False(await Store.DeleteRatingAsync(account, 999));
        Assert.Equal([11L], (await Store.GetRatingsAsync(account)).Select(r => r.MovieId));
    }

    [Fact]
    public async Task Accounts_never_see_or_change_each_others_ratings()
    {
        long alice = await Store.CreateAccountAsync(Hash("alice"), Later);
        long bob = await Store.CreateAccountAsync(Hash("bob"), Later);
        await Store.UpsertRatingAsync(alice, 296, 5f, Now);
        await Store.UpsertRatingAsync(bob, 296, 1f, Now);
        await Store.UpsertRatingAsync(bob, 1, 3f, Now);
        Assert.False(await Store.DeleteRatingAsync(alice, 1));
        Assert.True(await Store.DeleteRatingAsync(bob, 296));
        var aliceRatings = await Store.GetRatingsAsync(alice);
        Assert.Equal(296L, Assert.Single(aliceRatings).MovieId);
        Assert.Equal(5f, aliceRatings[0].Rating);
        Assert.Equal([1L], (await Store.GetRatingsAsync(bob)).Select(r => r.MovieId));
        Assert.Empty(await Store.GetRatingsAsync(bob + alice + 1000));
    }

    [Fact]
    public async Task All_ratings_are_listed_by_account_and_movie_and_counted()
    {
        Assert.Empty(await Store.GetAllRatingsAsync());
        Assert.Equal(0, await Store.CountRatingsAsync());
        long a = await Store.CreateAccountAsync(Hash("a"), Later);
        long b = await Store.CreateAccountAsync(Hash("b"), Later);
        await Store.UpsertRatingAsync(b, 7, 2f, Now);
        await Store.UpsertRatingAsync(a, 9, 4.5f, Now.AddSeconds(5));
        await Store.UpsertRatingAsync(a, 3, 0.5f, Now);
        var all = await Store.GetAllRatingsAsync();
        var expected = new[] { new AccountRating(a, 3, 0.5f, Now.ToUnixTimeSeconds()), new AccountRating(a, 9, 4.5f, Now.ToUnixTimeSeconds() + 5), new AccountRating(b, 7, 2f, Now.ToUnixTimeSeconds()) }
            .OrderBy(r => r.AccountId).ThenBy(r => r.MovieId);
        Assert.Equal(expected, all);
        Assert.Equal(3, await Store.CountRatingsAsync());
    }

    [Fact]
    public async Task Every_rating_is_read_in_pages_by_account_and_movie_whatever_the_page_size()
    {
        long a = await Store.CreateAccountAsync(Hash("a"), Later);
        long b = await Store.CreateAccountAsync(Hash("b"), Later);
        foreach (var (account, movie) in new[] { (b, 2L), (a, 7L), (b, 1L), (a, 3L), (a, 900_000_000_000L), (b, 5L) })
            await Store.UpsertRatingAsync(account, movie, movie % 5 + 0.5f, Now);
        var expected = await Store.GetAllRatingsAsync();
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected.OrderBy(r => r.AccountId).ThenBy(r => r.MovieId), expected);
        // Pages that end inside an account, at its end, and exactly at the last rating (then one empty page).
        foreach (int pageSize in new[] { 1, 2, 3, 4, 6, 7 })
        {
            var paged = SameDatabase(pageSize);
            try
            {
                Assert.Equal(expected, await paged.GetAllRatingsAsync());
            }
            finally
            {
                (paged as IDisposable)?.Dispose();
            }
        }
    }

    [Fact]
    public async Task Ping_answers_true_when_up_and_false_when_the_database_is_down()
    {
        Assert.True(await Store.PingAsync());
        await WithDatabaseDownAsync(async down => Assert.False(await down.PingAsync().WaitAsync(TimeSpan.FromSeconds(20))));
    }

    [Fact]
    public async Task Concurrent_writes_from_many_tasks_are_all_stored()
    {
        const int Tasks = 16, PerTask = 25;
        var accounts = new long[Tasks / 2];
        for (int k = 0; k < accounts.Length; k++) accounts[k] = await Store.CreateAccountAsync(Hash("c" + k), Later);
        // Two tasks per account, writing disjoint movies: contention on the same account's rows and on the table.
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < PerTask; i++)
                await Store.UpsertRatingAsync(accounts[t / 2], (t % 2) * 1000 + i, 0.5f + (i % 10) * 0.5f, Now.AddSeconds(i));
        }))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Tasks * PerTask, await Store.CountRatingsAsync());
        foreach (long account in accounts)
        {
            var ratings = await Store.GetRatingsAsync(account);
            Assert.Equal(2 * PerTask, ratings.Count);
            Assert.All(ratings, r => Assert.Equal(0.5f + (r.MovieId % 1000 % 10) * 0.5f, r.Rating));
        }
    }
}

/// <summary>The contract on SQLite, one temp database file per test.</summary>
public sealed class SqliteRatingStoreTests : RatingStoreContract, IDisposable
{
    private readonly TempFolder _folder = TestData.NewFolder();

    private string DatabasePath => Path.Combine(_folder.Path, "ratings.db");

    protected override Task<IRatingStore> NewStoreAsync() => Task.FromResult<IRatingStore>(new SqliteRatingStore($"Data Source={DatabasePath}"));

    protected override IRatingStore SameDatabase(int readAllPageSize = 50_000) => new SqliteRatingStore($"Data Source={DatabasePath}") { ReadAllPageSize = readAllPageSize };

    protected override Task WithDatabaseDownAsync(Func<IRatingStore, Task> check)
    {
        // SQLite has no server: a database file that cannot be opened (a directory in its place) is the outage.
        string blocked = Path.Combine(_folder.Path, "blocked.db");
        Directory.CreateDirectory(blocked);
        return check(new SqliteRatingStore($"Data Source={blocked}"));
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_with_the_schema_version_recorded()
    {
        await Store.InitializeAsync();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) || ':' || MAX(version) FROM schema_version";
        Assert.Equal("5:5", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_version_1_database_migrates_keeping_its_accounts_last_used_when_created()
    {
        string path = Path.Combine(Path.GetDirectoryName(DatabasePath)!, "v1.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version (version) VALUES (1);
                CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, token_hash BLOB NOT NULL UNIQUE, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
                CREATE TABLE ratings (account_id INTEGER NOT NULL REFERENCES accounts(id), movie_id INTEGER NOT NULL, rating REAL NOT NULL,
                    updated_at INTEGER NOT NULL, PRIMARY KEY (account_id, movie_id));
                INSERT INTO accounts (token_hash, created_at, expires_at) VALUES (@hash, 1750000000, 1760000000);
                """;
            command.Parameters.AddWithValue("hash", Accounts.SessionTokens.Hash("old"));
            await command.ExecuteNonQueryAsync();
        }
        var store = new SqliteRatingStore($"Data Source={path}");
        await store.InitializeAsync();
        var session = await store.FindSessionAsync(Accounts.SessionTokens.Hash("old"), DateTimeOffset.FromUnixTimeSeconds(1750000100));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1750000000), session?.LastSeenAt);
        Assert.Equal(0, await store.PurgeAccountsAsync(DateTimeOffset.FromUnixTimeSeconds(1750000000)));
        Assert.Equal(1, await store.PurgeAccountsAsync(DateTimeOffset.FromUnixTimeSeconds(1750000001)));
        SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

/// <summary>A PostgreSQL server shared by one test class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>The contract on PostgreSQL: one server for the class, a new database per test.</summary>
public sealed class PostgresRatingStoreTests(PostgresFixture postgres) : RatingStoreContract, IClassFixture<PostgresFixture>
{
    private string _connectionString = "";
    private string _database = "";

    protected override async Task<IRatingStore> NewStoreAsync()
    {
        _database = "contract" + Guid.NewGuid().ToString("N")[..12];
        _connectionString = await postgres.Server.CreateDatabaseAsync(_database);
        return new PostgresRatingStore(_connectionString);
    }

    protected override IRatingStore SameDatabase(int readAllPageSize = 50_000) => new PostgresRatingStore(_connectionString) { ReadAllPageSize = readAllPageSize };

    protected override async Task WithDatabaseDownAsync(Func<IRatingStore, Task> check)
    {
        await postgres.Server.StopAsync();
        try
        {
            await check(Store);
        }
        finally
        {
            await postgres.Server.StartAsync();
        }
        Assert.True(await Store.PingAsync(), "the store answers again once PostgreSQL is back");
    }

    [Fact]
    public async Task Concurrent_migrations_from_four_replicas_run_once()
    {
        string database = "migrate" + Guid.NewGuid().ToString("N")[..12];
        string connection = await postgres.Server.CreateDatabaseAsync(database);
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresRatingStore(connection)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync()))).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(5L, Convert.ToInt64(await postgres.Server.ScalarAsync(database, "SELECT COUNT(*) FROM schema_version"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(5, Convert.ToInt32(await postgres.Server.ScalarAsync(database, "SELECT MAX(version) FROM schema_version"), System.Globalization.CultureInfo.InvariantCulture));
            long account = await stores[1].CreateAccountAsync(Accounts.SessionTokens.Hash("m"), DateTimeOffset.UtcNow.AddDays(1));
            await stores[2].UpsertRatingAsync(account, 1, 4f, DateTimeOffset.UtcNow);
            Assert.Equal(1, await stores[3].CountRatingsAsync());
        }
        finally
        {
            foreach (var s in stores) s.Dispose();
        }
    }
}
