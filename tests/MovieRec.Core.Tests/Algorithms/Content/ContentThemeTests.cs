using MovieRec.Core.Algorithms.Content;

namespace MovieRec.Core.Tests.Algorithms.Content;

/// <summary>
/// <see cref="ContentTaste.Theme"/>: only rare keywords, directors and lead actors that at least three liked movies
/// share make a theme; vague keywords and common terms never do.
/// </summary>
public sealed class ContentThemeTests
{
    private const int Items = 400; // 1.5 % of 400: a theme term is on at most 6 movies

    private static readonly string[] Vocabulary = ["k:sport", "k:boxing", "k:friendship", "k:common", "d:someone", "g:drama"];

    /// <summary>A taste over <see cref="Items"/> movies whose terms are given by index into <see cref="Vocabulary"/>.</summary>
    private static ContentTaste Taste(Dictionary<int, int[]> termsOf)
    {
        var offsets = new int[Items + 1];
        var terms = new List<int>();
        for (int i = 0; i < Items; i++)
        {
            var row = termsOf.TryGetValue(i, out var t) ? t.Order().ToArray() : [5];
            terms.AddRange(row);
            offsets[i + 1] = terms.Count;
        }
        var weights = Enumerable.Repeat(0.5f, terms.Count).ToArray();
        var vectors = new SparseVectors(offsets, [.. terms], weights, Vocabulary);
        return ContentTaste.FromParts(vectors, new double[Vocabulary.Length]);
    }

    private static readonly Dictionary<int, int[]> Catalogue = Build();

    private static Dictionary<int, int[]> Build()
    {
        var terms = new Dictionary<int, int[]>
        {
            // Liked: 0-4. "sport" on three of them, "boxing" on two, "friendship" (vague) on all five, "someone" on four.
            [0] = [0, 2, 3, 4],
            [1] = [0, 2, 3, 4],
            [2] = [0, 2, 3, 4],
            [3] = [1, 2, 3, 4],
            [4] = [1, 2, 3],
            [10] = [0, 5],    // a sports film
            [11] = [1, 5],    // boxing: only two liked movies have it
            [12] = [2, 5],    // friendship: never a theme
            [13] = [4, 5],    // the director four liked movies share
            [14] = [0, 4],    // both
        };
        // "common" is on 40 movies: too common to be a theme although all five liked movies have it.
        for (int i = 100; i < 135; i++) terms[i] = [3, 5];
        return terms;
    }

    [Fact]
    public void A_theme_is_what_three_liked_movies_share_weighted_by_count_and_rarity()
    {
        var taste = Taste(Catalogue);
        var fit = new float[Items];
        taste.Theme([0, 1, 2, 3, 4], fit);
        Assert.True(fit[10] > 0, "the sports film");
        Assert.True(fit[13] > fit[10], "four liked movies share the director, three the keyword");
        Assert.Equal(1f, fit[14], 5);
        Assert.Equal(1f, fit[10] + fit[13], 5);
        Assert.Equal(0f, fit[11]);
        Assert.Equal(0f, fit[12]);
        Assert.Equal(0f, fit[100]);
        Assert.Equal(0f, fit[200]);
    }

    [Fact]
    public void Two_liked_movies_or_nothing_shared_make_no_theme()
    {
        var taste = Taste(Catalogue);
        var fit = new float[Items];
        taste.Theme([0, 1], fit);
        Assert.All(fit, f => Assert.Equal(0f, f));
        taste.Theme([3, 4, 12, 200, 201], fit);
        Assert.All(fit, f => Assert.Equal(0f, f));
    }
}
