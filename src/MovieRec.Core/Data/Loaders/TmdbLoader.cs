using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// TMDB 5000 (tmdb_5000_movies.csv with JSON array columns, tmdb_5000_credits.csv with cast and crew as JSON),
/// either joined to a MovieLens catalog through links.csv's tmdbId, or as a catalog of its own.
/// </summary>
public static class TmdbLoader
{
    public const string FormatName = "tmdb-5000";
    public const string MoviesFile = "tmdb_5000_movies.csv";
    public const string CreditsFile = "tmdb_5000_credits.csv";

    public static bool Matches(DataSource source) => source.Has(MoviesFile);

    /// <summary>Reads the metadata keyed by TMDB id.</summary>
    /// <remarks>
    /// Repeated strings (cast and director names, keywords, genres, languages) are one instance per load: ml-latest-small's
    /// 3,537 TMDB movies name 88,845 cast credits of 46,503 people and 31,279 keywords of 9,041. Only the directors of the
    /// crew are kept (<see cref="TmdbMetadata.Directors"/>).
    /// </remarks>
    public static Dictionary<int, TmdbMetadata> LoadMetadata(DataSource source, LoadOptions options, LoadReport report)
    {
        var pool = new HashSet<string>(StringComparer.Ordinal);
        var credits = source.Find(CreditsFile) is string cf ? LoadCredits(source, cf, options, report, pool) : [];
        var result = new Dictionary<int, TmdbMetadata>();
        var file = source.Find(MoviesFile) ?? throw new DataFormatException(source.Location, 0, null, $"has no {MoviesFile}");
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        var header = LoaderSupport.ReadHeader(reader, reader.File);
        int id = LoaderSupport.Require(header, "id", reader.File);
        int title = LoaderSupport.Require(header, "title", reader.File);
        int genres = LoaderSupport.Require(header, "genres", reader.File);
        int keywords = LoaderSupport.Require(header, "keywords", reader.File);
        int overview = LoaderSupport.Require(header, "overview", reader.File);
        int voteAverage = LoaderSupport.Require(header, "vote_average", reader.File);
        int voteCount = LoaderSupport.Require(header, "vote_count", reader.File);
        int popularity = header.GetValueOrDefault("popularity", -1);
        int language = header.GetValueOrDefault("original_language", -1);
        int companies = header.GetValueOrDefault("production_companies", -1);
        int originalTitle = header.GetValueOrDefault("original_title", -1);
        int release = header.GetValueOrDefault("release_date", -1);
        int runtime = header.GetValueOrDefault("runtime", -1);
        int tagline = header.GetValueOrDefault("tagline", -1);
        int poster = header.GetValueOrDefault("poster_path", -1);
        int columns = header.Count;
        var names = LoaderSupport.ColumnList(header.Keys, ",");
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(columns, names);
                int tmdbId = reader.Int(id, "id");
                credits.TryGetValue(tmdbId, out var credit);
                string movieTitle = reader.Text(title, "title");
                string? original = originalTitle >= 0 ? reader.Text(originalTitle, "original_title") : null;
                var meta = new TmdbMetadata
                {
                    TmdbId = tmdbId,
                    Title = movieTitle,
                    OriginalTitle = original == movieTitle ? movieTitle : original,
                    Overview = NullIfEmpty(reader.Text(overview, "overview")),
                    Tagline = tagline >= 0 ? NullIfEmpty(reader.Text(tagline, "tagline")) : null,
                    Genres = Names(reader, genres, "genres", pool),
                    Keywords = Names(reader, keywords, "keywords", pool),
                    Companies = companies >= 0 ? Names(reader, companies, "production_companies", pool) : [],
                    OriginalLanguage = language >= 0 && NullIfEmpty(reader.Text(language, "original_language")) is string lang ? Pooled(pool, lang) : null,
                    VoteAverage = reader.OptionalDouble(voteAverage, "vote_average") ?? 0,
                    VoteCount = Count(reader, voteCount, "vote_count"),
                    Popularity = popularity >= 0 ? reader.OptionalDouble(popularity, "popularity") ?? 0 : 0,
                    ReleaseDate = release >= 0 ? ParseDate(reader, release) : null,
                    Runtime = runtime >= 0 ? Minutes(reader, runtime) : null,
                    PosterPath = poster >= 0 ? NullIfEmpty(reader.Text(poster, "poster_path")) : null,
                    Cast = credit?.Cast ?? [],
                    Directors = credit?.Directors ?? [],
                };
                if (!result.TryAdd(tmdbId, meta))
                    throw reader.Error("id", $"TMDB id {tmdbId} appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
        return result;
    }

    /// <summary>
    /// <see cref="LoadMetadata"/>, through <see cref="TmdbMetadataCache"/> when <see cref="LoadOptions.MetadataCacheFolder"/>
    /// names a folder.
    /// </summary>
    public static Dictionary<int, TmdbMetadata> LoadMetadataOrCached(DataSource source, LoadOptions options, LoadReport report) =>
        options.MetadataCacheFolder is string folder
            ? TmdbMetadataCache.Load(source, options, report, folder)
            : LoadMetadata(source, options, report);

    /// <summary>Attaches metadata to every catalog movie whose tmdbId has some; returns how many were joined.</summary>
    public static int Join(MovieCatalog catalog, IReadOnlyDictionary<int, TmdbMetadata> metadata)
    {
        int joined = 0;
        foreach (var movie in catalog.Movies)
        {
            if (movie.TmdbId is int t && metadata.TryGetValue(t, out var meta))
            {
                movie.Tmdb = meta;
                joined++;
            }
        }
        return joined;
    }

    /// <summary>A catalog from TMDB alone: movie ids are TMDB ids; no ratings.</summary>
    public static Dataset LoadCatalogOnly(DataSource source, LoadOptions options)
    {
        var report = new LoadReport();
        var metadata = LoadMetadataOrCached(source, options, report);
        var catalog = new MovieCatalog();
        foreach (var meta in metadata.Values.OrderBy(m => m.TmdbId))
        {
            var raw = meta.ReleaseDate is DateOnly d ? $"{meta.Title} ({d.Year})" : meta.Title;
            var movie = new Movie(meta.TmdbId, raw, meta.Genres) { TmdbId = meta.TmdbId, Tmdb = meta };
            movie.Title = meta.Title;
            catalog.TryAdd(movie);
        }
        var empty = new RatingDatasetBuilder().Build(RatingScale.HalfStars);
        return new Dataset { Name = "tmdb-5000", Format = FormatName, Location = source.Location, Ratings = empty, Catalog = catalog, Report = report };
    }

    private sealed record Credits(string[] Cast, string[] Directors);

    /// <summary>The instance of <paramref name="s"/> already in <paramref name="pool"/>, else <paramref name="s"/> (added).</summary>
    private static string Pooled(HashSet<string> pool, string s)
    {
        if (pool.TryGetValue(s, out var shared)) return shared;
        pool.Add(s);
        return s;
    }

    private static Dictionary<int, Credits> LoadCredits(DataSource source, string file, LoadOptions options, LoadReport report, HashSet<string> pool)
    {
        var result = new Dictionary<int, Credits>();
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        var header = LoaderSupport.ReadHeader(reader, reader.File);
        int id = LoaderSupport.Require(header, "movie_id", reader.File);
        int cast = LoaderSupport.Require(header, "cast", reader.File);
        int crew = LoaderSupport.Require(header, "crew", reader.File);
        var names = LoaderSupport.ColumnList(header.Keys, ",");
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(header.Count, names);
                int movieId = reader.Int(id, "movie_id");
                var castList = ParseJson(reader, cast, "cast", root =>
                {
                    var entries = new List<(int Order, string Name)>();
                    foreach (var e in root.EnumerateArray())
                        entries.Add((e.TryGetProperty("order", out var o) && o.TryGetInt32(out int oi) ? oi : entries.Count, Pooled(pool, e.GetProperty("name").GetString() ?? "")));
                    return entries.OrderBy(e => e.Order).Select(e => e.Name).ToArray();
                });
                // Of the crew only the directors are kept; every entry must still have a name (and a job and a
                // department that are strings, when present), as when the whole crew was kept.
                var directors = ParseJson(reader, crew, "crew", root =>
                {
                    var names = new List<string>();
                    foreach (var e in root.EnumerateArray())
                    {
                        var name = e.GetProperty("name").GetString() ?? "";
                        string job = e.TryGetProperty("job", out var j) ? j.GetString() ?? "" : "";
                        if (e.TryGetProperty("department", out var d)) _ = d.GetString();
                        if (job == "Director" && !names.Contains(name)) names.Add(Pooled(pool, name));
                    }
                    return names.ToArray();
                });
                // As in the movies file, a repeated id is an error: keeping one row would drop the other's credits.
                if (!result.TryAdd(movieId, new Credits(castList, directors)))
                    throw reader.Error("movie_id", $"TMDB id {movieId} appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
        return result;
    }

    /// <summary>The "name" of each object in a JSON array column such as genres or keywords.</summary>
    private static string[] Names(DelimitedReader reader, int column, string field, HashSet<string> pool) =>
        ParseJson(reader, column, field, root =>
        {
            var names = new List<string>();
            foreach (var e in root.EnumerateArray())
            {
                if (e.TryGetProperty("name", out var n) && n.GetString() is string s) names.Add(Pooled(pool, s));
            }
            return names.ToArray();
        });

    private static T ParseJson<T>(DelimitedReader reader, int column, string field, Func<JsonElement, T> read)
    {
        var text = reader.Text(column, field);
        if (string.IsNullOrWhiteSpace(text)) text = "[]";
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw reader.Error(field, "is not a JSON array");
            return read(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw reader.Error(field, $"is not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            throw reader.Error(field, $"has JSON of an unexpected shape: {e.Message}");
        }
    }

    private static DateOnly? ParseDate(DelimitedReader reader, int column)
    {
        var text = reader.Text(column, "release_date").Trim();
        if (text.Length == 0) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw reader.Error("release_date", $"'{text}' is not a date (yyyy-MM-dd)");
    }

    /// <summary>A non-negative count, 0 when empty; never wrapped into a negative int.</summary>
    private static int Count(DelimitedReader reader, int column, string field) =>
        reader.OptionalInt(column, field) switch
        {
            null => 0,
            < 0 and int n => throw reader.Error(field, $"{n} is negative"),
            int n => n,
        };

    /// <summary>A runtime in minutes, null when empty; a negative one (or one past int) is an error, not a negative or wrapped runtime.</summary>
    private static int? Minutes(DelimitedReader reader, int column) =>
        reader.OptionalDouble(column, "runtime") switch
        {
            null => null,
            double rt and >= 0 and <= int.MaxValue => (int)rt,
            double rt => throw reader.Error("runtime", $"{rt.ToString(CultureInfo.InvariantCulture)} is not a runtime in minutes"),
        };

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
