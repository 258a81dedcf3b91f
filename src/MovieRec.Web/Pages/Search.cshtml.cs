using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Data;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Title search with genre and decade filters, and "describe a movie" (hybrid, else lexical) search re-ranked by the visitor's taste.</summary>
public sealed class SearchModel(MovieListQueries movies, SearchQueries search, IRatingStore store) : PageModel
{
    public const int PageSize = 24;

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

    /// <summary>What was wrong with the query string (a hand-edited address), shown instead of results.</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? q, string? genre, string? decade, string? describe, CancellationToken cancellationToken)
    {
        Genres = await movies.GenresAsync(cancellationToken).ConfigureAwait(false);
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        Q = Blank(q);
        Describe = Blank(describe);
        string? wantedGenre = Blank(genre);
        if (int.TryParse(decade, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int d) && Decades.Contains(d)) Decade = d;

        if (Q is not null || wantedGenre is not null || Decade is not null)
        {
            var request = new MovieListRequest(Q, wantedGenre, Decade is int from ? $"{from}s" : null, Page: 1, PageSize: PageSize);
            var listing = await movies.ListAsync(request, cancellationToken).ConfigureAwait(false);
            if (listing.IsOk)
            {
                TitleResults = [.. listing.Value.Items.Select(h => h.Movie)];
                DidYouMean = listing.Value.DidYouMean ?? [];
                Genre = listing.Value.Filter.Genre;
            }
            else
            {
                Problem = listing.Error.ToString();
            }
        }

        if (Describe is not null)
        {
            // The visitor's stored ratings re-rank the matches by their taste.
            var ratings = Visitor.Ratings.Select(r => new Recommendations.MovieRating(r.MovieId, r.Rating)).ToList();
            var answer = await search.SearchAsync(new SearchRequest(Describe, PageSize), ratings, cancellationToken).ConfigureAwait(false);
            if (answer.IsOk)
            {
                DescribeResults = [.. answer.Value.Items.Select(h => h.Movie)];
                DescribeMode = answer.Value.Mode;
                DescribeNote = answer.Value.Note;
            }
            else
            {
                Problem = answer.Error.ToString();
            }
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
