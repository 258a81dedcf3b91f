using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// MovieLens csv releases (ml-latest-small, ml-latest, ml-20m, ml-25m, ml-32m): ratings.csv, movies.csv,
/// tags.csv and links.csv, UTF-8, quoted titles, LF or CRLF. Ratings are half stars from 0.5 to 5.
/// </summary>
public static class MovieLensCsvLoader
{
    public const string FormatName = "movielens-csv";

    private static readonly string[] RatingFields = ["userId", "movieId", "rating", "timestamp"];
    private static readonly string[] TagFields = ["userId", "movieId", "tag", "timestamp"];

    public static bool Matches(DataSource source) => source.Has("ratings.csv") && source.Has("movies.csv");

    public static Dataset Load(DataSource source, LoadOptions options)
    {
        var report = new LoadReport();
        var catalog = new MovieCatalog();
        LoadMovies(source, source.Find("movies.csv")!, catalog, options, report);
        if (source.Find("links.csv") is string links)
            LoadLinks(source, links, catalog, options, report);
        var ratings = LoadRatings(source, source.Find("ratings.csv")!, options, report);
        IReadOnlyList<TagApplication> tags = [];
        if (options.IncludeTags && source.Find("tags.csv") is string tagFile)
            tags = LoadTags(source, tagFile, catalog, options, report);
        return new Dataset
        {
            Name = DatasetLoader.GuessName(source),
            Format = FormatName,
            Location = source.Location,
            Ratings = ratings,
            Catalog = catalog,
            Tags = tags,
            Report = report,
        };
    }

    public static RatingDataset LoadRatings(DataSource source, string file, LoadOptions options, LoadReport report)
    {
        var scale = options.Scale ?? RatingScale.HalfStars;
        int capacity = LoaderSupport.EstimateRows(source, file, 24);
        var builder = new RatingDatasetBuilder(IdMap.CreateNumeric(), IdMap.CreateNumeric(), capacity);
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        LoaderSupport.ExpectHeader(reader, RatingFields);
        LoaderSupport.ReadRatingRows(reader, RatingFields, builder, scale, options, report);
        var dataset = LoaderSupport.BuildRatings(builder, scale, reader.File);
        report.DuplicatesMerged += builder.DuplicatesMerged;
        return dataset;
    }

    public static void LoadMovies(DataSource source, string file, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        LoaderSupport.ExpectHeader(reader, "movieId", "title", "genres");
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(3, "movieId,title,genres");
                long id = reader.Long(0, "movieId");
                var title = reader.Text(1, "title");
                var movie = new Movie(id, title, SplitGenres(reader.Text(2, "genres")));
                if (!catalog.TryAdd(movie))
                    throw reader.Error("movieId", $"movie {id} appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }

    /// <summary>"Adventure|Animation" to its genres; "(no genres listed)" to none.</summary>
    public static string[] SplitGenres(string genres)
    {
        if (string.IsNullOrWhiteSpace(genres) || genres == "(no genres listed)") return [];
        return genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static void LoadLinks(DataSource source, string file, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        LoaderSupport.ExpectHeader(reader, "movieId", "imdbId", "tmdbId");
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(3, "movieId,imdbId,tmdbId");
                long id = reader.Long(0, "movieId");
                int? imdb = reader.OptionalInt(1, "imdbId");
                int? tmdb = reader.OptionalInt(2, "tmdbId");
                if (catalog[id] is { } movie)
                {
                    movie.ImdbId = imdb;
                    movie.TmdbId = tmdb;
                }
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }

    public static List<TagApplication> LoadTags(DataSource source, string file, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        var tags = new List<TagApplication>(LoaderSupport.EstimateRows(source, file, 32));
        using var reader = LoaderSupport.OpenReader(source, file, options);
        report.Files.Add(reader.File);
        LoaderSupport.ExpectHeader(reader, TagFields);
        LoaderSupport.ReadTagRows(reader, TagFields, catalog, tags, options, report);
        return tags;
    }
}
