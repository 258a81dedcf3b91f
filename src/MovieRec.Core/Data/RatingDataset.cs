namespace MovieRec.Core.Data;

/// <summary>
/// Explicit or implicit ratings with dense user and item ids, stored as struct-of-arrays:
/// rating <c>k</c> is (<c>Users[k]</c>, <c>Items[k]</c>, <c>Values[k]</c>, <c>Timestamps[k]</c>).
/// CSR views by user and by item are built once, on first use. A train/test split is two datasets
/// sharing the same <see cref="UserIds"/> and <see cref="ItemIds"/> maps, so models score across them
/// without translation.
/// </summary>
public sealed class RatingDataset
{
    private readonly Lazy<CsrMatrix> _byUser;
    private readonly Lazy<CsrMatrix> _byItem;
    private readonly Lazy<CsrMatrix> _byUserChronological;

    /// <summary>A dataset over the arrays given (shared, not copied); the timestamps are stored in 4 bytes each (see
    /// <see cref="TimestampColumn"/>), so they must lie within 136 years of each other.</summary>
    public RatingDataset(IdMap userIds, IdMap itemIds, int[] users, int[] items, float[] values, long[] timestamps, RatingScale scale)
        : this(userIds, itemIds, users, items, values, TimestampColumn.From(timestamps ?? throw new ArgumentNullException(nameof(timestamps))), scale)
    {
    }

    /// <summary>A dataset over the arrays given (shared, not copied).</summary>
    public RatingDataset(IdMap userIds, IdMap itemIds, int[] users, int[] items, float[] values, TimestampColumn timestamps, RatingScale scale)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        if (items.Length != users.Length || values.Length != users.Length || timestamps.Length != users.Length)
            throw new ArgumentException("users, items, values and timestamps must have the same length.");
        UserIds = userIds;
        ItemIds = itemIds;
        Users = users;
        Items = items;
        Values = values;
        Timestamps = timestamps;
        Scale = scale;
        // The views do not hold their rating index (training reads it, serving does not: 100 MB a view at 25 million
        // ratings); it is rebuilt, equal, when asked for after the garbage collector took it.
        _byUser = new Lazy<CsrMatrix>(() => CsrMatrix.BuildDroppingIndex(UserCount, ItemCount, Users, Items, Values));
        _byItem = new Lazy<CsrMatrix>(() => CsrMatrix.BuildDroppingIndex(ItemCount, UserCount, Items, Users, Values));
        _byUserChronological = new Lazy<CsrMatrix>(BuildChronological);
        double sum = 0;
        foreach (float v in values) sum += v;
        GlobalMean = values.Length == 0 ? 0 : sum / values.Length;
    }

    public IdMap UserIds { get; }
    public IdMap ItemIds { get; }
    public int[] Users { get; }
    public int[] Items { get; }
    public float[] Values { get; }
    /// <summary>Unix seconds per rating, read like a <c>long[]</c> (<c>Timestamps[k]</c>), stored in 4 bytes each.</summary>
    public TimestampColumn Timestamps { get; }
    public RatingScale Scale { get; }

    /// <summary>
    /// The movies behind the item ids, when the dataset came with a catalog: content-based models read their features
    /// from it. Splits share it.
    /// </summary>
    public MovieCatalog? Catalog { get; set; }

    /// <summary>The catalog entry of a dense item id, or null.</summary>
    public Movie? MovieOf(int item) =>
        Catalog is null || (uint)item >= (uint)ItemCount ? null
            : ItemIds.IsNumeric ? Catalog[ItemIds.ToRawNumeric(item)] : Catalog[item];

    /// <summary>Users known to the id map (a split's train part may leave some without ratings).</summary>
    public int UserCount => UserIds.Count;

    /// <summary>Items known to the id map.</summary>
    public int ItemCount => ItemIds.Count;

    public int Count => Users.Length;

    /// <summary>Mean of all rating values (μ in the literature).</summary>
    public double GlobalMean { get; }

    /// <summary>Rows are users, columns items.</summary>
    public CsrMatrix ByUser => _byUser.Value;

    /// <summary>Rows are items, columns users.</summary>
    public CsrMatrix ByItem => _byItem.Value;

    /// <summary>
    /// Rows are users, each row's items in the order they were rated: by timestamp, ties by dense item index (so the same
    /// data always gives the same sequence). Unlike <see cref="ByUser"/> the columns of a row are not sorted by item.
    /// The histories that sequence- and recency-aware models read; built once, on first use.
    /// </summary>
    public CsrMatrix ByUserChronological => _byUserChronological.Value;

    private CsrMatrix BuildChronological()
    {
        var byUser = ByUser;
        var (items, values, index) = ChronologicalArrays(byUser);
        return new CsrMatrix(byUser.Rows, byUser.ColumnCount, byUser.Offsets, items, values, index, () => ChronologicalArrays(ByUser).Index);
    }

    private (int[] Items, float[] Values, int[] Index) ChronologicalArrays(CsrMatrix byUser)
    {
        var times = Timestamps;
        var ratingIndex = byUser.RatingIndex;
        var columns = byUser.Columns;
        var order = new int[byUser.NonZeros];
        for (int p = 0; p < order.Length; p++) order[p] = p;
        Comparison<int> byTime = (a, b) =>
        {
            int c = times[ratingIndex[a]].CompareTo(times[ratingIndex[b]]);
            return c != 0 ? c : columns[a].CompareTo(columns[b]);
        };
        for (int u = 0; u < byUser.Rows; u++)
        {
            int from = byUser.Offsets[u], length = byUser.Offsets[u + 1] - from;
            if (length > 1) order.AsSpan(from, length).Sort(byTime);
        }
        var items = new int[order.Length];
        var values = new float[order.Length];
        var index = new int[order.Length];
        for (int p = 0; p < order.Length; p++)
        {
            items[p] = columns[order[p]];
            values[p] = byUser.Values[order[p]];
            index[p] = ratingIndex[order[p]];
        }
        return (items, values, index);
    }

    /// <summary>Ratings at <paramref name="indices"/>, sharing this dataset's id maps and scale.</summary>
    public RatingDataset Subset(ReadOnlySpan<int> indices)
    {
        int n = indices.Length;
        var u = new int[n];
        var i = new int[n];
        var v = new float[n];
        for (int k = 0; k < n; k++)
        {
            int src = indices[k];
            u[k] = Users[src];
            i[k] = Items[src];
            v[k] = Values[src];
        }
        return new RatingDataset(UserIds, ItemIds, u, i, v, Timestamps.Subset(indices), Scale) { Catalog = Catalog };
    }

    /// <summary>Users with at least one rating in this dataset.</summary>
    public int ActiveUserCount()
    {
        var offsets = ByUser.Offsets;
        int n = 0;
        for (int r = 0; r < UserCount; r++)
        {
            if (offsets[r + 1] > offsets[r]) n++;
        }
        return n;
    }

    /// <summary>Items with at least one rating in this dataset.</summary>
    public int ActiveItemCount()
    {
        var offsets = ByItem.Offsets;
        int n = 0;
        for (int r = 0; r < ItemCount; r++)
        {
            if (offsets[r + 1] > offsets[r]) n++;
        }
        return n;
    }
}
