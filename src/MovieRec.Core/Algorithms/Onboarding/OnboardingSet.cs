using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Onboarding;

/// <summary>A movie to ask a new user about, with the cluster it stands for.</summary>
public sealed record OnboardingMovie(Movie Movie, int Item, int Cluster, double Score);

/// <summary>Options of <see cref="OnboardingSet"/>.</summary>
public sealed record OnboardingOptions
{
    /// <summary>Candidates: the most-rated movies, this many. Default 400.</summary>
    public int Candidates { get; init; } = 200;

    public void Validate() => OptionChecks.Positive(Candidates, nameof(Candidates));
}

/// <summary>
/// Movies a new user is asked to rate. Each candidate is scored by popularity x informativeness,
/// log(1 + ratings) x standard deviation of its ratings (the "pop * ent" family of Rashid et al. 2002, "Getting to
/// Know You: Learning New User Preferences in Recommender Systems": people must know a movie to rate it, and its
/// rating must tell users apart). The set is then filled round-robin over the movie clusters, so a handful of answers
/// covers every kind of taste (MovieLens' group-based elicitation, Chang, Harper and Terveen 2015).
/// </summary>
public static class OnboardingSet
{
    public static IReadOnlyList<OnboardingMovie> Select(Dataset dataset, MovieClusters clusters, int n, OnboardingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(clusters);
        OptionChecks.Positive(n, nameof(n));
        options ??= new OnboardingOptions();
        options.Validate();
        var scored = Candidates(dataset.Ratings, options.Candidates)
            .Select(c => (c.Item, c.Score, Movie: dataset.MovieOf(c.Item)))
            .Where(c => c.Movie is not null)
            .Select(c => (c.Item, c.Score, Movie: c.Movie!, Cluster: clusters.ClusterOf(c.Movie!.Id)))
            .ToList();
        var byCluster = scored.GroupBy(c => c.Cluster)
            .OrderByDescending(g => g.Max(c => c.Score))
            .Select(g => new Queue<(int Item, double Score, Movie Movie, int Cluster)>(g.OrderByDescending(c => c.Score)))
            .ToList();
        var result = new List<OnboardingMovie>(n);
        while (result.Count < n && byCluster.Any(q => q.Count > 0))
        {
            foreach (var queue in byCluster)
            {
                if (result.Count == n) break;
                if (queue.TryDequeue(out var c)) result.Add(new OnboardingMovie(c.Movie, c.Item, c.Cluster, c.Score));
            }
        }
        return result;
    }

    /// <summary>The most-rated items, scored log(1 + count) x std of ratings, best first.</summary>
    public static List<(int Item, double Score)> Candidates(RatingDataset ratings, int count)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var byItem = ratings.ByItem;
        var popular = Enumerable.Range(0, ratings.ItemCount).OrderByDescending(byItem.RowLength).ThenBy(i => i).Take(count);
        var list = new List<(int, double)>();
        foreach (int i in popular)
        {
            var values = byItem.RowValues(i);
            if (values.Length < 2) continue;
            double mean = 0, sq = 0;
            foreach (float v in values) mean += v;
            mean /= values.Length;
            foreach (float v in values) sq += (v - mean) * (v - mean);
            list.Add((i, Math.Log(1 + values.Length) * Math.Sqrt(sq / values.Length)));
        }
        list.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return list;
    }
}
