namespace MovieRec.Core.Data;

/// <summary>IMDb's non-commercial data for a title (title.basics.tsv and title.ratings.tsv); null fields were <c>\N</c>.</summary>
public sealed class ImdbMetadata
{
    /// <summary>"tt0133093".</summary>
    public required string Tconst { get; init; }

    /// <summary>The numeric part of <see cref="Tconst"/> (MovieLens links.csv's imdbId).</summary>
    public int ImdbId { get; init; }

    /// <summary>movie, short, tvSeries, tvMovie, video, ...</summary>
    public string TitleType { get; init; } = "";

    public string PrimaryTitle { get; init; } = "";
    public string? OriginalTitle { get; init; }
    public bool IsAdult { get; init; }
    public int? StartYear { get; init; }
    public int? EndYear { get; init; }
    public int? RuntimeMinutes { get; init; }

    /// <summary>Up to three genres, as IMDb names them.</summary>
    public IReadOnlyList<string> Genres { get; init; } = [];

    /// <summary>Weighted average of IMDb user ratings (1-10), when title.ratings.tsv lists the title.</summary>
    public double? AverageRating { get; set; }

    public int? NumVotes { get; set; }
}
