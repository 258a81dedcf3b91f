using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>A <see cref="SimilarityIndex"/> over a list of movies, looked up by movie id.</summary>
public sealed class MovieNeighbours
{
    private readonly Dictionary<long, int> _rowOf;

    public MovieNeighbours(IReadOnlyList<Movie> movies, SimilarityIndex index)
    {
        ArgumentNullException.ThrowIfNull(movies);
        Movies = movies;
        Index = index;
        _rowOf = new Dictionary<long, int>(movies.Count);
        for (int r = 0; r < movies.Count; r++) _rowOf[movies[r].Id] = r;
    }

    public IReadOnlyList<Movie> Movies { get; }

    public SimilarityIndex Index { get; }

    public bool Contains(long movieId) => _rowOf.ContainsKey(movieId);

    /// <summary>The catalogue row of <paramref name="movieId"/>, or -1.</summary>
    public int RowOf(long movieId) => _rowOf.TryGetValue(movieId, out int row) ? row : -1;

    /// <summary>
    /// The movies most similar to <paramref name="movieId"/>, re-ranked by (1 − w)·sim/sim_max + w·WR/WR_max over the
    /// neighbour list (the first seed's quality boost: among similar movies, the well-rated and well-known first).
    /// </summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n, WeightedRating quality, double weight)
    {
        ArgumentNullException.ThrowIfNull(quality);
        OptionChecks.InRange(weight, 0, 1, nameof(weight));
        var candidates = Similar(movieId, Index.K);
        if (candidates.Count == 0) return candidates;
        float maxSim = candidates.Max(c => c.Similarity);
        double maxWr = candidates.Max(c => quality[c.Movie.Id]);
        return [.. candidates
            .Select((c, rank) => (c, rank, score: (1 - weight) * c.Similarity / maxSim + weight * quality[c.Movie.Id] / Math.Max(1e-9, maxWr)))
            .OrderByDescending(x => x.score).ThenBy(x => x.rank).Take(n).Select(x => x.c)];
    }

    /// <summary>
    /// The kept neighbours of <paramref name="movieId"/> ordered by sim / sim_max + <paramref name="prior"/>[row] (a
    /// per-movie prior by catalogue row, e.g. familiarity), equal scores in similarity order; the value returned is
    /// still the similarity. Empty when the movie is not indexed.
    /// </summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n, ReadOnlySpan<float> prior)
    {
        if (!_rowOf.TryGetValue(movieId, out int row)) return [];
        var neighbours = Index.Neighbours(row);
        var sims = Index.Similarities(row);
        float max = 0;
        foreach (float s in sims) max = Math.Max(max, s);
        var order = new (float Score, int Rank)[neighbours.Length];
        for (int j = 0; j < neighbours.Length; j++) order[j] = ((max > 0 ? sims[j] / max : 0) + prior[neighbours[j]], j);
        Array.Sort(order, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Rank.CompareTo(b.Rank));
        int count = Math.Min(n, order.Length);
        var result = new List<(Movie, float)>(count);
        for (int j = 0; j < count; j++) result.Add((Movies[neighbours[order[j].Rank]], sims[order[j].Rank]));
        return result;
    }

    /// <summary>The movies most similar to <paramref name="movieId"/>, best first; empty when it is not indexed.</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n)
    {
        if (!_rowOf.TryGetValue(movieId, out int row)) return [];
        var neighbours = Index.Neighbours(row);
        var sims = Index.Similarities(row);
        int count = Math.Min(n, neighbours.Length);
        var result = new List<(Movie, float)>(count);
        for (int j = 0; j < count; j++) result.Add((Movies[neighbours[j]], sims[j]));
        return result;
    }
}
