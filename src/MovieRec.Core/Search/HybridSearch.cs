using System.Buffers;
using System.Text;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>How the ranked lists of the signals are combined.</summary>
public enum FusionMethod
{
    /// <summary>
    /// Reciprocal rank fusion (Cormack, Clarke and Büttcher 2009): score(d) = Σ_s w_s / (k + rank_s(d)), over the
    /// signals s that rank d within their first <see cref="HybridSearchOptions.Depth"/>.
    /// </summary>
    ReciprocalRank,

    /// <summary>
    /// A weighted sum of the signals' scores, each on [0, 1]: cosine similarity as it is, BM25 divided by the query's
    /// best BM25, title match score / 100 (CombSUM with max normalisation; Fox and Shaw 1994).
    /// </summary>
    Scores,
}

/// <summary>Which signals a search uses (the bench compares them one by one).</summary>
[Flags]
public enum SearchSignals
{
    /// <summary>BM25 over titles, overviews, keywords, tags and people (<see cref="LexicalSearch"/>).</summary>
    Lexical = 1,

    /// <summary>Sentence embeddings (<see cref="SemanticSearch"/>).</summary>
    Semantic = 2,

    /// <summary>Title matches as people type (<see cref="TitleSearch"/>).</summary>
    Title = 4,

    All = Lexical | Semantic | Title,
}

/// <summary>Fusion settings. The defaults were chosen on the tuning half of the description set (docs/search.md).</summary>
public sealed record HybridSearchOptions
{
    public FusionMethod Method { get; init; } = FusionMethod.ReciprocalRank;

    /// <summary>How far down each signal's list is read.</summary>
    public int Depth { get; init; } = 100;

    /// <summary>The k of reciprocal rank fusion: larger flattens the rank differences.</summary>
    public float RrfK { get; init; } = 60;

    public float LexicalWeight { get; init; } = 1;

    public float SemanticWeight { get; init; } = 1;

    public float TitleWeight { get; init; } = 1;

    /// <summary>
    /// Whether the embeddings rank only movies with a description (<see cref="Movie.IsDescribed"/>: a TMDB overview or
    /// tags). A movie with only a title and genres embeds as its title, so its cosine to a query is a title match,
    /// which <see cref="SearchSignals.Title"/> and BM25 already give (for topic queries, "sad movie about a dog", those
    /// title matches filled the embeddings' top ranks: docs/search.md). On by default.
    /// </summary>
    public bool SemanticDescribedOnly { get; init; } = true;

    /// <summary>
    /// A prior for well-known movies: the fused score is multiplied by 1 + w · log(1 + ratings) / log(1 + most ratings).
    /// 0 turns it off. 1.5 on the tuning half: top 5 93 % -> 100 %, MRR 0.79 -> 0.98 (docs/search.md). Short queries
    /// that are not a title get less (<see cref="PopularityFullWords"/>).
    /// </summary>
    public float PopularityWeight { get; init; } = 1.5f;

    /// <summary>
    /// How many of the fused results (ranked without the prior) the popularity prior reorders; 0 (the default): every
    /// result. Meant to keep a popular movie that matched weakly (a title word) from climbing over closer matches;
    /// tried on the tune halves and not adopted (docs/search.md, "Topic queries").
    /// </summary>
    public int PopularityDepth { get; init; }

    /// <summary>
    /// Query length (words) at which the prior has its full weight; shorter queries get <see cref="PopularityWeight"/>
    /// · words / this. A description of one movie is a sentence of specifics ("a hacker learns that the world he lives
    /// in is a simulation", 12 words or more in the description set), a kind of movie a short phrase ("vampire
    /// comedy", 2 to 6 words in the topic set), for which the prior pushed popular movies sharing a query word over
    /// the ones on the topic. 8, chosen on the tune halves (docs/search.md); 0: the full weight whatever the length.
    /// </summary>
    public int PopularityFullWords { get; init; } = 8;

    /// <summary>
    /// A title match at least this strong (<see cref="TitleSearch"/>: 100 for the whole title, 30 and more for a title
    /// that begins with the query) gives the prior its full weight however short the query: it names a movie
    /// ("batman": Batman (1989) before Batman (1966)). 0: off.
    /// </summary>
    public float PopularityTitleMatch { get; init; } = 30;

    /// <summary>
    /// The lift for movies of the genres a query's words ask for (<see cref="GenreWords"/>: "funny" Comedy, "scary"
    /// Horror, "for kids" Children): the fused score is multiplied by 1 + w · (share of those genres the movie has).
    /// 0 turns it off. 0.25, chosen on the tune halves (0.5, 1 and 2 tried; from 1 the description set's tuning MRR
    /// fell): topic tune P@10 0.729 -> 0.768; measured once on the held-out topic halves, 0.604 -> 0.607 and 0.630 ->
    /// 0.640, the description set unchanged (docs/search.md).
    /// </summary>
    public float GenreWeight { get; init; } = 0.25f;

    /// <summary>
    /// The factor on the fused score of movies without the Children genre when the query says the movie is for
    /// children (<see cref="GenreWords.ForChildren"/>: "for kids", "a family movie", "for a family night"); 1 turns
    /// it off. A constraint, not a flavour, so stronger than <see cref="GenreWeight"/>: with the lift alone, "scary movie
    /// for kids" began with Scary Movie 3, Scream and Misery, and "funny movie for a family night" had Funny Games U.S.
    /// fourth, by title words. Still a factor, not a filter: a family film MovieLens files under other genres stays
    /// findable by its words.
    /// </summary>
    public float NotForChildren { get; init; } = 0.25f;

    /// <summary>
    /// When a query asks for kinds of movie of which too few exist for a browse answer (fewer than ten: "robin williams
    /// family movies", "courtroom drama", "talking animals kids"), those few lead the word search, ordered by it and the
    /// popularity prior, and the words rank the rest after them (default on; `bench semantic topics`, fused + popularity
    /// P@10 / NDCG@10: tune 0.864 / 0.882 -> 0.893 / 0.910, holdout 0.679 / 0.711 -> 0.696 / 0.737, people NDCG@10 0.963
    /// -> 0.979, fresh and era unchanged). Off: the genre lift and the children's constraint alone.
    /// </summary>
    public bool KindsFirst { get; init; } = true;

    /// <summary>
    /// Whether the word signals (BM25 and titles) leave out the words that only say "movie" ("movies", "film", ...;
    /// <see cref="GenreWords.WithoutMovieWords"/>) unless the query is a title (default on). Off: "uplifting movies"
    /// matched Disaster Movie, American Movie and Scary Movie by the title word.
    /// </summary>
    public bool DropMovieWords { get; init; } = true;

    /// <summary>How many fused results the taste re-rank reorders.</summary>
    public int TasteDepth { get; init; } = 30;

    /// <summary>
    /// The taste re-rank: final = 1 / (k_t + fused rank) + w_t / (k_t + taste rank) over the first
    /// <see cref="TasteDepth"/> fused results, with k_t = <see cref="TasteK"/>.
    /// </summary>
    public float TasteWeight { get; init; } = 0.3f;

    public float TasteK { get; init; } = 5;

    /// <summary>
    /// How many of the best-known movies of a browse answer ("horror movies", "dog movies") the taste re-rank reorders.
    /// Every one of them is what was asked for, so the searcher's taste reaches deeper than in a fused list.
    /// </summary>
    public int BrowseTasteDepth { get; init; } = 300;

    /// <summary>
    /// w_t of the taste re-rank (<see cref="TasteWeight"/>) for a browse answer: final = 1 / (k_t + popularity rank) +
    /// w_t / (k_t + taste rank). On the new-user split (`bench browse-taste`: each held-out user's 5 favourites, "&lt;genre&gt;
    /// movies" for the two genres they like most, the top 10 against their other movies rated >= 4), seeds 10-14: P@10
    /// 0.170 without ratings; with the default recommender's taste 0.279 at w 3 over the first 50, 0.308 over 100 and
    /// 0.347 over 300 (0.300 at w 1, 0.348 at w 10).
    /// </summary>
    public float BrowseTasteWeight { get; init; } = 3;

    public static HybridSearchOptions Default { get; } = new();
}

/// <summary>
/// The user's taste for a set of candidate movies: fills one score per candidate (higher: more to their taste; NaN:
/// unknown), e.g. a recommender's scores for a user folded in from the ratings a request carries.
/// </summary>
public delegate void TasteScorer(IReadOnlyList<Movie> candidates, Span<float> scores);

/// <summary>One search: how many results, and the user's taste for the optional re-rank.</summary>
public sealed record HybridSearchRequest
{
    public int Count { get; init; } = 10;

    /// <summary>The user's taste; null: results are not personalised.</summary>
    public TasteScorer? Taste { get; init; }

    /// <summary>The flag that turns the taste re-rank off even when <see cref="Taste"/> is given.</summary>
    public bool Personalise { get; init; } = true;

    /// <summary>Signals to use (all by default; the bench measures them one at a time).</summary>
    public SearchSignals Signals { get; init; } = SearchSignals.All;

    /// <summary>
    /// Whether release years in the query ("80s teen comedy", "sci-fi from the 1950s": <see cref="EraQuery"/>) restrict
    /// the results to those years instead of being searched as words. On by default.
    /// </summary>
    public bool UnderstandEras { get; init; } = true;

    /// <summary>
    /// Whether people named in the query ("movies with Tom Hanks and Meg Ryan", "directed by Steven Spielberg":
    /// <see cref="PersonIndex"/>) restrict the results to their movies instead of being searched as words. On by default.
    /// </summary>
    public bool UnderstandPeople { get; init; } = true;

    /// <summary>
    /// Whether a query that asks only for kinds of movie ("horror movies", "a good western", "funny movie for kids":
    /// <see cref="GenreWords.Browse"/>) is answered with the best-known movies of those kinds instead of being searched
    /// as words. On by default.
    /// </summary>
    public bool UnderstandGenres { get; init; } = true;
}

/// <summary>One result: the movie, its final score, and where each signal ranked it (null: not in its list).</summary>
public sealed record HybridSearchHit(Movie Movie, float Score, int? LexicalRank, int? SemanticRank, int? TitleRank, float? Taste);

/// <summary>The state of the semantic half: off (with the reason), being built (how far), ready, or failed.</summary>
public enum SemanticState
{
    Off,
    Building,
    Ready,
    Failed,
}

/// <summary>Where the semantic half is: state, movies embedded so far of all, and a message when not ready.</summary>
public sealed record SemanticStatus(SemanticState State, int Embedded, int Total, string? Message);

/// <summary>
/// A search's results: the hits, "hybrid" or "lexical" (semantic not ready or off), a note for the user when the
/// results are lexical only, whether the taste re-rank ran, and the release years and people the query asked for (null: none).
/// </summary>
public sealed record HybridSearchResult(IReadOnlyList<HybridSearchHit> Hits, string Mode, string? Note, bool Personalised, SemanticStatus Semantic, Era? Era = null,
    PeopleAsked? People = null, BrowseKinds? Kinds = null);

/// <summary>
/// Search by description, title or words: BM25 (<see cref="LexicalSearch"/>), sentence embeddings
/// (<see cref="SemanticSearch"/>) and title matches (<see cref="TitleSearch"/>) fused (reciprocal rank fusion by
/// default), then optionally re-ranked by the user's taste. Usable at once: until the embeddings are ready (built in
/// the background by <see cref="StartSemantic"/>, or attached with <see cref="UseSemantic"/>), searches are lexical
/// and say so in <see cref="HybridSearchResult.Note"/>. Thread-safe for concurrent searches.
/// </summary>
public sealed class HybridSearch : IDisposable
{
    private readonly Movie[] _movies;
    private readonly Dictionary<long, int> _rowOf;
    private readonly float[] _popularity;
    private readonly Lazy<PersonIndex> _people;
    private readonly Lazy<StudioIndex> _studios;
    private readonly Lazy<TopicIndex> _topics;
    private readonly Lazy<int?> _latestYear;

    /// <summary>The years "new" or "latest" asks for: the catalogue's last three (ml-latest-small: 2016 to 2018).</summary>
    private const int RecentYears = 3;
    private volatile int[] _undescribedEmbedded = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile SemanticSearch? _semantic;
    private volatile SemanticStatus _status;
    private SentenceEmbedder? _ownedEmbedder;
    private Task? _background;
    private int _embedded;

    /// <param name="movies">The catalogue.</param>
    /// <param name="popularity">Ratings per movie id (title tie-breaks and the popularity prior); null: none.</param>
    /// <param name="options">Fusion settings.</param>
    public HybridSearch(IReadOnlyList<Movie> movies, Func<long, float>? popularity = null, HybridSearchOptions? options = null)
        : this(movies, new LexicalSearch(movies), new TitleSearch(movies, popularity), popularity, options)
    {
    }

    /// <summary>Over indexes built elsewhere (the service builds them lazily and shares them).</summary>
    public HybridSearch(IReadOnlyList<Movie> movies, LexicalSearch lexical, TitleSearch titles, Func<long, float>? popularity = null, HybridSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(movies);
        Lexical = lexical ?? throw new ArgumentNullException(nameof(lexical));
        Titles = titles ?? throw new ArgumentNullException(nameof(titles));
        Options = options ?? HybridSearchOptions.Default;
        _movies = [.. movies];
        _rowOf = new Dictionary<long, int>(_movies.Length);
        for (int r = 0; r < _movies.Length; r++) _rowOf[_movies[r].Id] = r;
        _popularity = new float[_movies.Length];
        _people = new(() => new PersonIndex(_movies));
        _studios = new(() => new StudioIndex(_movies));
        _topics = new(() => new TopicIndex(_movies));
        _latestYear = new(() => _movies.Max(m => m.Year));
        if (popularity is not null)
        {
            float max = 0;
            for (int r = 0; r < _movies.Length; r++) max = Math.Max(max, _popularity[r] = MathF.Log(1 + Math.Max(0, popularity(_movies[r].Id))));
            if (max > 0)
            {
                for (int r = 0; r < _popularity.Length; r++) _popularity[r] /= max;
            }
        }
        _status = new SemanticStatus(SemanticState.Off, 0, _movies.Length, "semantic search has not been started");
    }

    public HybridSearchOptions Options { get; }

    public LexicalSearch Lexical { get; }

    public TitleSearch Titles { get; }

    /// <summary>The embedding search once ready, else null.</summary>
    public SemanticSearch? Semantic => _semantic;

    /// <summary>Where the semantic half is (with live progress while it is being built).</summary>
    public SemanticStatus Status
    {
        get
        {
            var s = _status;
            return s.State == SemanticState.Building ? s with { Embedded = Volatile.Read(ref _embedded) } : s;
        }
    }

    /// <summary>Attaches embeddings built elsewhere; searches are hybrid from now on.</summary>
    public void UseSemantic(SemanticSearch semantic)
    {
        ArgumentNullException.ThrowIfNull(semantic);
        if (semantic.Movies.Count != _movies.Length) throw new ArgumentException("the semantic index covers another catalogue", nameof(semantic));
        for (int r = 0; r < _movies.Length; r++)
        {
            if (semantic.Movies[r].Id != _movies[r].Id) throw new ArgumentException("the semantic index's movies are in another order", nameof(semantic));
        }
        // Movies with a vector of only their title and genres (an index built with every movie): read now, with the
        // metadata the vectors were built from. An index of described movies only (BuildSemantic's) has none.
        var undescribed = new List<int>();
        for (int r = 0; r < _movies.Length; r++)
        {
            if (semantic.IsEmbedded(r) && !_movies[r].IsDescribed) undescribed.Add(r);
        }
        _undescribedEmbedded = [.. undescribed];
        _semantic = semantic;
        _status = new SemanticStatus(SemanticState.Ready, semantic.EmbeddedCount, semantic.EmbeddedCount, null);
    }

    /// <summary>Marks the semantic half off with the reason (shown in every lexical result's note).</summary>
    public void DisableSemantic(string reason) => _status = new SemanticStatus(SemanticState.Off, 0, _movies.Length, reason);

    /// <summary>
    /// Embeds the catalogue synchronously through the cache in <paramref name="cacheFolder"/> (only what the cache
    /// lacks) and attaches the result; <paramref name="progress"/> receives movies embedded so far. With
    /// <see cref="HybridSearchOptions.SemanticDescribedOnly"/> (the default) only the movies the embeddings rank are
    /// embedded: those with a description (4,355 of ml-latest-small's 9,742 with TMDB 5000; they hold 84 % of the
    /// catalogue's tokens, so the first start's embedding takes about a sixth less: docs/search.md).
    /// </summary>
    public void BuildSemantic(SentenceEmbedder embedder, string cacheFolder, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        Volatile.Write(ref _embedded, 0);
        _status = new SemanticStatus(SemanticState.Building, 0, ToEmbed, null);
        var track = new Progress(this, progress);
        var semantic = SemanticSearch.Build(_movies, embedder, EmbeddingCache.For(embedder, cacheFolder), track, cancellation, embed: EmbedFilter);
        UseSemantic(semantic);
    }

    /// <summary>
    /// The <paramref name="count"/> best-known of the movies <see cref="BuildSemantic"/> embeds (most ratings, then
    /// catalogue order). <c>bench semantic quality|topics --semantic-first N</c> searches with only these embedded, as
    /// a first start would if it searched with a first stage while embedding the rest: tried 2026-12-07 and not adopted
    /// (the topic queries fell below lexical mode; docs/search.md).
    /// </summary>
    public IReadOnlyList<Movie> FirstStageMovies(int count)
    {
        var accept = EmbedFilter;
        var rows = new List<int>(_movies.Length);
        for (int r = 0; r < _movies.Length; r++)
        {
            if (accept is null || accept(_movies[r])) rows.Add(r);
        }
        // Stable: equal popularity keeps catalogue order.
        var ordered = rows.OrderByDescending(r => _popularity[r]).Take(Math.Max(0, count));
        return [.. ordered.Select(r => _movies[r])];
    }

    /// <summary>Which movies <see cref="BuildSemantic"/> embeds (null: all).</summary>
    private Func<Movie, bool>? EmbedFilter => Options.SemanticDescribedOnly ? static m => m.IsDescribed : null;

    /// <summary>How many movies <see cref="BuildSemantic"/> embeds.</summary>
    private int ToEmbed
    {
        get
        {
            if (EmbedFilter is not { } accept) return _movies.Length;
            int count = 0;
            foreach (var movie in _movies)
            {
                if (accept(movie)) count++;
            }
            return count;
        }
    }

    /// <summary>
    /// Loads the embedding model and embeds the catalogue on a background thread; until it is done searches are
    /// lexical and say how far it is. A load failure leaves search lexical with the reason. The embedder is disposed
    /// with this object.
    /// </summary>
    public Task StartSemantic(Func<SentenceEmbedder> loadEmbedder, string cacheFolder)
    {
        ArgumentNullException.ThrowIfNull(loadEmbedder);
        _status = new SemanticStatus(SemanticState.Building, 0, ToEmbed, null);
        var token = _stop.Token;
        return _background = Task.Factory.StartNew(() =>
        {
            try
            {
                var embedder = loadEmbedder();
                _ownedEmbedder = embedder;
                BuildSemantic(embedder, cacheFolder, null, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                _status = new SemanticStatus(SemanticState.Off, 0, _movies.Length, "semantic search was stopped");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                _status = new SemanticStatus(SemanticState.Failed, 0, _movies.Length, $"semantic search failed to start: {e.Message}");
            }
        }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Movies closest to a movie by the same embeddings; null while the embeddings are not ready.</summary>
    public IReadOnlyList<(Movie Movie, float Similarity)>? SimilarSemantic(long movieId, int n = 10) => _semantic?.Similar(movieId, n);

    /// <summary>Whether <paramref name="query"/> has a letter or a digit (any script): something a search can match.</summary>
    public static bool HasWords(string? query)
    {
        if (query is null) return false;
        foreach (var rune in query.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune)) return true;
        }
        return false;
    }

    /// <summary>Searches with every signal that is ready; see <see cref="HybridSearchResult"/>.</summary>
    public HybridSearchResult Search(string query, HybridSearchRequest? request = null)
    {
        request ??= new HybridSearchRequest();
        if (request.Count <= 0) throw new ArgumentOutOfRangeException(nameof(request), "Count must be positive");
        var semantic = (request.Signals & SearchSignals.Semantic) != 0 ? _semantic : null;
        var status = Status;
        string mode = semantic is not null ? "hybrid" : "lexical";
        string? note = semantic is not null || (request.Signals & SearchSignals.Semantic) == 0 ? null : LexicalNote(status);
        // No letter or digit ("!!!", a NUL, a zero-width space): nothing to match, and the embedding of no words is noise.
        if (!HasWords(query)) return new HybridSearchResult([], mode, note, false, status);
        Era? era = null;
        Func<Movie, bool>? accept = null; // the movies the query's years and people allow (null: every movie)
        if (request.UnderstandEras && EraQuery.Parse(query) is { } asked)
        {
            (era, query) = asked;
            accept = era.Contains;
        }
        PeopleAsked? people = null;
        Func<Movie, bool>? withAll = null;
        string kindWords = query; // what the query asks of the movies' kind (with the words around a person's name)
        // A surname that also begins a title ("hitchcock": Hitchcock (2012)) stays a title.
        if (request.UnderstandPeople && _people.Value.Parse(query) is { } named && !(named.Surname is { } surname && BeginsATitle(surname))
            && !(request.UnderstandGenres && NamesABiggerStudio(named)))
        {
            people = named;
            query = named.Words;
            kindWords = named.KindWords ?? query;
            var (withAny, all) = _people.Value.Filter(named);
            withAll = named.Names.Count > 1 ? all : null;
            var years = accept;
            accept = years is null ? withAny : movie => years(movie) && withAny(movie);
        }
        // "90s movies", "tom hanks movies", "the best films of the 1970s": nothing to match but the years or people.
        if (accept is not null && EraQuery.NothingElse(query))
        {
            var (known, personalised) = BestKnown(accept, withAll, request);
            return new HybridSearchResult(known, BrowseMode, null, personalised, status, era, people);
        }
        // "horror movies", "a good western", "funny movie for kids", "80s horror", "tom hanks comedies": nothing to match
        // but kinds of movie (with the years or people). Searched as words, "horror movies" began with Scary Movie 3 and
        // Disaster Movie (title words) and "comedy" with Airheads and Punchline. A query that is a title ("Scary
        // Movie") stays a title search.
        // When few movies are of every kind ("scary movie for kids": five), the words are searched instead, with the
        // genre lift and the children's constraint, and those few first.
        Func<Movie, bool>? kindsFirst = null;
        if (request.UnderstandGenres && GenreWords.Browse(kindWords, _studios.Value.Find, _topics.Value.Find) is { } kinds && !IsATitle(query))
        {
            // "new horror movies": the catalogue's last years, unless the query named years of its own.
            if (kinds.Recent && era is null && _latestYear.Value is int latest)
            {
                era = new Era(latest - RecentYears + 1, latest, $"{latest - RecentYears + 1} to {latest}");
                var before = accept;
                var years = era;
                accept = before is null ? years.Contains : movie => years.Contains(movie) && before(movie);
            }
            var within = accept;
            Func<Movie, bool> ofKinds = within is null ? kinds.Accepts : movie => within(movie) && kinds.Accepts(movie);
            var (browsed, personalised) = BestKnown(ofKinds, withAll, request, kinds.Focus);
            // A language is a hard ask: the few Korean thrillers there are, not other thrillers ranked by words.
            if (browsed.Count >= Math.Min(request.Count, kinds.Language is null ? MinBrowsed : 1))
                return new HybridSearchResult(browsed, BrowseMode, null, personalised, status, era, people, kinds);
            // Too few for a browse answer: the words rank the rest, but the movies of every kind asked come first
            // ("robin williams family movies" began with One Hour Photo, whose overview says "family").
            if (Options.KindsFirst) kindsFirst = ofKinds;
        }

        // The words matched against titles, overviews, keywords and tags: not "movies" ("uplifting movies" matched
        // Disaster Movie and Scary Movie by it), unless the query is a title ("Scary Movie"). The embeddings read the
        // whole query.
        string words = Options.DropMovieWords ? GenreWords.WithoutMovieWords(query) : query;
        if (!ReferenceEquals(words, query) && IsATitle(query)) words = query; // a title search only when a word was dropped
        var o = Options;
        int n = _movies.Length;
        // Per-query buffers come from the pool: a search would otherwise allocate five catalogue-sized arrays
        // (about 200 KB for ml-latest-small), and the garbage collections they cause show in the latency tail.
        var fusedBuffer = ArrayPool<float>.Shared.Rent(n);
        var scoresBuffer = semantic is not null ? ArrayPool<float>.Shared.Rent(n) : null;
        var ranksBuffer = ArrayPool<int>.Shared.Rent(3 * n);
        try
        {
            var fused = fusedBuffer.AsSpan(0, n);
            var ranks = ranksBuffer.AsSpan(0, 3 * n);
            fused.Clear();
            ranks.Clear();
            var lexicalRank = ranks[..n];
            var semanticRank = ranks.Slice(n, n);
            var titleRank = ranks.Slice(2 * n, n);
            int wordMatches = 0, lexicalMatches = 0, titleMatches = 0;
            float bestTitle = 0;
            bool lexicalSearched = (request.Signals & SearchSignals.Lexical) != 0;
            if (lexicalSearched)
            {
                var hits = Lexical.Search(words, o.Depth, accept);
                wordMatches += hits.Count;
                lexicalMatches = hits.Count;
                float best = hits.Count > 0 ? hits[0].Score : 1;
                for (int i = 0; i < hits.Count; i++)
                {
                    int r = _rowOf[hits[i].Movie.Id];
                    lexicalRank[r] = i + 1;
                    fused[r] += o.Method == FusionMethod.ReciprocalRank ? o.LexicalWeight / (o.RrfK + i + 1) : o.LexicalWeight * hits[i].Score / best;
                }
            }
            if ((request.Signals & SearchSignals.Title) != 0)
            {
                var hits = Titles.Search(words, o.Depth, accept);
                wordMatches += hits.Count;
                titleMatches = hits.Count;
                if (hits.Count > 0) bestTitle = hits[0].Score;
                for (int i = 0; i < hits.Count; i++)
                {
                    int r = _rowOf[hits[i].Movie.Id];
                    titleRank[r] = i + 1;
                    // Title scores are 100 for the whole title, 50-60 for a prefix, below for word matches.
                    float strength = Math.Clamp(hits[i].Score / 100f, 0, 1);
                    fused[r] += o.Method == FusionMethod.ReciprocalRank ? o.TitleWeight * strength / (o.RrfK + i + 1) : o.TitleWeight * strength;
                }
            }
            // No word of the query is in any title, overview, keyword or tag, yet titles match it within a few edits:
            // a misspelt title ("matrx"). The embeddings of an unknown word are noise (xXx and Beyond the Mat ranked
            // first for "matrx", The Matrix twelfth), so the titles answer alone.
            bool misspeltTitle = lexicalSearched && lexicalMatches == 0 && titleMatches > 0;
            if (semantic is not null && !misspeltTitle)
            {
                var scores = scoresBuffer.AsSpan(0, n);
                semantic.Scores(semantic.Embedder.EmbedQuery(query), scores);
                if (o.SemanticDescribedOnly)
                {
                    foreach (int r in _undescribedEmbedded) scores[r] = float.NaN;
                }
                if (accept is not null)
                {
                    for (int r = 0; r < scores.Length; r++)
                    {
                        if (!accept(_movies[r])) scores[r] = float.NaN;
                    }
                }
                var top = TopN.Select(scores, o.Depth, TieBreak.ById);
                for (int i = 0; i < top.Length; i++)
                {
                    int r = top[i].Item;
                    semanticRank[r] = i + 1;
                    if (o.Method == FusionMethod.ReciprocalRank) fused[r] += o.SemanticWeight / (o.RrfK + i + 1);
                }
                if (o.Method == FusionMethod.Scores)
                {
                    for (int r = 0; r < fused.Length; r++) fused[r] += o.SemanticWeight * (scores[r] > 0 ? scores[r] : 0);
                }
            }
            if (o.GenreWeight > 0 && GenreWords.Of(kindWords) is { Count: > 0 } genres)
            {
                for (int r = 0; r < fused.Length; r++)
                {
                    if (fused[r] > 0) fused[r] *= 1 + o.GenreWeight * GenreWords.Share(_movies[r], genres);
                }
            }
            if (o.NotForChildren != 1 && GenreWords.ForChildren(kindWords))
            {
                for (int r = 0; r < fused.Length; r++)
                {
                    if (fused[r] > 0 && !GenreWords.IsForChildren(_movies[r])) fused[r] *= o.NotForChildren;
                }
            }
            if (withAll is not null)
            {
                // Movies with every person named come before those with only some of them.
                for (int r = 0; r < fused.Length; r++)
                {
                    if (fused[r] > 0 && withAll(_movies[r])) fused[r] += 1;
                }
            }
            if (kindsFirst is not null)
            {
                // As with every person named: the movies of the kinds asked before the others, also those no word
                // or vector matched (they are what was asked; the popularity prior orders them).
                for (int r = 0; r < fused.Length; r++)
                {
                    if (kindsFirst(_movies[r])) fused[r] += 1;
                }
            }
            float prior = PriorWeight(query, o, bestTitle);
            bool head = o.PopularityDepth > 0 && prior != 0;
            for (int r = 0; r < fused.Length; r++)
            {
                if (fused[r] <= 0) fused[r] = float.NaN;
                else if (prior != 0 && !head) fused[r] *= 1 + prior * _popularity[r];
            }
            bool personalise = request.Personalise && request.Taste is not null;
            int take = personalise ? Math.Max(request.Count, o.TasteDepth) : request.Count;
            var ranked = head ? PriorOverHead(fused, take, prior, o.PopularityDepth) : TopN.Select(fused, take, TieBreak.ById);
            float[]? taste = null;
            if (personalise && ranked.Length > 1) (ranked, taste) = ReRankByTaste(ranked, request.Taste!, o.TasteWeight, o.TasteK);
            int count = Math.Min(request.Count, ranked.Length);
            var result = new List<HybridSearchHit>(count);
            for (int i = 0; i < count; i++)
            {
                int r = ranked[i].Item;
                result.Add(new HybridSearchHit(_movies[r], ranked[i].Score, Rank(lexicalRank[r]), Rank(semanticRank[r]), Rank(titleRank[r]),
                    taste is null || float.IsNaN(taste[i]) ? null : taste[i]));
            }
            // Embeddings always rank something: when no title, overview, keyword or tag shares a word with the query
            // (a typo past fixing, gibberish), the page should not present their nearest vectors as matches.
            if (semantic is not null && wordMatches == 0 && (request.Signals & (SearchSignals.Lexical | SearchSignals.Title)) == (SearchSignals.Lexical | SearchSignals.Title))
                note = NoWordMatchNote;
            return new HybridSearchResult(result, mode, note, personalise && ranked.Length > 1, status, era, people);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(fusedBuffer);
            if (scoresBuffer is not null) ArrayPool<float>.Shared.Return(scoresBuffer);
            ArrayPool<int>.Shared.Return(ranksBuffer);
        }
    }

    private static int? Rank(int rank) => rank > 0 ? rank : null;

    /// <summary>
    /// Whether the one person <paramref name="named"/> names is also a studio's name with more of the catalogue's
    /// movies: "walt disney films" asks for Walt Disney Pictures' movies (about 150), not the one Walt Disney directed
    /// (Fantasia), which was the whole answer. A person with more movies than a studio of their name stays a person.
    /// </summary>
    private bool NamesABiggerStudio(PeopleAsked named)
    {
        if (named.Names.Count != 1 || _studios.Value.Find(named.Names[0]) is not { } studio) return false;
        int studioMovies = 0;
        foreach (var movie in _movies)
        {
            if (studio.Made(movie)) studioMovies++;
        }
        return studioMovies > _people.Value.MovieCount(named.Names[0]);
    }

    private bool BeginsATitle(string words)
    {
        var best = Titles.Search(words, 1);
        return best.Count > 0 && best[0].Score >= TitleSearch.BeginningScore;
    }

    /// <summary>
    /// The mode of an answer that is the best-known movies of what the query asked for ("90s movies", "tom hanks movies",
    /// "horror movies"): no signal ranks it, so it has no note about them.
    /// </summary>
    public const string BrowseMode = "browse";

    /// <summary>The fewest movies of the kinds asked that make a browse answer (<see cref="GenreWords.Browse"/>).</summary>
    private const int MinBrowsed = 10;

    /// <summary>Whether a title is the query's words exactly ("scary movie": Scary Movie).</summary>
    private bool IsATitle(string query)
    {
        var best = Titles.Search(query, 1);
        return best.Count > 0 && best[0].Score >= TitleSearch.WholeTitleScore;
    }

    /// <summary>
    /// The best-known movies <paramref name="accept"/> takes (most ratings first, each movie's share of the ratings
    /// scale multiplied by <paramref name="weight"/> when given; those <paramref name="first"/> takes before the
    /// others): the answer to "90s movies", "movies with Tom Hanks and Meg Ryan" and "horror movies".
    /// </summary>
    private (List<HybridSearchHit> Hits, bool Personalised) BestKnown(Func<Movie, bool> accept, Func<Movie, bool>? first, HybridSearchRequest request,
        Func<Movie, float>? weight = null)
    {
        var known = new float[_movies.Length];
        for (int r = 0; r < known.Length; r++)
        {
            var movie = _movies[r];
            known[r] = !accept(movie) ? float.NaN : _popularity[r] * (weight?.Invoke(movie) ?? 1) + (first is not null && first(movie) ? 1 : 0);
        }
        // With the searcher's ratings, the searcher's taste re-ranks the best-known, as it does fused results.
        bool personalise = request.Personalise && request.Taste is not null;
        var top = TopN.Select(known, personalise ? Math.Max(request.Count, Options.BrowseTasteDepth) : request.Count, TieBreak.ById);
        float[]? taste = null;
        if (personalise && top.Length > 1) (top, taste) = ReRankByTaste(top, request.Taste!, Options.BrowseTasteWeight, Options.TasteK);
        int count = Math.Min(request.Count, top.Length);
        var hits = new List<HybridSearchHit>(count);
        for (int i = 0; i < count; i++)
            hits.Add(new HybridSearchHit(_movies[top[i].Item], top[i].Score, null, null, null, taste is null || float.IsNaN(taste[i]) ? null : taste[i]));
        return (hits, personalise && top.Length > 1);
    }

    /// <summary>
    /// The prior's weight for this query (<see cref="HybridSearchOptions.PopularityFullWords"/>,
    /// <see cref="HybridSearchOptions.PopularityTitleMatch"/>; <paramref name="bestTitle"/>: the title search's best score).
    /// </summary>
    private static float PriorWeight(string query, HybridSearchOptions o, float bestTitle)
    {
        if (o.PopularityWeight == 0 || o.PopularityFullWords <= 0) return o.PopularityWeight;
        if (o.PopularityTitleMatch > 0 && bestTitle >= o.PopularityTitleMatch) return o.PopularityWeight;
        int words = 0;
        bool inWord = false;
        foreach (char c in query)
        {
            bool w = !char.IsWhiteSpace(c);
            if (w && !inWord) words++;
            inWord = w;
        }
        return o.PopularityWeight * Math.Min(1f, words / (float)o.PopularityFullWords);
    }

    /// <summary>
    /// The first <paramref name="take"/> results when the prior reorders only the first <paramref name="depth"/> of
    /// the fused list: the rest follow in fused order (their scores, without the prior, are below the head's).
    /// </summary>
    private ScoredItem[] PriorOverHead(ReadOnlySpan<float> fused, int take, float prior, int depth)
    {
        var top = TopN.Select(fused, Math.Max(take, depth), TieBreak.ById);
        int d = Math.Min(depth, top.Length);
        for (int i = 0; i < d; i++) top[i] = top[i] with { Score = top[i].Score * (1 + prior * _popularity[top[i].Item]) };
        top.AsSpan(0, d).Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Item.CompareTo(b.Item));
        return top.Length > take ? top[..take] : top;
    }

    /// <summary>The note of a hybrid search in which no word of the query matched a title, overview, keyword or tag.</summary>
    public const string NoWordMatchNote = "No close match: no title, overview, keyword or tag has these words; the movies below are only the nearest in meaning.";

    /// <summary>
    /// Re-ranks fused results by final = 1 / (k_t + fused rank) + w_t / (k_t + taste rank): relevance leads, taste
    /// reorders near-ties. Candidates without a taste score get no taste term. Returns the new order and each
    /// result's taste score in that order.
    /// </summary>
    private (ScoredItem[] Ranked, float[] Taste) ReRankByTaste(ScoredItem[] ranked, TasteScorer scorer, float weight, float k)
    {
        var candidates = new Movie[ranked.Length];
        for (int i = 0; i < ranked.Length; i++) candidates[i] = _movies[ranked[i].Item];
        var taste = new float[ranked.Length];
        taste.AsSpan().Fill(float.NaN);
        scorer(candidates, taste);
        var byTaste = new int[ranked.Length];
        for (int i = 0; i < byTaste.Length; i++) byTaste[i] = i;
        Array.Sort(byTaste, (a, b) =>
        {
            bool na = float.IsNaN(taste[a]), nb = float.IsNaN(taste[b]);
            if (na || nb) return na.CompareTo(nb);
            return taste[a] != taste[b] ? taste[b].CompareTo(taste[a]) : a.CompareTo(b);
        });
        var final = new float[ranked.Length];
        for (int i = 0; i < final.Length; i++) final[i] = 1f / (k + i + 1);
        for (int t = 0; t < byTaste.Length; t++)
        {
            int i = byTaste[t];
            if (!float.IsNaN(taste[i])) final[i] += weight / (k + t + 1);
        }
        var order = new int[ranked.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => final[a] != final[b] ? final[b].CompareTo(final[a]) : a.CompareTo(b));
        var reranked = new ScoredItem[ranked.Length];
        var tasteInOrder = new float[ranked.Length];
        for (int i = 0; i < order.Length; i++)
        {
            reranked[i] = new ScoredItem(ranked[order[i]].Item, final[order[i]]);
            tasteInOrder[i] = taste[order[i]];
        }
        return (reranked, tasteInOrder);
    }

    private static string LexicalNote(SemanticStatus status) => status.State switch
    {
        SemanticState.Building => $"semantic search is starting ({status.Embedded:N0} of {status.Total:N0} movies embedded); these are lexical matches (BM25 and titles)",
        _ => $"{status.Message ?? "semantic search is unavailable"}; these are lexical matches (BM25 and titles)",
    };

    /// <summary>Counts embedded movies for <see cref="Status"/> and passes them on.</summary>
    private sealed class Progress(HybridSearch owner, IProgress<int>? outer) : IProgress<int>
    {
        public void Report(int value)
        {
            Volatile.Write(ref owner._embedded, value);
            outer?.Report(value);
        }
    }

    /// <summary>Stops a background build (waiting for it to let go of the model), then frees the model it loaded.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _background?.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Its outcome is in Status; disposal only needs it to have stopped.
        }
        _semantic = null;
        _ownedEmbedder?.Dispose();
        _stop.Dispose();
    }
}
