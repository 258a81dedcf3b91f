namespace MovieRec.Core.Data;

/// <summary>How strictly and what to load.</summary>
public sealed record LoadOptions
{
    /// <summary>Skip bad rows and count them (in <see cref="LoadReport"/>) instead of stopping at the first.</summary>
    public bool Lenient { get; init; }

    /// <summary>The rating scale ratings must lie on; null uses the format's official scale or detects it.</summary>
    public RatingScale? Scale { get; init; }

    /// <summary>Load tags.csv / tags.dat when present.</summary>
    public bool IncludeTags { get; init; } = true;

    /// <summary>
    /// A folder holding TMDB 5000 files to join into the catalog through links.csv's tmdbId; null looks
    /// for them beside the dataset (a sibling <c>tmdb-5000</c> folder or the same folder).
    /// </summary>
    public string? TmdbPath { get; init; }

    /// <summary>Set false to skip looking for TMDB metadata.</summary>
    public bool IncludeTmdb { get; init; } = true;

    /// <summary>
    /// A folder where parsed TMDB metadata is kept between processes (<see cref="Loaders.TmdbMetadataCache"/>: used
    /// only while the files are unchanged); null parses the files on every load.
    /// </summary>
    public string? MetadataCacheFolder { get; init; }

    /// <summary>
    /// The parser for delimited files; <see cref="IO.DelimitedEngine.Auto"/> takes the measured choice (benchmarks
    /// compare the engines through this option).
    /// </summary>
    public IO.DelimitedEngine Reader { get; init; }

    public static LoadOptions Default { get; } = new();
}

/// <summary>What a load skipped, merged or noticed.</summary>
public sealed class LoadReport
{
    private readonly Dictionary<string, int> _skippedByReason = new(StringComparer.Ordinal);
    private readonly List<string> _examples = [];

    /// <summary>Rows skipped in lenient mode.</summary>
    public int Skipped { get; private set; }

    /// <summary>Skipped rows counted by the kind of problem.</summary>
    public IReadOnlyDictionary<string, int> SkippedByReason => _skippedByReason;

    /// <summary>The first few skipped rows, each with file, line and field.</summary>
    public IReadOnlyList<string> Examples => _examples;

    /// <summary>Duplicate (user, item) ratings merged, keeping the latest.</summary>
    public int DuplicatesMerged { get; set; }

    /// <summary>Files that were read, as shown in messages.</summary>
    public List<string> Files { get; } = [];

    /// <summary>
    /// The rating scale was inferred from the values read (min, max and step), neither declared nor the format's own:
    /// `data info` says so, since one odd value moves it.
    /// </summary>
    public bool ScaleDetected { get; set; }

    public void Skip(DataFormatException error, string reason)
    {
        Skipped++;
        _skippedByReason[reason] = _skippedByReason.GetValueOrDefault(reason) + 1;
        if (_examples.Count < 10)
            _examples.Add(error.Message);
    }

    public string Summary()
    {
        if (Skipped == 0 && DuplicatesMerged == 0) return "no rows skipped, no duplicates";
        var reasons = string.Join(", ", _skippedByReason.OrderByDescending(p => p.Value).Select(p => $"{p.Value} {p.Key}"));
        return Skipped == 0
            ? $"{DuplicatesMerged} duplicate ratings merged"
            : $"{Skipped} rows skipped ({reasons}); {DuplicatesMerged} duplicate ratings merged";
    }
}
