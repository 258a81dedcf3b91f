namespace MovieRec.Core.Data;

/// <summary>
/// Accumulates ratings row by row into growable arrays, then merges duplicate (user, item) pairs
/// keeping the latest timestamp (the later row on a tie), as MovieLens re-ratings mean "changed my mind".
/// </summary>
public sealed class RatingDatasetBuilder
{
    private int[] _users;
    private int[] _items;
    private float[] _values;
    private long[] _timestamps;
    private int _count;

    public RatingDatasetBuilder(IdMap? userIds = null, IdMap? itemIds = null, int capacity = 1024)
    {
        UserIds = userIds ?? IdMap.CreateNumeric();
        ItemIds = itemIds ?? IdMap.CreateNumeric();
        capacity = Math.Max(capacity, 16);
        _users = new int[capacity];
        _items = new int[capacity];
        _values = new float[capacity];
        _timestamps = new long[capacity];
    }

    public IdMap UserIds { get; }
    public IdMap ItemIds { get; }
    public int Count => _count;

    /// <summary>Duplicate pairs merged by the last <see cref="Build"/>.</summary>
    public int DuplicatesMerged { get; private set; }

    public void Add(int user, int item, float value, long timestamp)
    {
        if (_count == _users.Length)
            Grow();
        _users[_count] = user;
        _items[_count] = item;
        _values[_count] = value;
        _timestamps[_count] = timestamp;
        _count++;
    }

    public void Add(long rawUser, long rawItem, float value, long timestamp) =>
        Add(UserIds.GetOrAdd(rawUser), ItemIds.GetOrAdd(rawItem), value, timestamp);

    public void Add(string rawUser, string rawItem, float value, long timestamp) =>
        Add(UserIds.GetOrAdd(rawUser), ItemIds.GetOrAdd(rawItem), value, timestamp);

    private void Grow()
    {
        int size = checked(_users.Length * 2);
        Array.Resize(ref _users, size);
        Array.Resize(ref _items, size);
        Array.Resize(ref _values, size);
        Array.Resize(ref _timestamps, size);
    }

    /// <summary>
    /// The dataset, with duplicates merged. <paramref name="scale"/> null detects the scale from the values.
    /// </summary>
    public RatingDataset Build(RatingScale? scale = null)
    {
        int n = _count;
        var keep = FindDuplicates(n, out int removed);
        DuplicatesMerged = removed;
        int m = n - removed;
        var users = new int[m];
        var items = new int[m];
        var values = new float[m];
        TimestampColumn timestamps;
        if (removed == 0)
        {
            Array.Copy(_users, users, m);
            Array.Copy(_items, items, m);
            Array.Copy(_values, values, m);
            timestamps = TimestampColumn.From(_timestamps.AsSpan(0, m));
        }
        else
        {
            var seconds = new long[m];
            int w = 0;
            for (int k = 0; k < n; k++)
            {
                if (!keep![k]) continue;
                users[w] = _users[k];
                items[w] = _items[k];
                values[w] = _values[k];
                seconds[w] = _timestamps[k];
                w++;
            }
            timestamps = TimestampColumn.From(seconds);
        }
        return new RatingDataset(UserIds, ItemIds, users, items, values, timestamps, scale ?? RatingScale.Detect(values));
    }

    /// <summary>One O(n) pass per user with a last-seen marker per item; null when there is nothing to drop.</summary>
    private bool[]? FindDuplicates(int n, out int removed)
    {
        removed = 0;
        int userCount = UserIds.Count, itemCount = ItemIds.Count;
        // Files sorted by user (every MovieLens release) need no grouping pass: row order is already by user.
        bool grouped = true;
        for (int k = 1; k < n && grouped; k++) grouped = _users[k] >= _users[k - 1];
        if (grouped)
            return FindDuplicatesInOrder(n, itemCount, out removed);

        var offsets = new int[userCount + 1];
        for (int k = 0; k < n; k++) offsets[_users[k] + 1]++;
        for (int u = 0; u < userCount; u++) offsets[u + 1] += offsets[u];
        var order = new int[n];
        var next = offsets.AsSpan(0, userCount).ToArray();
        for (int k = 0; k < n; k++) order[next[_users[k]]++] = k;

        var scan = new DuplicateScan(itemCount, n);
        // order[] is ascending in k within a user, so each visited row is later than the ones before it.
        for (int u = 0; u < userCount; u++)
        {
            for (int p = offsets[u]; p < offsets[u + 1]; p++) scan.Visit(order[p], u, _items, _timestamps);
        }
        removed = scan.Removed;
        return scan.Keep;
    }

    /// <summary><see cref="FindDuplicates"/> for rows already grouped by user (users non-decreasing).</summary>
    private bool[]? FindDuplicatesInOrder(int n, int itemCount, out int removed)
    {
        var scan = new DuplicateScan(itemCount, n);
        for (int k = 0; k < n; k++) scan.Visit(k, _users[k], _items, _timestamps);
        removed = scan.Removed;
        return scan.Keep;
    }

    /// <summary>
    /// Rows of one user visited in file order: a repeated item keeps the row with the later timestamp (the later row on
    /// a tie). Keep stays null until the first duplicate, so clean files allocate nothing for it.
    /// </summary>
    private struct DuplicateScan(int itemCount, int rows)
    {
        private readonly int[] _seenBy = CreateFilled(itemCount, -1);
        private readonly int[] _seenAt = new int[itemCount];

        public bool[]? Keep { get; private set; }

        public int Removed { get; private set; }

        public void Visit(int k, int user, int[] items, long[] timestamps)
        {
            int item = items[k];
            if (_seenBy[item] != user)
            {
                _seenBy[item] = user;
                _seenAt[item] = k;
                return;
            }
            Keep ??= CreateKeepAll(rows);
            int previous = _seenAt[item];
            if (timestamps[k] >= timestamps[previous])
            {
                Keep[previous] = false;
                _seenAt[item] = k;
            }
            else
            {
                Keep[k] = false;
            }
            Removed++;
        }

        private static int[] CreateFilled(int n, int value)
        {
            var a = new int[n];
            Array.Fill(a, value);
            return a;
        }
    }

    private static bool[] CreateKeepAll(int n)
    {
        var keep = new bool[n];
        Array.Fill(keep, true);
        return keep;
    }
}
