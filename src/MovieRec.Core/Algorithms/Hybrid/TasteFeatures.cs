using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// What <see cref="TasteRanker"/> knows about each movie for one person's ratings: the members' scores for what they
/// like (EASE, iALS and content affinity; each z-scored over the catalogue for this person, so people are comparable),
/// the movie's quality (Bayesian-average rating) and familiarity (log rating count, and whether it is among the
/// most-rated), the cosine between its genres and the liked movies' genres, how close it sits in time to the movies they
/// rated (when people rated it, and when it was released), how much it was rated in their era, and how close it is to
/// what they disliked (EASE's score and the genre cosine for the disliked movies; 0 when nothing is disliked). Static
/// parts are computed once at fit; a profile costs one fold-in per member (and one more of EASE for the disliked) and a
/// few passes over the items.
/// </summary>
internal sealed class TasteFeatures
{
    /// <summary>The feature names, in column order (the weights of <see cref="TasteRanker"/> follow it).</summary>
    public static readonly string[] Names =
        ["ease", "ials", "content", "quality", "log-popularity", "most-rated", "genre", "era", "era-popularity", "release-year", "liked-rating-similarity", "disliked-rating-similarity", "disliked-genre", "theme"];

    public const int Ease = 0, Ials = 1, Content = 2, Quality = 3, LogPopularity = 4, MostRated = 5, Genre = 6, Era = 7, EraPopularity = 8, ReleaseYear = 9,
        LikedRatingSimilarity = 10, DislikedRatingSimilarity = 11, DislikedGenre = 12, Theme = 13;

    /// <summary>
    /// The features about disliked movies, whose weights may not be positive: a dislike is evidence against what is
    /// close to it. (EASE's score for the disliked movies was tried and learnt a positive weight: a low rating still
    /// says the person watches such films, and the metric counts only watched ones; as a product rule a dislike must
    /// never pull its neighbours up, so closeness to it is measured by how alike people rate, and by genre.)
    /// </summary>
    public static readonly int[] NonPositive = [DislikedRatingSimilarity, DislikedGenre];

    /// <summary>Shrinkage of the rating similarity: its common raters n count n / (n + this).</summary>
    private const float SimilarityShrinkage = 10;

    /// <summary>The column of each member's score, in member order: EASE, iALS, content (absent without a catalogue).</summary>
    private static readonly int[] MemberColumns = [Ease, Ials, Content];

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
    private readonly int[] _genreList;       // each movie's distinct genre list, CSR below (GenreCosine)
    private readonly int[] _listOffsets;
    private readonly int[] _listGenres;
    private readonly int[] _timeOffsets;     // CSR of each movie's rating times (years, ascending)
    private readonly float[] _times;
    private readonly Lazy<(float[] Times, int[] Items)> _byTime;
    private readonly float[] _logCounts;     // log(1 + c) for c up to the most ratings of one movie (EraCounts)
    private readonly CsrMatrix _byUser;      // the training ratings by user, and by item
    private readonly CsrMatrix _byItem;
    private readonly float[] _centredByUser;  // r_ui − r̄_u, aligned with _byUser's entries
    private readonly float[] _centredByItem;  // the same, aligned with _byItem's entries
    private readonly float[] _centredNorms;   // ‖r_·i − r̄_·‖ over each item's raters
    private readonly int[] _keptSlot;         // each movie's slot in _kept, or −1 (RatingSimilarity)
    private readonly float[]?[] _kept;        // similarity rows of the costliest sources, filled on first use

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
        if (members.Length > MemberColumns.Length) throw new ArgumentException($"At most {MemberColumns.Length} members, not {members.Length}.", nameof(members));
        if (catalogue.Years.Length != train.ItemCount || catalogue.GenreOffsets.Length != train.ItemCount + 1)
            throw new ArgumentException($"The catalogue features cover {catalogue.Years.Length} items, the ratings {train.ItemCount}.", nameof(catalogue));
        _members = members;
        _scale = train.Scale;
        int n = _items = train.ItemCount;
        var byItem = train.ByItem;
        _byItem = byItem;
        _byUser = train.ByUser;
        (_centredByUser, _centredByItem, _centredNorms) = Centred(train);
        _keptSlot = KeptSlots(byItem, _byUser, out int kept);
        _kept = new float[kept][];
        double mu = train.GlobalMean;
        _quality = new float[n];
        _logPopularity = new float[n];
        _mostRated = new float[n];
        _meanTime = new float[n];
        _timeOffsets = new int[n + 1];
        _times = new float[byItem.NonZeros];
        _byTime = new(SortByTime);
        int most = 0;
        for (int i = 0; i < n; i++) most = Math.Max(most, byItem.RowLength(i));
        _logCounts = new float[most + 1];
        for (int c = 0; c <= most; c++) _logCounts[c] = MathF.Log(1 + c);
        var counts = new int[n];
        var ratingIndex = byItem.RatingIndex;
        for (int i = 0; i < n; i++)
        {
            var values = byItem.RowValues(i);
            counts[i] = values.Length;
            double sum = 0;
            foreach (float v in values) sum += v;
            // Bayesian average with a prior of 10 ratings at the global mean: few ratings do not make a film "great".
            _quality[i] = (float)((sum + 10 * mu) / (values.Length + 10));
            _logPopularity[i] = MathF.Log(1 + values.Length);
            var indices = ratingIndex.AsSpan(byItem.Offsets[i], values.Length);
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
        (_genreList, _listOffsets, _listGenres) = GenreLists(_genreOffsets, _genres);
        foreach (var top in TopN.Select(Array.ConvertAll(counts, c => (float)c), mostRated, TieBreak.ByTrainingRatings(counts)))
            _mostRated[top.Item] = 1;
        ZScore(_quality);
        ZScore(_logPopularity);
    }

    /// <summary>Each rating less its user's mean, by user and by item, and each item's norm of those.</summary>
    private static (float[] ByUser, float[] ByItem, float[] Norms) Centred(RatingDataset train)
    {
        var byUser = train.ByUser;
        var byItem = train.ByItem;
        var perRating = new float[train.Count];
        int[] userIndex = byUser.RatingIndex, itemIndex = byItem.RatingIndex;
        var centredByUser = new float[byUser.NonZeros];
        for (int u = 0; u < byUser.Rows; u++)
        {
            var values = byUser.RowValues(u);
            if (values.IsEmpty) continue;
            float mean = TensorPrimitives.Sum(values) / values.Length;
            for (int p = byUser.Offsets[u]; p < byUser.Offsets[u + 1]; p++)
            {
                centredByUser[p] = byUser.Values[p] - mean;
                perRating[userIndex[p]] = centredByUser[p];
            }
        }
        var centredByItem = new float[byItem.NonZeros];
        var norms = new float[byItem.Rows];
        for (int i = 0; i < byItem.Rows; i++)
        {
            double sum = 0;
            for (int p = byItem.Offsets[i]; p < byItem.Offsets[i + 1]; p++)
            {
                centredByItem[p] = perRating[itemIndex[p]];
                sum += (double)centredByItem[p] * centredByItem[p];
            }
            norms[i] = (float)Math.Sqrt(sum);
        }
        return (centredByUser, centredByItem, norms);
    }

    /// <summary>
    /// Σ_s sim(s, i) over <paramref name="sources"/>: the adjusted cosine of the items' user-mean-centred ratings
    /// (Sarwar et al. 2001), shrunk by n / (n + 10) for n common raters. Unlike co-occurrence (which says who watches
    /// both) it says whether people rate the two alike, so for a disliked source it points at what they would dislike too.
    /// </summary>
    /// <remarks>
    /// A source costs Σ_{u rated s} |R(u)| scattered adds (the raters of popular movies rate many: 50,000-80,000 for
    /// ml-latest-small's most rated), which was most of a request. Two exact speed-ups, the same floats as the plain
    /// loop (<c>TasteFeatureSpeedPathTests</c>): the costliest sources' rows are computed once, on first use, and kept
    /// (<see cref="SimilarityCacheBytes"/>), so a request adds them; the other sources are scattered together, each rater
    /// walked once for all the sources they rated (their accumulators side by side, one cache line per rating).
    /// Every (source, item) sum still adds its raters in ascending order, and the column adds the sources in order.
    /// </remarks>
    internal void RatingSimilarity(ItemRating[] sources, Span<float> column)
    {
        column.Clear();
        if (sources.Length == 0) return;
        int n = _items;
        // Up to Group sources not kept are scattered at once; the chunk holds the next ones in source order.
        var chunk = new int[Math.Min(Group, sources.Length)];
        int chunkLength = 0;
        float[]? pooled = null;
        try
        {
            for (int k = 0; k < sources.Length; k++)
            {
                int s = sources[k].Item;
                if (_centredNorms[s] == 0) continue;
                if (KeptRow(s) is { } row)
                {
                    TensorPrimitives.Add(column, row.AsSpan(0, n), column);
                    continue;
                }
                int slot = -1;
                for (int c = 0; c < chunkLength; c++)
                {
                    if (chunk[c] == k) slot = c;
                }
                if (slot < 0)
                {
                    // The next chunk: this source and the following ones that are scattered too.
                    chunkLength = 0;
                    for (int j = k; j < sources.Length && chunkLength < chunk.Length; j++)
                    {
                        int t = sources[j].Item;
                        if (_centredNorms[t] == 0 || KeptRow(t) is not null) continue;
                        chunk[chunkLength++] = j;
                    }
                    pooled ??= System.Buffers.ArrayPool<float>.Shared.Rent(2 * Group * n);
                    Scatter(sources, chunk.AsSpan(0, chunkLength), pooled);
                    slot = 0;
                }
                AddSimilarities(pooled!, chunkLength, slot, s, column);
            }
        }
        finally
        {
            if (pooled is not null) System.Buffers.ArrayPool<float>.Shared.Return(pooled);
        }
    }

    /// <summary>Sources scattered at once (their accumulators share cache lines).</summary>
    private const int Group = 8;

    /// <summary>
    /// Bytes of similarity rows kept (default 16 MiB: on ml-latest-small the 430 costliest movies, those whose raters
    /// rated at least ~28,000 movies in all; a row is one float per movie).
    /// </summary>
    internal const long SimilarityCacheBytes = 16L << 20;

    /// <summary>
    /// For every rater u (ascending) of any of the chosen sources, and every movie i u rated, adds c_us·c_ui and 1 to
    /// the accumulator pair of each chosen source s that u rated: <paramref name="acc"/> holds, per movie, m sums then
    /// m counts (m = the chosen count).
    /// </summary>
    private void Scatter(ItemRating[] sources, ReadOnlySpan<int> chosen, float[] acc)
    {
        int m = chosen.Length, n = _items;
        acc.AsSpan(0, 2 * m * n).Clear();
        // Merge the chosen sources' rater lists (each ascending by user) so every rater is walked once.
        Span<int> position = stackalloc int[Group];
        Span<int> end = stackalloc int[Group];
        Span<float> weight = stackalloc float[Group];
        Span<int> member = stackalloc int[Group];
        for (int c = 0; c < m; c++)
        {
            int s = sources[chosen[c]].Item;
            position[c] = _byItem.Offsets[s];
            end[c] = _byItem.Offsets[s + 1];
        }
        while (true)
        {
            int u = int.MaxValue;
            for (int c = 0; c < m; c++)
            {
                if (position[c] < end[c] && _byItem.Columns[position[c]] < u) u = _byItem.Columns[position[c]];
            }
            if (u == int.MaxValue) break;
            int members = 0;
            for (int c = 0; c < m; c++)
            {
                if (position[c] < end[c] && _byItem.Columns[position[c]] == u)
                {
                    member[members] = c;
                    weight[members++] = _centredByItem[position[c]];
                    position[c]++;
                }
            }
            int width = 2 * m;
            for (int q = _byUser.Offsets[u]; q < _byUser.Offsets[u + 1]; q++)
            {
                float cu = _centredByUser[q];
                var cell = acc.AsSpan(_byUser.Columns[q] * width, width);
                for (int t = 0; t < members; t++)
                {
                    cell[member[t]] += weight[t] * cu;
                    cell[m + member[t]]++;
                }
            }
        }
    }

    /// <summary>Adds sim(s, i) for every movie i from the accumulators of chunk slot <paramref name="slot"/> of <paramref name="m"/>.</summary>
    private void AddSimilarities(float[] acc, int m, int slot, int s, Span<float> column)
    {
        float ns = _centredNorms[s];
        int width = 2 * m;
        for (int i = 0; i < _items; i++)
        {
            float common = acc[i * width + m + slot];
            if (common == 0 || _centredNorms[i] == 0 || i == s) continue;
            column[i] += acc[i * width + slot] / (ns * _centredNorms[i]) * (common / (common + SimilarityShrinkage));
        }
    }

    /// <summary>The kept similarity row of <paramref name="s"/> (computed on first use), or null when it is not kept.</summary>
    private float[]? KeptRow(int s)
    {
        int slot = _keptSlot[s];
        if (slot < 0) return null;
        var row = Volatile.Read(ref _kept[slot]);
        if (row is not null) return row;
        var acc = new float[2 * _items];
        Scatter([new ItemRating(s, 0)], [0], acc);
        row = new float[_items];
        AddSimilarities(acc, 1, 0, s, row);
        return Interlocked.CompareExchange(ref _kept[slot], row, null) ?? row;
    }

    /// <summary>Which movies' similarity rows are kept: the costliest to scatter, as many as <see cref="SimilarityCacheBytes"/> holds.</summary>
    private static int[] KeptSlots(CsrMatrix byItem, CsrMatrix byUser, out int count)
    {
        int n = byItem.Rows;
        var cost = new long[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            if (byItem.RowLength(i) == 0) continue;
            foreach (int u in byItem.RowColumns(i)) cost[i] += byUser.RowLength(u);
        }
        Array.Sort(order, (a, b) => cost[b] != cost[a] ? cost[b].CompareTo(cost[a]) : a.CompareTo(b));
        count = (int)Math.Min(n, SimilarityCacheBytes / (4L * Math.Max(1, n)));
        var slots = new int[n];
        Array.Fill(slots, -1);
        for (int k = 0; k < count; k++)
        {
            // Cheap rows are not worth their bytes.
            if (cost[order[k]] < 4L * n) { count = k; break; }
            slots[order[k]] = k;
        }
        return slots;
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

    /// <summary>
    /// Column-major features (feature f of item i at [f * ItemCount + i]) for a person who liked
    /// <paramref name="positive"/> (the members fold these in), disliked <paramref name="disliked"/> and rated
    /// <paramref name="rated"/> (all of them: when they were active and which years they watch, liked or not).
    /// </summary>
    public float[] Compute(ItemRating[] positive, ItemRating[] disliked, ItemRating[] rated)
    {
        var x = new float[Count * _items];
        Compute(positive, disliked, rated, x);
        return x;
    }

    /// <summary>
    /// <see cref="Compute(ItemRating[], ItemRating[], ItemRating[])"/> into <paramref name="x"/> (at least
    /// <see cref="Count"/> × <see cref="ItemCount"/> long; every value is written): a request's half megabyte of
    /// features would otherwise be a large-object allocation, and those trigger full collections (the service's tail;
    /// docs/benchmarks.md).
    /// </summary>
    public void Compute(ItemRating[] positive, ItemRating[] disliked, ItemRating[] rated, Span<float> x)
    {
        int n = _items;
        if (x.Length < Count * n) throw new ArgumentException($"needs {Count * n} floats, not {x.Length}", nameof(x));
        x = x[..(Count * n)];
        for (int m = _members.Length; m < MemberColumns.Length; m++) x.Slice(MemberColumns[m] * n, n).Clear();
        for (int m = 0; m < _members.Length; m++)
        {
            var column = x.Slice(MemberColumns[m] * n, n);
            if (positive.Length == 0)
            {
                column.Clear();
                continue;
            }
            _members[m].Score(_members[m].FoldIn(positive), column);
            ZScore(column);
        }
        _quality.CopyTo(x.Slice(Quality * n, n));
        _logPopularity.CopyTo(x.Slice(LogPopularity * n, n));
        _mostRated.CopyTo(x.Slice(MostRated * n, n));
        GenreCosine(positive, x.Slice(Genre * n, n));
        ZScore(x.Slice(Genre * n, n));
        RatingSimilarity(positive, x.Slice(LikedRatingSimilarity * n, n));
        ZScore(x.Slice(LikedRatingSimilarity * n, n));
        if (disliked.Length > 0)
        {
            GenreCosine(disliked, x.Slice(DislikedGenre * n, n));
            ZScore(x.Slice(DislikedGenre * n, n));
            RatingSimilarity(disliked, x.Slice(DislikedRatingSimilarity * n, n));
            ZScore(x.Slice(DislikedRatingSimilarity * n, n));
        }
        else
        {
            x.Slice(DislikedGenre * n, n).Clear();
            x.Slice(DislikedRatingSimilarity * n, n).Clear();
        }
        ThemeFit(positive, x.Slice(Theme * n, n));
        float era = MeanOf(rated, _meanTime, 2008);
        float year = MeanOf(rated, _year, 2000);
        var eraColumn = x.Slice(Era * n, n);
        var eraPopularity = x.Slice(EraPopularity * n, n);
        var yearColumn = x.Slice(ReleaseYear * n, n);
        Closeness(_meanTime, era, -20, eraColumn);
        Closeness(_year, year, -30, yearColumn);
        EraCounts(era, eraPopularity);
        ZScore(eraColumn);
        ZScore(eraPopularity);
        ZScore(yearColumn);
    }

    /// <summary>
    /// The share of the liked movies' common theme each movie has (<see cref="ContentTaste.Theme"/>: keywords, directors
    /// and lead actors that recur among the movies rated at least "liked"), in [0, 1]; 0 without the content member.
    /// Not z-scored: few movies share a theme, and a z-score would make those few outweigh everything else.
    /// </summary>
    private void ThemeFit(ItemRating[] positive, Span<float> column)
    {
        if (_members.Length <= 2 || _members[2] is not ContentRecommender content)
        {
            column.Clear();
            return;
        }
        float like = Likes.Threshold(_scale);
        Span<int> liked = positive.Length <= 256 ? stackalloc int[positive.Length] : new int[positive.Length];
        int count = 0;
        foreach (var r in positive)
        {
            if (r.Rating >= like) liked[count++] = r.Item;
        }
        content.Taste.Theme(liked[..count], column);
    }

    /// <summary>
    /// cos(g_i, p) for every movie i: g_i its genres (1 each), p the liked movies' genre vectors, each of norm 1,
    /// summed. Movies share genre lists (ml-latest-small: 951 distinct lists for 9,742 movies), so each distinct list
    /// is scored once and the movies read their list's value: the same floats as scoring every movie.
    /// </summary>
    internal void GenreCosine(ItemRating[] liked, Span<float> column)
    {
        if (_genreCount == 0)
        {
            column.Clear();
            return;
        }
        Span<float> profile = _genreCount <= 256 ? stackalloc float[_genreCount] : new float[_genreCount];
        profile.Clear();
        foreach (var r in liked)
        {
            var g = _genres.AsSpan(_genreOffsets[r.Item], _genreOffsets[r.Item + 1] - _genreOffsets[r.Item]);
            foreach (int id in g) profile[id] += 1 / MathF.Sqrt(g.Length);
        }
        float norm = TensorPrimitives.Norm(profile);
        int lists = _listOffsets.Length - 1;
        var pooled = System.Buffers.ArrayPool<float>.Shared.Rent(lists);
        try
        {
            var value = pooled.AsSpan(0, lists);
            for (int c = 0; c < lists; c++)
            {
                var g = _listGenres.AsSpan(_listOffsets[c], _listOffsets[c + 1] - _listOffsets[c]);
                float dot = 0;
                foreach (int id in g) dot += profile[id];
                value[c] = g.Length == 0 || norm == 0 ? 0 : dot / (norm * MathF.Sqrt(g.Length));
            }
            for (int i = 0; i < column.Length; i++) column[i] = value[_genreList[i]];
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(pooled);
        }
    }

    /// <summary>Each movie's genre list as an index into the distinct lists (<see cref="GenreCosine"/>).</summary>
    private static (int[] ListOf, int[] Offsets, int[] Genres) GenreLists(int[] offsets, int[] genres)
    {
        int n = offsets.Length - 1;
        var listOf = new int[n];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var listOffsets = new List<int> { 0 };
        var listGenres = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var g = genres.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            string key = string.Join(',', g.ToArray());
            if (!index.TryGetValue(key, out int list))
            {
                index[key] = list = index.Count;
                listGenres.AddRange(g);
                listOffsets.Add(listGenres.Count);
            }
            listOf[i] = list;
        }
        return (listOf, [.. listOffsets], [.. listGenres]);
    }

    /// <summary>column[i] = −|values[i] − centre|, or <paramref name="unknown"/> where the value is NaN; eight at a time.</summary>
    internal static void Closeness(float[] values, float centre, float unknown, Span<float> column)
    {
        int n = column.Length, i = 0;
        ref float v = ref MemoryMarshal.GetArrayDataReference(values);
        ref float c = ref MemoryMarshal.GetReference(column);
        if (Vector256.IsHardwareAccelerated)
        {
            var vCentre = Vector256.Create(centre);
            var vUnknown = Vector256.Create(unknown);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)i);
                var close = -Vector256.Abs(x - vCentre);
                Vector256.ConditionalSelect(Vector256.Equals(x, x), close, vUnknown).StoreUnsafe(ref c, (nuint)i);
            }
        }
        for (; i < n; i++) column[i] = float.IsNaN(values[i]) ? unknown : -MathF.Abs(values[i] - centre);
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

    /// <summary>
    /// log(1 + the movie's ratings made in [era − w, era + w)) for every movie. When the window holds fewer ratings
    /// than a binary search per movie would take steps, the window of one time-sorted list of every rating is counted
    /// instead (the same counts: ml-latest-small's windows hold about a fifth of its ratings, ten times fewer steps).
    /// </summary>
    private void EraCounts(float era, Span<float> column)
    {
        int n = _items;
        float from = era - EraWindowYears, to = era + EraWindowYears;
        var (times, items) = _byTime.Value;
        int lo = LowerBound(times, from), hi = LowerBound(times, to);
        if (hi - lo > 2 * n * (BitOperations.Log2((uint)Math.Max(1, times.Length / Math.Max(1, n))) + 1))
        {
            for (int i = 0; i < n; i++)
            {
                var own = _times.AsSpan(_timeOffsets[i], _timeOffsets[i + 1] - _timeOffsets[i]);
                column[i] = _logCounts[LowerBound(own, to) - LowerBound(own, from)];
            }
            return;
        }
        var counts = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        try
        {
            counts.AsSpan(0, n).Clear();
            for (int k = lo; k < hi; k++) counts[items[k]]++;
            for (int i = 0; i < n; i++) column[i] = _logCounts[counts[i]];
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Every rating's time, ascending, with its movie (built on first use from the per-movie lists).</summary>
    private (float[] Times, int[] Items) SortByTime()
    {
        var times = (float[])_times.Clone();
        var items = new int[times.Length];
        for (int i = 0; i < _items; i++) items.AsSpan(_timeOffsets[i], _timeOffsets[i + 1] - _timeOffsets[i]).Fill(i);
        Array.Sort(times, items);
        return (times, items);
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
        if (Vector256.IsHardwareAccelerated && column.Length >= Vector256<float>.Count)
        {
            ZScoreVectorised(column);
            return;
        }
        double sum = 0, squares = 0, min = double.MaxValue;
        int count = 0;
        AddFinite(column, ref sum, ref squares, ref min, ref count);
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

    /// <summary>Adds the finite values' sum, sum of squares, minimum and count (a NaN or infinity is skipped).</summary>
    private static void AddFinite(ReadOnlySpan<float> values, ref double sum, ref double squares, ref double min, ref int count)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            sum += v;
            squares += (double)v * v;
            if (v < min) min = v;
            count++;
        }
    }

    /// <summary>
    /// <see cref="ZScore"/> eight floats at a time with the sums in double lanes (only the order of the double additions
    /// differs from the plain loop); values that are not finite (a member's unscored items, NaN) are masked out of the
    /// sums and get the floor, without a branch per value.
    /// </summary>
    private static void ZScoreVectorised(Span<float> column)
    {
        int n = column.Length, i = 0;
        ref float start = ref MemoryMarshal.GetReference(column);
        var sums = Vector256<double>.Zero;
        var squares = Vector256<double>.Zero;
        var counts = Vector256<int>.Zero;
        var mins = Vector256.Create(float.MaxValue);
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var finite = Vector256.Equals(v - v, Vector256<float>.Zero); // NaN − NaN and ∞ − ∞ are NaN
            var x = v & finite;
            var (lo, hi) = Vector256.Widen(x);
            sums += lo + hi;
            squares += lo * lo + hi * hi;
            counts -= finite.AsInt32();
            mins = Vector256.Min(mins, Vector256.ConditionalSelect(finite, v, Vector256.Create(float.MaxValue)));
        }
        double sum = Vector256.Sum(sums), sq = Vector256.Sum(squares), min = double.MaxValue;
        int count = Vector256.Sum(counts);
        for (int l = 0; l < Vector256<float>.Count; l++) min = Math.Min(min, mins.GetElement(l));
        AddFinite(column[i..], ref sum, ref sq, ref min, ref count);
        if (count == 0)
        {
            column.Clear();
            return;
        }
        double mean = sum / count, sd = Math.Sqrt(Math.Max(sq / count - mean * mean, 0));
        double scale = sd > 1e-12 ? (float)(1 / sd) : 0;
        float floor = (float)((min - mean) * scale);
        var vMean = Vector256.Create(mean);
        var vScale = Vector256.Create(scale);
        var vFloor = Vector256.Create(floor);
        for (i = 0; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var finite = Vector256.Equals(v - v, Vector256<float>.Zero);
            var (lo, hi) = Vector256.Widen(v);
            var z = Vector256.Narrow((lo - vMean) * vScale, (hi - vMean) * vScale);
            Vector256.ConditionalSelect(finite, z, vFloor).StoreUnsafe(ref start, (nuint)i);
        }
        for (; i < n; i++) column[i] = float.IsFinite(column[i]) ? (float)((column[i] - mean) * scale) : floor;
    }
}
