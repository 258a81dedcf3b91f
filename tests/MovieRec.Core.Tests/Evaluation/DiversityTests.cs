using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public class DiversityTests
{
    [Fact]
    public void Intra_list_diversity_by_hand()
    {
        // Items 0 and 1 are identical, 2 shares nothing with either.
        float Sim(int a, int b) => (a, b) is (0, 1) or (1, 0) ? 1f : a == b ? 1f : 0f;
        // List [0,1]: one pair, dissimilarity 0. List [0,1,2]: pairs (0,1)=0, (0,2)=1, (1,2)=1 -> 2/3.
        Assert.Equal((0 + 2.0 / 3) / 2, Diversity.IntraList([[0, 1], [0, 1, 2]], Sim), 10);
        Assert.Equal(0, Diversity.IntraList([[5]], Sim));
    }

    [Fact]
    public void Coverage_counts_distinct_items()
    {
        Assert.Equal(0.3, Diversity.Coverage([[0, 1], [1, 2]], 10), 10);
    }
}
