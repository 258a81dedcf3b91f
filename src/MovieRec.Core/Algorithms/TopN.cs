using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>A recommended item with its score.</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>
/// How items with equal scores are ordered: by a precomputed position per item (0 first). For recommendation lists
/// the position comes from <see cref="ByTrainingRatings(RatingDataset)"/>: more training ratings first, and only
/// items equal in both fall back to the lower item id. <see cref="ById"/> (the default value) orders ties by item id
/// alone, for lists that are not rankings of training items (search hits, a neighbour list).
/// </summary>
public readonly struct TieBreak
{
    private readonly int[]? _position;

    private TieBreak(int[] position) => _position = position;

    /// <summary>Ties by ascending item id.</summary>
    public static TieBreak ById => default;

    /// <summary>Ties by more training ratings first, then by ascending item id.</summary>
    public static TieBreak ByTrainingRatings(RatingDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var offsets = train.ByItem.Offsets;
        var counts = new int[train.ItemCount];
        for (int i = 0; i < counts.Length; i++) counts[i] = offsets[i + 1] - offsets[i];
        return ByTrainingRatings(counts);
    }

    /// <summary>Ties by more of <paramref name="ratingCounts"/> (one per item) first, then by ascending item id.</summary>
    public static TieBreak ByTrainingRatings(ReadOnlySpan<int> ratingCounts)
    {
        int n = ratingCounts.Length;
        var order = new int[n];
        var keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            // Descending count, then ascending id, as one ascending key.
            keys[i] = ((long)(int.MaxValue - ratingCounts[i]) << 32) | (uint)i;
        }
        Array.Sort(keys, order);
        var position = new int[n];
        for (int p = 0; p < n; p++) position[order[p]] = p;
        return new TieBreak(position);
    }

    /// <summary>The same order for a list of <paramref name="items"/> indexed 0..n-1 (scores gathered for a subset).</summary>
    public TieBreak Local(ReadOnlySpan<int> items)
    {
        var position = new int[items.Length];
        for (int k = 0; k < items.Length; k++) position[k] = Position(items[k]);
        return new TieBreak(position);
    }

    /// <summary>The item's place among items of equal score (lower comes first).</summary>
    public int Position(int item) => _position is null || (uint)item >= (uint)_position.Length ? item : _position[item];

    /// <summary>Whether (score a, item a) ranks before (score b, item b): higher score, then the lower position.</summary>
    public bool Before(float scoreA, int itemA, float scoreB, int itemB) =>
        scoreA > scoreB || (scoreA == scoreB && Position(itemA) < Position(itemB));
}

/// <summary>
/// Shared top-N selection: a bounded min-heap over one score per item, skipping excluded items (those the user
/// rated), NaN scores and items a filter rejects. O(n log k), no allocation beyond the k results.
/// </summary>
public static class TopN
{
    /// <summary>
    /// The <paramref name="k"/> best items, best first. Equal scores are ordered by <paramref name="ties"/>: for a
    /// recommendation list <see cref="TieBreak.ByTrainingRatings(RatingDataset)"/> (more training ratings first, then
    /// the lower item id), so a list is deterministic and a block of tied scores is not ordered by id.
    /// </summary>
    /// <param name="scores">One score per item; NaN scores are never selected.</param>
    /// <param name="k">How many to keep.</param>
    /// <param name="ties">The order of equal scores.</param>
    /// <param name="exclude">Items to leave out, sorted ascending (a CSR row of the user's rated items).</param>
    /// <param name="filter">Optional candidate filter (genres, years); null keeps every item.</param>
    public static ScoredItem[] Select(ReadOnlySpan<float> scores, int k, TieBreak ties, ReadOnlySpan<int> exclude = default, Func<int, bool>? filter = null)
    {
        if (k <= 0) return [];
        var heap = new ScoredItem[k];
        int size = Heap(scores, ties, exclude, filter, heap);
        var result = heap.AsSpan(0, size).ToArray();
        Array.Sort(result, (a, b) => ties.Before(a.Score, a.Item, b.Score, b.Item) ? -1 : ties.Before(b.Score, b.Item, a.Score, a.Item) ? 1 : 0);
        return result;
    }

    /// <summary>
    /// The items <see cref="Select"/> would return, in no particular order, into <paramref name="heap"/> (its length is
    /// k); returns how many. For callers that use the best k as a set: no allocation.
    /// </summary>
    public static int SelectUnordered(ReadOnlySpan<float> scores, TieBreak ties, ReadOnlySpan<int> exclude, Span<ScoredItem> heap) =>
        heap.IsEmpty ? 0 : Heap(scores, ties, exclude, null, heap);

    private static int Heap(ReadOnlySpan<float> scores, TieBreak ties, ReadOnlySpan<int> exclude, Func<int, bool>? filter, Span<ScoredItem> heap)
    {
        int k = heap.Length;
        int size = 0, e = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            while (e < exclude.Length && exclude[e] < i) e++;
            if (e < exclude.Length && exclude[e] == i) continue;
            float s = scores[i];
            if (float.IsNaN(s)) continue;
            if (size == k && !ties.Before(s, i, heap[0].Score, heap[0].Item)) continue;
            if (filter is not null && !filter(i)) continue;
            if (size < k)
            {
                heap[size] = new ScoredItem(i, s);
                SiftUp(heap, size++, ties);
            }
            else
            {
                heap[0] = new ScoredItem(i, s);
                SiftDown(heap, 0, size, ties);
            }
        }
        return size;
    }

    // The heap's root is the worst kept item.
    private static bool Before(ScoredItem a, ScoredItem b, TieBreak ties) => ties.Before(a.Score, a.Item, b.Score, b.Item);

    private static void SiftUp(Span<ScoredItem> heap, int i, TieBreak ties)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(heap[parent], heap[i], ties)) break;
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(Span<ScoredItem> heap, int i, int size, TieBreak ties)
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && Before(heap[worst], heap[l], ties)) worst = l;
            if (r < size && Before(heap[worst], heap[r], ties)) worst = r;
            if (worst == i) return;
            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
