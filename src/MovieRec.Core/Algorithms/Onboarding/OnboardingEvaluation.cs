using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Onboarding;

/// <summary>How well an onboarding set serves simulated new users.</summary>
/// <param name="Strategy">The set's name.</param>
/// <param name="Users">Simulated new users.</param>
/// <param name="MeanAnswers">Onboarding movies the users had rated (the rest are "haven't seen").</param>
/// <param name="HitRate">Share of users with a relevant movie (rated 4 or more) in their top 10.</param>
/// <param name="Precision">Mean share of the top 10 that is relevant.</param>
public sealed record OnboardingResult(string Strategy, int Users, double MeanAnswers, double HitRate, double Precision);

/// <summary>
/// Simulated new users: a seeded share of users is held out; a fold-in model is trained on everyone else. Each held-out
/// user "answers" the onboarding set from their real ratings (movies they never rated count as "haven't seen"), is folded
/// in from those answers alone, and gets a top 10; a hit is a recommended movie they rated 4 or more. Every strategy is
/// judged on the same candidates and the same truth: the movies any compared strategy asks about are excluded from both
/// (otherwise a strategy that asks about the most popular movies would be punished for removing them from its own list).
/// </summary>
public static class OnboardingEvaluation
{
    public const float Relevant = 4.0f;

    /// <summary>Compares onboarding sets on the same candidates and truth.</summary>
    public static IReadOnlyList<OnboardingResult> Compare(IReadOnlyList<(string Name, IReadOnlyList<int> Items)> strategies, IRecommender model, RatingDataset all, IReadOnlyList<int> newUsers, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(newUsers);
        var excluded = strategies.SelectMany(s => s.Items).Distinct().Order().ToArray();
        // Ties in a list go to the items with more training ratings (the held-out users' ratings are not training ones).
        var isNew = new bool[all.UserCount];
        foreach (int u in newUsers) isNew[u] = true;
        var counts = new int[all.ItemCount];
        for (int k = 0; k < all.Count; k++)
        {
            if (!isNew[all.Users[k]]) counts[all.Items[k]]++;
        }
        var ties = TieBreak.ByTrainingRatings(counts);
        return [.. strategies.Select(s => Evaluate(s.Name, s.Items, model, all, newUsers, itemCount, excluded, ties))];
    }

    public static (RatingDataset Train, int[] NewUsers) HoldOutUsers(RatingDataset ratings, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var users = Enumerable.Range(0, ratings.UserCount).Where(u => ratings.ByUser.RowLength(u) > 0).ToArray();
        new Random(seed).Shuffle(users);
        var held = users.Take(Math.Max(1, (int)(users.Length * fraction))).Order().ToArray();
        var isHeld = new bool[ratings.UserCount];
        foreach (int u in held) isHeld[u] = true;
        var keep = new List<int>(ratings.Count);
        for (int k = 0; k < ratings.Count; k++)
        {
            if (!isHeld[ratings.Users[k]]) keep.Add(k);
        }
        return (ratings.Subset(keep.ToArray()), held);
    }

    /// <summary>One set; <paramref name="excluded"/> (sorted) is left out of every list and of the truth; equal scores are ordered by <paramref name="ties"/>.</summary>
    public static OnboardingResult Evaluate(string strategy, IReadOnlyList<int> onboardingItems, IRecommender model, RatingDataset all, IReadOnlyList<int> newUsers, int itemCount, int[] excluded,
        TieBreak ties)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentNullException.ThrowIfNull(onboardingItems);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(newUsers);
        var asked = new HashSet<int>(onboardingItems);
        var isExcluded = new HashSet<int>(excluded);
        int hits = 0;
        double precision = 0;
        long answers = 0;
        var scores = new float[itemCount];
        foreach (int u in newUsers)
        {
            var items = all.ByUser.RowColumns(u);
            var values = all.ByUser.RowValues(u);
            var answered = new List<ItemRating>();
            var relevant = new HashSet<int>();
            for (int k = 0; k < items.Length; k++)
            {
                if (asked.Contains(items[k])) answered.Add(new ItemRating(items[k], values[k]));
                if (!isExcluded.Contains(items[k]) && values[k] >= Relevant) relevant.Add(items[k]);
            }
            answers += answered.Count;
            var folded = model.FoldIn(answered.ToArray());
            model.Score(folded, scores);
            var top = TopN.Select(scores, 10, ties, excluded);
            int relevantInTop = top.Count(t => relevant.Contains(t.Item));
            if (relevantInTop > 0) hits++;
            precision += relevantInTop / 10.0;
        }
        int n = Math.Max(1, newUsers.Count);
        return new OnboardingResult(strategy, newUsers.Count, (double)answers / n, (double)hits / n, precision / n);
    }
}
