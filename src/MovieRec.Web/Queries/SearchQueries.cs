using System.Globalization;
using Microsoft.Extensions.Options;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Search;
using MovieRec.Web.Api;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;

namespace MovieRec.Web.Queries;

/// <summary>GET /search: find movies by describing them, by title or by words.</summary>
/// <param name="Q">Words, a title or a description such as "a giant shark terrorises a beach town" (required, at most 500 characters).</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
/// <param name="Rate">The searcher's ratings as movieId=rating pairs, e.g. "1=5,260=4.5" (at most 1000): results are re-ranked by their taste.</param>
/// <param name="Personalise">false: no taste re-rank even with ratings (default true).</param>
public sealed record SearchRequest(string? Q = null, int? N = null, string? Rate = null, bool? Personalise = null)
{
    public const int MaxQuery = 500;
    public const int MaxN = 100;
    public const int MaxRatings = 1000;

    internal QueryError? Check()
    {
        if (string.IsNullOrWhiteSpace(Q)) return QueryError.Invalid("q", "is required: words, a title or a description such as 'space adventure with robots'.");
        if (Q.Length > MaxQuery) return QueryError.Invalid("q", $"must be at most {MaxQuery} characters.");
        // "!!!", a NUL or a zero-width space: nothing to match (the embedding of no words answered The Goods: Live Hard,
        // Sell Hard and Dude, Where's My Car? as "the nearest in meaning"); a client's mistake, so said, not an empty list.
        if (!HybridSearch.HasWords(Q))
            return QueryError.Invalid("q", "has no words (letters or digits) to search for: a title or a description such as 'space adventure with robots'.");
        return QueryError.CheckCount(N, MaxN);
    }

    /// <summary>The ratings in <see cref="Rate"/>, or the first mistake in it.</summary>
    internal QueryResult<IReadOnlyList<MovieRating>> CheckRatings(CatalogIndex catalog)
    {
        if (string.IsNullOrWhiteSpace(Rate)) return QueryResult<IReadOnlyList<MovieRating>>.Ok([]);
        var pairs = Rate.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (pairs.Length > MaxRatings) return QueryError.Invalid("rate", $"at most {MaxRatings} ratings, not {pairs.Length}.");
        var profile = new Dictionary<long, float>(pairs.Length);
        foreach (var pair in pairs)
        {
            // The last '=' splits: the rating is a number, the id is as the dataset spells it.
            int eq = pair.LastIndexOf('=');
            if (eq <= 0 || !MovieId.TryParse(pair[..eq].Trim(), out var id)
                || !float.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out float rating))
                return QueryError.Invalid("rate", $"'{QueryError.Echo(pair)}' is not movieId=rating (e.g. 1=5,260=4.5).");
            if (catalog.KeyOf(id) is not long movieId || catalog.Catalog[movieId] is null) return QueryError.Invalid("rate", $"no movie with id {QueryError.Echo(id.Value)}.");
            if (catalog.Dataset.Ratings.Scale.Check(rating) is { } problem) return QueryError.Invalid("rate", $"{QueryError.Echo(pair)}: {problem}.");
            profile[movieId] = rating;
        }
        return QueryResult<IReadOnlyList<MovieRating>>.Ok([.. profile.Select(p => new MovieRating(p.Key, p.Value))]);
    }
}

/// <summary>
/// Search results. <paramref name="Mode"/> is "hybrid" (BM25, sentence embeddings and titles fused), "lexical" (BM25
/// and titles: while the embeddings are being built, or with semantic search off; <paramref name="Note"/> then says
/// why), "browse" (the query asked only for years, people, genres or a studio: the best-known of those) or "similar" (the query names a movie, "movies like Ocean's Eleven": its content neighbours; the note and
/// <paramref name="SimilarTo"/> name it; <paramref name="Genres"/> the genres a "but funnier" asked them to be);
/// <paramref name="Genres"/> without <paramref name="SimilarTo"/>: the query asked only for kinds of movie ("horror
/// movies", "funny movie for kids") and the items are the best-known movies of all those genres, made by
/// <paramref name="Studio"/> when the query named one ("pixar movies"), in <paramref name="Language"/> ("korean
/// thriller": Korean) and with a keyword or tag of <paramref name="Topic"/> ("dog movies": dog) when it named those; <paramref name="Personalised"/> whether the searcher's ratings re-ranked them; <paramref name="DidYouMean"/>
/// holds close titles when nothing matched.
/// </summary>
public sealed record SearchAnswer(string Query, string Mode, string? Note, IReadOnlyList<MovieHit> Items, IReadOnlyList<Movie>? DidYouMean, bool Personalised = false,
    MovieHit? SimilarTo = null, Era? Era = null, IReadOnlyList<MovieHit>? SimilarToAll = null, IReadOnlyList<string>? People = null, IReadOnlyList<string>? Genres = null,
    string? Studio = null, string? Language = null, string? Topic = null);

/// <summary>
/// Search by description, title or words (<see cref="HybridSearch"/>: BM25, sentence embeddings and title matches
/// fused), re-ranked by the searcher's taste when ratings come with the request (the default recommender's scores for
/// them). GET /search and the search page.
/// </summary>
public sealed class SearchQueries(ModelHost host, IOptions<MovieRecOptions> options)
{
    public const int DefaultN = 10;

    /// <summary>
    /// At most one search per core at a time (<see cref="MovieRecOptions.SearchConcurrency"/>): a search is CPU-bound
    /// (about 5 ms, mostly the query's embedding), so more at once only time-slice the cores and evict each other's
    /// caches; waiting requests queue asynchronously without holding a thread.
    /// </summary>
    private readonly SemaphoreSlim? _gate = options.Value.SearchConcurrency switch
    {
        < 0 => null,
        0 => new SemaphoreSlim(Environment.ProcessorCount),
        var n => new SemaphoreSlim(n),
    };

    /// <summary>Searches with the ratings in the request (<see cref="SearchRequest.Rate"/>), if any.</summary>
    public async Task<QueryResult<SearchAnswer>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.Check() is { } bad) return bad;
        var ratings = request.CheckRatings(catalog);
        if (!ratings.IsOk) return ratings.Error;
        return await SearchAsync(request, ratings.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Searches re-ranking by the taste of <paramref name="ratings"/> (the page passes the visitor's stored ratings).</summary>
    public async Task<QueryResult<SearchAnswer>> SearchAsync(SearchRequest request, IReadOnlyList<MovieRating> ratings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ratings);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.Check() is { } bad) return bad;
        string q = request.Q!.Trim();
        // "movies like Ocean's Eleven": that movie's more-like-this list, as on its page; "movies like Alien and Die
        // Hard": the movies closest to both first.
        // "movies like Die Hard from the 90s": its neighbours from those years; "movies like the matrix but funnier":
        // its neighbours that are comedies.
        if (NamedMovieQuery.ResolveRequest(catalog.Titles, q) is { Movies: { Count: > 0 } named, Era: var era, Genres: var genres })
        {
            var similar = NamedMovieQuery.Neighbours(named, NamedMovieQuery.InEra(NamedMovieQuery.InGenres(catalog.Content.Similar, catalog.Content.SimilarAmong, genres), era), request.N ?? DefaultN);
            if (similar.Count > 0)
                return new SearchAnswer(q, "similar", NamedMovieQuery.Note(named, genres),
                    [.. similar.Select(s => MovieHit.Of(s.Movie, catalog, s.Score))], null, SimilarTo: MovieHit.Of(named[0], catalog, 1), Era: era,
                    SimilarToAll: [.. named.Select(m => MovieHit.Of(m, catalog, 1))], Genres: genres.Count > 0 ? genres : null);
        }
        TasteScorer? taste = null;
        if (ratings.Count > 0 && request.Personalise != false && host.Current is { } model) taste = Taste(model, ratings, options.Value.DefaultAlgorithm);
        HybridSearchResult result;
        if (_gate is not null) await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            result = catalog.Search.Search(q, new HybridSearchRequest { Count = request.N ?? DefaultN, Taste = taste, Personalise = request.Personalise ?? true });
        }
        finally
        {
            _gate?.Release();
        }
        var didYouMean = result.Hits.Count == 0 ? catalog.Titles.Suggest(q, 5) : null;
        return new SearchAnswer(q, result.Mode, result.Note, [.. result.Hits.Select(h => MovieHit.Of(h.Movie, catalog, h.Score))], didYouMean, result.Personalised, Era: result.Era, People: result.People?.Names,
            Genres: result.Kinds?.AllGenres, Studio: result.Kinds?.Studio?.Name, Language: result.Kinds?.Language?.Name, Topic: result.Kinds?.Topic?.Words);
    }

    /// <summary>
    /// The searcher's taste: the default recommender's scores for the searcher folded in from their ratings (what the
    /// recommendations page ranks by; `bench browse-taste`: browse answers' P@10 0.207 -> 0.375 against the serving SVD's
    /// predicted rating, docs/search.md), or, until that model is trained, the serving SVD's predicted rating.
    /// </summary>
    private static TasteScorer Taste(ServingModel model, IReadOnlyList<MovieRating> ratings, string algorithm)
    {
        var train = model.Train;
        var profile = new List<ItemRating>(ratings.Count);
        foreach (var r in ratings)
        {
            int item = CatalogIndex.ItemOf(train.ItemIds, r.MovieId);
            if (item >= 0) profile.Add(new ItemRating(item, r.Rating));
        }
        if (profile.Count > 0 && model.IsReady(algorithm) && model.GetAsync(algorithm).Result is { } recommender)
            return NewUserRecommendations.Taste(recommender, [.. profile], train.Scale, id => CatalogIndex.ItemOf(train.ItemIds, id));
        var user = model.Svd.FoldIn([.. profile]);
        return (candidates, scores) =>
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                int item = CatalogIndex.ItemOf(train.ItemIds, candidates[i].Id);
                scores[i] = item >= 0 ? model.Svd.Predict(user, item) : float.NaN;
            }
        };
    }
}
