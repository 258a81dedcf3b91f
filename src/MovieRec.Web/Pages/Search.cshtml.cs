using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Title search with genre and decade filters, and "describe a movie" (semantic, else lexical) search.</summary>
public sealed class SearchModel(ModelHost host, IRatingStore store) : PageModel
{
    public const int PageSize = 24;
    private const int MaxQuery = 200;

    public static IReadOnlyList<int> Decades { get; } = [.. Enumerable.Range(191, 11).Select(d => d * 10)];

    public string? Q { get; private set; }
    public string? Genre { get; private set; }
    public int? Decade { get; private set; }
    public string? Describe { get; private set; }
    public IReadOnlyList<string> Genres { get; private set; } = [];
    public Visitor Visitor { get; private set; } = Visitor.Anonymous;
    public IReadOnlyList<Movie>? TitleResults { get; private set; }
    public IReadOnlyList<Movie> DidYouMean { get; private set; } = [];
    public IReadOnlyList<Movie>? DescribeResults { get; private set; }
    public string? DescribeMode { get; private set; }
    public string? DescribeNote { get; private set; }

    public async Task OnGetAsync(string? q, string? genre, string? decade, string? describe, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        Genres = catalog.Genres;
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        Q = Trim(q);
        Describe = Trim(describe);
        Genre = catalog.Genres.FirstOrDefault(g => string.Equals(g, genre?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (int.TryParse(decade, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int d) && Decades.Contains(d)) Decade = d;
        var filter = new CandidateFilter(Genre, Decade, Decade + 9);

        if (Q is not null)
        {
            TitleResults = [.. catalog.Titles.Search(Q, PageSize, filter.IsEmpty ? null : filter.Accepts).Select(h => h.Movie)];
            if (TitleResults.Count == 0) DidYouMean = catalog.Titles.Suggest(Q, 5);
        }
        else if (!filter.IsEmpty)
        {
            TitleResults = [.. catalog.Catalog.Movies.Where(filter.Accepts).OrderByDescending(m => catalog.StatsOf(m.Id).Count).ThenBy(m => m.Id).Take(PageSize)];
        }

        if (Describe is not null)
        {
            if (catalog.Semantic is { } semantic)
            {
                DescribeResults = [.. semantic.Search(Describe, PageSize).Select(h => h.Movie)];
                DescribeMode = "semantic";
            }
            else
            {
                DescribeResults = [.. catalog.Lexical.Search(Describe, PageSize).Select(h => h.Movie)];
                DescribeMode = "lexical";
                DescribeNote = $"Semantic search is unavailable ({catalog.SemanticDisabledReason}), so these are lexical (BM25) matches on titles, overviews, keywords and tags.";
            }
        }
    }

    private static string? Trim(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        return text.Length > MaxQuery ? text[..MaxQuery] : text;
    }
}
