using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Recommendations;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Recommendations from the visitor's stored ratings, with an algorithm switcher.</summary>
public sealed class RecommendationsModel(ModelHost host, IRatingStore store, RecommendationQueries recommendations, AlgorithmChoices algorithms,
    Microsoft.Extensions.Options.IOptions<MovieRecOptions> options) : PageModel
{
    /// <summary>How long an unused session lasts (said next to the delete-account button).</summary>
    public TimeSpan SessionLifetime => options.Value.SessionLifetime;

    public const int Count = 24;

    /// <summary>The switcher's algorithms: every one the API accepts for a visitor's ratings, the default first.</summary>
    public IReadOnlyList<AlgorithmInfo> Choices => algorithms.Ordered;

    /// <summary>The algorithms this deployment serves but not from a handful of ratings, with the reason (shown on the page).</summary>
    public IReadOnlyList<AlgorithmInfo> NotOffered => algorithms.NotOfferedForNewUsers;

    /// <summary>The algorithm shown.</summary>
    public AlgorithmInfo Shown => AlgorithmChoices.Get(Algorithm);

    public Visitor Visitor { get; private set; } = Visitor.Anonymous;

    public string Algorithm { get; private set; } = "";

    public string? Problem { get; private set; }

    /// <summary>
    /// Set while the default algorithm is still training at start-up and no algorithm was picked: the list shown is a
    /// quick one's (as the API's for a request naming none), and this says so and that a reload gives the default's.
    /// </summary>
    public string? InterimNotice { get; private set; }

    /// <summary>The lowest rating read as "liked" (3.5 on 0.5-5 stars).</summary>
    public float LikeThreshold { get; private set; }

    /// <summary>Whether the visitor rated movies but liked none of them (the list cannot say "because you liked").</summary>
    public bool LikesNone { get; private set; }

    public RecommendationList? List { get; private set; }

    public IReadOnlyList<(RecommendedMovie Item, Movie Movie)> Items { get; private set; } = [];

    public IReadOnlyList<(StoredRating Rating, Movie Movie)> Rated { get; private set; } = [];

    /// <summary>The movies the visitor said they are not interested in, most recently hidden first.</summary>
    public IReadOnlyList<Movie> Hidden { get; private set; } = [];

    /// <summary>The visitor's watchlist, most recently added first.</summary>
    public IReadOnlyList<Movie> Watchlist { get; private set; } = [];

    /// <summary>The movies the visitor has seen but not rated (an imported Letterboxd history), most recently seen first.</summary>
    public IReadOnlyList<Movie> Seen { get; private set; } = [];

    /// <summary>The page lists this many of the ratings, most recent first (an imported history can hold thousands; the CSV download has them all).</summary>
    public const int RatedListed = 100;

    /// <summary>The catalogue's genres, offered in the "show only" filter.</summary>
    public IReadOnlyList<string> Genres { get; private set; } = [];

    /// <summary>Only movies of this genre (the catalogue's spelling), or null for every genre.</summary>
    public string? Genre { get; private set; }

    /// <summary>Only movies of this decade (1990 for the 1990s), or null for any.</summary>
    public int? Decade { get; private set; }

    /// <summary>Whether a genre or a decade narrows the list.</summary>
    public bool Filtered => Genre is not null || Decade is not null;

    /// <summary>The algorithm picked in the switcher (the address's), or null: the service's default.</summary>
    public string? Picked { get; private set; }

    /// <summary>This page's address with <paramref name="algorithm"/> (null: none picked), the filters kept unless <paramref name="keepFilters"/> is false.</summary>
    public string PageUrl(string? algorithm, bool keepFilters = true)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (algorithm is not null) query.Add(new("algorithm", algorithm));
        if (keepFilters && Genre is not null) query.Add(new("genre", Genre));
        if (keepFilters && Decade is int d) query.Add(new("decade", d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return "/recommendations" + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }

    /// <summary>What the filter keeps, for the status line: "Comedy from the 1990s".</summary>
    public string FilterText => string.Join(" ", new[] { Genre, Decade is int d ? $"from the {d}s" : null }.Where(t => t is not null));

    public async Task OnGetAsync(string? algorithm, string? genre, string? decade, CancellationToken cancellationToken)
    {

        var resolved = algorithms.Resolve(algorithm, forNewUsers: true);
        Algorithm = resolved.Value ?? algorithms.Default;
        if (!resolved.IsOk)
        {
            Problem = !AlgorithmChoices.IsServable(algorithm) ? $"There is no algorithm called “{algorithm}”; showing {Shown.Label}."
                : !algorithms.IsServed(algorithm) ? $"{AlgorithmChoices.Get(algorithm!).Label} is not served by this deployment; showing {Shown.Label}."
                : $"{AlgorithmChoices.Get(algorithm!).Label} is not offered for recommendations from your ratings: {AlgorithmChoices.Get(algorithm!).NotForNewUsers}. Showing {Shown.Label}.";
        }
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        Genres = catalog.Genres;
        // A hand-edited address with an unknown genre or decade shows every movie and says so, rather than nothing.
        if (!string.IsNullOrWhiteSpace(genre))
        {
            Genre = CatalogFilters.GenreNamed(catalog, genre);
            if (Genre is null) AddProblem($"There is no genre “{QueryError.Echo(genre.Trim())}”; showing every genre.");
        }
        if (!string.IsNullOrWhiteSpace(decade))
        {
            if (SearchModel.TryParseDecade(decade, out int d)) Decade = d;
            else AddProblem($"The decade must be one of {SearchModel.Decades[0]} to {SearchModel.Decades[^1]}, not “{QueryError.Echo(decade.Trim())}”; showing every decade.");
        }
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        // The account page of a visitor whose session could not be checked: a 503 page, not "Nothing rated yet".
        if (Accounts.SessionTokens.SessionUnreadable(HttpContext))
            throw new ServiceUnavailableException("Your ratings cannot be read right now: the ratings database does not answer. Try again in a few seconds.");
        Rated = [.. Visitor.Ratings.Select(r => (r, catalog.Catalog[r.MovieId])).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!))];
        var scale = catalog.Dataset.Ratings.Scale;
        LikeThreshold = Core.Algorithms.Content.Likes.Threshold(scale);
        LikesNone = Visitor.Count > 0 && Visitor.Ratings.All(r => r.Rating < LikeThreshold);
        if (Visitor.AccountId is not long account) return;
        Hidden = catalog.MoviesFromStorage(await store.GetListAsync(account, MovieList.Hidden, cancellationToken).ConfigureAwait(false));
        Watchlist = catalog.MoviesFromStorage(await store.GetListAsync(account, MovieList.Watchlist, cancellationToken).ConfigureAwait(false));
        Seen = catalog.MoviesFromStorage(await store.GetListAsync(account, MovieList.Seen, cancellationToken).ConfigureAwait(false));
        if (Visitor.Count == 0) return;
        // An algorithm picked in the switcher is waited for; otherwise the page asks as an API request naming none does,
        // so while the default still trains at start-up it shows a quick algorithm's list at once (it waited seconds).
        bool picked = resolved.IsOk && !string.IsNullOrWhiteSpace(algorithm);
        Picked = picked ? Algorithm : null;
        var query = new RecommendationQuery(Picked, Count, Genre, Decade is int from ? $"{from}s" : null);
        var list = await recommendations.ForAccountAsync(account, query, Visitor.Ratings, cancellationToken).ConfigureAwait(false);
        if (!list.IsOk)
        {
            AddProblem(list.Error.ToString());
            return;
        }
        List = list.Value;
        if (List.Algorithm != Algorithm && List.Notice is not null)
        {
            var wanted = Shown;
            Algorithm = List.Algorithm;
            InterimNotice = $"The personal model, “{wanted.Label}”, is still being trained (the service has just started), so this list comes from “{Shown.Label}”. "
                + $"Reload the page in a few seconds for the list from “{wanted.Label}”, or pick it above to wait for it.";
        }
        Items = [.. List.Items.Select(i => (i, catalog.Find(i.MovieId))).Where(p => p.Item2 is not null).Select(p => (p.i, p.Item2!))];
    }

    private void AddProblem(string problem) => Problem = Problem is null ? problem : Problem + " " + problem;
}
