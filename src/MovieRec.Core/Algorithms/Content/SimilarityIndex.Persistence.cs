using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Model-file arrays of a <see cref="SimilarityIndex"/>: k slots per row (neighbours, similarities) and the filled count.</summary>
public sealed partial class SimilarityIndex
{
    internal void Write(ModelWriter writer)
    {
        writer.Write("index_k", [K]);
        writer.Write("index_neighbors", _neighbours);
        writer.Write("index_similarities", _similarities);
        writer.Write("index_counts", _counts);
    }

    /// <summary>The index written by <see cref="Write"/>, checked: <paramref name="rows"/> rows of neighbours among them.</summary>
    internal static SimilarityIndex Read(ModelContents contents, int rows)
    {
        var k = contents.Ints("index_k");
        var neighbours = contents.Ints("index_neighbors");
        var similarities = contents.Floats("index_similarities");
        var counts = contents.Ints("index_counts");
        bool ok = k.Length == 1 && k[0] > 0 && counts.Length == rows && neighbours.Length == (long)rows * k[0] && similarities.Length == neighbours.Length;
        for (int r = 0; ok && r < rows; r++)
        {
            ok = counts[r] >= 0 && counts[r] <= k[0];
            for (int j = 0; ok && j < counts[r]; j++) ok = (uint)neighbours[r * k[0] + j] < (uint)rows;
        }
        PersistentModels.Check(contents, ok, "the content neighbour index does not match the item id map");
        return new SimilarityIndex(rows, k[0], neighbours, similarities, counts);
    }
}
