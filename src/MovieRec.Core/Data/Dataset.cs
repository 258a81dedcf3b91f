namespace MovieRec.Core.Data;

/// <summary>Everything a dataset release holds: ratings, the movie catalog, tags, and predefined splits.</summary>
public sealed class Dataset
{
    public required string Name { get; init; }

    /// <summary>The detected format, e.g. "movielens-csv", "movielens-100k".</summary>
    public required string Format { get; init; }

    /// <summary>The folder or zip it was read from.</summary>
    public required string Location { get; init; }

    public required RatingDataset Ratings { get; init; }

    public MovieCatalog Catalog { get; init; } = new();

    public IReadOnlyList<TagApplication> Tags { get; init; } = [];

    /// <summary>Demographics where the release has them (ml-100k u.user, ml-1m users.dat).</summary>
    public IReadOnlyList<UserProfile> UserProfiles { get; init; } = [];

    /// <summary>Train/test splits shipped with the release (ml-100k u1..u5, ua, ub).</summary>
    public IReadOnlyList<PredefinedSplit> PredefinedSplits { get; init; } = [];

    public LoadReport Report { get; init; } = new();

    /// <summary>
    /// The catalog entry for a dense item id, or null when the catalog lacks it. Catalogs of numeric ids are keyed
    /// by raw id; catalogs of string ids (generic interactions files) by dense item id.
    /// </summary>
    public Movie? MovieOf(int item) =>
        Ratings.ItemIds.IsNumeric ? Catalog[Ratings.ItemIds.ToRawNumeric(item)] : Catalog[item];

    /// <summary>
    /// The dense item id of a catalog movie, or -1 when nobody rated it: the inverse of <see cref="MovieOf"/> for either
    /// kind of id (a string-id catalog is keyed by dense id, so its key is the item).
    /// </summary>
    public int ItemOf(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        if (Ratings.ItemIds.IsNumeric) return Ratings.ItemIds.ToDense(movie.Id);
        return movie.Id >= 0 && movie.Id < Ratings.ItemCount && Catalog[movie.Id] == movie ? (int)movie.Id : -1;
    }

    /// <summary>The item's id as the dataset spells it ("1196", "song-42"), for output and look-ups.</summary>
    public string RawIdOf(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        int item = Ratings.ItemIds.IsNumeric ? -1 : ItemOf(movie);
        return item >= 0 ? Ratings.ItemIds.ToRaw(item) : movie.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A dataset without ratings (IMDb or TMDB alone, an empty ratings file): a catalogue to browse, not to train on.</summary>
    public bool IsCatalogue => Ratings.Count == 0;
}

/// <summary>A user's demographics (ml-100k, ml-1m).</summary>
public sealed record UserProfile(long UserId, int? Age, string? Gender, string? Occupation, string? ZipCode);

/// <summary>A train/test pair shipped with a release; both share the dataset's id maps.</summary>
public sealed record PredefinedSplit(string Name, RatingDataset Train, RatingDataset Test);
