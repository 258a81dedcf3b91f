using System.Globalization;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Import;

/// <summary>One rating read from a person's export, matched to a catalogue movie.</summary>
/// <param name="Line">The 1-based line of the file it came from.</param>
/// <param name="Movie">The catalogue's movie.</param>
/// <param name="Rating">On the catalogue's scale.</param>
/// <param name="RatedAt">When the export says it was rated (null: not said).</param>
public sealed record ImportedRating(long Line, Movie Movie, float Rating, DateTimeOffset? RatedAt);

/// <summary>A well-formed row whose movie the catalogue does not have (or cannot tell apart), with why.</summary>
public sealed record UnmatchedRow(long Line, string Movie, string Why);

/// <summary>What an export held: the ratings matched to movies (one per movie, the latest row winning), the rows that matched none.</summary>
/// <param name="Format">The export recognised: "imdb", "letterboxd" or "csv" (movieId / imdbId / tmdbId / title columns).</param>
/// <param name="Rows">Rating rows read.</param>
/// <param name="Ratings">The matched ratings, one per movie, in file order.</param>
/// <param name="Unmatched">The rows no movie (or more than one) matched.</param>
/// <param name="Repeated">Rows for a movie an earlier row already rated (a rewatch in a diary): the later row counts.</param>
/// <param name="Unrated">Rows with an empty rating (watched, not rated), left out of the ratings.</param>
/// <param name="WatchedUnrated">
/// Letterboxd's diary only: the movies of those rows (logged as watched without a rating, and not rated in another row),
/// once each, in file order. Other formats leave it empty (an empty rating in an IMDb export is a film not seen).
/// </param>
public sealed record RatingsImport(string Format, int Rows, IReadOnlyList<ImportedRating> Ratings, IReadOnlyList<UnmatchedRow> Unmatched, int Repeated, int Unrated,
    IReadOnlyList<ImportedMovie> WatchedUnrated);

/// <summary>One movie of a list read from a person's export (a watchlist), matched to a catalogue movie.</summary>
/// <param name="Line">The 1-based line of the file it came from.</param>
/// <param name="Movie">The catalogue's movie.</param>
/// <param name="AddedAt">When the export says it was added (null: not said).</param>
public sealed record ImportedMovie(long Line, Movie Movie, DateTimeOffset? AddedAt);

/// <summary>What a list export held: the movies matched (one per movie, in file order) and the rows that matched none.</summary>
/// <param name="Format">The export recognised: "imdb", "letterboxd" or "csv".</param>
/// <param name="Rows">Movie rows read.</param>
/// <param name="Movies">The matched movies, once each, in file order.</param>
/// <param name="Unmatched">The rows no movie (or more than one) matched.</param>
/// <param name="Repeated">Rows for a movie an earlier row already named.</param>
public sealed record MovieListImport(string Format, int Rows, IReadOnlyList<ImportedMovie> Movies, IReadOnlyList<UnmatchedRow> Unmatched, int Repeated);

/// <summary>
/// Reads the ratings a person brings from elsewhere, so a new account starts from their history instead of five
/// clicks: IMDb's ratings export (<c>Const, Your Rating, Date Rated, Title, ..., Year</c>: ten-point ratings, halved),
/// Letterboxd's <c>ratings.csv</c> or <c>diary.csv</c> (<c>Date, Name, Year, Letterboxd URI, Rating</c>: half stars),
/// and any CSV with a rating column beside a <c>movieId</c>, <c>imdbId</c>, <c>tmdbId</c> or <c>title</c> (and
/// <c>year</c>) column, which includes MovieRec's own export and a MovieLens ratings.csv of one user. Columns are found
/// by their header names, in any order and case. Movies are matched by id where the export has one (IMDb's tt-ids
/// through MovieLens links.csv), else by title and year: the title as MovieLens writes it, its alternative title in
/// parentheses ("The 400 Blows" or "Les quatre cents coups"), or TMDB's title and original title, accents, case and a
/// leading article ignored, the year exact or one off (release dates differ by country). A malformed row is an error
/// naming its line and column, and nothing is imported (<see cref="DataFormatException"/>); a row whose movie is
/// not in the catalogue, or matches two, is listed in <see cref="RatingsImport.Unmatched"/>.
/// </summary>
public sealed class RatingsImporter
{
    /// <summary>At most this many rating rows per import (a heavy IMDb user has a few thousand).</summary>
    public const int MaxRows = 50_000;

    private readonly RatingScale _scale;
    private readonly Func<string, Movie?> _byId;
    private readonly Dictionary<int, Movie> _byImdb = [];
    private readonly Dictionary<int, Movie> _byTmdb = [];
    private readonly Dictionary<string, List<Movie>> _byTitle = new(StringComparer.Ordinal);

    /// <param name="movies">The catalogue's movies.</param>
    /// <param name="scale">The catalogue's rating scale: ratings are stored on it (IMDb's ten points are halved onto 0.5-5).</param>
    /// <param name="byId">The movie a <c>movieId</c> field names (as the dataset spells its ids), or null.</param>
    public RatingsImporter(IReadOnlyList<Movie> movies, RatingScale scale, Func<string, Movie?> byId)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(byId);
        _scale = scale;
        _byId = byId;
        foreach (var movie in movies)
        {
            if (movie.ImdbId is int imdb) _byImdb.TryAdd(imdb, movie);
            if (movie.TmdbId is int tmdb) _byTmdb.TryAdd(tmdb, movie);
            foreach (var title in TitlesOf(movie)) AddTitle(title, movie);
        }
    }

    /// <summary>Reads an export; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">A malformed row or header, naming the line and the column.</exception>
    public RatingsImport Read(Stream csv, string file)
    {
        using var reader = OpenWithHeader(csv, file, ratings: true, out var columns);
        var byMovie = new Dictionary<long, ImportedRating>();
        var unmatched = new List<UnmatchedRow>();
        int rows = 0, repeated = 0, unrated = 0;
        var watched = new Dictionary<long, ImportedMovie>();
        string? user = null;
        while (reader.Read())
        {
            columns.CheckLength(reader);
            if (columns.User >= 0)
            {
                // A MovieLens ratings.csv holds everyone's ratings: one person's history is one user's rows.
                var who = reader.Text(columns.User, columns.UserName).Trim();
                if (user is null) user = who;
                else if (who != user) throw reader.Error(columns.UserName, $"is {Quote(who)} where earlier rows had {Quote(user)}: an import is one person's ratings; keep one user's rows");
            }
            if (reader.IsEmpty(columns.Rating))
            {
                if (++unrated > MaxRows) throw reader.Error(null, $"more than {MaxRows:N0} rows without a rating in one import");
                // A diary entry without stars: watched, so not to be recommended back (matched only if it can be).
                if (columns.Format == "letterboxd" && Match(reader, columns).Movie is { } seen)
                    watched.TryAdd(seen.Id, new ImportedMovie(reader.Line, seen, columns.Date >= 0 ? ReadDate(reader, columns) : null));
                continue;
            }
            if (++rows > MaxRows) throw reader.Error(null, $"more than {MaxRows:N0} ratings in one import");
            float rating = ReadRating(reader, columns);
            DateTimeOffset? at = columns.Date >= 0 ? ReadDate(reader, columns) : null;
            var (movie, what, why) = Match(reader, columns);
            if (movie is null)
            {
                unmatched.Add(new UnmatchedRow(reader.Line, what, why!));
                continue;
            }
            var imported = new ImportedRating(reader.Line, movie, rating, at);
            if (byMovie.TryGetValue(movie.Id, out var earlier))
            {
                repeated++;
                // A diary lists rewatches: the latest dated row (else the later row) is the person's rating now.
                if (earlier.RatedAt is { } e && at is { } a && a < e) continue;
            }
            byMovie[movie.Id] = imported;
        }
        return new RatingsImport(columns.Format, rows, [.. byMovie.Values.OrderBy(r => r.Line)], unmatched, repeated, unrated,
            [.. watched.Values.Where(m => !byMovie.ContainsKey(m.Movie.Id)).OrderBy(m => m.Line)]);
    }

    /// <summary>
    /// Reads a list of movies without ratings: IMDb's watchlist export (<c>Position, Const, Created, ..., Title, ...,
    /// Year</c>), Letterboxd's <c>watchlist.csv</c> (<c>Date, Name, Year, Letterboxd URI</c>), or any CSV with a movie
    /// column (a rating column, if any, is not read). Movies are matched as <see cref="Read"/> matches them.
    /// </summary>
    /// <exception cref="DataFormatException">A malformed row or header, naming the line and the column.</exception>
    public MovieListImport ReadList(Stream csv, string file)
    {
        using var reader = OpenWithHeader(csv, file, ratings: false, out var columns);
        var byMovie = new Dictionary<long, ImportedMovie>();
        var unmatched = new List<UnmatchedRow>();
        int rows = 0, repeated = 0;
        while (reader.Read())
        {
            columns.CheckLength(reader);
            if (++rows > MaxRows) throw reader.Error(null, $"more than {MaxRows:N0} movies in one import");
            DateTimeOffset? at = columns.Date >= 0 ? ReadDate(reader, columns) : null;
            var (movie, what, why) = Match(reader, columns);
            if (movie is null) unmatched.Add(new UnmatchedRow(reader.Line, what, why!));
            else if (!byMovie.TryAdd(movie.Id, new ImportedMovie(reader.Line, movie, at))) repeated++;
        }
        return new MovieListImport(columns.Format, rows, [.. byMovie.Values.OrderBy(m => m.Line)], unmatched, repeated);
    }

    /// <summary>Opens the export and finds its columns in the header row.</summary>
    private DelimitedReader OpenWithHeader(Stream csv, string file, bool ratings, out Columns columns)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var reader = DelimitedReader.Open(csv, file);
        try
        {
            if (!reader.Read())
                throw new DataFormatException(file, 0, null, ratings ? "is empty: expected a header row naming a rating column and a movie column" : "is empty: expected a header row naming a movie column");
            columns = Columns.Find(reader, _scale, ratings);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private float ReadRating(DelimitedReader reader, Columns columns)
    {
        var text = reader.Text(columns.Rating, columns.RatingName).Trim();
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw reader.Error(columns.RatingName, $"{Quote(text)} is not a number");
        if (columns.TenPoint)
        {
            if (value < 1 || value > 10 || value != MathF.Round(value))
                throw reader.Error(columns.RatingName, $"{Quote(text)} is not an IMDb rating (a whole number from 1 to 10)");
            value /= 2;
        }
        if (_scale.Check(value) is { } problem) throw reader.Error(columns.RatingName, problem);
        return value;
    }

    private static DateTimeOffset? ReadDate(DelimitedReader reader, Columns columns)
    {
        if (reader.IsEmpty(columns.Date)) return null;
        var text = reader.Text(columns.Date, columns.DateName).Trim();
        DateTimeOffset at;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            // MovieLens timestamps: seconds since 1970.
            if (seconds > 253_402_300_799) throw reader.Error(columns.DateName, $"{Quote(text)} is not a time (seconds since 1970)");
            at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
        {
            throw reader.Error(columns.DateName, $"{Quote(text)} is not a date (e.g. 2024-05-31)");
        }
        return at;
    }

    private (Movie? Movie, string What, string? Why) Match(DelimitedReader reader, Columns columns)
    {
        string? title = columns.Title >= 0 ? reader.Text(columns.Title, columns.TitleName).Trim() : null;
        int? year = null;
        if (columns.Year >= 0 && !reader.IsEmpty(columns.Year))
        {
            var text = reader.Text(columns.Year, columns.YearName).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int y) || y < 1800 || y > 2200)
                throw reader.Error(columns.YearName, $"{Quote(text)} is not a year");
            year = y;
        }
        string shown = title is { Length: > 0 } ? (year is int yy ? $"{title} ({yy})" : title) : "";
        if (columns.MovieId >= 0 && !reader.IsEmpty(columns.MovieId))
        {
            var id = reader.Text(columns.MovieId, columns.MovieIdName).Trim();
            return _byId(id) is { } movie ? (movie, shown, null) : (null, Or(shown, $"movieId {id}"), $"no movie with id {id} in the catalogue");
        }
        if (columns.Imdb >= 0 && !reader.IsEmpty(columns.Imdb))
        {
            var text = reader.Text(columns.Imdb, columns.ImdbName).Trim();
            var digits = text.StartsWith("tt", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int imdb))
                throw reader.Error(columns.ImdbName, $"{Quote(text)} is not an IMDb id (e.g. tt0114709)");
            if (_byImdb.TryGetValue(imdb, out var movie)) return (movie, shown, null);
            // An IMDb title the links do not know (a series, a film MovieLens lacks) may still be there by title.
            if (title is not { Length: > 0 }) return (null, text, "no movie with this IMDb id in the catalogue");
        }
        if (columns.Tmdb >= 0 && !reader.IsEmpty(columns.Tmdb))
        {
            if (!reader.TryLong(columns.Tmdb, out long tmdb)) throw reader.Error(columns.TmdbName, $"{Quote(reader.Text(columns.Tmdb, columns.TmdbName))} is not a TMDB id");
            if (tmdb is > 0 and <= int.MaxValue && _byTmdb.TryGetValue((int)tmdb, out var movie)) return (movie, shown, null);
            if (title is not { Length: > 0 }) return (null, $"tmdbId {tmdb}", "no movie with this TMDB id in the catalogue");
        }
        if (title is not { Length: > 0 }) throw reader.Error(new[] { columns.TitleName, columns.MovieIdName, columns.ImdbName, columns.TmdbName }.First(n => n.Length > 0), "is empty: the row names no movie");
        return MatchTitle(title, year, shown);
    }

    private (Movie? Movie, string What, string? Why) MatchTitle(string title, int? year, string shown)
    {
        // "Heat (1995)" in a title column: the year is part of it.
        var (display, inTitle) = MovieTitle.Parse(title);
        year ??= inTitle;
        var candidates = Candidates(display);
        if (candidates.Count == 0 && display != title) candidates = Candidates(title);
        if (candidates.Count == 0) return (null, shown, "no movie of this title in the catalogue");
        if (year is int y)
        {
            var exact = candidates.Where(m => m.Year == y).ToList();
            var near = exact.Count > 0 ? exact : candidates.Where(m => m.Year is int my && Math.Abs(my - y) == 1).ToList();
            return near.Count switch
            {
                1 => (near[0], shown, null),
                0 => (null, shown, "the catalogue has this title, but from " + string.Join(", ", candidates.Select(m => m.Year?.ToString(CultureInfo.InvariantCulture) ?? "an unknown year").Distinct())),
                _ => (null, shown, $"{near.Count} movies of this title and year in the catalogue"),
            };
        }
        return candidates.Count == 1 ? (candidates[0], shown, null) : (null, shown, $"{candidates.Count} movies of this title in the catalogue; give the year");
    }

    private List<Movie> Candidates(string title)
    {
        var key = Key(title);
        var found = new List<Movie>();
        foreach (var k in (ReadOnlySpan<string>)[key, MovieCatalog.WithoutArticle(key)])
        {
            if (k.Length == 0 || !_byTitle.TryGetValue(k, out var list)) continue;
            foreach (var m in list)
            {
                if (!found.Contains(m)) found.Add(m);
            }
        }
        return found;
    }

    /// <summary>The titles a person may know a movie by: as shown, its main and alternative titles, TMDB's two.</summary>
    private static IEnumerable<string> TitlesOf(Movie movie)
    {
        yield return movie.Title;
        // "Amelie (Fabuleux destin d'Amélie Poulain, Le)": the main title, and the alternatives with articles to the front.
        var main = movie.ShortTitle;
        if (main.Length < movie.Title.Length)
        {
            yield return main;
            var rest = movie.Title[main.Length..].Trim();
            foreach (var alternative in rest.Trim('(', ')').Split(") (", StringSplitOptions.RemoveEmptyEntries))
            {
                var alt = alternative.StartsWith("a.k.a. ", StringComparison.OrdinalIgnoreCase) ? alternative[7..] : alternative;
                yield return MovieTitle.MoveArticleToFront(alt);
            }
        }
        if (movie.Tmdb is { } tmdb)
        {
            yield return tmdb.Title;
            if (tmdb.OriginalTitle is { Length: > 0 } original) yield return original;
        }
    }

    private void AddTitle(string title, Movie movie)
    {
        var key = Key(title);
        foreach (var k in (ReadOnlySpan<string>)[key, MovieCatalog.WithoutArticle(key)])
        {
            if (k.Length == 0) continue;
            if (!_byTitle.TryGetValue(k, out var list)) _byTitle[k] = list = [];
            if (!list.Contains(movie)) list.Add(movie);
        }
    }

    /// <summary>The normalised title, "&amp;" read as "and" ("Harold &amp; Kumar" is MovieLens's "Harold and Kumar").</summary>
    private static string Key(string title) => MovieCatalog.NormalizeTitle(title.Replace("&", " and ", StringComparison.Ordinal));

    private static string Or(string shown, string fallback) => shown.Length > 0 ? shown : fallback;

    private static string Quote(string text) => "'" + (text.Length > 40 ? text[..40] + "…" : text) + "'";

    /// <summary>Where the columns are, found by the header's names.</summary>
    /// <remarks>An absent column is index −1 with the name "".</remarks>
    private sealed record Columns(string Format, int Rating, string RatingName, bool TenPoint, int MovieId, string MovieIdName, int Imdb, string ImdbName,
        int Tmdb, string TmdbName, int Title, string TitleName, int Year, string YearName, int Date, string DateName, int User, string UserName)
    {
        /// <summary>
        /// Throws on a row shorter than <see cref="Needed"/>: it would read as "not rated" (or a movie without a year) and
        /// vanish, so a row cut off or a stray line is an error instead.
        /// </summary>
        public void CheckLength(DelimitedReader reader)
        {
            if (reader.FieldCount < Needed)
                throw reader.Error(null, $"has {reader.FieldCount} field{(reader.FieldCount == 1 ? "" : "s")} but the header names {Needed} or more");
        }

        /// <summary>Fields a row needs: up to the last column read.</summary>
        public int Needed => 1 + Math.Max(Math.Max(Math.Max(Rating, MovieId), Math.Max(Imdb, Tmdb)), Math.Max(Math.Max(Title, Year), Math.Max(Date, User)));

        /// <param name="header">The header row.</param>
        /// <param name="scale">The catalogue's scale, named when no rating column is found.</param>
        /// <param name="ratings">Whether a rating column is required and read (a ratings export) or not read (a list).</param>
        public static Columns Find(DelimitedReader header, RatingScale scale, bool ratings)
        {
            var names = new string[header.FieldCount];
            for (int i = 0; i < names.Length; i++) names[i] = header.Text(i, $"column {i + 1}").Trim();
            int Index(params string[] wanted)
            {
                foreach (var w in wanted)
                {
                    int at = Array.FindIndex(names, n => string.Equals(n, w, StringComparison.OrdinalIgnoreCase));
                    if (at >= 0) return at;
                }
                return -1;
            }
            string Name(int index) => index >= 0 ? names[index] : "";
            int imdbRating = ratings ? Index("Your Rating") : -1;
            int rating = !ratings ? -1 : imdbRating >= 0 ? imdbRating : Index("rating", "stars", "score");
            if (ratings && rating < 0)
            {
                // Letterboxd's watched.csv and watchlist.csv, IMDb's watchlist: lists a person brings by mistake.
                string list = Index("Letterboxd URI") >= 0 || Index("Const") >= 0
                    ? " This looks like a list without ratings: import a watchlist as your watchlist; for Letterboxd, import ratings.csv or the whole export (.zip)."
                    : "";
                throw header.Error(null, $"has no rating column (the header is {string.Join(", ", names.Select(n => Quote(n)))}); " +
                    "expected IMDb's \"Your Rating\", Letterboxd's \"Rating\" or a \"rating\" column on the " +
                    string.Create(CultureInfo.InvariantCulture, $"{scale.Min:0.#}-{scale.Max:0.#} scale.") + list);
            }
            int movieId = Index("movieId", "itemId", "item");
            int imdb = Index("Const", "imdbId", "imdb_id", "tconst", "imdb");
            int tmdb = Index("tmdbId", "tmdb_id", "tmdb");
            int title = Index("Title", "Name", "movie", "film");
            int year = Index("Year", "release_year");
            int date = ratings ? Index("Date Rated", "ratedAt", "Date", "Watched Date", "timestamp") : Index("Created", "addedAt", "Date Added", "Date");
            int user = Index("userId", "user");
            if (movieId < 0 && imdb < 0 && tmdb < 0 && title < 0)
            {
                throw header.Error(null, $"has no movie column (the header is {string.Join(", ", names.Select(n => Quote(n)))}); " +
                    "expected \"movieId\", \"imdbId\" (or IMDb's \"Const\"), \"tmdbId\", or \"title\" / \"Name\" with \"year\"");
            }
            string format = imdbRating >= 0 || (!ratings && Index("Const") >= 0) ? "imdb" : Index("Letterboxd URI") >= 0 ? "letterboxd" : "csv";
            return new Columns(format, rating, Name(rating), imdbRating >= 0, movieId, Name(movieId), imdb, Name(imdb), tmdb, Name(tmdb),
                title, Name(title), year, Name(year), date, Name(date), user, Name(user));
        }
    }
}
