using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>GET /onboarding: movies to rate first.</summary>
/// <param name="N">How many movies, 1 to 100 (default 20).</param>
public sealed record OnboardingRequest(int? N = null)
{
    public const int DefaultN = 20;
}

/// <summary>A movie to rate when starting, with its movie cluster (null when it has none).</summary>
public sealed record OnboardingEntry(MovieHit Movie, MovieClusterInfo? Cluster);

/// <summary>A movie cluster with its representatives.</summary>
public sealed record ClusterEntry(MovieClusterInfo Info, IReadOnlyList<MovieHit> Representatives);

/// <summary>
/// Starting points: the onboarding set (well-known, informative movies covering the movie clusters, most informative
/// first) and the movie clusters. GET /onboarding, GET /clusters, the start page and the clusters page.
/// </summary>
public sealed class DiscoveryQueries(ModelHost host)
{
    /// <summary>The first <see cref="OnboardingRequest.N"/> movies of the onboarding set; all of them when <paramref name="request"/> is null.</summary>
    public async Task<QueryResult<IReadOnlyList<OnboardingEntry>>> OnboardingAsync(OnboardingRequest? request, CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (QueryError.CheckCount(request?.N, CatalogIndex.MaxOnboarding) is { } bad) return bad;
        var clusters = catalog.Clusters.Clusters;
        int n = request is null ? CatalogIndex.MaxOnboarding : request.N ?? OnboardingRequest.DefaultN;
        return QueryResult<IReadOnlyList<OnboardingEntry>>.Ok([.. catalog.Onboarding.Take(n)
            .Select(o => new OnboardingEntry(MovieHit.Of(o.Movie, catalog), o.Cluster >= 0 && o.Cluster < clusters.Count ? clusters[o.Cluster] : null))]);
    }

    public async Task<IReadOnlyList<ClusterEntry>> ClustersAsync(CancellationToken cancellationToken)
    {
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        return [.. catalog.Clusters.Clusters.Select(c => new ClusterEntry(c, [.. c.Representatives.Select(m => MovieHit.Of(m, catalog))]))];
    }
}
