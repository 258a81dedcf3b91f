namespace MovieRec.Core.Data;

/// <summary>
/// Compressed sparse rows: row <c>r</c>'s entries are <c>Columns[Offsets[r]..Offsets[r+1]]</c> with
/// <c>Values</c> alongside and <c>RatingIndex</c> pointing back into the dataset's arrays (timestamps).
/// Columns within a row are sorted ascending, so two rows intersect with a merge.
/// </summary>
public sealed class CsrMatrix
{
    private readonly int[]? _ratingIndex;
    private readonly WeakReference<int[]>? _droppableIndex;
    private readonly Func<int[]>? _rebuildIndex;
    private readonly Lock _rebuilding = new();

    public CsrMatrix(int rows, int columns, int[] offsets, int[] columnIndices, float[] values, int[] ratingIndex)
        : this(rows, columns, offsets, columnIndices, values)
    {
        _ratingIndex = ratingIndex;
    }

    /// <summary>
    /// A matrix whose <see cref="RatingIndex"/> (one int per entry) is not held: <paramref name="ratingIndex"/> is kept
    /// only while something else uses it, and <paramref name="rebuildIndex"/> makes it again, equal, when it is asked for
    /// after the garbage collector took it. Training reads the index; serving does not, so a service keeps the rows
    /// without it (100 MB per view at 25 million ratings).
    /// </summary>
    public CsrMatrix(int rows, int columns, int[] offsets, int[] columnIndices, float[] values, int[] ratingIndex, Func<int[]> rebuildIndex)
        : this(rows, columns, offsets, columnIndices, values)
    {
        ArgumentNullException.ThrowIfNull(ratingIndex);
        ArgumentNullException.ThrowIfNull(rebuildIndex);
        _droppableIndex = new WeakReference<int[]>(ratingIndex);
        _rebuildIndex = rebuildIndex;
    }

    private CsrMatrix(int rows, int columns, int[] offsets, int[] columnIndices, float[] values)
    {
        Rows = rows;
        ColumnCount = columns;
        Offsets = offsets;
        Columns = columnIndices;
        Values = values;
    }

    public int Rows { get; }
    public int ColumnCount { get; }
    public int[] Offsets { get; }
    public int[] Columns { get; }
    public float[] Values { get; }
    /// <summary>
    /// Each entry's rating in the dataset's coordinate arrays. Read it once into a local before a loop: a matrix that
    /// does not hold its index (see the constructors) may rebuild it on a call.
    /// </summary>
    public int[] RatingIndex
    {
        get
        {
            if (_ratingIndex is { } held) return held;
            if (_droppableIndex!.TryGetTarget(out var index)) return index;
            lock (_rebuilding)
            {
                if (_droppableIndex.TryGetTarget(out index)) return index;
                index = _rebuildIndex!();
                _droppableIndex.SetTarget(index);
                return index;
            }
        }
    }

    /// <summary>Whether the rating index is in memory now (always, unless the matrix was made not to hold it).</summary>
    public bool HoldsRatingIndex => _ratingIndex is not null || _droppableIndex!.TryGetTarget(out _);

    public int NonZeros => Columns.Length;

    public int RowLength(int row) => Offsets[row + 1] - Offsets[row];

    public ReadOnlySpan<int> RowColumns(int row) => Columns.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>
    /// Builds rows from coordinate arrays with a counting sort (O(n + rows)), then sorts each row by column.
    /// </summary>
    public static CsrMatrix Build(int rows, int columns, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> columnOf, ReadOnlySpan<float> values)
    {
        var (offsets, cols, vals, index) = BuildArrays(rows, rowOf, columnOf, values);
        return new CsrMatrix(rows, columns, offsets, cols, vals, index);
    }

    /// <summary>
    /// <see cref="Build"/> that does not hold the rating index (see the constructors): it is rebuilt from the same
    /// coordinate arrays, equal, when asked for after being collected.
    /// </summary>
    public static CsrMatrix BuildDroppingIndex(int rows, int columns, int[] rowOf, int[] columnOf, float[] values)
    {
        var (offsets, cols, vals, index) = BuildArrays(rows, rowOf, columnOf, values);
        return new CsrMatrix(rows, columns, offsets, cols, vals, index, () => BuildArrays(rows, rowOf, columnOf, values).Index);
    }

    private static (int[] Offsets, int[] Columns, float[] Values, int[] Index) BuildArrays(int rows, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> columnOf, ReadOnlySpan<float> values)
    {
        int n = rowOf.Length;
        var offsets = new int[rows + 1];
        foreach (int r in rowOf)
            offsets[r + 1]++;
        for (int r = 0; r < rows; r++)
            offsets[r + 1] += offsets[r];
        var next = offsets.AsSpan(0, rows).ToArray();
        var cols = new int[n];
        var vals = new float[n];
        var index = new int[n];
        for (int k = 0; k < n; k++)
        {
            int pos = next[rowOf[k]]++;
            cols[pos] = columnOf[k];
            vals[pos] = values[k];
            index[pos] = k;
        }
        for (int r = 0; r < rows; r++)
        {
            int start = offsets[r], len = offsets[r + 1] - start;
            if (len > 1 && !IsSorted(cols.AsSpan(start, len)))
            {
                // Sort a permutation so values and back-pointers follow their columns.
                var keys = cols.AsSpan(start, len).ToArray();
                var perm = new int[len];
                for (int i = 0; i < len; i++) perm[i] = i;
                Array.Sort(keys, perm);
                var v = vals.AsSpan(start, len).ToArray();
                var ix = index.AsSpan(start, len).ToArray();
                for (int i = 0; i < len; i++)
                {
                    cols[start + i] = keys[i];
                    vals[start + i] = v[perm[i]];
                    index[start + i] = ix[perm[i]];
                }
            }
        }
        return (offsets, cols, vals, index);
    }

    private static bool IsSorted(ReadOnlySpan<int> span)
    {
        for (int i = 1; i < span.Length; i++)
        {
            if (span[i] < span[i - 1]) return false;
        }
        return true;
    }
}
