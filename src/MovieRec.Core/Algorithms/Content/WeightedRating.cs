using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// IMDb's weighted rating (the "true Bayesian estimate" of its Top 250):
/// WR = v / (v + m) · R + m / (v + m) · C, with R the movie's mean vote, v its vote count, C the mean vote over the
/// catalog and m the minimum votes to qualify (by default the 90th percentile of vote counts). A movie with few
/// votes is pulled towards C, so a 10/10 from three people does not top the list.
/// </summary>
public sealed class WeightedRating
{
    private readonly Dictionary<long, double> _scores;

    private WeightedRating(double c, double m, int qualified, Dictionary<long, double> scores)
    {
        MeanVote = c;
        MinimumVotes = m;
        Qualified = qualified;
        _scores = scores;
    }

    /// <summary>C: the mean vote over the catalog.</summary>
    public double MeanVote { get; }

    /// <summary>m: votes needed to qualify.</summary>
    public double MinimumVotes { get; }

    /// <summary>Movies with at least m votes.</summary>
    public int Qualified { get; }

    /// <summary>WR of a movie, or C when it has no votes.</summary>
    public double this[long movieId] => _scores.TryGetValue(movieId, out double s) ? s : MeanVote;

    public static double Score(double meanVote, double votes, double c, double m) =>
        votes + m <= 0 ? c : votes / (votes + m) * meanVote + m / (votes + m) * c;

    /// <summary>
    /// From IMDb's votes where a movie has them (title.ratings.tsv: averageRating, numVotes), else TMDB's, else the
    /// dataset's ratings (count and mean, rescaled to the 10-point scale when IMDb or TMDB votes are mixed in).
    /// </summary>
    public static WeightedRating Compute(Dataset dataset, double percentile = 0.9)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Compute(TrainingData.From(dataset), percentile);
    }

    /// <summary>As <see cref="Compute(Dataset, double)"/>, from a model's training data (a split's ratings and the catalogue).</summary>
    public static WeightedRating Compute(TrainingData dataset, double percentile = 0.9)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        OptionChecks.InRange(percentile, 0, 1, nameof(percentile));
        var catalog = dataset.RequireCatalog("the weighted rating");
        var byItem = dataset.Ratings.ByItem;
        var ratingStats = new Dictionary<long, (double Mean, int Count)>();
        for (int i = 0; i < dataset.Ratings.ItemCount; i++)
        {
            var values = byItem.RowValues(i);
            if (values.Length == 0 || dataset.MovieOf(i) is not { } movie) continue;
            double sum = 0;
            foreach (float v in values) sum += v;
            ratingStats[movie.Id] = (sum / values.Length, values.Length);
        }
        bool anyExternal = catalog.Movies.Any(m => m.Tmdb is { VoteCount: > 0 } || m.Imdb is { AverageRating: not null, NumVotes: > 0 });
        double scale = anyExternal && dataset.Ratings.Scale.Max > 0 ? 10.0 / dataset.Ratings.Scale.Max : 1.0;
        var votes = new List<(long Id, double Mean, double Count)>();
        foreach (var movie in catalog.Movies)
        {
            if (movie.Imdb is { AverageRating: double average, NumVotes: int imdbVotes and > 0 }) votes.Add((movie.Id, average, imdbVotes));
            else if (movie.Tmdb is { VoteCount: > 0 } t) votes.Add((movie.Id, t.VoteAverage, t.VoteCount));
            else if (ratingStats.TryGetValue(movie.Id, out var r)) votes.Add((movie.Id, r.Mean * scale, r.Count));
        }
        return FromVotes(votes, percentile);
    }

    /// <summary>From (movie, mean vote, vote count) triples: C is their mean vote, m the percentile of counts.</summary>
    public static WeightedRating FromVotes(IReadOnlyList<(long Id, double Mean, double Count)> votes, double percentile = 0.9)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (votes.Count == 0) return new WeightedRating(0, 0, 0, []);
        double c = votes.Average(v => v.Mean);
        var counts = votes.Select(v => v.Count).Order().ToArray();
        double m = Quantile(counts, percentile);
        var scores = new Dictionary<long, double>(votes.Count);
        int qualified = 0;
        foreach (var (id, mean, count) in votes)
        {
            scores[id] = Score(mean, count, c, m);
            if (count >= m) qualified++;
        }
        return new WeightedRating(c, m, qualified, scores);
    }

    /// <summary>Linear-interpolated quantile of sorted values (numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Qualified movies (v ≥ m) by descending WR.</summary>
    public IEnumerable<(long MovieId, double Score)> Top(int n) =>
        _scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(n).Select(p => (p.Key, p.Value));
}
