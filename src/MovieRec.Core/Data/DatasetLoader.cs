using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Core.Data;

/// <summary>A dataset format: how to recognise it from the files present and how to load it.</summary>
public sealed record DatasetFormat(string Name, string Files, Func<DataSource, bool> Matches, Func<DataSource, LoadOptions, Dataset> Load);

/// <summary>
/// Loads any supported dataset from a folder or zip, detecting the format from the files present,
/// and joins TMDB metadata found beside it.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Formats in detection order: the first whose files are present wins.</summary>
    public static IReadOnlyList<DatasetFormat> Formats { get; } =
    [
        new(MovieLensCsvLoader.FormatName, "ratings.csv + movies.csv", MovieLensCsvLoader.Matches, MovieLensCsvLoader.Load),
        new(MovieLens100KLoader.FormatName, "u.data + u.item (+ u.user, u.genre, u1..u5/ua/ub .base/.test)", MovieLens100KLoader.Matches, MovieLens100KLoader.Load),
        new("movielens-1m/10m", "ratings.dat + movies.dat (+ users.dat in ml-1m, tags.dat in ml-10m)", MovieLensDatLoader.Matches, MovieLensDatLoader.Load),
        new(InteractionsCsvLoader.FormatName, "movierec.columns (a column mapping) + the interactions .csv/.tsv", InteractionsCsvLoader.Matches, InteractionsCsvLoader.Load),
        new(ImdbLoader.FormatName, "title.basics.tsv.gz (+ title.ratings.tsv.gz): IMDb movies, catalog only", ImdbLoader.Matches, ImdbLoader.LoadCatalogOnly),
        new(TmdbLoader.FormatName, "tmdb_5000_movies.csv (+ tmdb_5000_credits.csv)", TmdbLoader.Matches, TmdbLoader.LoadCatalogOnly),
    ];

    /// <summary>Loads the dataset at <paramref name="path"/> (a folder or a .zip).</summary>
    public static Dataset Load(string path, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        using var source = DataSource.Open(path);
        var format = Detect(source);
        var dataset = format.Load(source, options);
        dataset.Ratings.Catalog ??= dataset.Catalog;
        if (options.IncludeTmdb && format.Name != TmdbLoader.FormatName && dataset.Catalog.Count > 0)
            JoinTmdb(dataset, path, options);
        if (format.Name != ImdbLoader.FormatName && dataset.Catalog.Count > 0)
            JoinImdb(dataset, source, path, options);
        return dataset;
    }

    public static DatasetFormat Detect(DataSource source)
    {
        foreach (var format in Formats)
        {
            if (format.Matches(source)) return format;
        }
        var expected = string.Join("; ", Formats.Select(f => $"{f.Name}: {f.Files}"));
        throw new DataFormatException(source.Location, 0, null, $"holds no dataset format MovieRec knows. Expected one of: {expected}");
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
        var metadata = TmdbLoader.LoadMetadata(tmdb, options, dataset.Report);
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
