using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>A movie: metadata, rating histogram, similar movies by content and by ratings, the visitor's rating.</summary>
public sealed class MovieModel(MovieDetailQueries details, SimilarQueries similar, IRatingStore store, Recommendations.Recommender recommender, Hosting.ModelHost host) : PageModel
{
    public const int SimilarCount = 8;

    public Movie Movie => Detail.Movie;
    public MovieDetail Detail { get; private set; } = null!;
    public MovieRatingStats Stats => Detail.Stats;
    public IReadOnlyList<HistogramBar> Histogram => Detail.Histogram;
    public MovieClusterInfo? Cluster => Detail.Cluster;
    public Visitor Visitor { get; private set; } = Visitor.Anonymous;
    public IReadOnlyList<Movie> MoreLikeThis { get; private set; } = [];
    public IReadOnlyList<MovieHit> AlsoLiked { get; private set; } = [];

    /// <summary>The stars predicted for the visitor from their other ratings (null without any, or for a movie they rated).</summary>
    public Recommendations.PredictedStars? Predicted { get; private set; }

    /// <summary>Why "also liked" is empty, when it is.</summary>
    public string? AlsoLikedNote { get; private set; }

    /// <summary>Whether the movie is on the visitor's watchlist.</summary>
    public bool OnWatchlist { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!Api.MovieId.TryParse(id, out var movieId)) return NotFound();
        var detail = await details.FindAsync(movieId, cancellationToken).ConfigureAwait(false);
        if (!detail.IsOk)
        {
            ErrorPages.SetReason(HttpContext, detail.Error.Message);
            return NotFound();
        }
        Detail = detail.Value;
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        if (Visitor.AccountId is long account)
        {
            var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
            OnWatchlist = (await store.GetListAsync(account, MovieList.Watchlist, cancellationToken).ConfigureAwait(false)).Contains(catalog.StorageKeyOf(Movie.Id));
        }
        if (Visitor.Count > 0 && Visitor.RatingOf(Movie.Id) is null)
        {
            Predicted = await recommender.PredictAsync([.. Visitor.Ratings.Select(r => new Recommendations.MovieRating(r.MovieId, r.Rating))], Movie.Id, cancellationToken).ConfigureAwait(false);
        }
        MoreLikeThis = [.. (await SimilarAsync(movieId, "content", cancellationToken).ConfigureAwait(false)).Items.Select(h => h.Movie)];
        var alsoLiked = await SimilarAsync(movieId, "ratings", cancellationToken).ConfigureAwait(false);
        (AlsoLiked, AlsoLikedNote) = (alsoLiked.Items, alsoLiked.Note);
        return Page();
    }

    private async Task<(IReadOnlyList<MovieHit> Items, string? Note)> SimilarAsync(Api.MovieId id, string by, CancellationToken cancellationToken)
    {
        var answer = await similar.SimilarAsync(new SimilarRequest(id, by, SimilarCount), cancellationToken).ConfigureAwait(false);
        return answer.IsOk ? (answer.Value.Items, answer.Value.Note) : ([], null);
    }
}
