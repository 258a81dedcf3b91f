using System.Text;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// MovieLens 1M and 10M: <c>::</c> separated .dat files without header. ratings.dat (UserID::MovieID::Rating::Timestamp),
/// movies.dat (MovieID::Title::Genres; Latin-1 in ml-1m, UTF-8 in ml-10m), ml-1m users.dat
/// (UserID::Gender::Age::Occupation::Zip-code) and ml-10m tags.dat (UserID::MovieID::Tag::Timestamp).
/// ml-1m (recognised by users.dat, which only it has) rates in whole stars 1-5; ml-10m in half stars 0.5-5.
/// </summary>
public static class MovieLensDatLoader
{
    private static readonly string[] RatingFields = ["UserID", "MovieID", "Rating", "Timestamp"];
    private static readonly string[] TagFields = ["UserID", "MovieID", "Tag", "Timestamp"];

    public const string FormatName1M = "movielens-1m";
    public const string FormatName10M = "movielens-10m";

    /// <summary>ml-1m users.dat occupation codes, as its README lists them.</summary>
    public static readonly string[] Occupations =
    [
        "other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
        "doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer",
        "retired", "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
        "unemployed", "writer",
    ];

    /// <summary>ml-1m age codes (the lower bound of each range; 1 means "under 18").</summary>
    private static readonly int[] AgeCodes = [1, 18, 25, 35, 45, 50, 56];

    public static bool Matches(DataSource source) => source.Has("ratings.dat") && source.Has("movies.dat");

    public static Dataset Load(DataSource source, LoadOptions options)
    {
        var report = new LoadReport();
        bool is1M = source.Has("users.dat");
        var scale = options.Scale ?? (is1M ? RatingScale.WholeStars : RatingScale.HalfStars);
        var catalog = new MovieCatalog();
        LoadMovies(source, source.Find("movies.dat")!, catalog, options, report);
        var ratings = LoadRatings(source, source.Find("ratings.dat")!, scale, options, report);
        var profiles = is1M ? LoadUsers(source, source.Find("users.dat")!, options, report) : [];
        IReadOnlyList<TagApplication> tags = [];
        if (options.IncludeTags && source.Find("tags.dat") is string tagFile)
            tags = LoadTags(source, tagFile, catalog, options, report);
        return new Dataset
        {
            Name = DatasetLoader.GuessName(source),
            Format = is1M ? FormatName1M : FormatName10M,
            Location = source.Location,
            Ratings = ratings,
            Catalog = catalog,
            Tags = tags,
            UserProfiles = profiles,
            Report = report,
        };
    }

    /// <summary>
    /// UTF-8 when every byte of the file is valid UTF-8 (ml-10m), else Latin-1 (ml-1m). Latin-1 text is almost
    /// never valid UTF-8, so the check decides per file without trusting the release's name.
    /// </summary>
    public static Encoding DetectEncoding(DataSource source, string file)
    {
        using var stream = source.OpenFile(file);
        var buffer = new byte[1 << 16];
        var carry = 0;
        while (true)
        {
            int read;
            try
            {
                read = stream.ReadAtLeast(buffer.AsSpan(carry), buffer.Length - carry, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                // A damaged zip entry fails here, before the reader that would name the line ever opens it.
                throw new DataFormatException(source.Display(file), 0, null, $"cannot be read (truncated or corrupt archive): {e.Message}", e);
            }
            int length = carry + read;
            if (length == 0) return DelimitedReader.StrictUtf8;
            // Keep an incomplete trailing sequence (at most 3 bytes) for the next round.
            var span = buffer.AsSpan(0, length);
            int cut = read == 0 ? length : LastCompleteBoundary(span);
            if (!System.Text.Unicode.Utf8.IsValid(span[..cut])) return Encoding.Latin1;
            if (read == 0) return DelimitedReader.StrictUtf8;
            carry = length - cut;
            span[cut..].CopyTo(buffer);
        }
    }

    private static int LastCompleteBoundary(ReadOnlySpan<byte> span)
    {
        // Step back over continuation bytes to the last lead byte; cut before it if its sequence may be incomplete.
        int i = span.Length - 1, back = 0;
        while (i >= 0 && back < 3 && (span[i] & 0xC0) == 0x80) { i--; back++; }
        return i < 0 || span[i] < 0x80 ? span.Length : i;
    }

    public static RatingDataset LoadRatings(DataSource source, string file, RatingScale scale, LoadOptions options, LoadReport report)
    {
        var builder = new RatingDatasetBuilder(IdMap.CreateNumeric(), IdMap.CreateNumeric(), LoaderSupport.EstimateRows(source, file, 24));
        using var reader = LoaderSupport.OpenReader(source, file, options, "::", quotes: false);
        report.Files.Add(reader.File);
        LoaderSupport.ReadRatingRows(reader, RatingFields, builder, scale, options, report);
        var dataset = LoaderSupport.BuildRatings(builder, scale, reader.File);
        report.DuplicatesMerged += builder.DuplicatesMerged;
        return dataset;
    }

    public static void LoadMovies(DataSource source, string file, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        var encoding = DetectEncoding(source, file);
        using var reader = LoaderSupport.OpenReader(source, file, options, "::", quotes: false, encoding);
        report.Files.Add(reader.File);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(3, "MovieID::Title::Genres");
                long id = reader.Long(0, "MovieID");
                var movie = new Movie(id, reader.Text(1, "Title"), MovieLensCsvLoader.SplitGenres(reader.Text(2, "Genres")));
                if (!catalog.TryAdd(movie))
                    throw reader.Error("MovieID", $"movie {id} appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }

    public static List<UserProfile> LoadUsers(DataSource source, string file, LoadOptions options, LoadReport report)
    {
        var users = new List<UserProfile>(8192);
        using var reader = LoaderSupport.OpenReader(source, file, options, "::", quotes: false, Encoding.Latin1);
        report.Files.Add(reader.File);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(5, "UserID::Gender::Age::Occupation::Zip-code");
                long id = reader.Long(0, "UserID");
                var gender = reader.Text(1, "Gender").Trim();
                if (gender is not ("M" or "F")) throw reader.Error("Gender", $"'{gender}' is not M or F");
                int age = reader.Int(2, "Age");
                if (Array.IndexOf(AgeCodes, age) < 0)
                    throw reader.Error("Age", $"{age} is not one of the age codes {string.Join(", ", AgeCodes)}");
                int occupation = reader.Int(3, "Occupation");
                if ((uint)occupation >= (uint)Occupations.Length)
                    throw reader.Error("Occupation", $"{occupation} is not an occupation code 0-{Occupations.Length - 1}");
                users.Add(new UserProfile(id, age, gender, Occupations[occupation], reader.Text(4, "Zip-code").Trim()));
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
        return users;
    }

    public static List<TagApplication> LoadTags(DataSource source, string file, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        var tags = new List<TagApplication>(LoaderSupport.EstimateRows(source, file, 32));
        using var reader = LoaderSupport.OpenReader(source, file, options, "::", quotes: false);
        report.Files.Add(reader.File);
        LoaderSupport.ReadTagRows(reader, TagFields, catalog, tags, options, report);
        return tags;
    }
}
