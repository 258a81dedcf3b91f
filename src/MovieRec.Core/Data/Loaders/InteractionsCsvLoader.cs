using System.Globalization;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// Any user-item interactions file (music plays, shop purchases or ratings) read through an
/// <see cref="InteractionsCsvMapping"/>. Ids that are all integers keep the fast numeric id maps; otherwise they
/// are strings. Without a rating column every interaction counts as 1 (implicit feedback). The rating scale is
/// detected from the values unless declared (and <see cref="LoadReport.ScaleDetected"/> says so); undeclared, a rating
/// beyond <see cref="UndeclaredLimit"/> in magnitude is an error naming its file and line, not the top of a scale
/// stretched to fit it. An optional item file gives titles and categories.
/// </summary>
public static class InteractionsCsvLoader
{
    public const string FormatName = "interactions-csv";

    /// <summary>
    /// The largest rating magnitude accepted without a declared scale: ratings (1-5, 1-10, 0-100) and counts (plays,
    /// purchases) fit; 1e9 or 3.4e38 is a broken export or a column mix-up (an id or a timestamp read as the rating),
    /// which would otherwise become the top of the detected scale and squash every real rating towards its bottom.
    /// A scale declared with <c>scale=</c> allows any finite range.
    /// </summary>
    public const float UndeclaredLimit = 1_000_000f;

    private static readonly string[] DataExtensions = [".csv", ".tsv", ".tab", ".txt", ".csv.gz", ".tsv.gz"];

    /// <summary>A folder is this format when it ships a <c>movierec.columns</c> mapping file.</summary>
    public static bool Matches(DataSource source) => source.Has(InteractionsCsvMapping.MappingFileName);

    /// <summary>Loads a folder or zip whose <c>movierec.columns</c> file gives the mapping.</summary>
    public static Dataset Load(DataSource source, LoadOptions options)
    {
        var file = source.Find(InteractionsCsvMapping.MappingFileName)!;
        string text;
        try
        {
            using var reader = new StreamReader(source.OpenFile(file));
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(source.Display(file), 0, null, $"cannot be read (truncated or corrupt archive): {e.Message}", e);
        }
        InteractionsCsvMapping mapping;
        try
        {
            mapping = InteractionsCsvMapping.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(source.Display(file), 0, null, e.Message.Split(" (Parameter", 2)[0], e);
        }
        return Load(source, mapping, options);
    }

    /// <summary>Loads a single interactions file, or a folder/zip holding it, with the given mapping.</summary>
    public static Dataset Load(string path, InteractionsCsvMapping mapping, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (System.IO.File.Exists(path) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var full = Path.GetFullPath(path);
            using var folder = DataSource.Open(Path.GetDirectoryName(full)!);
            return Load(folder, mapping with { File = Path.GetFileName(full) }, options, StripExtension(Path.GetFileName(full)));
        }
        using var source = DataSource.Open(path);
        return Load(source, mapping, options);
    }

    public static Dataset Load(DataSource source, InteractionsCsvMapping mapping, LoadOptions options) =>
        Load(source, mapping, options, DatasetLoader.GuessName(source));

    private static Dataset Load(DataSource source, InteractionsCsvMapping mapping, LoadOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var report = new LoadReport();
        var file = FindInteractionsFile(source, mapping);
        var (userNumeric, itemNumeric) = DetectIdKinds(source, file, mapping, options);
        var userIds = userNumeric ? IdMap.CreateNumeric() : IdMap.CreateString();
        var itemIds = itemNumeric ? IdMap.CreateNumeric() : IdMap.CreateString();
        var declared = options.Scale ?? mapping.Scale ?? (mapping.Rating is null ? RatingScale.Implicit : null);
        var builder = new RatingDatasetBuilder(userIds, itemIds, LoaderSupport.EstimateRows(source, file, 24));

        using (var reader = Open(source, file, mapping, options))
        {
            report.Files.Add(reader.File);
            var columns = ResolveColumns(reader, mapping);
            while (reader.Read())
            {
                try
                {
                    columns.Expect(reader);
                    float value = 1f;
                    if (columns.Rating >= 0)
                    {
                        value = reader.Float(columns.Rating, mapping.Rating!);
                        if (declared is RatingScale scale) LoaderSupport.CheckRating(reader, value, scale, mapping.Rating!);
                        else if (!(Math.Abs(value) <= UndeclaredLimit)) throw reader.Error(mapping.Rating!, Implausible(value));
                    }
                    long timestamp = columns.Timestamp >= 0 ? Timestamp(reader, columns.Timestamp, mapping.Timestamp!) : 0;
                    int user = userNumeric ? userIds.GetOrAdd(reader.Long(columns.User, mapping.User)) : userIds.GetOrAdd(Id(reader, columns.User, mapping.User));
                    int item = itemNumeric ? itemIds.GetOrAdd(reader.Long(columns.Item, mapping.Item)) : itemIds.GetOrAdd(Id(reader, columns.Item, mapping.Item));
                    builder.Add(user, item, value, timestamp);
                }
                catch (DataFormatException e)
                {
                    LoaderSupport.SkipOrThrow(e, options, report);
                }
            }
        }
        var ratings = LoaderSupport.BuildRatings(builder, declared, source.Display(file));
        report.DuplicatesMerged += builder.DuplicatesMerged;
        report.ScaleDetected = declared is null;
        var catalog = new MovieCatalog();
        if (mapping.ItemsFile is not null)
            LoadItems(source, mapping, itemIds, catalog, options, report);
        NameUnlistedItems(itemIds, catalog);
        return new Dataset
        {
            Name = name,
            Format = FormatName,
            Location = source.Location,
            Ratings = ratings,
            Catalog = catalog,
            Report = report,
        };
    }

    private static string Implausible(float value) => string.Create(CultureInfo.InvariantCulture,
        $"{value} is not a plausible rating without a declared scale (undeclared, ratings may be at most {UndeclaredLimit:N0} in magnitude); if such values are real, declare the scale in the column mapping, e.g. scale=0-1e9:0 (min-max[:step], step 0 for a continuous scale)");

    private static string StripExtension(string name)
    {
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return Path.GetFileNameWithoutExtension(name);
    }

    private static string FindInteractionsFile(DataSource source, InteractionsCsvMapping mapping)
    {
        if (mapping.File is string named)
        {
            return source.Find(Path.GetFileName(named))
                ?? throw new DataFormatException(source.Location, 0, null, $"has no file '{named}' (named by the column mapping's file=)");
        }
        var candidates = source.Files.Where(f =>
            DataExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            && (mapping.ItemsFile is null || !string.Equals(Path.GetFileName(f), Path.GetFileName(mapping.ItemsFile), StringComparison.OrdinalIgnoreCase))).ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new DataFormatException(source.Location, 0, null, candidates.Count == 0
                ? "has no .csv/.tsv interactions file"
                : $"holds several data files ({string.Join(", ", candidates)}); name the interactions file with file=<name> in the column mapping");
    }

    private static DelimitedReader Open(DataSource source, string file, InteractionsCsvMapping mapping, LoadOptions options)
    {
        var name = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
        bool tabbed = name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tab", StringComparison.OrdinalIgnoreCase);
        var delimiter = mapping.Delimiter ?? (tabbed ? "\t" : ",");
        // Tab separated files rarely quote; a quote there is a literal character.
        return LoaderSupport.OpenReader(source, file, options, delimiter, quotes: delimiter != "\t");
    }

    private sealed record Columns(int User, int Item, int Rating, int Timestamp, int FieldCount, bool Exact, string Names)
    {
        public void Expect(DelimitedReader reader) => reader.ExpectFields(FieldCount, Names, orMore: !Exact);
    }

    private static Columns ResolveColumns(DelimitedReader reader, InteractionsCsvMapping mapping)
    {
        Dictionary<string, int>? header = mapping.Header ? LoaderSupport.ReadHeader(reader, reader.File) : null;
        int user = Column(reader.File, header, mapping.User, "user");
        int item = Column(reader.File, header, mapping.Item, "item");
        int rating = mapping.Rating is null ? -1 : Column(reader.File, header, mapping.Rating, "rating");
        int timestamp = mapping.Timestamp is null ? -1 : Column(reader.File, header, mapping.Timestamp, "timestamp");
        int needed = Math.Max(Math.Max(user, item), Math.Max(rating, timestamp)) + 1;
        return header is not null
            ? new Columns(user, item, rating, timestamp, header.Count, true, LoaderSupport.ColumnList(header.Keys, ","))
            : new Columns(user, item, rating, timestamp, needed, false, $"at least {needed} columns");
    }

    /// <summary>A column by header name, else by its number counting from 1.</summary>
    private static int Column(string file, Dictionary<string, int>? header, string column, string role)
    {
        if (header is not null && header.TryGetValue(column, out int index)) return index;
        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1
            && (header is null || number <= header.Count))
            return number - 1;
        throw new DataFormatException(file, 1, column, header is null
            ? $"the {role} column must be a number counting from 1 when the file has no header (header=no)"
            : $"the header has no '{column}' column for the {role} (it has: {LoaderSupport.ColumnList(header.Keys)})");
    }

    /// <summary>A first pass over the ids only: integer ids keep the compact numeric maps.</summary>
    private static (bool UserNumeric, bool ItemNumeric) DetectIdKinds(DataSource source, string file, InteractionsCsvMapping mapping, LoadOptions options)
    {
        bool users = true, items = true;
        using var reader = Open(source, file, mapping, options);
        var columns = ResolveColumns(reader, mapping);
        while ((users || items) && reader.Read())
        {
            if (users && reader.FieldCount > columns.User && !reader.TryLong(columns.User, out _)) users = false;
            if (items && reader.FieldCount > columns.Item && !reader.TryLong(columns.Item, out _)) items = false;
        }
        return (users, items);
    }

    private static string Id(DelimitedReader reader, int index, string field)
    {
        var id = reader.Text(index, field).Trim();
        return id.Length > 0 ? id : throw reader.Error(field, "is empty");
    }

    /// <summary>Unix seconds, or an ISO 8601 date/time (taken as UTC when it carries no offset).</summary>
    private static long Timestamp(DelimitedReader reader, int index, string field)
    {
        if (reader.TryLong(index, out long seconds))
            return seconds;
        var text = reader.Text(index, field).Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            return when.ToUnixTimeSeconds();
        throw reader.Error(field, $"'{text}' is neither Unix seconds nor an ISO 8601 date");
    }

    /// <summary>
    /// Every interacted item gets a catalog entry, titled by its id when no item file names it, so that every surface
    /// (recommendation tables, `similar "song-42"`, clusters) can show and find it.
    /// </summary>
    private static void NameUnlistedItems(IdMap itemIds, MovieCatalog catalog)
    {
        for (int item = 0; item < itemIds.Count; item++)
        {
            long key = itemIds.IsNumeric ? itemIds.ToRawNumeric(item) : item;
            if (catalog[key] is null)
            {
                var raw = itemIds.ToRaw(item);
                // The id is the title as it stands: no "(year)" or ", The" parsing of an id.
                catalog.TryAdd(new Movie(key, raw, []) { Title = raw, Year = null, RawId = itemIds.IsNumeric ? null : raw });
            }
        }
    }

    private static void LoadItems(DataSource source, InteractionsCsvMapping mapping, IdMap itemIds, MovieCatalog catalog, LoadOptions options, LoadReport report)
    {
        var file = source.Find(Path.GetFileName(mapping.ItemsFile!))
            ?? throw new DataFormatException(source.Location, 0, null, $"has no item file '{mapping.ItemsFile}' (named by the column mapping's items=)");
        using var reader = Open(source, file, mapping, options);
        report.Files.Add(reader.File);
        Dictionary<string, int>? header = mapping.Header ? LoaderSupport.ReadHeader(reader, reader.File) : null;
        var idName = mapping.ItemsId ?? mapping.Item;
        int id = Column(reader.File, header, idName, "item id");
        int title = mapping.ItemsTitle is null ? -1 : Column(reader.File, header, mapping.ItemsTitle, "title");
        int category = mapping.ItemsCategory is null ? -1 : Column(reader.File, header, mapping.ItemsCategory, "category");
        int needed = Math.Max(id, Math.Max(title, category)) + 1;
        var names = header is null ? "" : LoaderSupport.ColumnList(header.Keys, ",");
        while (reader.Read())
        {
            try
            {
                if (header is not null) reader.ExpectFields(header.Count, names);
                else reader.ExpectFields(needed, $"at least {needed} columns", orMore: true);
                var rawId = Id(reader, id, idName);
                // Numeric ids key the catalog by raw id, as MovieLens does; string ids by dense item id
                // (see Dataset.MovieOf), so items nobody interacted with have no entry.
                long key;
                if (itemIds.IsNumeric)
                {
                    key = reader.Long(id, idName);
                }
                else
                {
                    key = itemIds.ToDense(rawId);
                    if (key < 0) continue;
                }
                var name = title >= 0 ? reader.Text(title, mapping.ItemsTitle!).Trim() : rawId;
                string[] categories = category >= 0
                    ? reader.Text(category, mapping.ItemsCategory!).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [];
                var movie = new Movie(key, name.Length > 0 ? name : rawId, categories) { RawId = itemIds.IsNumeric ? null : rawId };
                if (!catalog.TryAdd(movie))
                    throw reader.Error(idName, $"item '{rawId}' appears twice");
            }
            catch (DataFormatException e)
            {
                LoaderSupport.SkipOrThrow(e, options, report);
            }
        }
    }
}
