using System.Buffers;
using System.Collections.Concurrent;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>Options of <see cref="CoLikedMovies"/>; the defaults were chosen with <c>bench similar --by ratings</c>.</summary>
public sealed record CoLikedMoviesOptions
{
    /// <summary>
    /// β, the exponent of the listed movie's liker count in the denominator (default 0.65). 0.5 is the plain cosine,
    /// whose lists lean to the films most people like; 1 is the share of the listed movie's likers who also liked this
    /// one, which lists films a handful of people liked. At 0.65 held-out likers of a movie liked the listed ones as
    /// often as item-kNN's cosine over who rated what, with a fifth fewer of the 100 most-rated movies in the lists,
    /// and twice as often for movies few people liked (docs/benchmarks.md, <c>bench also-liked</c>).
    /// </summary>
    public double CandidateExponent { get; init; } = 0.65;

    /// <summary>λ of the shrinkage both / (both + λ) (default 5): two co-likers are an anecdote, twenty a pattern.</summary>
    public double Shrinkage { get; init; } = 5;

    /// <summary>The fewest people who liked both movies for a movie to be listed (default 3).</summary>
    public int MinimumBoth { get; init; } = 3;

    /// <summary>
    /// How many movies' lists are kept once computed (default 4,096; 0 keeps none). A list costs one pass over the
    /// likers' ratings: 0.6 ms for ml-latest-small's most liked movies, about 100 ms for the ml-25m shape's.
    /// </summary>
    public int CachedMovies { get; init; } = 4096;

    public void Validate()
    {
        if (!(CandidateExponent is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(CandidateExponent), CandidateExponent, "must be between 0 and 1.");
        if (!(Shrinkage >= 0) || double.IsInfinity(Shrinkage)) throw new ArgumentOutOfRangeException(nameof(Shrinkage), Shrinkage, "must be a finite number >= 0.");
        if (MinimumBoth < 1) throw new ArgumentOutOfRangeException(nameof(MinimumBoth), MinimumBoth, "must be at least 1.");
        if (CachedMovies < 0) throw new ArgumentOutOfRangeException(nameof(CachedMovies), CachedMovies, "must be at least 0.");
    }
}

/// <summary>A movie liked by people who liked another: <see cref="Both"/> of the <see cref="LikedSource"/> people who liked the source also liked <see cref="Item"/>.</summary>
public readonly record struct CoLikedMovie(int Item, int Both, int LikedSource, float Score);

/// <summary>
/// "People who liked this also liked": the movies most liked by the people who liked a movie, relative to how many
/// people like them at all. With L_i the users who liked i (rated it in the upper third of the scale,
/// <see cref="Likes"/>), the movies j are ranked by the asymmetric cosine (Aiolli 2013, "Efficient top-N
/// recommendation for very large scale binary rated datasets", RecSys) with a significance shrinkage:
/// s(i, j) = |L_i ∩ L_j| / (|L_i|^(1−β) |L_j|^β) · |L_i ∩ L_j| / (|L_i ∩ L_j| + λ), listing only j with
/// |L_i ∩ L_j| ≥ <see cref="CoLikedMoviesOptions.MinimumBoth"/>.
/// <para>Why not item-kNN's cosine over who rated what: "rated" measures what people watched in the same years (Toy
/// Story's neighbours were Independence Day, Jurassic Park and Forrest Gump), and a movie rated by six people had
/// neighbours rated by two (Laura: Palookaville). Nothing is precomputed: a list is one pass over the likers' liked
/// movies in the rating matrix's two CSR views (0.08 ms for a typical movie of ml-latest-small, 7 ms of the ml-25m
/// shape, `bench also-liked --time`), and the lists of the last <see cref="CoLikedMoviesOptions.CachedMovies"/> movies
/// asked for are kept (at least 20 entries each), so a page viewed again costs nothing.</para>
/// </summary>
public sealed class CoLikedMovies
{
    private readonly RatingDataset _ratings;
    private readonly float _threshold;
    private readonly int[] _likes;
    private readonly ConcurrentDictionary<int, (CoLikedMovie[] List, bool Whole)> _lists = new();
    private const int KeptEntries = 20;

    public CoLikedMovies(RatingDataset ratings, CoLikedMoviesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        Options = options ?? new CoLikedMoviesOptions();
        Options.Validate();
        _ratings = ratings;
        _threshold = Likes.Threshold(ratings.Scale);
        _likes = Likes.PerItem(ratings);
    }

    public CoLikedMoviesOptions Options { get; }

    /// <summary>How many users liked <paramref name="item"/> (0 for an unknown item).</summary>
    public int LikeCount(int item) => (uint)item < (uint)_likes.Length ? _likes[item] : 0;

    /// <summary>Why <paramref name="item"/> lists no movie, in words for a person ("only 2 people liked this movie: ...").</summary>
    public string WhyNone(int item)
    {
        int likers = LikeCount(item), least = Options.MinimumBoth;
        return likers == 0 ? "nobody in the dataset liked this movie yet"
            : likers < least ? $"only {likers} {(likers == 1 ? "person" : "people")} liked this movie: too few to say what its fans also liked"
            : $"no other movie was liked by at least {least} of the {likers} people who liked this one";
    }

    /// <summary>The <paramref name="n"/> movies best liked by the people who liked <paramref name="item"/>, best first (fewer or none when too few people liked both).</summary>
    public IReadOnlyList<CoLikedMovie> Top(int item, int n)
    {
        if ((uint)item >= (uint)_likes.Length || n <= 0 || _likes[item] < Options.MinimumBoth) return [];
        // A kept list answers when it is long enough, or when it is all there is.
        if (_lists.TryGetValue(item, out var kept) && (kept.List.Length >= n || kept.Whole))
            return kept.List.Length <= n ? kept.List : kept.List[..n];
        int limit = Math.Max(n, KeptEntries);
        var list = Compute(item, limit);
        if (Options.CachedMovies > 0)
        {
            // A crude bound (the cache empties when full) keeps memory in check without bookkeeping per request.
            if (_lists.Count >= Options.CachedMovies) _lists.Clear();
            _lists[item] = (list, list.Length < limit);
        }
        return list.Length <= n ? list : list[..n];
    }

    private CoLikedMovie[] Compute(int item, int n)
    {
        int items = _likes.Length;
        var byItem = _ratings.ByItem;
        var byUser = _ratings.ByUser;
        int[] both = ArrayPool<int>.Shared.Rent(items);
        var touched = new List<int>();
        try
        {
            Array.Clear(both, 0, items);
            var users = byItem.RowColumns(item);
            var values = byItem.RowValues(item);
            for (int p = 0; p < users.Length; p++)
            {
                if (values[p] < _threshold) continue;
                int u = users[p];
                var liked = byUser.RowColumns(u);
                var ratings = byUser.RowValues(u);
                for (int q = 0; q < liked.Length; q++)
                {
                    if (ratings[q] < _threshold) continue;
                    int j = liked[q];
                    if (both[j]++ == 0) touched.Add(j);
                }
            }
            int source = _likes[item];
            double beta = Options.CandidateExponent, lambda = Options.Shrinkage;
            double sourceNorm = Math.Pow(source, 1 - beta);
            var scores = new List<CoLikedMovie>();
            foreach (int j in touched)
            {
                int b = both[j];
                if (j == item || b < Options.MinimumBoth) continue;
                double s = b / (sourceNorm * Math.Pow(_likes[j], beta)) * (b / (b + lambda));
                scores.Add(new CoLikedMovie(j, b, source, (float)s));
            }
            // Best first; ties by more co-likers, then by id, so lists are the same on every run.
            scores.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Both != b.Both ? b.Both.CompareTo(a.Both) : a.Item.CompareTo(b.Item));
            return scores.Count <= n ? [.. scores] : [.. scores.GetRange(0, n)];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(both);
        }
    }
}
