using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;

namespace MovieRec.Web.Pages;

/// <summary>The movie clusters: names from their features, representative posters, and a PCA scatter.</summary>
public sealed class ClustersModel(DiscoveryQueries discovery, ClusterMap map) : PageModel
{
    /// <summary>One colour per cluster, readable on light and dark backgrounds.</summary>
    public static IReadOnlyList<string> Palette { get; } = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#808000", "#469990", "#dcbeff", "#ffe119"];

    public IReadOnlyList<MovieClusterInfo> Clusters { get; private set; } = [];
    public ClusterProjection Projection { get; private set; } = null!;

    public static string ColourOf(int cluster) => Palette[cluster % Palette.Count];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Clusters = [.. (await discovery.ClustersAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Info)];
        Projection = await map.GetAsync(cancellationToken).ConfigureAwait(false);
    }
}
