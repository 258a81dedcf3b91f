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

    /// <summary>A decade as the pages' filters write it (1990 for the 1990s), one of <see cref="Decades"/>.</summary>
    public static bool TryParseDecade(string? text, out int decade) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out decade) && Decades.Contains(decade);

    public string? Q { get; private set; }
    public string? Genre { get; private set; }
    public int? Decade { get; private set; }
    public string? Describe { get; private set; }

    /// <summary>The page of title results shown, from 1.</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>How many titles match (every page).</summary>
    public int Total { get; private set; }

    /// <summary>The last page of title results.</summary>
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public IReadOnlyList<string> Genres { get; private set; } = [];
    public Visitor Visitor { get; private set; } = Visitor.Anonymous;
    public IReadOnlyList<Movie>? TitleResults { get; private set; }
    public IReadOnlyList<Movie> DidYouMean { get; private set; } = [];
    public IReadOnlyList<Movie>? DescribeResults { get; private set; }
    public string? DescribeMode { get; private set; }

    /// <summary>The movie a "movies like ..." query named (its neighbours are the results), else null.</summary>
    /// <summary>What the describe box understands besides a plot: years, people, several named movies, kinds of movie.</summary>
    public static IReadOnlyList<string> DescribeExamples { get; } =
        ["80s teen comedy", "movies with Tom Hanks and Meg Ryan", "movies like Alien and Die Hard", "funny movie for a family night"];

    /// <summary>Every movie a "movies like A and B" search named (one for "movies like A"; none for other searches).</summary>
    public IReadOnlyList<Movie> SimilarToAll { get; private set; } = [];

    /// <summary>The release years the description asked for ("80s teen comedy"), its results all from them.</summary>
    public Core.Search.Era? Era { get; private set; }

    /// <summary>The people the description named ("movies with Tom Hanks and Meg Ryan"), its results all theirs.</summary>
    public IReadOnlyList<string> People { get; private set; } = [];

    /// <summary>The genres "movies like X but funnier" asked the neighbours to be, or those a browse asked for (empty: none).</summary>
    public IReadOnlyList<string> AskedGenres { get; private set; } = [];

    /// <summary>Whether the query asked only for kinds of movie ("horror movies", "best movies"): the answer is the best-known of <see cref="AskedGenres"/>.</summary>
    public bool Browsed { get; private set; }

    /// <summary>The studio a browse named ("pixar movies": Pixar), or null.</summary>
    public string? Studio { get; private set; }

    /// <summary>The original language a browse named ("korean thriller": Korean), or null.</summary>
    public string? Language { get; private set; }

    /// <summary>The subject a browse named, as keywords and tags say it ("dog movies": dog), or null.</summary>
    public string? Topic { get; private set; }
    public string? DescribeNote { get; private set; }

    /// <summary>No title matched the title search, so its words were searched as a description too.</summary>
    public bool DescribedFromTitle { get; private set; }

    /// <summary>What was wrong with the query string (a hand-edited address), shown instead of results.</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? q, string? genre, string? decade, string? describe, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page")] string? pageNumber, CancellationToken cancellationToken)
    {
        Genres = await movies.GenresAsync(cancellationToken).ConfigureAwait(false);
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        Q = Blank(q);
        Describe = Blank(describe);
        string? wantedGenre = Blank(genre);
        if (TryParseDecade(decade, out int d)) Decade = d;
        else if (Blank(decade) is { } other) Problem = $"decade: must be one of {Decades[0]} to {Decades[^1]}, not “{other}”.";

        if (pageNumber is not null)
        {
            if (int.TryParse(pageNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) && p >= 1) PageNumber = p;
            else Problem = $"page: must be a whole number from 1, not “{pageNumber}”.";
        }

        if (Problem is null && (Q is not null || wantedGenre is not null || Decade is not null))
        {
            var request = new MovieListRequest(Q, wantedGenre, Decade is int from ? $"{from}s" : null, PageNumber, PageSize);
            var listing = await movies.ListAsync(request, cancellationToken).ConfigureAwait(false);
            if (listing.IsOk)
            {
                TitleResults = [.. listing.Value.Items.Select(h => h.Movie)];
                Total = listing.Value.Total;
                DidYouMean = listing.Value.DidYouMean ?? [];
                Genre = listing.Value.Filter.Genre;
            }
            else
            {
                Problem = listing.Error.ToString();
            }
        }

        // The header's box is a title search; what people type there is often a description ("space adventure with
        // robots"). When no title matches, the same words are searched as a description below the "no titles" line.
        if (Problem is null && Describe is null && Q is not null && wantedGenre is null && Decade is null && PageNumber == 1 && Total == 0)
        {
            Describe = Q;
            DescribedFromTitle = true;
        }

        if (Problem is null && Describe is not null)
        {
            // The visitor's stored ratings re-rank the matches by their taste.
            var ratings = Visitor.Ratings.Select(r => new Recommendations.MovieRating(r.MovieId, r.Rating)).ToList();
            var answer = await search.SearchAsync(new SearchRequest(Describe, PageSize), ratings, cancellationToken).ConfigureAwait(false);
            if (answer.IsOk)
            {
                DescribeResults = [.. answer.Value.Items.Select(h => h.Movie)];
                DescribeMode = answer.Value.Mode;
                SimilarToAll = answer.Value.SimilarToAll is { } all ? [.. all.Select(h => h.Movie)] : [];
                Era = answer.Value.Era;
                People = answer.Value.People ?? [];
                AskedGenres = answer.Value.Genres ?? [];
                Browsed = answer.Value.Genres is not null && answer.Value.SimilarTo is null;
                Studio = answer.Value.Studio;
                Language = answer.Value.Language;
                Topic = answer.Value.Topic;
                DescribeNote = answer.Value.Note;
            }
            else
            {
                Problem = answer.Error.ToString();
            }
        }

        // A hand-edited address the page cannot answer is a client mistake: the page says what is wrong, with a 400.
        if (Problem is not null) Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    /// <summary>The page's title: what was searched for, shortened.</summary>
    public string PageTitle => (Q ?? Describe) is { } text
        ? (Q is null ? "Movies like: " : "Search: ") + (text.Length > 60 ? text[..59] + "…" : text)
        : "Search";

    /// <summary>This search's address with another page of title results.</summary>
    public string PageUrl(int page)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (Q is not null) query.Add(new("q", Q));
        if (Genre is not null) query.Add(new("genre", Genre));
        if (Decade is int d) query.Add(new("decade", d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (Describe is not null && !DescribedFromTitle) query.Add(new("describe", Describe));
        if (page > 1) query.Add(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return "/search" + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
