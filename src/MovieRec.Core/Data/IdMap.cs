using System.Runtime.InteropServices;

namespace MovieRec.Core.Data;

/// <summary>
/// Maps raw ids (MovieLens integers, or strings from other domains) to dense ids <c>0..Count-1</c> and back.
/// Numeric ids take a fast path with no string allocation, which matters when 25 million rows are read.
/// </summary>
public sealed class IdMap
{
    private readonly Dictionary<long, int>? _numeric;
    private readonly Dictionary<string, int>? _strings;
    private readonly List<long>? _numericRaw;
    private readonly List<string>? _stringRaw;

    // The last numeric id looked up: ratings files are sorted by user, so most rows repeat the previous user.
    private long _lastRaw;
    private int _lastDense = -1;

    // Small non-negative ids (every MovieLens user and movie id) are found by indexing: dense + 1, 0 when absent.
    // Larger or negative ids go to the dictionary. At most 4 MiB per map; the table grows to the largest id seen.
    private const long DirectLimit = 1 << 20;
    private int[] _direct = [];

    private IdMap(bool numeric, int capacity)
    {
        if (numeric)
        {
            _numeric = new Dictionary<long, int>(capacity);
            _numericRaw = new List<long>(capacity);
        }
        else
        {
            _strings = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
            _stringRaw = new List<string>(capacity);
        }
    }

    /// <summary>A map whose raw ids are integers (every MovieLens release).</summary>
    public static IdMap CreateNumeric(int capacity = 0) => new(numeric: true, capacity);

    /// <summary>A map whose raw ids are arbitrary strings (music, shops, IMDb tconst).</summary>
    public static IdMap CreateString(int capacity = 0) => new(numeric: false, capacity);

    /// <summary>Builds a numeric map from raw ids in dense order.</summary>
    public static IdMap FromNumeric(ReadOnlySpan<long> rawIds)
    {
        var map = CreateNumeric(rawIds.Length);
        foreach (var id in rawIds)
        {
            if (map.GetOrAdd(id) != map.Count - 1)
                throw new ArgumentException($"Duplicate raw id {id}.", nameof(rawIds));
        }
        return map;
    }

    /// <summary>Builds a string map from raw ids in dense order.</summary>
    public static IdMap FromStrings(IEnumerable<string> rawIds)
    {
        var map = CreateString();
        foreach (var id in rawIds)
        {
            if (map.GetOrAdd(id) != map.Count - 1)
                throw new ArgumentException($"Duplicate raw id '{id}'.", nameof(rawIds));
        }
        return map;
    }

    public bool IsNumeric => _numeric is not null;

    public int Count => _numericRaw?.Count ?? _stringRaw!.Count;

    /// <summary>Dense id of <paramref name="rawId"/>, adding it when new.</summary>
    public int GetOrAdd(long rawId)
    {
        if (_numeric is null)
            return GetOrAdd(rawId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (rawId == _lastRaw && _lastDense >= 0)
            return _lastDense;
        if ((ulong)rawId < DirectLimit)
        {
            if (rawId >= _direct.Length)
                Array.Resize(ref _direct, (int)Math.Min(DirectLimit, Math.Max(rawId + 1, _direct.Length * 2L)));
            ref int cell = ref _direct[rawId];
            if (cell == 0)
            {
                _numeric.Add(rawId, _numericRaw!.Count); // kept complete, so every other lookup stays simple
                _numericRaw.Add(rawId);
                cell = _numericRaw.Count;
            }
            _lastRaw = rawId;
            _lastDense = cell - 1;
            return cell - 1;
        }
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_numeric, rawId, out bool exists);
        if (!exists)
        {
            slot = _numericRaw!.Count;
            _numericRaw.Add(rawId);
        }
        _lastRaw = rawId;
        _lastDense = slot;
        return slot;
    }

    /// <summary>Dense id of <paramref name="rawId"/>, adding it when new.</summary>
    public int GetOrAdd(string rawId)
    {
        if (_strings is null)
        {
            if (long.TryParse(rawId, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n))
                return GetOrAdd(n);
            throw new FormatException($"'{rawId}' is not an integer id.");
        }
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, rawId, out bool exists);
        if (!exists)
        {
            slot = _stringRaw!.Count;
            _stringRaw.Add(rawId);
        }
        return slot;
    }

    /// <summary>Dense id of a raw id, or -1 when unknown.</summary>
    public int ToDense(long rawId)
    {
        if (_numeric is not null)
            return _numeric.TryGetValue(rawId, out int d) ? d : -1;
        return _strings!.TryGetValue(rawId.ToString(System.Globalization.CultureInfo.InvariantCulture), out int s) ? s : -1;
    }

    /// <summary>Dense id of a raw id, or -1 when unknown.</summary>
    public int ToDense(string rawId)
    {
        if (_strings is not null)
            return _strings.TryGetValue(rawId, out int d) ? d : -1;
        return long.TryParse(rawId, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n) ? ToDense(n) : -1;
    }

    /// <summary>The raw id of a dense id as an integer (numeric maps only).</summary>
    public long ToRawNumeric(int dense) =>
        _numericRaw is not null ? _numericRaw[dense] : throw new InvalidOperationException("This id map holds string ids.");

    /// <summary>The raw id of a dense id as text.</summary>
    public string ToRaw(int dense) =>
        _numericRaw is not null
            ? _numericRaw[dense].ToString(System.Globalization.CultureInfo.InvariantCulture)
            : _stringRaw![dense];

    /// <summary>Raw numeric ids in dense order (numeric maps only).</summary>
    public ReadOnlySpan<long> NumericIds =>
        _numericRaw is not null ? CollectionsMarshal.AsSpan(_numericRaw) : throw new InvalidOperationException("This id map holds string ids.");

    /// <summary>Raw string ids in dense order (string maps only).</summary>
    public IReadOnlyList<string> StringIds =>
        _stringRaw ?? throw new InvalidOperationException("This id map holds numeric ids.");
}
