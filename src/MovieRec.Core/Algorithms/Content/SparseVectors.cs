namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Documents as sparse term vectors in CSR form (row = document, column = term, sorted), L2-normalised so that a
/// dot product is the cosine similarity.
/// </summary>
public sealed class SparseVectors
{
    public SparseVectors(int[] offsets, int[] terms, float[] weights, IReadOnlyList<string> vocabulary)
    {
        Offsets = offsets;
        Terms = terms;
        Weights = weights;
        Vocabulary = vocabulary;
    }

    public int[] Offsets { get; }
    public int[] Terms { get; }
    public float[] Weights { get; }
    public IReadOnlyList<string> Vocabulary { get; }
    public int Rows => Offsets.Length - 1;
    public int NonZeros => Terms.Length;

    public ReadOnlySpan<int> RowTerms(int row) => Terms.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    public ReadOnlySpan<float> RowWeights(int row) => Weights.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>How rows weight their terms.</summary>
    public enum Weighting
    {
        /// <summary>Raw counts (scikit-learn's CountVectorizer).</summary>
        Count,

        /// <summary>Count x smoothed idf, ln((1 + n) / (1 + df)) + 1 (scikit-learn's TfidfVectorizer default).</summary>
        TfIdf,
    }

    /// <summary>Builds normalised vectors from each document's tokens.</summary>
    public static SparseVectors Build(IReadOnlyList<IReadOnlyList<string>> documents, Weighting weighting)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var terms = new List<string>();
        var offsets = new int[documents.Count + 1];
        var rowTerms = new List<int>();
        var rowCounts = new List<float>();
        var ids = new List<int>();
        for (int d = 0; d < documents.Count; d++)
        {
            // Term ids of the document, sorted, then run-length counted: no dictionary per document.
            ids.Clear();
            foreach (var token in documents[d])
            {
                ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(vocabulary, token, out bool exists);
                if (!exists)
                {
                    slot = terms.Count;
                    terms.Add(token);
                }
                ids.Add(slot);
            }
            ids.Sort();
            for (int k = 0; k < ids.Count;)
            {
                int t = ids[k], run = 1;
                while (k + run < ids.Count && ids[k + run] == t) run++;
                rowTerms.Add(t);
                rowCounts.Add(run);
                k += run;
            }
            offsets[d + 1] = rowTerms.Count;
        }
        var weights = rowCounts.ToArray();
        var termArray = rowTerms.ToArray();
        if (weighting == Weighting.TfIdf)
        {
            var df = new int[terms.Count];
            foreach (int t in termArray) df[t]++;
            int n = documents.Count;
            for (int k = 0; k < weights.Length; k++)
                weights[k] *= (float)(Math.Log((1.0 + n) / (1.0 + df[termArray[k]])) + 1);
        }
        for (int d = 0; d < documents.Count; d++)
        {
            var w = weights.AsSpan(offsets[d], offsets[d + 1] - offsets[d]);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(w);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(w, norm, w);
        }
        return new SparseVectors(offsets, termArray, weights, terms);
    }

    /// <summary>
    /// Blocks of vectors over the same rows joined side by side, each block's weights multiplied by its scale and the
    /// rows not normalised again: with unit-length blocks and Σ scale² = 1, the dot product of two rows is the
    /// scale²-weighted sum of the blocks' cosines, a block empty on either side adding 0. Block b's terms are
    /// numbered after those of the blocks before it and named with its prefix.
    /// </summary>
    public static SparseVectors Concatenate(IReadOnlyList<(SparseVectors Block, float Scale, string Prefix)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException("Concatenate needs at least one block.", nameof(blocks));
        int rows = blocks[0].Block.Rows, nonZeros = 0;
        foreach (var (block, _, _) in blocks)
        {
            if (block.Rows != rows) throw new ArgumentException("Every block must have the same rows.", nameof(blocks));
            nonZeros += block.NonZeros;
        }
        var offsets = new int[rows + 1];
        var terms = new int[nonZeros];
        var weights = new float[nonZeros];
        var vocabulary = new List<string>();
        var firstTerm = new int[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            firstTerm[b] = vocabulary.Count;
            foreach (var term in blocks[b].Block.Vocabulary) vocabulary.Add(blocks[b].Prefix + term);
        }
        int at = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int b = 0; b < blocks.Count; b++)
            {
                var (block, scale, _) = blocks[b];
                var t = block.RowTerms(r);
                var w = block.RowWeights(r);
                for (int k = 0; k < t.Length; k++, at++)
                {
                    terms[at] = t[k] + firstTerm[b];
                    weights[at] = w[k] * scale;
                }
            }
            offsets[r + 1] = at;
        }
        return new SparseVectors(offsets, terms, weights, vocabulary);
    }
}
