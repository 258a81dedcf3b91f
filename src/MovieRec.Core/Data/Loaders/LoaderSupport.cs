using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Data.Loaders;

/// <summary>Pieces every loader shares: opening files with good errors, lenient skipping, capacity guesses.</summary>
internal static class LoaderSupport
{
    /// <summary>
    /// The one way every loader opens a delimited file (a .gz is decompressed on the fly, and a .gz cut short is an
    /// error at its end, not fewer rows: <see cref="CheckedGZipStream"/>).
    /// </summary>
    public static DelimitedReader OpenReader(DataSource source, string relativePath, LoadOptions options, string delimiter = ",", bool quotes = true,
        System.Text.Encoding? encoding = null)
    {
        var stream = source.OpenFile(relativePath);
        if (relativePath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new CheckedGZipStream(stream);
        return DelimitedReader.Open(stream, source.Display(relativePath), delimiter, quotes, encoding, options.Reader);
    }

    /// <summary>
    /// The builder's dataset; timestamps more than 136 years apart (they are stored as 4-byte offsets, see
    /// <see cref="TimestampColumn"/>) are an error of the whole <paramref name="file"/>.
    /// </summary>
    public static RatingDataset BuildRatings(RatingDatasetBuilder builder, RatingScale? scale, string file)
    {
        try
        {
            return builder.Build(scale);
        }
        catch (OverflowException e)
        {
            throw new DataFormatException(file, 0, "timestamp", e.Message, e);
        }
    }

    /// <summary>Checks a header row against expected column names (case-insensitive).</summary>
    public static void ExpectHeader(DelimitedReader reader, params string[] columns)
    {
        if (!reader.Read())
            throw new DataFormatException(reader.File, 1, null, $"is empty; expected a header row '{string.Join(',', columns)}'");
        for (int i = 0; i < columns.Length; i++)
        {
            var got = i < reader.FieldCount ? reader.Text(i, columns[i]).Trim().TrimStart('\uFEFF') : "(missing)";
            if (!string.Equals(got, columns[i], StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(reader.File, reader.Line, columns[i],
                    $"header column {i + 1} is '{got}' but '{columns[i]}' was expected (header '{string.Join(',', columns)}')");
        }
    }

    /// <summary>Column index by header name; -1 when absent.</summary>
    public static Dictionary<string, int> ReadHeader(DelimitedReader reader, string file)
    {
        if (!reader.Read())
            throw new DataFormatException(file, 1, null, "is empty; expected a header row");
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.Text(i, $"column {i + 1}").Trim().TrimStart('\uFEFF');
            // Rows are checked against the header's width, so a repeated name would fail every row with a field
            // count that matches no column the user can see; say what is wrong once, on the header line.
            if (!map.TryAdd(name, i))
                throw new DataFormatException(reader.File, reader.Line, name, $"the header names column '{name}' twice (columns {map[name] + 1} and {i + 1})");
        }
        return map;
    }

    /// <summary>
    /// Header names for messages, each and all shortened: a damaged header can hold a megabyte-long name, and the
    /// list goes into the error of every bad row.
    /// </summary>
    public static string ColumnList(IEnumerable<string> names, string separator = ", ")
    {
        var sb = new System.Text.StringBuilder();
        foreach (var name in names)
        {
            if (sb.Length > 0) sb.Append(separator);
            if (sb.Length > 300)
            {
                sb.Append("...");
                break;
            }
            sb.Append(name.Length > 40 ? string.Concat(name.AsSpan(0, 40), "...") : name);
        }
        return sb.ToString();
    }

    public static int Require(Dictionary<string, int> header, string column, string file)
    {
        if (header.TryGetValue(column, out int i)) return i;
        throw new DataFormatException(file, 1, column, $"the header has no '{column}' column (it has: {ColumnList(header.Keys)})");
    }

    /// <summary>In lenient mode records the error and returns; otherwise rethrows it.</summary>
    public static void SkipOrThrow(DataFormatException error, LoadOptions options, LoadReport report)
    {
        if (!options.Lenient) throw error;
        var reason = error.Field is null ? "malformed rows" : $"bad '{error.Field}'";
        if (error.Problem.Contains("rating scale", StringComparison.Ordinal) || error.Problem.Contains("scale's step", StringComparison.Ordinal))
            reason = "ratings off the scale";
        report.Skip(error, reason);
    }

    /// <summary>Validates a rating against the scale, throwing with file, line and field.</summary>
    public static void CheckRating(DelimitedReader reader, float rating, RatingScale scale, string field = "rating")
    {
        if (scale.Check(rating) is string problem)
            throw reader.Error(field, problem);
    }

    /// <summary>Rows expected from a file's size, so arrays are allocated once instead of doubling.</summary>
    public static int EstimateRows(DataSource source, string relativePath, int bytesPerRow)
    {
        long length = source.Length(relativePath);
        return (int)Math.Clamp(length / bytesPerRow + 16, 16, int.MaxValue / 2);
    }

    /// <summary>
    /// Reads (user, movie, rating, timestamp) rows, the layout of ratings.csv and ratings.dat, into
    /// <paramref name="builder"/>; <paramref name="fields"/> names the four columns as the format's README does.
    /// </summary>
    public static void ReadRatingRows(DelimitedReader reader, string[] fields, RatingDatasetBuilder builder, RatingScale scale, LoadOptions options, LoadReport report)
    {
        var layout = string.Join(',', fields);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(4, layout);
                long user = reader.Long(0, fields[0]);
                long movie = reader.Long(1, fields[1]);
                float rating = reader.Float(2, fields[2]);
                CheckRating(reader, rating, scale, fields[2]);
                long timestamp = reader.Long(3, fields[3]);
                builder.Add(user, movie, rating, timestamp);
            }
            catch (DataFormatException e)
            {
                SkipOrThrow(e, options, report);
            }
        }
    }

    /// <summary>Reads (user, movie, tag, timestamp) rows into <paramref name="tags"/> and onto the catalog's movies.</summary>
    public static void ReadTagRows(DelimitedReader reader, string[] fields, MovieCatalog catalog, List<TagApplication> tags, LoadOptions options, LoadReport report)
    {
        var layout = string.Join(',', fields);
        while (reader.Read())
        {
            try
            {
                reader.ExpectFields(4, layout);
                var tag = new TagApplication(reader.Long(0, fields[0]), reader.Long(1, fields[1]), reader.Text(2, fields[2]), reader.Long(3, fields[3]));
                tags.Add(tag);
                if (catalog[tag.MovieId] is { } movie && !movie.Tags.Contains(tag.Tag, StringComparer.OrdinalIgnoreCase))
                    movie.Tags.Add(tag.Tag);
            }
            catch (DataFormatException e)
            {
                SkipOrThrow(e, options, report);
            }
        }
    }
}
