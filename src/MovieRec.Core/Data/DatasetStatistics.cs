namespace MovieRec.Core.Data;

/// <summary>Summary figures of a dataset, as `movierec data info` prints them.</summary>
public sealed record DatasetStatistics
{
    public required string Name { get; init; }
    public required string Format { get; init; }
    public int Users { get; init; }
    public int Items { get; init; }
    public int Movies { get; init; }
    public int Ratings { get; init; }
    public int Tags { get; init; }

    /// <summary>Ratings / (users x items).</summary>
    public double Density { get; init; }

    public double MeanRating { get; init; }
    public required string Scale { get; init; }

    /// <summary>The scale was inferred from the ratings, not declared (see <see cref="LoadReport.ScaleDetected"/>).</summary>
    public bool ScaleDetected { get; init; }

    /// <summary>Rating value to count, ascending.</summary>
    public required IReadOnlyList<KeyValuePair<float, int>> Histogram { get; init; }

    /// <summary>Ratings per user at quantiles 0, 0.25, 0.5, 0.75, 0.9, 0.99, 1.</summary>
    public required IReadOnlyList<KeyValuePair<double, int>> RatingsPerUser { get; init; }

    public required IReadOnlyList<KeyValuePair<double, int>> RatingsPerItem { get; init; }

    /// <summary>Catalog movies with TMDB metadata joined.</summary>
    public int MoviesWithTmdb { get; init; }

    public int MoviesWithLinks { get; init; }

    /// <summary>Catalog movies with IMDb metadata joined (title.basics.tsv).</summary>
    public int MoviesWithImdb { get; init; }

    /// <summary>Of those, movies with an IMDb rating and vote count (title.ratings.tsv).</summary>
    public int MoviesWithImdbRating { get; init; }

    /// <summary>Movies with IMDb's runtime.</summary>
    public int MoviesWithImdbRuntime { get; init; }

    /// <summary>Movies with IMDb's genres.</summary>
    public int MoviesWithImdbGenres { get; init; }

    /// <summary>Catalog movies with a runtime from either source (TMDB, else IMDb).</summary>
    public int MoviesWithRuntime { get; init; }

    /// <summary>No ratings: a catalogue to browse and search, not to train on.</summary>
    public bool IsCatalogue => Ratings == 0;

    /// <summary>Earliest and latest release year in the catalog, when any movie has one.</summary>
    public (int From, int To)? Years { get; init; }

    /// <summary>Genres by how many catalog movies carry them, most common first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Genres { get; init; } = [];

    public int DuplicatesMerged { get; init; }

    public int RowsSkipped { get; init; }

    /// <summary>Rated items the catalog has no movie for (a movie id in ratings.csv missing from movies.csv): untitled everywhere.</summary>
    public int RatedNotInCatalog { get; init; }

    public static readonly double[] Quantiles = [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

    public static DatasetStatistics Compute(Dataset dataset)
    {
        var r = dataset.Ratings;
        var histogram = new SortedDictionary<float, int>();
        foreach (float v in r.Values)
            histogram[v] = histogram.GetValueOrDefault(v) + 1;
        int users = r.ActiveUserCount(), items = r.ActiveItemCount();
        var movies = dataset.Catalog.Movies;
        var years = movies.Where(m => m.Year is not null).Select(m => m.Year!.Value).ToList();
        return new DatasetStatistics
        {
            Name = dataset.Name,
            Format = dataset.Format,
            Users = users,
            Items = items,
            Movies = dataset.Catalog.Count,
            Ratings = r.Count,
            Tags = dataset.Tags.Count,
            Density = users == 0 || items == 0 ? 0 : r.Count / ((double)users * items),
            MeanRating = r.GlobalMean,
            Scale = r.Scale.ToString(),
            ScaleDetected = dataset.Report.ScaleDetected,
            Histogram = [.. histogram],
            RatingsPerUser = RowQuantiles(r.ByUser),
            RatingsPerItem = RowQuantiles(r.ByItem),
            MoviesWithTmdb = dataset.Catalog.Movies.Count(m => m.Tmdb is not null),
            MoviesWithLinks = dataset.Catalog.Movies.Count(m => m.TmdbId is not null || m.ImdbId is not null),
            MoviesWithImdb = movies.Count(m => m.Imdb is not null),
            MoviesWithImdbRating = movies.Count(m => m.Imdb is { AverageRating: not null, NumVotes: not null }),
            MoviesWithImdbRuntime = movies.Count(m => m.Imdb?.RuntimeMinutes is > 0),
            MoviesWithImdbGenres = movies.Count(m => m.Imdb is { Genres.Count: > 0 }),
            MoviesWithRuntime = movies.Count(m => m.RuntimeMinutes is not null),
            Years = years.Count == 0 ? null : (years.Min(), years.Max()),
            Genres = [.. movies.SelectMany(m => m.Genres).GroupBy(g => g, StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)],
            DuplicatesMerged = dataset.Report.DuplicatesMerged,
            RowsSkipped = dataset.Report.Skipped,
            RatedNotInCatalog = CountRatedNotInCatalog(dataset),
        };
    }

    private static int CountRatedNotInCatalog(Dataset dataset)
    {
        var byItem = dataset.Ratings.ByItem;
        int count = 0;
        for (int item = 0; item < dataset.Ratings.ItemCount; item++)
        {
            if (byItem.RowLength(item) > 0 && dataset.MovieOf(item) is null) count++;
        }
        return count;
    }

    private static List<KeyValuePair<double, int>> RowQuantiles(CsrMatrix m)
    {
        var lengths = new List<int>(m.Rows);
        for (int row = 0; row < m.Rows; row++)
        {
            int len = m.RowLength(row);
            if (len > 0) lengths.Add(len);
        }
        lengths.Sort();
        var result = new List<KeyValuePair<double, int>>();
        foreach (double q in Quantiles)
        {
            int value = lengths.Count == 0 ? 0 : lengths[(int)Math.Round(q * (lengths.Count - 1))];
            result.Add(new(q, value));
        }
        return result;
    }
}
