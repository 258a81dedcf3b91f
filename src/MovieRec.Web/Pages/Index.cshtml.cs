using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Data;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Onboarding: well-known movies grouped by movie cluster, rated with stars, then Submit.</summary>
public sealed class IndexModel(DiscoveryQueries discovery, IRatingStore store) : PageModel
{
    /// <summary>Ratings needed before Submit is offered.</summary>
    public const int MinimumRatings = 5;

    public Visitor Visitor { get; private set; } = Visitor.Anonymous;

    public IReadOnlyList<(MovieClusterInfo? Cluster, IReadOnlyList<Movie> Movies)> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var onboarding = await discovery.OnboardingAsync(null, cancellationToken).ConfigureAwait(false);
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        // Clusters in the order their first movie appears in the onboarding list (most informative first).
        Groups = [.. (onboarding.Value ?? [])
            .GroupBy(o => o.Cluster?.Id ?? -1)
            .Select(g => (g.First().Cluster, (IReadOnlyList<Movie>)[.. g.Select(o => o.Movie.Movie)]))];
    }
}
