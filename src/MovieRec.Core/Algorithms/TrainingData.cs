using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// What an algorithm is fitted on: the ratings, and the movie catalogue when there is one. Content models (content,
/// hybrid, kmeans) read the movies' features from <see cref="Catalog"/> through <see cref="RequireCatalog"/>; models of
/// ratings alone ignore it. The catalogue is passed here explicitly, never taken from the ratings.
/// </summary>
/// <param name="Ratings">The training ratings (dense ids; splits share the id maps).</param>
/// <param name="Catalog">The movies behind the item ids, keyed by raw movie id; null when the dataset has none.</param>
public sealed record TrainingData(RatingDataset Ratings, MovieCatalog? Catalog = null)
{
    public RatingDataset Ratings { get; } = Ratings ?? throw new ArgumentNullException(nameof(Ratings));

    /// <summary>The ratings and catalogue of a loaded dataset.</summary>
    public static TrainingData From(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new TrainingData(dataset.Ratings, dataset.Catalog);
    }

    /// <summary>The same catalogue with other ratings (a split's training part, which shares the id maps).</summary>
    public TrainingData WithRatings(RatingDataset ratings) => new(ratings, Catalog);

    /// <summary>The catalogue, or an <see cref="ArgumentException"/> saying that <paramref name="algorithm"/> needs one.</summary>
    public MovieCatalog RequireCatalog(string algorithm) =>
        Catalog ?? throw new ArgumentException(
            $"{algorithm} needs the movie catalogue (movies with genres, and cast, directors and keywords when TMDB metadata is joined), and this training data has none: load a dataset that has one.",
            nameof(Catalog));

    /// <summary>The catalogue entry of a dense item id, or null (no catalogue, or no such movie).</summary>
    public Movie? MovieOf(int item)
    {
        var ids = Ratings.ItemIds;
        if (Catalog is null || (uint)item >= (uint)ids.Count) return null;
        return ids.IsNumeric ? Catalog[ids.ToRawNumeric(item)] : Catalog[item];
    }
}
