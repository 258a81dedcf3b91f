using System.Numerics.Tensors;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// What <see cref="TasteRanker"/> knows about each movie for one person's favourites: three collaborative members'
/// scores (EASE, iALS, item kNN; each z-scored over the catalogue for this person, so people are comparable), the
/// movie's quality (Bayesian-average rating) and familiarity (log rating count, and whether it is among the most-rated),
/// the cosine between its genres and the favourites' genres, how close it sits to the favourites in time (when people
/// rated it, and when it was released), and how much it was rated in the favourites' era. Static parts are computed
/// once at fit; a profile costs one fold-in per member and a few passes over the items.
/// </summary>
internal sealed class TasteFeatures
{
    /// <summary>The feature names, in column order (the weights of <see cref="TasteRanker"/> follow it).</summary>
    public static readonly string[] Names =
        ["ease", "ials", "quality", "log-popularity", "most-rated", "genre", "era", "era-popularity", "release-year"];

    public const int Ease = 0, Ials = 1, Quality = 2, LogPopularity = 3, MostRated = 4, Genre = 5, Era = 6, EraPopularity = 7, ReleaseYear = 8;


    public static int Count => Names.Length;

    /// <summary>Ratings of a movie within this many years of the favourites' era count as "rated in their era".</summary>
    private const float EraWindowYears = 2;

    private const double SecondsPerYear = 365.25 * 86400;

    private readonly IRecommender[] _members;
    private readonly RatingScale _scale;
    private readonly int _items;
    private readonly float[] _quality;
    private readonly float[] _logPopularity;
    private readonly float[] _mostRated;
    private readonly float[] _meanTime;      // mean rating time of each movie, in years (NaN: never rated)
    private readonly float[] _year;          // release year (NaN: unknown)
    private readonly int[] _genreOffsets;    // CSR of each movie's genre ids
    private readonly int[] _genres;
    private readonly int _genreCount;
    private readonly int[] _timeOffsets;     // CSR of each movie's rating times (years, ascending)
    private readonly float[] _times;

    public TasteFeatures(TrainingData data, IRecommender[] members, int mostRated)
        : this(data is null ? throw new ArgumentNullException(nameof(data)) : data.Ratings, FromCatalogue(data), members, mostRated)
    {
    }

    /// <summary>
    /// From the training ratings and what the features read from the catalogue (<see cref="FromCatalogue"/>, or a model
    /// file's copy of it): everything else is a function of the ratings.
    /// </summary>
    public TasteFeatures(RatingDataset train, CatalogueFeatures catalogue, IRecommender[] members, int mostRated)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(catalogue);
        if (catalogue.Years.Length != train.ItemCount || catalogue.GenreOffsets.Length != train.ItemCount + 1)
            throw new ArgumentException($"The catalogue features cover {catalogue.Years.Length} items, the ratings {train.ItemCount}.", nameof(catalogue));
        _members = members;
        _scale = train.Scale;
        int n = _items = train.ItemCount;
        var byItem = train.ByItem;
        double mu = train.GlobalMean;
        _quality = new float[n];
        _logPopularity = new float[n];
        _mostRated = new float[n];
        _meanTime = new float[n];
        _timeOffsets = new int[n + 1];
        _times = new float[byItem.NonZeros];
        var counts = new int[n];
        for (int i = 0; i < n; i++)
        {
            var values = byItem.RowValues(i);
            counts[i] = values.Length;
            double sum = 0;
            foreach (float v in values) sum += v;
            // Bayesian average with a prior of 10 ratings at the global mean: few ratings do not make a film "great".
            _quality[i] = (float)((sum + 10 * mu) / (values.Length + 10));
            _logPopularity[i] = MathF.Log(1 + values.Length);
            var indices = byItem.RatingIndex.AsSpan(byItem.Offsets[i], values.Length);
            var times = _times.AsSpan(byItem.Offsets[i], values.Length);
            double timeSum = 0;
            for (int k = 0; k < indices.Length; k++)
            {
                times[k] = (float)(train.Timestamps[indices[k]] / SecondsPerYear + 1970);
                timeSum += times[k];
            }
            times.Sort();
            _meanTime[i] = indices.Length == 0 ? float.NaN : (float)(timeSum / indices.Length);
            _timeOffsets[i + 1] = byItem.Offsets[i + 1];
        }
        _year = catalogue.Years;
        _genreOffsets = catalogue.GenreOffsets;
        _genres = catalogue.Genres;
        _genreCount = catalogue.GenreCount;
        foreach (var top in TopN.Select(Array.ConvertAll(counts, c => (float)c), mostRated, TieBreak.ByTrainingRatings(counts)))
            _mostRated[top.Item] = 1;
        ZScore(_quality);
        ZScore(_logPopularity);
    }

    /// <summary>What the features read from the movie catalogue: release years (NaN: unknown) and each item's genre ids (CSR).</summary>
    public sealed record CatalogueFeatures(float[] Years, int[] GenreOffsets, int[] Genres, int GenreCount);

    /// <summary>The release year and genres of every item of the training ratings (genre ids in order of first appearance).</summary>
    public static CatalogueFeatures FromCatalogue(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Ratings.ItemCount;
        var years = new float[n];
        var genreIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var offsets = new int[n + 1];
        var genres = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var movie = data.MovieOf(i);
            years[i] = movie?.Year is int y ? y : float.NaN;
            foreach (var g in movie?.Genres ?? [])
            {
                if (!genreIds.TryGetValue(g, out int id)) genreIds[g] = id = genreIds.Count;
                genres.Add(id);
            }
            offsets[i + 1] = genres.Count;
        }
        return new CatalogueFeatures(years, offsets, [.. genres], genreIds.Count);
    }

    /// <summary>What the features read from the catalogue (a model file stores it).</summary>
    public CatalogueFeatures Catalogue => new(_year, _genreOffsets, _genres, _genreCount);

    public int ItemCount => _items;

    public IReadOnlyList<IRecommender> Members => _members;

    /// <summary>Column-major features (feature f of item i at [f * ItemCount + i]) for a person who liked <paramref name="liked"/>.</summary>
    public float[] Compute(ItemRating[] liked)
    {
        var x = new float[Count * _items];
        Compute(liked, x);
        return x;
    }

    /// <summary>
    /// <see cref="Compute(ItemRating[])"/> into <paramref name="x"/> (at least <see cref="Count"/> × <see cref="ItemCount"/>
    /// long): a request's 450 KB of features would otherwise be a large-object allocation, and those trigger full
    /// collections (the service's tail; docs/benchmarks.md).
    /// </summary>
    public void Compute(ItemRating[] liked, Span<float> x)
    {
        int n = _items;
        if (x.Length < Count * n) throw new ArgumentException($"needs {Count * n} floats, not {x.Length}", nameof(x));
        x = x[..(Count * n)];
        for (int m = 0; m < _members.Length; m++)
        {
            var column = x.Slice(m * n, n);
            _members[m].Score(_members[m].FoldIn(liked), column);
            ZScore(column);
        }
        _quality.CopyTo(x.Slice(Quality * n, n));
        _logPopularity.CopyTo(x.Slice(LogPopularity * n, n));
        _mostRated.CopyTo(x.Slice(MostRated * n, n));
        GenreCosine(liked, x.Slice(Genre * n, n));
        ZScore(x.Slice(Genre * n, n));
        float era = MeanOf(liked, _meanTime, 2008);
        float year = MeanOf(liked, _year, 2000);
        var eraColumn = x.Slice(Era * n, n);
        var eraPopularity = x.Slice(EraPopularity * n, n);
        var yearColumn = x.Slice(ReleaseYear * n, n);
        for (int i = 0; i < n; i++)
        {
            eraColumn[i] = float.IsNaN(_meanTime[i]) ? -20 : -MathF.Abs(_meanTime[i] - era);
            yearColumn[i] = float.IsNaN(_year[i]) ? -30 : -MathF.Abs(_year[i] - year);
            var times = _times.AsSpan(_timeOffsets[i], _timeOffsets[i + 1] - _timeOffsets[i]);
            int from = LowerBound(times, era - EraWindowYears), to = LowerBound(times, era + EraWindowYears);
            eraPopularity[i] = MathF.Log(1 + to - from);
        }
        ZScore(eraColumn);
        ZScore(eraPopularity);
        ZScore(yearColumn);
    }

    private void GenreCosine(ItemRating[] liked, Span<float> column)
    {
        if (_genreCount == 0)
        {
            column.Clear();
            return;
        }
        var profile = new float[_genreCount];
        foreach (var r in liked)
        {
            var g = _genres.AsSpan(_genreOffsets[r.Item], _genreOffsets[r.Item + 1] - _genreOffsets[r.Item]);
            foreach (int id in g) profile[id] += 1 / MathF.Sqrt(g.Length);
        }
        float norm = TensorPrimitives.Norm(profile);
        for (int i = 0; i < column.Length; i++)
        {
            var g = _genres.AsSpan(_genreOffsets[i], _genreOffsets[i + 1] - _genreOffsets[i]);
            float dot = 0;
            foreach (int id in g) dot += profile[id];
            column[i] = g.Length == 0 || norm == 0 ? 0 : dot / (norm * MathF.Sqrt(g.Length));
        }
    }

    private static float MeanOf(ItemRating[] liked, float[] values, float fallback)
    {
        double sum = 0;
        int count = 0;
        foreach (var r in liked)
        {
            float v = values[r.Item];
            if (float.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        return count == 0 ? fallback : (float)(sum / count);
    }

    private static int LowerBound(ReadOnlySpan<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Standardises a column over its finite values; an item a member cannot score (NaN) gets the column's minimum,
    /// so it never outranks an item the member scored.
    /// </summary>
    internal static void ZScore(Span<float> column)
    {
        double sum = 0, squares = 0, min = double.MaxValue;
        int count = 0;
        foreach (float v in column)
        {
            if (!float.IsFinite(v)) continue;
            sum += v;
            squares += (double)v * v;
            if (v < min) min = v;
            count++;
        }
        if (count == 0)
        {
            column.Clear();
            return;
        }
        double mean = sum / count, sd = Math.Sqrt(Math.Max(squares / count - mean * mean, 0));
        float scale = sd > 1e-12 ? (float)(1 / sd) : 0;
        float floor = (float)((min - mean) * scale);
        for (int i = 0; i < column.Length; i++)
            column[i] = float.IsFinite(column[i]) ? (float)((column[i] - mean) * scale) : floor;
    }
}
