using MovieRec.Core.Data;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>GET /search: find movies by describing them.</summary>
/// <param name="Q">Words, a title or a description such as "space adventure with robots" (required, at most 500 characters).</param>
/// <param name="N">How many movies, 1 to 100 (default 10).</param>
public sealed record SearchRequest(string? Q = null, int? N = null)
{
    public const int MaxQuery = 500;
    public const int MaxN = 100;

    internal QueryError? Check()
    {
        if (string.IsNullOrWhiteSpace(Q)) return QueryError.Invalid("q", "is required: words, a title or a description such as 'space adventure with robots'.");
        if (Q.Length > MaxQuery) return QueryError.Invalid("q", $"must be at most {MaxQuery} characters.");
        return QueryError.CheckCount(N, MaxN);
    }
}

/// <summary>
/// Search results. <paramref name="Mode"/> is "semantic" (sentence embeddings) or "lexical" (BM25, when no embedding
/// model is configured; <paramref name="Note"/> then says why); <paramref name="DidYouMean"/> holds close titles when nothing matched.
/// </summary>
public sealed record SearchAnswer(string Query, string Mode, string? Note, IReadOnlyList<MovieHit> Items, IReadOnlyList<Movie>? DidYouMean);

/// <summary>
/// "Describe a movie" search: semantic (sentence embeddings of overview, keywords and tags) when an embedding model is
/// configured, otherwise lexical (BM25 over the same text), and the answer says which. GET /search and the search page.
/// </summary>
public sealed class SearchQueries(ModelHost host)
{
    public const int DefaultN = 10;

    public async Task<QueryResult<SearchAnswer>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (request.Check() is { } bad) return bad;
        string q = request.Q!.Trim();
        int count = request.N ?? DefaultN;
        IReadOnlyList<(Movie Movie, float Score)> hits;
        string mode;
        string? note = null;
        if (catalog.Semantic is { } semantic)
        {
            hits = semantic.Search(q, count);
            mode = "semantic";
        }
        else
        {
            hits = catalog.Lexical.Search(q, count);
            mode = "lexical";
            note = $"Semantic search is unavailable ({catalog.SemanticDisabledReason}), so these are lexical (BM25) matches on titles, overviews, keywords and tags.";
        }
        var didYouMean = hits.Count == 0 ? catalog.Titles.Suggest(q, 5) : null;
        return new SearchAnswer(q, mode, note, [.. hits.Select(h => MovieHit.Of(h.Movie, catalog, h.Score))], didYouMean);
    }
}
