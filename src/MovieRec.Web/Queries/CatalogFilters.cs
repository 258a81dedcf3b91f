using System.Globalization;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Queries;

/// <summary>The genre and year filters as a client writes them (listing and recommendations), and paging.</summary>
public static class CatalogFilters
{
    public const int MaxPageSize = 100;

    /// <summary>page * pageSize may not exceed this: deep pages of a fuzzy search are not worth their cost.</summary>
    public const int MaxResults = 10_000;

    /// <summary>
    /// A genre (any case; one of the catalogue's) and a year: 1995, a decade (1990s) or a range (1990-1999). Either
    /// may be empty; an unknown genre or an unreadable year is the named field's error.
    /// </summary>
    public static QueryResult<CandidateFilter> Resolve(CatalogIndex catalog, string? genre, string? year)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        string? genreName = null;
        if (!string.IsNullOrWhiteSpace(genre))
        {
            genreName = GenreNamed(catalog, genre);
            if (genreName is null) return QueryError.Invalid("genre", $"unknown genre '{QueryError.Echo(genre)}'.");
        }
        if (!TryParseYears(year, out int? from, out int? to))
            return QueryError.Invalid("year", $"expects a year (1995), a decade (1990s) or a range (1990-1999), not '{QueryError.Echo(year)}'.");
        return new CandidateFilter(genreName, from, to);
    }

    /// <summary>The catalogue's genre a client names (any case, spaces around ignored), or null when it has none of that name.</summary>
    public static string? GenreNamed(CatalogIndex catalog, string genre)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(genre);
        return catalog.Genres.FirstOrDefault(g => string.Equals(g, genre.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Page (from 1) and page size (1 to <see cref="MaxPageSize"/>), with their defaults.</summary>
    public static QueryError? CheckPage(int? page, int? pageSize, int defaultSize, out int p, out int size)
    {
        p = page ?? 1;
        size = pageSize ?? defaultSize;
        if (p < 1) return QueryError.Invalid("page", $"must be 1 or more, not {p}.");
        if (QueryError.CheckCount(size, MaxPageSize, "pageSize") is { } bad) return bad;
        if ((long)p * size > MaxResults) return QueryError.Invalid("page", $"page * pageSize must not exceed {MaxResults}.");
        return null;
    }

    internal static bool TryParseYears(string? text, out int? from, out int? to)
    {
        from = to = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        text = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (text.EndsWith('s') && int.TryParse(text[..^1], NumberStyles.None, inv, out int decade) && decade % 10 == 0 && decade is >= 1800 and <= 2100)
        {
            (from, to) = (decade, decade + 9);
            return true;
        }
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(text[..dash], NumberStyles.None, inv, out int a) && int.TryParse(text[(dash + 1)..], NumberStyles.None, inv, out int b) && a <= b && a is >= 1800 and <= 2100 && b <= 2100)
        {
            (from, to) = (a, b);
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, inv, out int y) && y is >= 1800 and <= 2100)
        {
            (from, to) = (y, y);
            return true;
        }
        return false;
    }
}
