namespace MovieRec.Core.Algorithms;

/// <summary>A recommended item with its score.</summary>
public readonly record struct ScoredItem(int Item, float Score);

/// <summary>
/// Shared top-N selection: a bounded min-heap over one score per item, skipping excluded items (those the user
/// rated) and items a filter rejects. O(n log k), no allocation beyond the k results.
/// </summary>
public static class TopN
{
    /// <param name="scores">One score per item; NaN scores are never selected.</param>
    /// <param name="k">How many to keep.</param>
    /// <param name="exclude">Items to leave out, sorted ascending (a CSR row of the user's rated items).</param>
    /// <param name="filter">Optional candidate filter (genres, years); null keeps every item.</param>
    public static ScoredItem[] Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<int> exclude = default, Func<int, bool>? filter = null)
    {
        if (k <= 0) return [];
        var heap = new ScoredItem[k];
        int size = 0, e = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            while (e < exclude.Length && exclude[e] < i) e++;
            if (e < exclude.Length && exclude[e] == i) continue;
            float s = scores[i];
            if (float.IsNaN(s)) continue;
            if (size == k && !Better(s, i, heap[0])) continue;
            if (filter is not null && !filter(i)) continue;
            if (size < k)
            {
                heap[size] = new ScoredItem(i, s);
                SiftUp(heap, size++);
            }
            else
            {
                heap[0] = new ScoredItem(i, s);
                SiftDown(heap, 0, size);
            }
        }
        var result = heap.AsSpan(0, size).ToArray();
        // Best first; equal scores by ascending item id so results are deterministic.
        Array.Sort(result, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Item.CompareTo(b.Item));
        return result;
    }

    /// <summary>Whether (score, item) ranks above <paramref name="other"/>: higher score, then lower id.</summary>
    private static bool Better(float score, int item, ScoredItem other) =>
        score > other.Score || (score == other.Score && item < other.Item);

    private static void SiftUp(ScoredItem[] heap, int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Better(heap[parent].Score, heap[parent].Item, heap[i])) break;
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(ScoredItem[] heap, int i, int size)
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && Better(heap[worst].Score, heap[worst].Item, heap[l])) worst = l;
            if (r < size && Better(heap[worst].Score, heap[worst].Item, heap[r])) worst = r;
            if (worst == i) return;
            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
