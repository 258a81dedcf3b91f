namespace MovieRec.Web.Storage;

/// <summary>An account's lists of movies besides its ratings.</summary>
public enum MovieList
{
    /// <summary>"Not interested": never recommended to the account.</summary>
    Hidden,

    /// <summary>To watch later: shown on the account's page, not recommended again, and left once the movie is rated.</summary>
    Watchlist,

    /// <summary>Seen but not rated (Letterboxd's watched films): not recommended again, and left once the movie is rated.</summary>
    Seen,
}

/// <summary>One rating of an account, as stored.</summary>
public sealed record StoredRating(long MovieId, float Rating, DateTimeOffset UpdatedAt);

/// <summary>A movie to put on one of an account's lists, and when it was added.</summary>
public sealed record ListedMovieRow(long MovieId, DateTimeOffset AddedAt);

/// <summary>An unexpired session: its account, when it expires and when it was last used.</summary>
public sealed record SessionInfo(long AccountId, DateTimeOffset ExpiresAt, DateTimeOffset LastSeenAt);

/// <summary>A stored rating with its account, for retraining.</summary>
public readonly record struct AccountRating(long AccountId, long MovieId, float Rating, long UnixSeconds);

/// <summary>
/// Where accounts and their ratings live: SQLite by default, PostgreSQL in production, one contract (tested by the
/// same tests against both). A write returns only once it is durable (SQLite WAL with synchronous=FULL; a committed
/// PostgreSQL transaction), so a 2xx acknowledgement never loses a rating. Tokens are stored as SHA-256 hashes only.
/// </summary>
public interface IRatingStore
{
    /// <summary>"sqlite" or "postgresql", for health reports.</summary>
    string Kind { get; }

    /// <summary>Creates the schema, or migrates it to the current version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>A new account with a session whose token hashes to <paramref name="tokenHash"/>, created and last used <paramref name="now"/>.</summary>
    Task<long> CreateAccountAsync(byte[] tokenHash, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>A new account created now (the system clock).</summary>
    Task<long> CreateAccountAsync(byte[] tokenHash, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        CreateAccountAsync(tokenHash, DateTimeOffset.UtcNow, expires, cancellationToken);

    /// <summary>The account of an unexpired session, or null.</summary>
    Task<long?> FindAccountAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The unexpired session whose token hashes to <paramref name="tokenHash"/>, or null.</summary>
    Task<SessionInfo?> FindSessionAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records a use of the account's session: last used <paramref name="now"/>, expiring at <paramref name="expires"/> (sliding expiry).</summary>
    Task TouchSessionAsync(long accountId, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>Deletes the account, its session, all its ratings and lists (one transaction); false when there was none.</summary>
    Task<bool> DeleteAccountAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every account last used before <paramref name="unusedSince"/> with its ratings; returns how many.</summary>
    Task<int> PurgeAccountsAsync(DateTimeOffset unusedSince, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces an account's rating of a movie (and takes it off the watchlist and the seen list); false (nothing stored) when the account no longer exists.</summary>
    Task<bool> UpsertRatingAsync(long accountId, long movieId, float rating, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces many ratings of an account in one transaction (an import: all stored, or none); false
    /// (nothing stored) when the account no longer exists.
    /// </summary>
    Task<bool> UpsertRatingsAsync(long accountId, IReadOnlyList<StoredRating> ratings, CancellationToken cancellationToken = default);

    /// <summary>Deletes an account's rating; false when there was none.</summary>
    Task<bool> DeleteRatingAsync(long accountId, long movieId, CancellationToken cancellationToken = default);

    /// <summary>Adds a movie to one of the account's lists (again: no change); false when the account no longer exists.</summary>
    Task<bool> AddToListAsync(long accountId, MovieList list, long movieId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds many movies to one of the account's lists in one transaction (an import: all added, or none); movies already
    /// on it keep their date. False (nothing added) when the account no longer exists.
    /// </summary>
    Task<bool> AddManyToListAsync(long accountId, MovieList list, IReadOnlyList<ListedMovieRow> movies, CancellationToken cancellationToken = default);

    /// <summary>Takes a movie off one of the account's lists; false when it was not on it.</summary>
    Task<bool> RemoveFromListAsync(long accountId, MovieList list, long movieId, CancellationToken cancellationToken = default);

    /// <summary>One of the account's lists, most recently added first.</summary>
    Task<IReadOnlyList<long>> GetListAsync(long accountId, MovieList list, CancellationToken cancellationToken = default);

    /// <summary>The movies not to recommend to the account: its hidden ones, its watchlist and those it has seen (one query).</summary>
    Task<IReadOnlyList<long>> GetUnrecommendedAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>An account's ratings, most recent first.</summary>
    Task<IReadOnlyList<StoredRating>> GetRatingsAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Every stored rating (for retraining).</summary>
    Task<IReadOnlyList<AccountRating>> GetAllRatingsAsync(CancellationToken cancellationToken = default);

    /// <summary>How many ratings are stored.</summary>
    Task<long> CountRatingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the database answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
