using System.Text;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// MovieLens 100K (ml-100k): u.data (tab separated user, item, rating, timestamp; no header), u.item (pipe
/// separated, Latin-1: id | title | release date | video release date | IMDb URL | 19 genre flags), u.genre
/// (genre|index), u.user (user|age|gender|occupation|zip) and the predefined splits u1..u5, ua, ub
/// (<c>uN.base</c>/<c>uN.test</c>, same layout as u.data). Ratings are whole stars from 1 to 5.
/// </summary>
public static class MovieLens100KLoader
{
    public const string FormatName = "movielens-100k";

    /// <summary>The 19 genres in flag order, as the official u.genre lists them; used when u.genre is absent.</summary>
    public static readonly string[] DefaultGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    /// <summary>Split names in the order GroupLens documents them.</summary>
    public static readonly string[] SplitNames = ["u1", "u2", "u3", "u4", "u5", "ua", "ub"];

    public static bool Matches(DataSource source) => source.Has("u.data") && source.Has("u.item");

    public static Dataset Load(DataSource source, LoadOptions options)
    {
        var report = new LoadReport();
        var scale = options.Scale ?? RatingScale.WholeStars;
        var genreNames = source.Find("u.genre") is string g ? LoadGenres(source, g, options, report) : DefaultGenres;
        var catalog = new MovieCatalog();
        LoadItems(source, source.Find("u.item")!, genreNames, catalog, options, report);
        var userIds = IdMap.CreateNumeric();
        var itemIds = IdMap.CreateNumeric();
        var ratings = LoadRatingsFile(source, source.Find("u.data")!, userIds, itemIds, addIds: true, scale, options, report);
        var splits = new List<PredefinedSplit>();
        foreach (var name in SplitNames)
        {
            if (source.Find(name + ".base") is not string baseFile || source.Find(name + ".test") is not string testFile)
                continue;
            var train = LoadRatingsFile(source, baseFile, userIds, itemIds, addIds: false, scale, options, report);
            var test = LoadRatingsFile(source, testFile, userIds, itemIds, addIds: false, scale, options, report);
            splits.Add(new PredefinedSplit(name, train, test));
        }
        var profiles = source.Find("u.user") is string u ? LoadUsers(source, u, options, report) : [];
        return new Dataset
        {
            Name = DatasetLoader.GuessName(source),
            Format = FormatName,
            Location = source.Location,
            Ratings = ratings,
            Catalog = catalog,
            UserProfiles = profiles,
            PredefinedSplits = splits,
            Report = report,
        };
    }

    /// <summary>
    /// Reads a u.data-shaped file. With <paramref name="addIds"/> false (a split file) every id must already be
    /// in the full dataset's maps, so train and test share them without adding ids the full data lacks.
    /// </summary>
    private static RatingDataset LoadRatingsFile(DataSource source, string file, IdMap userIds, IdMap itemIds, bool addIds,
        RatingScale scale, LoadOptions options, LoadReport report)
    {
        var builder = new RatingDatasetBuilder(userIds, itemIds, LoaderSupport.EstimateRows(source, file, 20));
        using var reader = LoaderSupport.OpenReader(source, file, options, "\t", quotes: false);
        report.Files.Add(reader.File);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(4, "user id, item id, rating, timestamp (tab separated)");
                long user = reader.Long(0, "user id");
                long item = reader.Long(1, "item id");
                float rating = reader.Float(2, "rating");
                LoaderSupport.CheckRating(reader, rating, scale);
                long timestamp = reader.Long(3, "timestamp");
                if (addIds)
                {
                    builder.Add(user, item, rating, timestamp);
                    continue;
                }
                int u = userIds.ToDense(user), i = itemIds.ToDense(item);
                if (u < 0) throw reader.Error("user id", $"user {user} is not in u.data");
                if (i < 0) throw reader.Error("item id", $"item {item} is not in u.data");
                builder.Add(u, i, rating, timestamp);
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
        var dataset = LoaderSupport.BuildRatings(builder, scale, reader.File);
        if (addIds) report.DuplicatesMerged += builder.DuplicatesMerged;
        return dataset;
    }

    private static string[] LoadGenres(DataSource source, string file, LoadOptions options, LoadReport report)
    {
        var names = new SortedDictionary<int, string>();
        using var reader = LoaderSupport.OpenReader(source, file, options, "|", quotes: false, Encoding.Latin1);
        report.Files.Add(reader.File);
        while (reader.Read())
        {
            reader.ExpectFields(2, "genre|index");
            var name = reader.Text(0, "genre");
            int index = reader.Int(1, "index");
            if (index < 0 || !names.TryAdd(index, name))
                throw reader.Error("index", $"genre index {index} is negative or appears twice");
        }
        if (names.Count == 0)
            throw new DataFormatException(source.Display(file), 0, null, "lists no genres");
        if (names.Keys.Last() != names.Count - 1)
            throw new DataFormatException(source.Display(file), 0, "index", $"genre indices must run 0..{names.Count - 1} without gaps");
        return [.. names.Values];
    }

    private static void LoadItems(DataSource source, string file, string[] genreNames, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        int fields = 5 + genreNames.Length;
        var columns = $"movie id | title | release date | video release date | IMDb URL | {genreNames.Length} genre flags";
        using var reader = LoaderSupport.OpenReader(source, file, options, "|", quotes: false, Encoding.Latin1);
        report.Files.Add(reader.File);
        var genres = new List<string>(4);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(fields, columns);
                long id = reader.Long(0, "movie id");
                var title = reader.Text(1, "movie title");
                genres.Clear();
                for (int g = 0; g < genreNames.Length; g++)
                {
                    int flag = reader.Int(5 + g, genreNames[g]);
                    if (flag is not (0 or 1)) throw reader.Error(genreNames[g], $"genre flag is {flag}, not 0 or 1");
                    // "unknown" is the absence of a genre, as "(no genres listed)" is in the csv releases.
                    if (flag == 1 && g > 0) genres.Add(genreNames[g]);
                }
                var movie = new Movie(id, title, [.. genres]);
                if (movie.Year is null && ParseReleaseYear(reader.Text(2, "release date")) is int year)
                    movie.Year = year;
                if (!catalog.TryAdd(movie))
                    throw reader.Error("movie id", $"movie {id} appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }

    /// <summary>"01-Jan-1995" to 1995; null for an empty date.</summary>
    private static int? ParseReleaseYear(string date)
    {
        date = date.Trim();
        return date.Length >= 4 && int.TryParse(date.AsSpan(date.Length - 4), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int y) ? y : null;
    }

    private static List<UserProfile> LoadUsers(DataSource source, string file, LoadOptions options, LoadReport report)
    {
        var users = new List<UserProfile>(1024);
        using var reader = LoaderSupport.OpenReader(source, file, options, "|", quotes: false, Encoding.Latin1);
        report.Files.Add(reader.File);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(5, "user id | age | gender | occupation | zip code");
                long id = reader.Long(0, "user id");
                int age = reader.Int(1, "age");
                var gender = reader.Text(2, "gender").Trim();
                if (gender is not ("M" or "F")) throw reader.Error("gender", $"'{gender}' is not M or F");
                users.Add(new UserProfile(id, age, gender, reader.Text(3, "occupation").Trim(), reader.Text(4, "zip code").Trim()));
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
        return users;
    }
}
