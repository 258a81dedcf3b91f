using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Web.Accounts;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>The visitor's anonymous account (from the session cookie) and their ratings by movie (catalogue key).</summary>
public sealed record Visitor(long? AccountId, IReadOnlyList<StoredRating> Ratings)
{
    public static Visitor Anonymous { get; } = new(null, []);

    private readonly Dictionary<long, float> _byMovie = Ratings.ToDictionary(r => r.MovieId, r => r.Rating);

    public float? RatingOf(long movieId) => _byMovie.TryGetValue(movieId, out float r) ? r : null;

    public int Count => Ratings.Count;

    public static async Task<Visitor> LoadAsync(HttpContext http, IRatingStore store)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        if (http.User.Identity?.IsAuthenticated != true) return Anonymous;
        long account = http.User.AccountId();
        var stored = await store.GetRatingsAsync(account, http.RequestAborted).ConfigureAwait(false);
        // The store holds movies as StoredMovieIds; pages work with catalogue keys.
        var catalog = await http.RequestServices.GetRequiredService<Hosting.ModelHost>().CatalogAsync(http.RequestAborted).ConfigureAwait(false);
        return new Visitor(account, catalog.FromStorage(stored));
    }
}

/// <summary>One movie card: poster, title, year, genres, and optional lines (a reason, a score) and rating control.</summary>
public sealed record MovieCard(Movie Movie, float? MyRating, bool Rateable = true)
{
    public string? Reason { get; init; }
    public float? Predicted { get; init; }
    public string? Note { get; init; }
    public bool ShowUnseen { get; init; }

    /// <summary>"Not interested" and "+ Watchlist" buttons (recommendations: either takes the movie off the list).</summary>
    public bool ShowNotInterested { get; init; }
}

/// <summary>The watchlist toggle of a movie: whether it is on the visitor's watchlist.</summary>
public sealed record WatchlistButton(Movie Movie, bool On);

/// <summary>Formatting shared by the pages.</summary>
public static class Format
{
    public static string PosterUrl(Movie movie) => Api.MovieSummary.PosterPath(Api.MovieId.Of(movie));

    /// <summary>The movie page's address, by the id as the dataset spells it ("/movies/1", "/movies/track-123").</summary>
    public static string MovieUrl(Movie movie) => "/movies/" + Api.MovieId.Of(movie).Escaped;

    /// <summary>The id as the dataset spells it (data attributes the page's script sends back to the API).</summary>
    public static string Id(Movie movie) => Api.MovieId.Of(movie).Value;

    public static string Stars(float value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.####") => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count with its noun, singular for one: "1 rating", "215 ratings".</summary>
    public static string Count(long value, string one, string many) => Int(value) + " " + (value == 1 ? one : many);

    /// <summary>A number for an SVG attribute (always invariant culture).</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>The star rating control of one movie.</summary>
public sealed record StarsModel(Api.MovieId MovieId, string Label, float? Rating);
