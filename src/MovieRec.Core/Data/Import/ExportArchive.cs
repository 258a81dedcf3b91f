using System.IO.Compression;

namespace MovieRec.Core.Data.Import;

/// <summary>
/// A Letterboxd export as it is downloaded: a .zip of CSV files (<c>ratings.csv</c>, <c>watchlist.csv</c>,
/// <c>watched.csv</c>, <c>diary.csv</c>, ...). Only the three an import stores are read: the ratings, the watchlist and
/// the films watched.
/// Each is read whole into memory, at most <see cref="MaxEntryBytes"/> uncompressed, so a small archive that inflates
/// without end (a zip bomb) is refused, not followed.
/// </summary>
public sealed class ExportArchive
{
    /// <summary>The most one CSV in the archive may hold once inflated.</summary>
    public const int MaxEntryBytes = 32 << 20;

    private ExportArchive(string file, byte[] ratings, byte[]? watchlist, byte[]? watched)
    {
        RatingsName = file + "/ratings.csv";
        WatchlistName = file + "/watchlist.csv";
        WatchedName = file + "/watched.csv";
        Ratings = ratings;
        Watchlist = watchlist;
        Watched = watched;
    }

    /// <summary>The ratings file, as messages name it ("letterboxd.zip/ratings.csv").</summary>
    public string RatingsName { get; }

    /// <summary>The watchlist file, as messages name it.</summary>
    public string WatchlistName { get; }

    /// <summary>The films-watched file, as messages name it.</summary>
    public string WatchedName { get; }

    /// <summary>watched.csv's bytes (every film logged as seen, rated or not), or null when the archive has none.</summary>
    public byte[]? Watched { get; }

    /// <summary>ratings.csv's bytes.</summary>
    public byte[] Ratings { get; }

    /// <summary>watchlist.csv's bytes, or null when the archive has none.</summary>
    public byte[]? Watchlist { get; }

    /// <summary>Whether <paramref name="start"/> (a file's first bytes) begins a zip archive ("PK\x03\x04", or "PK\x05\x06" for an empty one).</summary>
    public static bool IsZip(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && start[0] == (byte)'P' && start[1] == (byte)'K' && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));

    /// <summary>Whether a seekable stream begins a zip archive; its position is left where it was.</summary>
    public static bool IsZip(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("the stream must be seekable (an upload buffered, a file)", nameof(stream));
        long at = stream.Position;
        Span<byte> start = stackalloc byte[4];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = at;
        return IsZip(start[..read]);
    }

    /// <summary>Reads the export's ratings.csv, watchlist.csv and watched.csv (at the top of the archive, or in one folder).</summary>
    /// <exception cref="DataFormatException">Not a readable zip, no ratings.csv, or a file too large once inflated.</exception>
    public static ExportArchive Read(Stream zip, string file)
    {
        ArgumentNullException.ThrowIfNull(zip);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var ratings = Find(archive, "ratings.csv")
                ?? throw new DataFormatException(file, 0, null,
                    "holds no ratings.csv: expected Letterboxd's export as downloaded (Settings, Import & Export, Export your data), or a CSV of ratings");
            var watchlist = Find(archive, "watchlist.csv");
            var watched = Find(archive, "watched.csv");
            return new ExportArchive(file, Inflate(ratings, file), watchlist is null ? null : Inflate(watchlist, file), watched is null ? null : Inflate(watched, file));
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(file, 0, null, $"is not a readable zip archive ({e.Message.TrimEnd('.')})");
        }
    }

    // Letterboxd puts its files at the top; an archive re-zipped by hand may hold them in one folder.
    private static ZipArchiveEntry? Find(ZipArchive archive, string name)
    {
        ZipArchiveEntry? nested = null;
        foreach (var entry in archive.Entries)
        {
            if (!string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            int depth = entry.FullName.Count(c => c is '/' or '\\');
            if (depth == 0) return entry;
            if (depth == 1) nested ??= entry;
        }
        return nested;
    }

    private static byte[] Inflate(ZipArchiveEntry entry, string file)
    {
        if (entry.Length > MaxEntryBytes) throw TooLarge(entry, file);
        using var input = entry.Open();
        var output = new MemoryStream((int)Math.Min(entry.Length, MaxEntryBytes));
        var buffer = new byte[81920];
        int read;
        // The declared length may lie: count what actually inflates.
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > MaxEntryBytes) throw TooLarge(entry, file);
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    private static DataFormatException TooLarge(ZipArchiveEntry entry, string file) =>
        new(file, 0, null, $"holds {entry.FullName}, which inflates to more than {MaxEntryBytes >> 20} MiB");
}
