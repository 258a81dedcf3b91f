using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// "Because you liked X": explains any recommendation from the user's ratings, whichever model produced it. The liked
/// movie (rated at or above the user's mean) most similar in content wins, with the features the two share; without
/// content overlap, the liked movie most co-rated with the recommendation.
/// </summary>
/// <param name="data">The ratings the item ids refer to and the catalogue that gives the movies.</param>
/// <param name="itemVectors">Unit-length content vectors aligned with the item ids (<see cref="ContentRecommender.Similarity"/>).</param>
public sealed class Explainer(TrainingData data, SparseVectors itemVectors)
{
    private readonly TrainingData _data = data ?? throw new ArgumentNullException(nameof(data));
    private readonly SparseVectors _itemVectors = itemVectors ?? throw new ArgumentNullException(nameof(itemVectors));

    /// <summary>
    /// Why <paramref name="item"/> suits someone with <paramref name="ratings"/>: the liked movie (rated at or above the
    /// user's mean) most similar in content, with the features they share, else the liked movie most co-rated with it.
    /// </summary>
    public Explanation Explain(ReadOnlySpan<ItemRating> ratings, int item)
    {
        var data = _data;
        var train = data.Ratings;
        if (ratings.IsEmpty) return new Explanation(null, "popular with MovieRec users", []);
        float mean = 0;
        foreach (var r in ratings) mean += r.Rating;
        mean /= ratings.Length;
        var vectors = _itemVectors;
        int best = -1;
        float bestSim = 0;
        foreach (var r in ratings)
        {
            if (r.Rating < mean || r.Item == item) continue;
            float sim = Cosine(vectors, r.Item, item);
            if (sim > bestSim)
            {
                bestSim = sim;
                best = r.Item;
            }
        }
        if (best >= 0 && data.MovieOf(best) is { } liked && data.MovieOf(item) is { } target)
        {
            var shared = SharedFeatures(liked, target);
            var text = shared.Count > 0 ? $"because you liked {liked.Title}: {string.Join(", ", shared)}" : $"because you liked {liked.Title}";
            return new Explanation(best, text, shared);
        }
        int coRated = -1, bestCount = 0;
        foreach (var r in ratings)
        {
            if (r.Rating < mean || r.Item == item) continue;
            int count = CountCommon(train.ByItem.RowColumns(r.Item), train.ByItem.RowColumns(item));
            if (count > bestCount)
            {
                bestCount = count;
                coRated = r.Item;
            }
        }
        if (coRated >= 0 && data.MovieOf(coRated) is { } source)
            return new Explanation(coRated, $"because you liked {source.Title}: people who rated it also rated this", []);
        return new Explanation(null, "popular with people whose ratings resemble yours", []);
    }

    /// <summary>"same director (Michael Mann)", "also starring Al Pacino", "crime", keyword matches.</summary>
    public static List<string> SharedFeatures(Movie a, Movie b)
    {
        var shared = new List<string>();
        if (a.Tmdb is { } ta && b.Tmdb is { } tb)
        {
            var director = ta.Directors.Intersect(tb.Directors).FirstOrDefault();
            if (director is not null) shared.Add($"same director ({director})");
            var actor = ta.Cast.Take(5).Intersect(tb.Cast.Take(5)).FirstOrDefault();
            if (actor is not null) shared.Add($"also starring {actor}");
        }
        var genres = a.Genres.Intersect(b.Genres).Take(2).Select(g => g.ToLowerInvariant()).ToList();
        shared.AddRange(genres);
        if (a.Tmdb is { } ka && b.Tmdb is { } kb)
            shared.AddRange(ka.Keywords.Intersect(kb.Keywords).Take(2));
        return shared;
    }

    private static float Cosine(SparseVectors v, int a, int b)
    {
        if ((uint)a >= (uint)v.Rows || (uint)b >= (uint)v.Rows) return 0;
        var ta = v.RowTerms(a);
        var wa = v.RowWeights(a);
        var tb = v.RowTerms(b);
        var wb = v.RowWeights(b);
        float s = 0;
        int i = 0, j = 0;
        while (i < ta.Length && j < tb.Length)
        {
            if (ta[i] == tb[j]) s += wa[i++] * wb[j++];
            else if (ta[i] < tb[j]) i++;
            else j++;
        }
        return s;
    }

    private static int CountCommon(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                n++;
                i++;
                j++;
            }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return n;
    }

}
