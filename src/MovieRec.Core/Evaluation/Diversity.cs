namespace MovieRec.Core.Evaluation;

/// <summary>Beyond accuracy: how varied recommendation lists are (Ziegler et al. 2005, "Improving recommendation lists through topic diversification").</summary>
public static class Diversity
{
    /// <summary>
    /// Intra-list diversity: the mean over lists of the mean pairwise dissimilarity 1 − sim(i, j) of the items in the
    /// list. 0 when every list holds near-duplicates, 1 when no two items share anything.
    /// </summary>
    public static double IntraList(IReadOnlyList<int[]> lists, Func<int, int, float> similarity)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(similarity);
        double total = 0;
        int counted = 0;
        foreach (var list in lists)
        {
            if (list.Length < 2) continue;
            double sum = 0;
            int pairs = 0;
            for (int a = 0; a < list.Length; a++)
            {
                for (int b = a + 1; b < list.Length; b++)
                {
                    sum += 1 - similarity(list[a], list[b]);
                    pairs++;
                }
            }
            total += sum / pairs;
            counted++;
        }
        return counted == 0 ? 0 : total / counted;
    }

    /// <summary>Catalogue coverage: the share of <paramref name="itemCount"/> items that appear in any list.</summary>
    public static double Coverage(IReadOnlyList<int[]> lists, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var seen = new HashSet<int>();
        foreach (var list in lists) seen.UnionWith(list);
        return itemCount == 0 ? 0 : (double)seen.Count / itemCount;
    }
}
