using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Core.Data;

/// <summary>A dataset format: how to recognise it from the files present and how to load it.</summary>
/// <param name="Name">The format's name, as `data info` shows it.</param>
/// <param name="Files">The files it reads, for messages.</param>
/// <param name="Matches">Whether a source holds this format.</param>
/// <param name="Load">Reads it.</param>
/// <param name="Required">The files it cannot do without (each a list of alternative names), to say which one is missing.</param>
/// <param name="Companions">Files only this format has: when they are present but a required file is not, the message names the missing one.</param>
public sealed record DatasetFormat(string Name, string Files, Func<DataSource, bool> Matches, Func<DataSource, LoadOptions, Dataset> Load,
    IReadOnlyList<string[]> Required, IReadOnlyList<string> Companions);

/// <summary>
/// Loads any supported dataset from a folder or zip, detecting the format from the files present,
/// and joins TMDB metadata found beside it.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Formats in detection order: the first whose files are present wins.</summary>
    public static IReadOnlyList<DatasetFormat> Formats { get; } =
    [
        new(MovieLensCsvLoader.FormatName, "ratings.csv + movies.csv", MovieLensCsvLoader.Matches, MovieLensCsvLoader.Load,
            [["ratings.csv"], ["movies.csv"]], ["links.csv", "tags.csv", "genome-scores.csv", "genome-tags.csv"]),
        new(MovieLens100KLoader.FormatName, "u.data + u.item (+ u.user, u.genre, u1..u5/ua/ub .base/.test)", MovieLens100KLoader.Matches, MovieLens100KLoader.Load,
            [["u.data"], ["u.item"]], ["u.user", "u.genre", "u.info", "u.occupation", "u1.base", "u1.test", "ua.base", "ub.base"]),
        new("movielens-1m/10m", "ratings.dat + movies.dat (+ users.dat in ml-1m, tags.dat in ml-10m)", MovieLensDatLoader.Matches, MovieLensDatLoader.Load,
            [["ratings.dat"], ["movies.dat"]], ["users.dat", "tags.dat"]),
        new(InteractionsCsvLoader.FormatName, "movierec.columns (a column mapping) + the interactions .csv/.tsv", InteractionsCsvLoader.Matches, InteractionsCsvLoader.Load,
            [[InteractionsCsvMapping.MappingFileName]], []),
        new(ImdbLoader.FormatName, "title.basics.tsv.gz (+ title.ratings.tsv.gz): IMDb movies, catalog only", ImdbLoader.Matches, ImdbLoader.LoadCatalogOnly,
            [[ImdbLoader.BasicsFile, "title.basics.tsv"]], [ImdbLoader.RatingsFile, "title.ratings.tsv"]),
        new(TmdbLoader.FormatName, "tmdb_5000_movies.csv (+ tmdb_5000_credits.csv)", TmdbLoader.Matches, TmdbLoader.LoadCatalogOnly,
            [[TmdbLoader.MoviesFile]], [TmdbLoader.CreditsFile]),
    ];

    /// <summary>
    /// Loads the dataset at <paramref name="path"/>: a folder, a .zip, or a single interactions file with a
    /// <c>movierec.columns</c> mapping beside it (what the CLI's --data and the service's MovieRec:Dataset both accept).
    /// </summary>
    public static Dataset Load(string path, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        if (File.Exists(path) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return LoadSingleFile(path, options);
        using var source = DataSource.Open(path);
        var format = Detect(source);
        var dataset = format.Load(source, options);
        dataset.Ratings.Catalog ??= dataset.Catalog;
        // Joins go through links.csv's ids: a catalog without them (generic interactions) has nothing to join.
        if (options.IncludeTmdb && format.Name != TmdbLoader.FormatName && dataset.Catalog.Movies.Any(m => m.TmdbId is not null))
            JoinTmdb(dataset, path, options);
        if (format.Name != ImdbLoader.FormatName && dataset.Catalog.Movies.Any(m => m.ImdbId is not null))
            JoinImdb(dataset, source, path, options);
        return dataset;
    }

    /// <summary>An interactions file read through the movierec.columns beside it; the folder's other files are not a dataset.</summary>
    private static Dataset LoadSingleFile(string path, LoadOptions options)
    {
        var mappingFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, InteractionsCsvMapping.MappingFileName);
        if (!File.Exists(mappingFile))
        {
            throw new DataFormatException(path, 0, null, $"is a single file with no {InteractionsCsvMapping.MappingFileName} beside it: give the "
                + $"dataset folder or its .zip, or put a {InteractionsCsvMapping.MappingFileName} file (user=<column>, item=<column>[, "
                + "rating=<column>]) beside the file to read it as interactions.");
        }
        InteractionsCsvMapping mapping;
        try
        {
            mapping = InteractionsCsvMapping.Parse(File.ReadAllText(mappingFile));
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(mappingFile, 0, null, e.Message.Split(" (Parameter", 2)[0], e);
        }
        var dataset = InteractionsCsvLoader.Load(path, mapping, options);
        dataset.Ratings.Catalog ??= dataset.Catalog;
        return dataset;
    }

    public static DatasetFormat Detect(DataSource source)
    {
        foreach (var format in Formats)
        {
            if (format.Matches(source)) return format;
        }
        if (MissingFiles(source) is string missing)
            throw new DataFormatException(source.Location, 0, null, missing);
        var expected = string.Join("; ", Formats.Select(f => $"{f.Name}: {f.Files}"));
        throw new DataFormatException(source.Location, 0, null, $"holds no dataset format MovieRec knows. Expected one of: {expected}");
    }

    /// <summary>
    /// When some files of a format are present (a required one, or one only that format has) but a required one is
    /// not: "ratings.dat is missing (...)"; null when no format is half there.
    /// </summary>
    private static string? MissingFiles(DataSource source)
    {
        foreach (var format in Formats)
        {
            var present = format.Required.SelectMany(names => names).Concat(format.Companions)
                .Select(source.Find).OfType<string>().Select(Path.GetFileName).ToList();
            if (present.Count == 0) continue;
            var absent = format.Required.Where(names => !names.Any(source.Has)).ToList();
            var missing = absent.Select(names => string.Join(" or ", names)).ToList();
            if (missing.Count == 0) continue;
            var verb = missing.Count == 1 ? "is" : "are";
            var hints = string.Concat(absent.Select(names => Hint(source, names)));
            return $"{string.Join(" and ", missing)} {verb} missing{hints}: the folder has {string.Join(", ", present)} of the {format.Name} format, "
                + $"which reads {format.Files}";
        }
        return null;
    }

    /// <summary>
    /// Why a required file may look absent: it was compressed (ratings.csv.gz; only IMDb's and interactions files are
    /// read compressed), or a folder has its name. Empty when neither.
    /// </summary>
    private static string Hint(DataSource source, string[] names)
    {
        foreach (var name in names)
        {
            foreach (var packed in new[] { ".gz", ".zip", ".bz2", ".xz", ".zst" })
            {
                if (source.Find(name + packed) is string found)
                    return $" ({Path.GetFileName(found)} is there: this format reads {name} uncompressed; decompress it)";
            }
            if (Directory.Exists(Path.Combine(source.Location, name)))
                return $" ({name} is a folder, not a file)";
        }
        return "";
    }

    /// <summary>
    /// Whether loading <paramref name="path"/> with TMDB on would find TMDB 5000 files to join (<see
    /// cref="LoadOptions.TmdbPath"/>, else beside or inside the dataset): when not, a load with TMDB gives the same
    /// dataset as one without, and a caller holding the latter need not read the ratings again (25 million ratings
    /// at the ml-25m shape).
    /// </summary>
    public static bool HasTmdbToJoin(string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= LoadOptions.Default;
        if (!options.IncludeTmdb || (File.Exists(path) && !path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))) return false;
        var tmdbPath = options.TmdbPath ?? FindTmdbBeside(path);
        if (tmdbPath is null) return false;
        using var tmdb = DataSource.Open(tmdbPath);
        return TmdbLoader.Matches(tmdb);
    }

    /// <summary>
    /// Joins TMDB 5000 metadata through links.csv's tmdbId, from <see cref="LoadOptions.TmdbPath"/>, else a
    /// <c>tmdb-5000</c> folder beside the dataset or inside it.
    /// </summary>
    private static void JoinTmdb(Dataset dataset, string path, LoadOptions options)
    {
        var tmdbPath = options.TmdbPath ?? FindTmdbBeside(path);
        if (tmdbPath is null) return;
        using var tmdb = DataSource.Open(tmdbPath);
        if (!TmdbLoader.Matches(tmdb)) return;
        var metadata = TmdbLoader.LoadMetadataOrCached(tmdb, options, dataset.Report);
        TmdbLoader.Join(dataset.Catalog, metadata);
    }

    /// <summary>
    /// Joins IMDb ratings, votes, runtime and genres through links.csv's imdbId when the dataset holds IMDb's
    /// TSVs itself or an <c>imdb</c> folder sits beside it.
    /// </summary>
    private static void JoinImdb(Dataset dataset, DataSource source, string path, LoadOptions options)
    {
        if (ImdbLoader.Matches(source))
        {
            ImdbLoader.Join(dataset.Catalog, source, options, dataset.Report);
            return;
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
        var beside = parent is null ? null : Path.Combine(parent, "imdb");
        if (beside is null || !Directory.Exists(beside)) return;
        using var imdb = DataSource.Open(beside);
        if (ImdbLoader.Matches(imdb))
            ImdbLoader.Join(dataset.Catalog, imdb, options, dataset.Report);
    }

    private static string? FindTmdbBeside(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        string?[] candidates =
        [
            Directory.Exists(full) ? Path.Combine(full, "tmdb-5000") : null,
            parent is null ? null : Path.Combine(parent, "tmdb-5000"),
            parent is null ? null : Path.Combine(parent, "tmdb-5000.zip"),
        ];
        foreach (var c in candidates)
        {
            if (c is not null && (Directory.Exists(c) || File.Exists(c))) return c;
        }
        if (Directory.Exists(full) && File.Exists(Path.Combine(full, TmdbLoader.MoviesFile)))
            return full;
        return null;
    }

    /// <summary>A short name for a source: its folder or zip name, e.g. "ml-latest-small".</summary>
    public static string GuessName(DataSource source)
    {
        var name = Path.GetFileName(source.Location.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        return name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }
}
