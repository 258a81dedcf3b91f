using System.Globalization;
using MovieRec.Core.Data;

namespace MovieRec.Cli.Commands;

/// <summary>IMDb's facts about a movie (rating, votes, runtime, genres) as one table cell, when IMDb's files were joined.</summary>
internal static class MovieFacts
{
    public const string ImdbColumn = "IMDb";

    /// <summary>Whether any of the movies carries IMDb data: the column is shown only then.</summary>
    public static bool AnyImdb(IEnumerable<Movie?> movies) => movies.Any(m => m?.Imdb is not null);

    /// <summary>"8.3 (1.1M votes), 81 min, Adventure/Animation/Comedy"; empty without IMDb data.</summary>
    public static string Imdb(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        if (movie.Imdb is not { } imdb) return "";
        var parts = new List<string>(3);
        if (imdb.AverageRating is double rating)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rating:0.0} ({Votes(imdb.NumVotes ?? 0)} votes)"));
        if (imdb.RuntimeMinutes is int minutes and > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{minutes} min"));
        if (imdb.Genres.Count > 0)
            parts.Add(string.Join('/', imdb.Genres));
        return string.Join(", ", parts);
    }

    /// <summary>1,100,000 as "1.1M", 2,100 as "2.1k".</summary>
    public static string Votes(int votes) => votes switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{votes / 1e6:0.#}M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{votes / 1e3:0.#}k"),
        _ => votes.ToString(CultureInfo.InvariantCulture),
    };
}
