using System.Globalization;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Weights of the feature blocks a movie's content vector is made of. Each block is TF-IDF weighted and unit length on
/// its own, scaled by √weight, and the joined row is unit length again, so a cosine is a weighted blend of the blocks'
/// cosines. Defaults tuned on the new-user protocol (seeds 10-14): cast and director at 0.25 and the overview at 0.5
/// ranked as well as leaving them out, at full weight a little worse; the decade raised precision@10 by about 0.02.
/// </summary>
public sealed record ContentBlockWeights
{
    /// <summary>The three top-billed actors (TMDB).</summary>
    public double Cast { get; init; } = 0.25;

    /// <summary>The director (TMDB).</summary>
    public double Director { get; init; } = 0.25;

    /// <summary>The dataset's genres.</summary>
    public double Genres { get; init; } = 1;

    /// <summary>TMDB keywords (and MovieLens tags, with <see cref="TagsAsKeywords"/>).</summary>
    public double Keywords { get; init; } = 1;

    /// <summary>
    /// Whether a movie's MovieLens tags join its TMDB keywords where they are words TMDB uses as keywords, spelt the same
    /// way ("Heist" the tag and "heist" the keyword are one term, "zombies" joins "zombie"; verdicts and bookkeeping
    /// such as "in netflix queue" are left out, <see cref="UninformativeKeywords.Opinions"/>, and so are moods TMDB has
    /// no keyword for, "atmospheric"). Default true: TMDB puts "heist" on two of five heist films a person may love,
    /// people's tags on three more, so the theme (<see cref="ContentTaste.Theme"/>) their favourites share forms: one
    /// heist film in that person's 10 before, ten after (docs/evaluation.md, "Themes").
    /// </summary>
    public bool TagsAsKeywords { get; init; } = true;

    /// <summary>The overview's words (<see cref="TextAnalyzer"/>: stop words out, Porter stems).</summary>
    public double Overview { get; init; } = 0.5;

    /// <summary>The release decade ("1990s").</summary>
    public double Decade { get; init; } = 1;

    public void Validate()
    {
        OptionChecks.NonNegative(Cast, nameof(Cast));
        OptionChecks.NonNegative(Director, nameof(Director));
        OptionChecks.NonNegative(Genres, nameof(Genres));
        OptionChecks.NonNegative(Keywords, nameof(Keywords));
        OptionChecks.NonNegative(Overview, nameof(Overview));
        OptionChecks.NonNegative(Decade, nameof(Decade));
    }
}

/// <summary>
/// The content side of a person's taste: what the movies they like have in common that other people's likes do not.
/// <para>
/// Every movie is a unit vector v_i over feature blocks (<see cref="ContentBlockWeights"/>). For a user who liked the
/// movies L (|L| = n, counting those with content), with a = Σ_{j∈L} v_j and m̄ the mean vector of every like in the
/// training data, the profile is what their likes have beyond n likes of an average person, scaled down where
/// everyone's likes already are: p_t = (a_t − n·m̄_t) / √(m̄_t + ε) (ε = 0.01), the Rocchio idea of subtracting the
/// centroid of everything (Rocchio 1971; Pazzani and Billsus 2007, "Content-based recommendation systems"). The
/// affinity of a movie is cos(v_i, p) = v_i · p / ‖p‖, in [-1, 1]: liking five horror films makes "horror" and their
/// decade stand out, "drama", which everyone likes, fades, and genres they never liked ("action") count against.
/// </para>
/// </summary>
public sealed class ContentTaste
{
    /// <summary>ε: keeps the scaling finite for features nobody liked.</summary>
    public const double Epsilon = 0.01;

    private readonly SparseVectors _vectors;
    private readonly int[] _postingOffsets;
    private readonly int[] _postingItems;
    private readonly float[] _postingWeights;
    private readonly double[] _meanLiked;
    private readonly float[] _meanDot;
    private readonly double _meanNormSquared;

    private ContentTaste(SparseVectors vectors, double[] meanLiked)
    {
        _vectors = vectors;
        _meanLiked = meanLiked;
        // c_i = v_i · (m̄ ⊙ d) and Σ_t m̄_t² d_t²: the average person's part of every score, computed once.
        _meanDot = new float[vectors.Rows];
        for (int r = 0; r < vectors.Rows; r++)
        {
            double dot = 0;
            for (int p = vectors.Offsets[r]; p < vectors.Offsets[r + 1]; p++)
                dot += vectors.Weights[p] * meanLiked[vectors.Terms[p]] / Math.Sqrt(meanLiked[vectors.Terms[p]] + Epsilon);
            _meanDot[r] = (float)dot;
        }
        foreach (double m in meanLiked) _meanNormSquared += m * m / (m + Epsilon);
        int terms = vectors.Vocabulary.Count;
        _postingOffsets = new int[terms + 1];
        foreach (int t in vectors.Terms) _postingOffsets[t + 1]++;
        for (int t = 0; t < terms; t++) _postingOffsets[t + 1] += _postingOffsets[t];
        var next = _postingOffsets[..terms];
        _postingItems = new int[vectors.NonZeros];
        _postingWeights = new float[vectors.NonZeros];
        for (int r = 0; r < vectors.Rows; r++)
        {
            for (int p = vectors.Offsets[r]; p < vectors.Offsets[r + 1]; p++)
            {
                int slot = next[vectors.Terms[p]]++;
                _postingItems[slot] = r;
                _postingWeights[slot] = vectors.Weights[p];
            }
        }
    }

    /// <summary>The unit content vectors, one row per dense item id (terms are "block:token", e.g. "k:serialkiller").</summary>
    public SparseVectors Vectors => _vectors;

    public int ItemCount => _vectors.Rows;

    /// <summary>m̄: the mean liked vector over the vocabulary (what a model file stores beside the vectors).</summary>
    internal double[] MeanLiked => _meanLiked;

    /// <summary>A taste from stored parts (a model file): the same vectors and mean give the same affinities, bit for bit.</summary>
    internal static ContentTaste FromParts(SparseVectors vectors, double[] meanLiked)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(meanLiked);
        if (meanLiked.Length != vectors.Vocabulary.Count)
            throw new ArgumentException($"The mean liked vector has {meanLiked.Length} terms, the vocabulary {vectors.Vocabulary.Count}.", nameof(meanLiked));
        return new ContentTaste(vectors, meanLiked);
    }

    /// <summary>Builds the item vectors from the catalogue and the mean liked vector from the training ratings.</summary>
    public static ContentTaste Build(TrainingData data, ContentBlockWeights? weights = null, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        weights ??= new ContentBlockWeights();
        weights.Validate();
        var movies = ContentRecommender.ItemAlignedMovies(data);
        var vectors = Vectorize(movies, weights, threads);
        var ratings = data.Ratings;
        var mean = new double[vectors.Vocabulary.Count];
        float threshold = Likes.Threshold(ratings.Scale);
        long likes = 0;
        for (int k = 0; k < ratings.Count; k++)
        {
            if (ratings.Values[k] < threshold) continue;
            likes++;
            int item = ratings.Items[k];
            var terms = vectors.RowTerms(item);
            var w = vectors.RowWeights(item);
            for (int j = 0; j < terms.Length; j++) mean[terms[j]] += w[j];
        }
        if (likes > 0)
        {
            for (int t = 0; t < mean.Length; t++) mean[t] /= likes;
        }
        return new ContentTaste(vectors, mean);
    }

    /// <summary>The blocks of every movie, TF-IDF weighted per block, joined and unit length (a featureless movie: empty row).</summary>
    public static SparseVectors Vectorize(IReadOnlyList<Movie> movies, ContentBlockWeights weights, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(weights);
        var overviews = new IReadOnlyList<string>[movies.Count];
        if (weights.Overview > 0)
        {
            var analyzer = TextAnalyzer.Shared;
            Parallel.For(0, movies.Count, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount },
                r => overviews[r] = analyzer.Terms(movies[r].Tmdb?.Overview));
        }
        var tagged = weights.TagsAsKeywords ? new TaggedKeywords(movies) : null;
        var blocks = new List<(string Prefix, double Weight, Func<int, IReadOnlyList<string>> Tokens)>
        {
            ("c", weights.Cast, r => Names(movies[r].Tmdb?.Cast.Take(MovieSoup.CastCount))),
            ("d", weights.Director, r => Names(movies[r].Tmdb?.Directors.Take(1))),
            ("g", weights.Genres, r => Names(movies[r].Genres)),
            ("k", weights.Keywords, r => Names(tagged is null ? movies[r].Tmdb?.Keywords : tagged.Of(movies[r]))),
            ("o", weights.Overview, r => overviews[r] ?? []),
            ("y", weights.Decade, r => movies[r].Year is int y ? [string.Create(CultureInfo.InvariantCulture, $"{y / 10 * 10}s")] : []),
        };
        int n = movies.Count;
        var rowTerms = new List<int>[n];
        var rowWeights = new List<float>[n];
        for (int r = 0; r < n; r++) (rowTerms[r], rowWeights[r]) = ([], []);
        var vocabulary = new List<string>();
        foreach (var (prefix, weight, tokens) in blocks)
        {
            if (weight <= 0) continue;
            var documents = new IReadOnlyList<string>[n];
            for (int r = 0; r < n; r++) documents[r] = tokens(r);
            var block = SparseVectors.Build(documents, SparseVectors.Weighting.TfIdf);
            int offset = vocabulary.Count;
            foreach (var term in block.Vocabulary) vocabulary.Add(prefix + ":" + term);
            float scale = (float)Math.Sqrt(weight);
            for (int r = 0; r < n; r++)
            {
                var terms = block.RowTerms(r);
                var w = block.RowWeights(r);
                for (int j = 0; j < terms.Length; j++)
                {
                    rowTerms[r].Add(offset + terms[j]);
                    rowWeights[r].Add(w[j] * scale);
                }
            }
        }
        var offsets = new int[n + 1];
        for (int r = 0; r < n; r++) offsets[r + 1] = offsets[r] + rowTerms[r].Count;
        var allTerms = new int[offsets[n]];
        var allWeights = new float[offsets[n]];
        for (int r = 0; r < n; r++)
        {
            var w = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowWeights[r]);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(w);
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowTerms[r]).CopyTo(allTerms.AsSpan(offsets[r]));
            // Block offsets grow, so each row's terms are already ascending.
            for (int j = 0; j < w.Length; j++) allWeights[offsets[r] + j] = norm > 0 ? w[j] / norm : 0;
        }
        return new SparseVectors(offsets, allTerms, allWeights, vocabulary);
    }

    private static List<string> Names(IEnumerable<string>? names)
    {
        var tokens = new List<string>();
        foreach (var name in names ?? [])
        {
            var token = MovieSoup.Normalize(name);
            if (token.Length > 0) tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>
    /// cos(v_i, p) for every item into <paramref name="affinity"/> (0 for all when nothing liked has content).
    /// <paramref name="liked"/> are dense item ids. With d_t = 1 / √(m̄_t + ε), v_i · p = Σ_{t∈a} v_it·a_t·d_t − n·c_i where
    /// c_i = Σ_t v_it·m̄_t·d_t is precomputed, and ‖p‖² = Σ_{t∈a} (a_t² − 2n·a_t·m̄_t)·d_t² + n²·Σ_t m̄_t²·d_t²: the cost is
    /// the postings of the liked movies' terms plus one pass over the items, not the whole vocabulary.
    /// </summary>
    public void Affinity(ReadOnlySpan<int> liked, Span<float> affinity)
    {
        if (affinity.Length != ItemCount)
            throw new ArgumentException($"affinity must have one entry per item ({ItemCount}), not {affinity.Length}.", nameof(affinity));
        affinity.Clear();
        // The liked movies' term sums in order of first appearance (as a dictionary would enumerate them), in a
        // per-thread scratch: a dictionary per request was a fifth of the service's allocation.
        var scratch = AffinityScratch.For(_postingOffsets.Length - 1);
        var slotOf = scratch.SlotOf;
        int distinct = 0;
        int n = 0;
        try
        {
            foreach (int item in liked)
            {
                if ((uint)item >= (uint)ItemCount || _vectors.RowTerms(item).IsEmpty) continue;
                n++;
                var terms = _vectors.RowTerms(item);
                var w = _vectors.RowWeights(item);
                for (int j = 0; j < terms.Length; j++)
                {
                    // The slot first: adding one may grow (replace) Sums, which the indexer would have read before.
                    int slot = scratch.Slot(terms[j], ref distinct);
                    scratch.Sums[slot] += w[j];
                }
            }
            var (order, sums) = (scratch.Order, scratch.Sums);
            if (n == 0) return;
            double norm = (double)n * n * _meanNormSquared;
            for (int k = 0; k < distinct; k++)
            {
                int term = order[k];
                double sum = sums[k];
                double scale = 1 / (_meanLiked[term] + Epsilon);
                norm += (sum * sum - 2 * n * sum * _meanLiked[term]) * scale;
                float weight = (float)(sum * Math.Sqrt(scale));
                for (int q = _postingOffsets[term]; q < _postingOffsets[term + 1]; q++) affinity[_postingItems[q]] += weight * _postingWeights[q];
            }
            if (norm <= 0) return;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_meanDot, -n, affinity, affinity);
            System.Numerics.Tensors.TensorPrimitives.Multiply(affinity, (float)(1 / Math.Sqrt(norm)), affinity);
        }
        finally
        {
            for (int k = 0; k < distinct; k++) slotOf[scratch.Order[k]] = 0;
        }
    }

    /// <summary>Each term's inverse document frequency ln(N / df) where it names a theme (keyword, director or lead actor; a director's times three), else 0.</summary>
    private float[] ThemeIdf => _themeIdf ??= BuildThemeIdf();

    private float[]? _themeIdf;

    /// <summary>A theme term is one at least this many of the liked movies (and half of them) have.</summary>
    public const int ThemeLeastShared = 3;

    /// <summary>
    /// Terms on more than this share of the movies are not themes (1.5 %: on ml-latest-small at most 146 movies; "sport",
    /// 126 TMDB movies, is one, "woman director", "based on novel" and "murder", 189-324, are not).
    /// </summary>
    public const double ThemeMaxShare = 0.015;

    private float[] BuildThemeIdf()
    {
        // Keywords the explanations never give as a reason (how a film was made, or what almost every story has:
        // "friendship" is on three of five romantic comedies and on Toy Story) are no theme either.
        var never = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in UninformativeKeywords.Production.Concat(UninformativeKeywords.Vague).Concat(UninformativeKeywords.Mislabelled)) never.Add("k:" + MovieSoup.Normalize(keyword));
        var idf = new float[_vectors.Vocabulary.Count];
        for (int t = 0; t < idf.Length; t++)
        {
            string term = _vectors.Vocabulary[t];
            int df = _postingOffsets[t + 1] - _postingOffsets[t];
            if (df > 0 && df <= ThemeMaxShare * ItemCount && term.Length > 2 && term[1] == ':' && term[0] is 'k' or 'd' or 'c' && !never.Contains(term))
                idf[t] = (float)(Math.Log((double)ItemCount / df) * (term[0] == 'd' ? MovieSoup.DirectorWeight : 1));
        }
        return idf;
    }

    /// <summary>
    /// How much of what the liked movies have in common each movie shares: the theme T is the keywords, directors and
    /// lead actors that at least three of the liked movies (and at least half of them) have, each weighted by how many
    /// have it times its rarity, w_t = c_t · ln(N / df_t), three times that for a director (the content soup's director
    /// weight: a keyword the tags add, "psychology" on three of five Nolan films, pushed Insomnia out of that fan's
    /// list); a movie's fit is Σ_{t ∈ T ∩ terms(i)} w_t / Σ_{t ∈ T} w_t, in
    /// [0, 1] (all 0 when the liked movies share nothing). Unlike <see cref="Affinity"/>, where a sports film's "sport"
    /// is one keyword among the dozen each liked movie has, a term counts only when it recurs: three boxing and
    /// football films at five stars make "sport" the theme, and the sports films the candidates hold rise.
    /// </summary>
    public void Theme(ReadOnlySpan<int> liked, Span<float> fit)
    {
        if (fit.Length != ItemCount)
            throw new ArgumentException($"fit must have one entry per item ({ItemCount}), not {fit.Length}.", nameof(fit));
        fit.Clear();
        var idf = ThemeIdf;
        var scratch = AffinityScratch.For(_postingOffsets.Length - 1);
        var slotOf = scratch.SlotOf;
        int distinct = 0, n = 0;
        try
        {
            foreach (int item in liked)
            {
                if ((uint)item >= (uint)ItemCount || _vectors.RowTerms(item).IsEmpty) continue;
                n++;
                foreach (int term in _vectors.RowTerms(item))
                {
                    if (idf[term] <= 0) continue;
                    int slot = scratch.Slot(term, ref distinct);
                    scratch.Sums[slot]++;
                }
            }
            var (order, counts) = (scratch.Order, scratch.Sums);
            // Half: "magic" on 3 of 8 animated family films (Shrek, Shrek 2, Aladdin) put Harry Potter in their top 5.
            double least = Math.Max(ThemeLeastShared, n / 2.0), total = 0;
            for (int k = 0; k < distinct; k++)
            {
                if (counts[k] < least) continue;
                int term = order[k];
                float weight = (float)(counts[k] * idf[term]);
                total += weight;
                for (int q = _postingOffsets[term]; q < _postingOffsets[term + 1]; q++) fit[_postingItems[q]] += weight;
            }
            if (total > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(fit, (float)(1 / total), fit);
        }
        finally
        {
            for (int k = 0; k < distinct; k++) slotOf[scratch.Order[k]] = 0;
        }
    }

    /// <summary>
    /// A thread's scratch for <see cref="Affinity"/>: each term's slot + 1 (0: not seen; all 0 between calls), and the
    /// seen terms with their sums in order of first appearance. Affinity is synchronous and does not re-enter, so one per
    /// thread is never shared by two calls at once.
    /// </summary>
    private sealed class AffinityScratch
    {
        [ThreadStatic]
        private static AffinityScratch? _current;

        public int[] SlotOf = [];
        public int[] Order = new int[256];
        public double[] Sums = new double[256];

        public static AffinityScratch For(int terms)
        {
            var s = _current ??= new AffinityScratch();
            if (s.SlotOf.Length < terms) s.SlotOf = new int[terms];
            return s;
        }

        /// <summary>The term's slot in <see cref="Order"/> and <see cref="Sums"/>, added (sum 0) when new.</summary>
        public int Slot(int term, ref int distinct)
        {
            int slot = SlotOf[term] - 1;
            if (slot >= 0) return slot;
            if (distinct == Order.Length)
            {
                Array.Resize(ref Order, Order.Length * 2);
                Array.Resize(ref Sums, Sums.Length * 2);
            }
            slot = distinct++;
            SlotOf[term] = slot + 1;
            Order[slot] = term;
            Sums[slot] = 0;
            return slot;
        }
    }
}
