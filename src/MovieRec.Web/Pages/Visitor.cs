using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Web.Accounts;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>The visitor's anonymous account (from the session cookie) and their ratings by movie id.</summary>
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
        return new Visitor(account, await store.GetRatingsAsync(account, http.RequestAborted).ConfigureAwait(false));
    }
}

/// <summary>One movie card: poster, title, year, genres, and optional lines (a reason, a score) and rating control.</summary>
public sealed record MovieCard(Movie Movie, float? MyRating, bool Rateable = true)
{
    public string? Reason { get; init; }
    public float? Predicted { get; init; }
    public string? Note { get; init; }
    public bool ShowUnseen { get; init; }
}

/// <summary>Formatting shared by the pages.</summary>
public static class Format
{
    public static string PosterUrl(long movieId) => Api.MovieSummary.PosterPath(movieId);

    public static string Stars(float value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.####") => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A number for an SVG attribute (always invariant culture).</summary>
    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>The star rating control of one movie.</summary>
public sealed record StarsModel(long MovieId, string Label, float? Rating);
