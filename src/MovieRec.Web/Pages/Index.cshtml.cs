using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Onboarding;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>Onboarding: well-known movies grouped by movie cluster, rated with stars, then Submit.</summary>
public sealed class IndexModel(ModelHost host, IRatingStore store) : PageModel
{
    /// <summary>Ratings needed before Submit is offered.</summary>
    public const int MinimumRatings = 5;

    public Visitor Visitor { get; private set; } = Visitor.Anonymous;

    public IReadOnlyList<(MovieClusterInfo? Cluster, IReadOnlyList<OnboardingMovie> Movies)> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        Visitor = await Visitor.LoadAsync(HttpContext, store).ConfigureAwait(false);
        var clusters = catalog.Clusters.Clusters;
        // Clusters in the order their first movie appears in the onboarding list (most informative first).
        Groups = [.. catalog.Onboarding
            .GroupBy(o => o.Cluster)
            .Select(g => ((MovieClusterInfo?)(g.Key >= 0 && g.Key < clusters.Count ? clusters[g.Key] : null), (IReadOnlyList<OnboardingMovie>)[.. g]))];
    }
}
