using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Options of <see cref="ContentSimilarity"/>.</summary>
public sealed record ContentSimilarityOptions
{
    /// <summary>Neighbours kept per movie. Default 50.</summary>
    public int Neighbours { get; init; } = 50;

    /// <summary>Count vectors (the first seed's CountVectorizer) or TF-IDF. Default count.</summary>
    public SparseVectors.Weighting Weighting { get; init; } = SparseVectors.Weighting.Count;

    /// <summary>
    /// Field weights (<see cref="ContentSimilarity.VectorizeFields"/>), or null for the first seed's soup (one count
    /// vector of top-3 cast, the first director three times, keywords and genres). Default
    /// <see cref="ContentFieldWeights.Default"/>.
    /// </summary>
    public ContentFieldWeights? Fields { get; init; } = ContentFieldWeights.Default;

    /// <summary>
    /// β of the familiarity blend: when rating counts are given, each movie's neighbours are ordered by
    /// sim / sim_max + β · log(1 + ratings) / log(1 + most ratings), so among near-equally similar movies the ones people
    /// know come first. Default 0.1 (0 = similarity alone).
    /// </summary>
    public double FamiliarityWeight { get; init; } = 0.1;

    /// <summary>0 = every core.</summary>
    public int Threads { get; init; }
}

/// <summary>Weights of the content fields in <see cref="ContentSimilarity.VectorizeFields"/>.</summary>
public sealed record ContentFieldWeights(double Directors, double Cast, double Keywords, double Genres, double Tags, double Decade)
{
    /// <summary>
    /// Directors 2, top-3 cast 2, keywords 2, genres 2, MovieLens tags 1, decade 0.5: a shared director counts three
    /// times a shared lead actor (one of the cast field's three names; the first seed's 3x). Chosen with
    /// <c>bench similar</c> on ml-latest-small (docs/benchmarks.md) over the soup's single vector.
    /// </summary>
    public static ContentFieldWeights Default { get; } = new(2, 2, 2, 2, 1, 0.5);
}

/// <summary>
/// "More like this" from content: the field-weighted cosine of <see cref="ContentSimilarity.VectorizeFields"/>
/// (default) or the cosine of the first seed's <see cref="MovieSoup"/> count (or TF-IDF) vectors, kept as the top-k
/// neighbours of every movie of a catalog, optionally ordered with familiarity.
/// </summary>
public sealed class ContentSimilarity
{
    private readonly MovieNeighbours _neighbours;
    private readonly float[]? _familiarity; // per row: log(1 + ratings) / log(1 + most ratings), times β

    private ContentSimilarity(IReadOnlyList<Movie> movies, SparseVectors vectors, SimilarityIndex index, float[]? familiarity)
    {
        Movies = movies;
        Vectors = vectors;
        Index = index;
        _neighbours = new MovieNeighbours(movies, index);
        _familiarity = familiarity;
    }

    public IReadOnlyList<Movie> Movies { get; }
    public SparseVectors Vectors { get; }
    public SimilarityIndex Index { get; }

    /// <param name="movies">The catalogue.</param>
    /// <param name="options">Fields, neighbours, familiarity.</param>
    /// <param name="ratingCount">How many ratings each movie (by id) has, for the familiarity blend; null: similarity alone.</param>
    public static ContentSimilarity Build(IReadOnlyList<Movie> movies, ContentSimilarityOptions? options = null, Func<long, float>? ratingCount = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        options ??= new ContentSimilarityOptions();
        OptionChecks.NonNegative(options.FamiliarityWeight, "familiarity-weight");
        var vectors = options.Fields is { } fields ? VectorizeFields(movies, fields) : Vectorize(movies, options.Weighting);
        var index = SimilarityIndex.Build(vectors, options.Neighbours, options.Threads);
        float[]? familiarity = null;
        if (ratingCount is not null && options.FamiliarityWeight > 0)
        {
            familiarity = new float[movies.Count];
            float most = 0;
            for (int r = 0; r < movies.Count; r++) most = Math.Max(most, familiarity[r] = MathF.Log(1 + Math.Max(0, ratingCount(movies[r].Id))));
            if (most > 0)
            {
                for (int r = 0; r < movies.Count; r++) familiarity[r] = (float)(options.FamiliarityWeight * familiarity[r] / most);
            }
            else familiarity = null; // nobody rated anything: similarity alone
        }
        return new ContentSimilarity(movies, vectors, index, familiarity);
    }

    /// <summary>The unit-length content vectors of <paramref name="movies"/> (cast, director x3, genres, keywords), without the neighbour index.</summary>
    public static SparseVectors Vectorize(IReadOnlyList<Movie> movies, SparseVectors.Weighting weighting = SparseVectors.Weighting.Count)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var documents = new List<IReadOnlyList<string>>(movies.Count);
        foreach (var m in movies) documents.Add(MovieSoup.Tokens(m));
        return SparseVectors.Build(documents, weighting);
    }

    /// <summary>
    /// Field-weighted content vectors: one unit-length count vector per field (directors, top-3 cast, keywords,
    /// genres, MovieLens tags, decade), joined with scale √(w_f / Σw), so the dot product of two movies is the
    /// w-weighted mean of their fields' cosines, a field either movie lacks counting 0. A movie without TMDB metadata
    /// then matches one with it on genres, tags and decade alone, at most their share of the weights, instead of
    /// looking closer than a film by the same director because its vector is short.
    /// </summary>
    public static SparseVectors VectorizeFields(IReadOnlyList<Movie> movies, ContentFieldWeights weights)
    {
        ArgumentNullException.ThrowIfNull(movies);
        ArgumentNullException.ThrowIfNull(weights);
        var fields = new (string Prefix, double Weight, Func<Movie, IEnumerable<string>> Tokens)[]
        {
            ("d:", weights.Directors, m => m.Tmdb?.Directors ?? []),
            ("c:", weights.Cast, m => m.Tmdb?.Cast.Take(MovieSoup.CastCount) ?? []),
            // Credits keywords ("aftercreditsstinger" on a third of TMDB's films) and verdict tags ("in netflix queue")
            // say nothing about what a film is: with them Finding Nemo's "More like this" had Harold & Kumar Escape
            // from Guantanamo Bay and Me, Myself & Irene, whose few keywords are mostly the two stingers.
            ("k:", weights.Keywords, m => m.Tmdb?.Keywords.Where(k => !UninformativeKeywords.Credits.Contains(k)) ?? []),
            ("g:", weights.Genres, m => m.Genres.Count > 0 ? m.Genres : m.Tmdb?.Genres ?? []),
            ("t:", weights.Tags, m => m.Tags.Where(t => !UninformativeKeywords.Opinions.Contains(t))),
            ("y:", weights.Decade, m => m.Year is int y ? [string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{y / 10 * 10}s")] : []),
        };
        double total = 0;
        foreach (var f in fields) total += f.Weight;
        if (!(total > 0)) throw new ArgumentException("At least one content field needs a positive weight.", nameof(weights));
        var blocks = new List<(SparseVectors, float, string)>();
        foreach (var (prefix, weight, tokens) in fields)
        {
            if (weight <= 0) continue;
            var documents = new List<IReadOnlyList<string>>(movies.Count);
            foreach (var m in movies)
            {
                var list = new List<string>();
                foreach (var name in tokens(m))
                {
                    var token = MovieSoup.Normalize(name);
                    if (token.Length > 0 && !list.Contains(token)) list.Add(token);
                }
                documents.Add(list);
            }
            blocks.Add((SparseVectors.Build(documents, SparseVectors.Weighting.Count), (float)Math.Sqrt(weight / total), prefix));
        }
        return SparseVectors.Concatenate(blocks);
    }

    /// <summary>
    /// The movies most similar to <paramref name="movieId"/>, best first (with rating counts given to
    /// <see cref="Build"/>: the kept neighbours ordered by similarity blended with familiarity,
    /// <see cref="ContentSimilarityOptions.FamiliarityWeight"/>; the value returned is the similarity); empty for an
    /// unknown id.
    /// </summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n) =>
        _familiarity is null ? _neighbours.Similar(movieId, n) : _neighbours.Similar(movieId, n, _familiarity);

    /// <summary>
    /// The movies <paramref name="accept"/> takes most similar to <paramref name="movieId"/>, over the whole catalogue
    /// rather than the kept neighbours, ordered as <see cref="Similar(long, int)"/> orders them (sim / sim_max, plus
    /// familiarity when given); the value returned is the similarity. For a narrower ask than "more like this": "movies
    /// like The Matrix but funnier" wants comedies, of which The Matrix's 50 kept neighbours hold one. One pass over
    /// the vectors' non-zeros; empty for an unknown id.
    /// </summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> SimilarAmong(long movieId, int n, Func<Movie, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        int row = _neighbours.RowOf(movieId);
        if (row < 0 || n <= 0) return [];
        var query = new float[Vectors.Vocabulary.Count];
        var terms = Vectors.RowTerms(row);
        var weights = Vectors.RowWeights(row);
        for (int t = 0; t < terms.Length; t++) query[terms[t]] = weights[t];
        var sims = new float[Movies.Count];
        float max = 0;
        for (int r = 0; r < sims.Length; r++)
        {
            sims[r] = float.NaN;
            if (r == row || !accept(Movies[r])) continue;
            float dot = 0;
            var rowTerms = Vectors.RowTerms(r);
            var rowWeights = Vectors.RowWeights(r);
            for (int t = 0; t < rowTerms.Length; t++) dot += query[rowTerms[t]] * rowWeights[t];
            if (dot <= 0) continue;
            sims[r] = dot;
            max = Math.Max(max, dot);
        }
        var keys = new float[sims.Length];
        for (int r = 0; r < keys.Length; r++) keys[r] = float.IsNaN(sims[r]) ? float.NaN : sims[r] / max + (_familiarity?[r] ?? 0);
        var top = TopN.Select(keys, n, TieBreak.ById);
        var result = new List<(Movie, float)>(top.Length);
        foreach (var t in top) result.Add((Movies[t.Item], sims[t.Item]));
        return result;
    }

    /// <summary>Similar movies re-ranked by a blend of similarity and weighted rating (see <see cref="MovieNeighbours"/>).</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)> Similar(long movieId, int n, WeightedRating quality, double weight) =>
        _neighbours.Similar(movieId, n, quality, weight);
}
