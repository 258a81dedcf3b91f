using System.Globalization;
using System.Text;

namespace MovieRec.Core.Data.Loaders;

/// <summary>
/// Which columns of a generic interactions file hold the user, the item, the rating and the time, so that music
/// plays or shop purchases load like MovieLens ratings. Columns are named as in the header, or numbered from 1
/// (the only way when the file has no header). Written as text, e.g.
/// <c>user=userId,item=songId,rating=plays,timestamp=ts</c>, on the command line (<c>--columns</c>) or in a
/// <c>movierec.columns</c> file beside the data (one <c>key=value</c> per line or comma separated; <c>#</c> after white space starts a comment).
/// </summary>
public sealed record InteractionsCsvMapping
{
    /// <summary>The name of the file inside the folder that ships a <c>movierec.columns</c> file.</summary>
    public const string MappingFileName = "movierec.columns";

    /// <summary>The interactions file; null means the only .csv/.tsv/.txt in the folder.</summary>
    public string? File { get; init; }

    /// <summary>The field separator; null means tab for .tsv/.tab files and comma otherwise.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether the first row names the columns (default yes).</summary>
    public bool Header { get; init; } = true;

    public required string User { get; init; }
    public required string Item { get; init; }

    /// <summary>The rating column; null for implicit feedback, where every interaction counts as 1.</summary>
    public string? Rating { get; init; }

    /// <summary>Unix seconds or an ISO 8601 date/time; null when the data has no time.</summary>
    public string? Timestamp { get; init; }

    /// <summary>The declared rating scale; null detects it from the values (min, max and step).</summary>
    public RatingScale? Scale { get; init; }

    /// <summary>An optional item metadata file (same delimiter rules) with an id, a title and a category column.</summary>
    public string? ItemsFile { get; init; }

    /// <summary>The id column of <see cref="ItemsFile"/>; null uses the same name as <see cref="Item"/>.</summary>
    public string? ItemsId { get; init; }

    public string? ItemsTitle { get; init; }

    /// <summary>Categories (genres) of an item; several may be separated by <c>|</c>.</summary>
    public string? ItemsCategory { get; init; }

    /// <summary>Parses <c>key=value</c> pairs separated by commas or line breaks.</summary>
    /// <exception cref="ArgumentException">An unknown key, a missing user or item, or a bad value.</exception>
    public static InteractionsCsvMapping Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Lines end in LF, CRLF or CR, as in every data file; a byte order mark is not part of the first key.
        foreach (var rawLine in text.TrimStart('\uFEFF').Split(['\r', '\n']))
        {
            var line = StripComment(rawLine).Trim();
            if (line.Length == 0) continue;
            foreach (var part in SplitPairs(line))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                    throw new ArgumentException($"column mapping '{part}' is not key=value (e.g. user=userId,item=songId,rating=plays)", nameof(text));
                var key = part[..eq].Trim().Replace('-', '_');
                if (!KnownKeys.Contains(key))
                    throw new ArgumentException($"column mapping has an unknown key '{key}'; known keys: {string.Join(", ", KnownKeys)}", nameof(text));
                values[key] = part[(eq + 1)..].Trim();
            }
        }
        string? Get(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        var rating = Get("rating");
        if (rating is not null && (rating.Equals("none", StringComparison.OrdinalIgnoreCase) || rating.Equals("implicit", StringComparison.OrdinalIgnoreCase)))
            rating = null;
        return new InteractionsCsvMapping
        {
            File = Get("file"),
            Delimiter = Get("delimiter") is string d ? ParseDelimiter(d) : null,
            Header = Get("header") is not string h || ParseYesNo(h, "header"),
            User = Get("user") ?? throw new ArgumentException("column mapping needs user=<column>", nameof(text)),
            Item = Get("item") ?? throw new ArgumentException("column mapping needs item=<column>", nameof(text)),
            Rating = rating,
            Timestamp = Get("timestamp"),
            Scale = Get("scale") is string s ? ParseScale(s) : null,
            ItemsFile = Get("items"),
            ItemsId = Get("item_id"),
            ItemsTitle = Get("title"),
            ItemsCategory = Get("category"),
        };
    }

    /// <summary>A <c>#</c> at the start of a line or after white space starts a comment.</summary>
    private static string StripComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    private static readonly string[] KnownKeys =
        ["file", "delimiter", "header", "user", "item", "rating", "timestamp", "scale", "items", "item_id", "title", "category"];

    private static IEnumerable<string> SplitPairs(string line)
    {
        // "delimiter=," would be cut by a naive split on commas: a comma right after '=' belongs to the value.
        var parts = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == ',' && !(i > 0 && line[i - 1] == '='))
            {
                if (current.Length > 0) parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.ToString().Trim().Length > 0) parts.Add(current.ToString());
        return parts.Where(p => p.Trim().Length > 0);
    }

    private static string ParseDelimiter(string d) => d.ToLowerInvariant() switch
    {
        "comma" or "," => ",",
        "tab" or "\\t" => "\t",
        "semicolon" or ";" => ";",
        "pipe" or "|" => "|",
        "space" => " ",
        _ when d.All(c => c < 128 && !char.IsLetterOrDigit(c)) => d,
        _ => throw new ArgumentException($"column mapping delimiter '{d}' is not comma, tab, semicolon, pipe, space or punctuation", "text"),
    };

    private static bool ParseYesNo(string value, string key) => value.ToLowerInvariant() switch
    {
        "yes" or "true" or "1" => true,
        "no" or "false" or "0" => false,
        _ => throw new ArgumentException($"column mapping {key}={value} must be yes or no", "text"),
    };

    /// <summary>"1-10" (whole steps), "0.5-5:0.5", "1-10:0" (continuous), "-2-2" (a negative end): <see cref="RatingScale.Parse"/>.</summary>
    private static RatingScale ParseScale(string s)
    {
        try
        {
            return RatingScale.Parse(s);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"column mapping scale {e.Message}", "text", e);
        }
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (File is not null) parts.Add($"file={File}");
        if (Delimiter is not null) parts.Add($"delimiter={Delimiter switch { "," => "comma", "\t" => "tab", _ => Delimiter }}");
        if (!Header) parts.Add("header=no");
        parts.Add($"user={User}");
        parts.Add($"item={Item}");
        parts.Add($"rating={Rating ?? "none"}");
        if (Timestamp is not null) parts.Add($"timestamp={Timestamp}");
        if (Scale is RatingScale sc) parts.Add(string.Create(CultureInfo.InvariantCulture, $"scale={sc.Min}-{sc.Max}:{sc.Step}"));
        if (ItemsFile is not null) parts.Add($"items={ItemsFile}");
        if (ItemsId is not null) parts.Add($"item_id={ItemsId}");
        if (ItemsTitle is not null) parts.Add($"title={ItemsTitle}");
        if (ItemsCategory is not null) parts.Add($"category={ItemsCategory}");
        return string.Join(',', parts);
    }
}
