using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Import;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Queries;

/// <summary>PUT /me/ratings/{movieId} body.</summary>
/// <param name="Rating">The rating, on the dataset's scale (0.5 to 5 in half stars for MovieLens).</param>
public sealed record RatingBody(float? Rating = null);

/// <summary>An account's rating of a movie (its id as the dataset spells it).</summary>
public sealed record MyRating(MovieId MovieId, string Title, int? Year, float Rating, DateTimeOffset UpdatedAt);

/// <summary>An account's ratings.</summary>
public sealed record MyRatings(IReadOnlyList<MyRating> Items);

/// <summary>A movie on one of the account's lists (hidden, watchlist, seen).</summary>
public sealed record ListedMovie(MovieId MovieId, string Title, int? Year);

/// <summary>One of the account's lists, most recently added first.</summary>
public sealed record ListedMovies(IReadOnlyList<ListedMovie> Items);

/// <summary>A row of an import that was not stored: its line, the movie as the file names it, and why.</summary>
public sealed record UnmatchedImportRow(long Line, string Movie, string Why);

/// <summary>
/// What an import stored: the export recognised ("imdb", "letterboxd", "csv"), the rating rows read, how many ratings
/// were stored (new to the account, or replacing its rating), rows for a movie rated again further down (the latest
/// counts), rows without a rating (watched, not rated), and the rows whose movie the catalogue does not have (the first
/// <see cref="AccountRatings.MaxUnmatchedListed"/> listed; <paramref name="UnmatchedCount"/> counts them all).
/// A Letterboxd export uploaded whole (.zip) also fills the watchlist from its watchlist.csv (<paramref name="Watchlist"/>)
/// and the films seen but not rated from its watched.csv (<paramref name="Seen"/>).
/// </summary>
public sealed record RatingsImported(string Format, int Rows, int Stored, int New, int Replaced, int Repeated, int Unrated, int UnmatchedCount,
    IReadOnlyList<UnmatchedImportRow> Unmatched, ListImported? Watchlist = null, ListImported? Seen = null);

/// <summary>
/// What a list import added: the export recognised, the movie rows read, the movies added, those already on the list,
/// those left off because the account has rated them (a rating takes a movie off the watchlist and the seen list), rows naming a
/// movie an earlier row named, and the rows whose movie the catalogue does not have (the first
/// <see cref="AccountRatings.MaxUnmatchedListed"/> listed).
/// </summary>
public sealed record ListImported(string Format, int Rows, int Added, int AlreadyListed, int Rated, int Repeated, int UnmatchedCount,
    IReadOnlyList<UnmatchedImportRow> Unmatched);

/// <summary>
/// The stars predicted for the account on one movie (the serving SVD folded in from the account's other ratings, as
/// shown beside recommendations), how many ratings it used, and why the movie suits them (null when no link holds).
/// <paramref name="PredictedRating"/> is null, with a note, when none of the account's ratings can be used yet.
/// </summary>
public sealed record MyPrediction(MovieId MovieId, string Title, int? Year, float? PredictedRating, int FromRatings, string? Reason, MovieId? BecauseOf,
    float? YourRating, string? Note, string ModelVersion);

/// <summary>
/// An account's own ratings: list them, rate a movie, remove a rating. A change drops the account's cached
/// recommendation lists, so its next list folds in the new ratings at once.
/// </summary>
public sealed class AccountRatings(ModelHost host, IRatingStore store, Recommender recommender)
{
    /// <summary>An import lists at most this many of the rows it could not match (and counts them all).</summary>
    public const int MaxUnmatchedListed = 200;

    /// <summary>The CSV header of <see cref="ExportAsync"/>: <see cref="ImportAsync"/> reads it back by movieId.</summary>
    public const string ExportHeader = "movieId,imdbId,tmdbId,title,year,rating,ratedAt";

    /// <summary>
    /// Stores the ratings of an export from elsewhere (<see cref="RatingsImporter"/>: IMDb, Letterboxd, or a CSV of
    /// movieId / imdbId / tmdbId / title and rating), all in one transaction. Letterboxd's export as downloaded (a .zip,
    /// <see cref="ExportArchive"/>) gives its ratings.csv, its watchlist.csv goes to the watchlist and its watched.csv to
    /// the films seen (those not rated: kept out of the recommendations). A malformed row
    /// stores nothing and names its line and column (field "file"); rows whose movie the catalogue lacks are reported,
    /// not stored. A rating keeps the date the export gives (so "most recent first" and the recency-aware algorithms see
    /// the person's own order), else now.
    /// </summary>
    public async Task<QueryResult<RatingsImported>> ImportAsync(long accountId, Stream csv, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var importer = Importer(catalog);
        RatingsImport import;
        MovieListImport? watchlist = null, watched = null;
        try
        {
            // Every file is read before anything is stored: a malformed watchlist stores no ratings either.
            if (ExportArchive.IsZip(csv))
            {
                var archive = ExportArchive.Read(csv, file);
                import = importer.Read(new MemoryStream(archive.Ratings, writable: false), archive.RatingsName);
                if (archive.Watchlist is { } list) watchlist = importer.ReadList(new MemoryStream(list, writable: false), archive.WatchlistName);
                if (archive.Watched is { } seen) watched = importer.ReadList(new MemoryStream(seen, writable: false), archive.WatchedName);
            }
            else
            {
                import = importer.Read(csv, file);
            }
        }
        catch (DataFormatException e)
        {
            return NothingImported(e);
        }
        var now = Now();
        var before = (await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false)).Select(r => r.MovieId).ToHashSet();
        var rows = import.Ratings.Select(r => new StoredRating(catalog.StorageKeyOf(r.Movie.Id), r.Rating, Past(r.RatedAt, now))).ToList();
        if (rows.Count > 0 && !await store.UpsertRatingsAsync(accountId, rows, cancellationToken).ConfigureAwait(false))
            return AccountGone;
        if (rows.Count > 0) await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        int replaced = rows.Count(r => before.Contains(r.MovieId));
        ListImported? listed = null, seenListed = null;
        if (watchlist is not null)
        {
            var stored = await StoreListAsync(accountId, MovieList.Watchlist, watchlist, catalog, now, cancellationToken).ConfigureAwait(false);
            if (!stored.IsOk) return stored.Error;
            listed = stored.Value;
        }
        // After the ratings: a watched film that was rated is a rating, not "seen". A diary's entries without stars are
        // films seen too.
        if (watched is null && import.WatchedUnrated.Count > 0)
            watched = new MovieListImport(import.Format, import.WatchedUnrated.Count, import.WatchedUnrated, [], 0);
        if (watched is not null)
        {
            var stored = await StoreListAsync(accountId, MovieList.Seen, watched, catalog, now, cancellationToken).ConfigureAwait(false);
            if (!stored.IsOk) return stored.Error;
            seenListed = stored.Value;
        }
        return new RatingsImported(import.Format, import.Rows, rows.Count, rows.Count - replaced, replaced, import.Repeated, import.Unrated,
            import.Unmatched.Count, Listed(import.Unmatched), listed, seenListed);
    }

    /// <summary>
    /// Adds the movies of a list export (<see cref="RatingsImporter.ReadList"/>: IMDb's watchlist export, Letterboxd's
    /// watchlist.csv, a CSV with a movie column) to one of the account's lists, in one transaction. Movies the account
    /// has rated are left off the watchlist and the seen list (a rating takes a movie off both); Letterboxd's watched.csv
    /// is refused as a watchlist and its watchlist.csv as films seen (a file picked for the wrong list).
    /// </summary>
    public async Task<QueryResult<ListImported>> ImportListAsync(long accountId, MovieList list, Stream csv, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (list == MovieList.Watchlist && string.Equals(file, "watched.csv", StringComparison.OrdinalIgnoreCase))
            return QueryError.Invalid("file", "watched.csv is Letterboxd's list of films you have seen, not films to watch: import it as films you have seen (POST /api/v1/me/seen/import), or the whole export (.zip) as your ratings; nothing was imported.");
        if (list == MovieList.Seen && string.Equals(file, "watchlist.csv", StringComparison.OrdinalIgnoreCase))
            return QueryError.Invalid("file", "watchlist.csv is Letterboxd's list of films to watch, not films you have seen: import it as your watchlist (POST /api/v1/me/watchlist/import); nothing was imported.");
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        MovieListImport import;
        try
        {
            if (ExportArchive.IsZip(csv))
                return QueryError.Invalid("file", $"{file} is a zip archive: import a Letterboxd export (.zip) as your ratings, which fills the watchlist and the films seen too; nothing was imported.");
            import = Importer(catalog).ReadList(csv, file);
        }
        catch (DataFormatException e)
        {
            return NothingImported(e);
        }
        return await StoreListAsync(accountId, list, import, catalog, Now(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<QueryResult<ListImported>> StoreListAsync(long accountId, MovieList list, MovieListImport import, CatalogIndex catalog, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rated = list is MovieList.Watchlist or MovieList.Seen
            ? (await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false)).Select(r => r.MovieId).ToHashSet()
            : [];
        var already = (await store.GetListAsync(accountId, list, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var rows = new List<ListedMovieRow>();
        int alreadyListed = 0, skippedRated = 0;
        foreach (var m in import.Movies)
        {
            long key = catalog.StorageKeyOf(m.Movie.Id);
            if (rated.Contains(key)) skippedRated++;
            else if (already.Contains(key)) alreadyListed++;
            else rows.Add(new ListedMovieRow(key, Past(m.AddedAt, now)));
        }
        if (rows.Count > 0 && !await store.AddManyToListAsync(accountId, list, rows, cancellationToken).ConfigureAwait(false))
            return AccountGone;
        if (rows.Count > 0) await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return new ListImported(import.Format, import.Rows, rows.Count, alreadyListed, skippedRated, import.Repeated, import.Unmatched.Count, Listed(import.Unmatched));
    }

    private static RatingsImporter Importer(CatalogIndex catalog) =>
        new(catalog.Catalog.Movies, catalog.Dataset.Ratings.Scale, id => catalog.Find(MovieId.Text(id)));

    private static QueryError NothingImported(DataFormatException e) =>
        QueryError.Invalid("file", e.Message + (e.Message.EndsWith('.') ? "" : ".") + " Nothing was imported.");

    private static QueryError AccountGone => QueryError.NotFound("The account no longer exists (it was deleted); start a new one with POST /api/v1/sessions.");

    private static List<UnmatchedImportRow> Listed(IReadOnlyList<UnmatchedRow> unmatched) =>
        [.. unmatched.Take(MaxUnmatchedListed).Select(u => new UnmatchedImportRow(u.Line, u.Movie, u.Why))];

    /// <summary>Now, to the millisecond the store keeps.</summary>
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>An export's date when it is in the past (to the millisecond), else now.</summary>
    private static DateTimeOffset Past(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } a && a < now ? DateTimeOffset.FromUnixTimeMilliseconds(a.ToUnixTimeMilliseconds()) : now;

    /// <summary>The account's ratings as CSV (<see cref="ExportHeader"/>), most recent first: what <see cref="ImportAsync"/> reads back.</summary>
    public async Task<string> ExportAsync(long accountId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var stored = catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        var csv = new System.Text.StringBuilder(ExportHeader).Append('\n');
        foreach (var r in stored)
        {
            var movie = catalog.Catalog[r.MovieId];
            csv.Append(Csv(catalog.IdOf(r.MovieId).Value)).Append(',')
                .Append(movie?.ImdbTconst).Append(',')
                .Append(movie?.TmdbId?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv(movie?.Title ?? "")).Append(',')
                .Append(movie?.Year?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.Rating.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();

        // RFC 4180: a field with a comma, quote, tab or line break is quoted, its quotes doubled. A leading =, +, - or @
        // would make a spreadsheet evaluate a title as a formula: a tab goes first (OWASP on CSV injection); the import trims it.
        static string Csv(string text)
        {
            if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@') text = "\t" + text;
            return text.AsSpan().IndexOfAny(",\"\r\n\t") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }
    }

    public async Task<MyRatings> ListAsync(long accountId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var stored = catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        return new MyRatings([.. stored.Select(r =>
        {
            var movie = catalog.Catalog[r.MovieId];
            return new MyRating(catalog.IdOf(r.MovieId), movie?.Title ?? "", movie?.Year, r.Rating, r.UpdatedAt);
        })]);
    }

    /// <summary>Stores the rating (acknowledged once durable); a missing movie is 404, a missing or off-scale rating names "rating".</summary>
    public async Task<QueryResult<MyRating>> RateAsync(long accountId, MovieId movieId, RatingBody? body, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        if (body?.Rating is not float rating) return QueryError.Invalid("rating", "is required, e.g. {\"rating\": 4.5}.");
        if (catalog.Dataset.Ratings.Scale.Check(rating) is { } problem) return QueryError.Invalid("rating", problem + ".");
        // To the millisecond, as the store keeps it: the acknowledgement says what GET /me/ratings will.
        var now = Now();
        if (!await store.UpsertRatingAsync(accountId, catalog.StorageKeyOf(movie.Id), rating, now, cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound("The account no longer exists (it was deleted); start a new one with POST /api/v1/sessions.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return new MyRating(MovieId.Of(movie), movie.Title, movie.Year, rating, now);
    }

    /// <summary>What the account would give <paramref name="movieId"/>, predicted from its other ratings; a missing movie is 404.</summary>
    public async Task<QueryResult<MyPrediction>> PredictAsync(long accountId, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        var stored = catalog.FromStorage(await store.GetRatingsAsync(accountId, cancellationToken).ConfigureAwait(false));
        var ratings = stored.Select(r => new MovieRating(r.MovieId, r.Rating)).ToList();
        float? yours = stored.FirstOrDefault(r => r.MovieId == movie.Id)?.Rating;
        var predicted = await recommender.PredictAsync(ratings, movie.Id, cancellationToken).ConfigureAwait(false);
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (predicted is null)
            return new MyPrediction(MovieId.Of(movie), movie.Title, movie.Year, null, 0, null, null, yours,
                ratings.Count(r => r.MovieId != movie.Id) == 0 ? "Rate a movie or two first: a prediction folds in your other ratings." : "None of your other rated movies is known to the serving model yet.",
                model.Version);
        return new MyPrediction(MovieId.Of(movie), movie.Title, movie.Year, predicted.Stars, predicted.From, predicted.Reason,
            predicted.BecauseOf is long b && catalog.Catalog[b] is { } because ? MovieId.Of(because) : null, yours, null, predicted.ModelVersion);
    }

    /// <summary>
    /// Puts a movie on one of the account's lists: hidden ("not interested") or the watchlist; either keeps it out of the
    /// account's recommendations from now on. A missing movie is 404.
    /// </summary>
    public async Task<QueryError?> AddToListAsync(long accountId, MovieList list, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Find(movieId) is not { } movie) return QueryError.NotFound($"No movie with id {QueryError.Echo(movieId.Value)}.");
        var now = Now();
        if (!await store.AddToListAsync(accountId, list, catalog.StorageKeyOf(movie.Id), now, cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound("The account no longer exists (it was deleted); start a new one with POST /api/v1/sessions.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Takes a movie off one of the account's lists; the 404 when it was not on it.</summary>
    public async Task<QueryError?> RemoveFromListAsync(long accountId, MovieList list, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.KeyOf(movieId) is not long key || !await store.RemoveFromListAsync(accountId, list, catalog.StorageKeyOf(key), cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound($"Movie {QueryError.Echo(movieId.Value)} is not on your {list switch { MovieList.Hidden => "not-interested list", MovieList.Seen => "list of movies seen", _ => "watchlist" }}.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>One of the account's lists, most recently added first.</summary>
    public async Task<ListedMovies> ListAsync(long accountId, MovieList list, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var movies = catalog.MoviesFromStorage(await store.GetListAsync(accountId, list, cancellationToken).ConfigureAwait(false));
        return new ListedMovies([.. movies.Select(m => new ListedMovie(MovieId.Of(m), m.Title, m.Year))]);
    }

    /// <summary>Removes the account's rating of a movie; null when done, the 404 when there was none.</summary>
    public async Task<QueryError?> UnrateAsync(long accountId, MovieId movieId, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.KeyOf(movieId) is not long key || !await store.DeleteRatingAsync(accountId, catalog.StorageKeyOf(key), cancellationToken).ConfigureAwait(false))
            return QueryError.NotFound($"You have not rated movie {QueryError.Echo(movieId.Value)}.");
        await recommender.ForgetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
