using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>A movie: metadata, rating histogram, similar movies by content and by ratings, the visitor's rating.</summary>
public sealed class MovieModel(ModelHost host, IRatingStore store) : PageModel
{
    public const int SimilarCount = 8;

    public Movie Movie { get; private set; } = null!;
    public MovieRatingStats Stats { get; private set; } = null!;
    public RatingScale Scale { get; private set; }
    public Visitor Visitor { get; private set; } = Visitor.Anonymous;
    public MovieClusterInfo? Cluster { get; private set; }
    public IReadOnlyList<Movie> MoreLikeThis { get; private set; } = [];
    public IReadOnlyList<Movie> AlsoLiked { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.Catalog[id] is not { } movie) return NotFound();
        Movie = movie;
        Stats = catalog.StatsOf(id);
        Scale = catalog.Dataset.Ratings.Scale;
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        int cluster = catalog.Clusters.ClusterOf(id);
        Cluster = cluster >= 0 ? catalog.Clusters.Clusters[cluster] : null;
        MoreLikeThis = [.. catalog.Content.Similar(id, SimilarCount).Select(s => s.Movie)];
        AlsoLiked = [.. catalog.RatingSimilar(id, SimilarCount).Select(s => s.Movie)];
        return Page();
    }

    /// <summary>The rating a histogram bucket stands for.</summary>
    public float BucketRating(int bucket) => Scale.Min + (Scale.Max - Scale.Min) * bucket / (Stats.Histogram.Count - 1);
}
