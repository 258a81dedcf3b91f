using System.IO.Compression;

namespace MovieRec.Core.Data.IO;

/// <summary>
/// The files of a dataset, from an extracted folder or straight from the official .zip. Files are found by
/// name whatever folder they sit in (GroupLens zips hold <c>ml-latest-small/ratings.csv</c>).
/// </summary>
public abstract class DataSource : IDisposable
{
    /// <summary>The folder or zip as given, for messages.</summary>
    public abstract string Location { get; }

    /// <summary>Every file's path relative to the source.</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>Finds a file by name (case-insensitive), or null.</summary>
    public string? Find(string fileName)
    {
        string? best = null;
        foreach (var f in Files)
        {
            if (string.Equals(Path.GetFileName(f), fileName, StringComparison.OrdinalIgnoreCase)
                && (best is null || f.Length < best.Length))
                best = f;
        }
        return best;
    }

    public bool Has(string fileName) => Find(fileName) is not null;

    /// <summary>Opens a file found by <see cref="Find"/>.</summary>
    public abstract Stream OpenFile(string relativePath);

    /// <summary>Size in bytes, for capacity estimates.</summary>
    public abstract long Length(string relativePath);

    /// <summary>How a file is named in messages: the real path, or <c>archive.zip!entry</c>.</summary>
    public abstract string Display(string relativePath);

    /// <summary>Opens a folder or a .zip file.</summary>
    public static DataSource Open(string path)
    {
        if (Directory.Exists(path))
            return new FolderSource(path);
        if (File.Exists(path))
        {
            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                return new ZipSource(path);
            throw new DataFormatException(path, 0, null, "is a file but not a .zip archive; give the dataset folder or its .zip");
        }
        throw new DirectoryNotFoundException($"No dataset folder or zip at '{path}'.");
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    private sealed class FolderSource(string root) : DataSource
    {
        private IReadOnlyList<string>? _files;

        public override string Location => root;

        public override IReadOnlyList<string> Files => _files ??= ListFiles();

        private List<string> ListFiles()
        {
            // Two levels are enough for every official layout and keep a scan of a big cache folder cheap.
            var list = new List<string>();
            foreach (var f in Directory.EnumerateFiles(root))
                list.Add(Path.GetFileName(f));
            foreach (var d in Directory.EnumerateDirectories(root))
            {
                foreach (var f in Directory.EnumerateFiles(d))
                    list.Add(Path.GetRelativePath(root, f));
            }
            return list;
        }

        public override Stream OpenFile(string relativePath) =>
            new FileStream(Path.Combine(root, relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        public override long Length(string relativePath) => new FileInfo(Path.Combine(root, relativePath)).Length;

        public override string Display(string relativePath) => Path.Combine(root, relativePath);
    }

    private sealed class ZipSource : DataSource
    {
        private readonly string _path;
        private readonly ZipArchive _zip;
        private readonly List<string> _files;
        private readonly long _archiveBytes;

        public ZipSource(string path)
        {
            _path = path;
            _archiveBytes = new FileInfo(path).Length;
            try
            {
                _zip = ZipFile.OpenRead(path);
                _files = [.. _zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName)];
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(path, 0, null, $"is not a readable zip archive (truncated or corrupt download?): {e.Message}", e);
            }
        }

        public override string Location => _path;

        public override IReadOnlyList<string> Files => _files;

        public override Stream OpenFile(string relativePath)
        {
            try
            {
                return _zip.GetEntry(relativePath)!.Open();
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(Display(relativePath), 0, null, $"cannot be read from the archive: {e.Message}", e);
            }
        }

        /// <summary>
        /// The entry's declared size, capped at 32 times the archive's size on disk: a damaged central directory can
        /// declare terabytes, and capacity estimates must not allocate for bytes that are not there.
        /// </summary>
        public override long Length(string relativePath) =>
            Math.Min(_zip.GetEntry(relativePath)!.Length, _archiveBytes * MaxCompressionRatio);

        private const long MaxCompressionRatio = 32;

        public override string Display(string relativePath) => $"{_path}!{relativePath}";

        protected override void Dispose(bool disposing)
        {
            if (disposing) _zip.Dispose();
        }
    }
}
