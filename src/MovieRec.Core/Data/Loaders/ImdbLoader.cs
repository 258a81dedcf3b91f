using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// IMDb non-commercial datasets: title.basics.tsv.gz (tconst, titleType, primaryTitle, originalTitle, isAdult,
/// startYear, endYear, runtimeMinutes, genres) and title.ratings.tsv.gz (tconst, averageRating, numVotes). Tab
/// separated with a header, UTF-8, <c>\N</c> for null and no quoting (a quote is a literal character).
/// The files are large (about 11 million titles), so they are streamed: a row is decoded only when it is wanted,
/// and title types are compared as raw bytes.
/// </summary>
public static class ImdbLoader
{
    public const string FormatName = "imdb";
    public const string BasicsFile = "title.basics.tsv.gz";
    public const string RatingsFile = "title.ratings.tsv.gz";

    private static readonly string[] BasicsColumns =
        ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear", "runtimeMinutes", "genres"];

    private static readonly string[] RatingsColumns = ["tconst", "averageRating", "numVotes"];

    public static bool Matches(DataSource source) => FindBasics(source) is not null;

    /// <summary>title.basics.tsv.gz, or an already decompressed title.basics.tsv.</summary>
    public static string? FindBasics(DataSource source) => source.Find(BasicsFile) ?? source.Find("title.basics.tsv");

    public static string? FindRatings(DataSource source) => source.Find(RatingsFile) ?? source.Find("title.ratings.tsv");

    /// <summary>
    /// Reads IMDb metadata keyed by numeric IMDb id. <paramref name="wanted"/> limits it to some ids (a join);
    /// <paramref name="moviesOnly"/> keeps titleType "movie" only (a catalog of its own).
    /// </summary>
    public static Dictionary<int, ImdbMetadata> LoadMetadata(DataSource source, Func<int, bool>? wanted, bool moviesOnly, LoadOptions options, LoadReport report)
    {
        var basics = FindBasics(source) ?? throw new DataFormatException(source.Location, 0, null, $"has no {BasicsFile}");
        var result = new Dictionary<int, ImdbMetadata>();
        using (var reader = LoaderSupport.OpenReader(source, basics, options, "\t", quotes: false))
        {
            report.Files.Add(reader.File);
            LoaderSupport.ExpectHeader(reader, BasicsColumns);
            var columns = string.Join(", ", BasicsColumns);
            while (reader.Read())
            {
                try
                {
                    reader.ExpectFields(BasicsColumns.Length, columns);
                    if (moviesOnly && !reader.FieldIs(1, "movie")) continue;
                    int id = Tconst(reader);
                    if (wanted is not null && !wanted(id)) continue;
                    var meta = new ImdbMetadata
                    {
                        Tconst = reader.Text(0, "tconst"),
                        ImdbId = id,
                        TitleType = reader.Text(1, "titleType"),
                        PrimaryTitle = reader.Text(2, "primaryTitle"),
                        OriginalTitle = NullableText(reader, 3, "originalTitle"),
                        IsAdult = Flag(reader, 4, "isAdult"),
                        StartYear = NullableInt(reader, 5, "startYear"),
                        EndYear = NullableInt(reader, 6, "endYear"),
                        RuntimeMinutes = NullableInt(reader, 7, "runtimeMinutes"),
                        Genres = NullableText(reader, 8, "genres") is string g ? g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
                    };
                    if (!result.TryAdd(id, meta))
                        throw reader.Error("tconst", $"{meta.Tconst} appears twice");
                }
                catch (DataFormatException e)
                {
                    LoaderSupport.SkipOrThrow(e, options, report);
                }
            }
        }
        if (FindRatings(source) is string ratings && result.Count > 0)
            LoadRatings(source, ratings, result, options, report);
        return result;
    }

    private static void LoadRatings(DataSource source, string file, Dictionary<int, ImdbMetadata> titles, LoadOptions options, LoadReport report)
    {
        using var reader = LoaderSupport.OpenReader(source, file, options, "\t", quotes: false);
        report.Files.Add(reader.File);
        LoaderSupport.ExpectHeader(reader, RatingsColumns);
        var columns = string.Join(", ", RatingsColumns);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(RatingsColumns.Length, columns);
                if (!titles.TryGetValue(Tconst(reader), out var meta)) continue;
                double average = reader.OptionalDouble(1, "averageRating") ?? throw reader.Error("averageRating", "is empty");
                if (average is < 1 or > 10) throw reader.Error("averageRating", $"{average} is outside IMDb's 1-10 scale");
                long votes = reader.Long(2, "numVotes");
                if (votes is < 0 or > int.MaxValue) throw reader.Error("numVotes", $"{votes} is not a vote count");
                meta.AverageRating = average;
                meta.NumVotes = (int)votes;
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }

    /// <summary>
    /// Adds IMDb metadata to the catalog's movies through their <see cref="Movie.ImdbId"/> (links.csv's imdbId);
    /// returns how many movies were matched. Any title type joins: MovieLens lists some TV movies and shorts.
    /// </summary>
    public static int Join(MovieCatalog catalog, DataSource imdb, LoadOptions options, LoadReport report)
    {
        var byImdb = new Dictionary<int, List<Movie>>();
        foreach (var movie in catalog.Movies)
        {
            if (movie.ImdbId is not int id) continue;
            if (!byImdb.TryGetValue(id, out var list)) byImdb[id] = list = new List<Movie>(1);
            list.Add(movie);
        }
        if (byImdb.Count == 0) return 0;
        var metadata = LoadMetadata(imdb, byImdb.ContainsKey, moviesOnly: false, options, report);
        int joined = 0;
        foreach (var (id, meta) in metadata)
        {
            foreach (var movie in byImdb[id])
            {
                movie.Imdb = meta;
                // IMDb fills what the dataset left out: genres for "(no genres listed)", a year for a title without one.
                if (movie.Genres.Count == 0 && meta.Genres.Count > 0) movie.Genres = meta.Genres;
                movie.Year ??= meta.StartYear;
                joined++;
            }
        }
        return joined;
    }

    /// <summary>A catalog of IMDb's feature films (titleType "movie") with no ratings, keyed by the numeric IMDb id.</summary>
    public static Dataset LoadCatalogOnly(DataSource source, LoadOptions options)
    {
        var report = new LoadReport();
        var metadata = LoadMetadata(source, wanted: null, moviesOnly: true, options, report);
        var catalog = new MovieCatalog();
        foreach (var meta in metadata.Values.OrderBy(m => m.ImdbId))
        {
            var raw = meta.StartYear is int y ? $"{meta.PrimaryTitle} ({y})" : meta.PrimaryTitle;
            var movie = new Movie(meta.ImdbId, raw, meta.Genres) { ImdbId = meta.ImdbId, Imdb = meta, Year = meta.StartYear };
            // IMDb titles are already in reading order ("The Matrix"): keep them as they are.
            movie.Title = meta.PrimaryTitle;
            catalog.TryAdd(movie);
        }
        var empty = new RatingDatasetBuilder().Build(RatingScale.HalfStars);
        return new Dataset
        {
            Name = DatasetLoader.GuessName(source),
            Format = FormatName,
            Location = source.Location,
            Ratings = empty,
            Catalog = catalog,
            Report = report,
        };
    }

    /// <summary>"tt0133093" to 133093 without allocating.</summary>
    private static int Tconst(DelimitedReader reader)
    {
        if (reader.TryPrefixedInt(0, "tt", out int id) && id > 0)
            return id;
        throw reader.Error("tconst", $"'{reader.Text(0, "tconst")}' is not an IMDb id like tt0133093");
    }

    private static bool IsNull(DelimitedReader reader, int index) => reader.FieldIs(index, "\\N");

    private static string? NullableText(DelimitedReader reader, int index, string field) =>
        IsNull(reader, index) ? null : reader.Text(index, field);

    private static int? NullableInt(DelimitedReader reader, int index, string field) =>
        IsNull(reader, index) ? null : reader.Int(index, field);

    private static bool Flag(DelimitedReader reader, int index, string field) => reader.Int(index, field) switch
    {
        0 => false,
        1 => true,
        int other => throw reader.Error(field, $"{other} is not 0 or 1"),
    };
}
