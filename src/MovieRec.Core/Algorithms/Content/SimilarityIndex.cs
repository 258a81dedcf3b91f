namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// The k most similar rows of every row, stored sparsely (k entries per row, best first): O(n k) memory instead of
/// a dense n x n matrix. Built from <see cref="SparseVectors"/> through an inverted index, so only pairs that share
/// a term are ever touched.
/// </summary>
public sealed partial class SimilarityIndex
{
    private readonly int[] _neighbours;
    private readonly float[] _similarities;
    private readonly int[] _counts;

    private SimilarityIndex(int rows, int k, int[] neighbours, float[] similarities, int[] counts)
    {
        Rows = rows;
        K = k;
        _neighbours = neighbours;
        _similarities = similarities;
        _counts = counts;
    }

    public int Rows { get; }

    /// <summary>Neighbours kept per row.</summary>
    public int K { get; }

    /// <summary>Bytes held by the index.</summary>
    public long Bytes => (long)_neighbours.Length * sizeof(int) + (long)_similarities.Length * sizeof(float) + (long)_counts.Length * sizeof(int);

    public ReadOnlySpan<int> Neighbours(int row) => _neighbours.AsSpan(row * K, _counts[row]);

    public ReadOnlySpan<float> Similarities(int row) => _similarities.AsSpan(row * K, _counts[row]);

    /// <summary>
    /// Cosine top-<paramref name="k"/> for every row (rows are L2-normalised, so the dot product is the cosine),
    /// excluding the row itself; parallel over rows with a dense accumulator per worker.
    /// </summary>
    public static SimilarityIndex Build(SparseVectors vectors, int k, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        OptionChecks.Positive(k, nameof(k));
        int n = vectors.Rows;
        k = Math.Min(k, Math.Max(1, n - 1));
        var (postingOffsets, postingRows, postingWeights) = Invert(vectors);
        var neighbours = new int[n * k];
        var similarities = new float[n * k];
        var counts = new int[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, n, options,
            () => (Scores: new float[n], Touched: new int[n]),
            (row, _, buffers) =>
            {
                var (scores, touched) = buffers;
                int touchedCount = 0;
                var terms = vectors.RowTerms(row);
                var weights = vectors.RowWeights(row);
                for (int t = 0; t < terms.Length; t++)
                {
                    int term = terms[t];
                    float w = weights[t];
                    for (int p = postingOffsets[term]; p < postingOffsets[term + 1]; p++)
                    {
                        int other = postingRows[p];
                        if (scores[other] == 0) touched[touchedCount++] = other;
                        scores[other] += w * postingWeights[p];
                    }
                }
                scores[row] = 0;
                int count = SelectTop(scores, touched.AsSpan(0, touchedCount), row, neighbours.AsSpan(row * k, k), similarities.AsSpan(row * k, k));
                counts[row] = count;
                foreach (int other in touched.AsSpan(0, touchedCount)) scores[other] = 0;
                return buffers;
            },
            _ => { });
        return new SimilarityIndex(n, k, neighbours, similarities, counts);
    }

    private static (int[] Offsets, int[] Rows, float[] Weights) Invert(SparseVectors v)
    {
        int terms = v.Vocabulary.Count;
        var offsets = new int[terms + 1];
        foreach (int t in v.Terms) offsets[t + 1]++;
        for (int t = 0; t < terms; t++) offsets[t + 1] += offsets[t];
        var next = offsets[..terms];
        var rows = new int[v.NonZeros];
        var weights = new float[v.NonZeros];
        for (int r = 0; r < v.Rows; r++)
        {
            for (int p = v.Offsets[r]; p < v.Offsets[r + 1]; p++)
            {
                int slot = next[v.Terms[p]]++;
                rows[slot] = r;
                weights[slot] = v.Weights[p];
            }
        }
        return (offsets, rows, weights);
    }

    /// <summary>Top entries among the touched candidates, best first; ties by lower row id.</summary>
    private static int SelectTop(float[] scores, ReadOnlySpan<int> candidates, int self, Span<int> outRows, Span<float> outScores)
    {
        int k = outRows.Length, size = 0;
        foreach (int c in candidates)
        {
            if (c == self) continue;
            float s = scores[c];
            if (s <= 0) continue;
            if (size == k && !Better(s, c, outScores[size - 1], outRows[size - 1])) continue;
            int pos = size < k ? size++ : k - 1;
            // Insertion keeps the short list sorted; k is small (tens), candidates many.
            while (pos > 0 && Better(s, c, outScores[pos - 1], outRows[pos - 1]))
            {
                outScores[pos] = outScores[pos - 1];
                outRows[pos] = outRows[pos - 1];
                pos--;
            }
            outScores[pos] = s;
            outRows[pos] = c;
        }
        return size;
    }

    private static bool Better(float s, int row, float otherScore, int otherRow) =>
        s > otherScore || (s == otherScore && row < otherRow);
}
