namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>
/// Surprise's KNNBasic: r̂_ui = Σ_{v∈N^k_i(u)} sim(u,v)·r_vi / Σ sim(u,v) over the k most similar users who rated
/// i with a positive similarity (item-based: the same with items). Impossible (global mean) when fewer than
/// min_k neighbours count. Resnick et al., "GroupLens", CSCW 1994; Herlocker et al., SIGIR 1999.
/// </summary>
public sealed class KnnBasic(KnnOptions? options = null) : KnnAlgorithm(options)
{
    public override string Name => "knn-basic";

    private protected override KnnKind Kind => KnnKind.Basic;
}

/// <summary>
/// Surprise's KNNWithMeans: r̂_ui = μ_u + Σ sim(u,v)·(r_vi − μ_v) / Σ sim(u,v); with fewer than min_k neighbours
/// it is μ_u (the user's mean; the item's mean when item-based).
/// </summary>
public sealed class KnnWithMeans(KnnOptions? options = null) : KnnAlgorithm(options)
{
    public override string Name => "knn-means";

    private protected override KnnKind Kind => KnnKind.Means;
}

/// <summary>
/// Surprise's KNNWithZScore: r̂_ui = μ_u + σ_u · Σ sim(u,v)·(r_vi − μ_v)/σ_v / Σ sim(u,v), with σ the population
/// standard deviation of a user's ratings (1 when it is 0); μ_u with fewer than min_k neighbours.
/// </summary>
public sealed class KnnWithZScore(KnnOptions? options = null) : KnnAlgorithm(options)
{
    public override string Name => "knn-zscore";

    private protected override KnnKind Kind => KnnKind.ZScore;
}

/// <summary>
/// Surprise's KNNBaseline: r̂_ui = b_ui + Σ sim(u,v)·(r_vi − b_vi) / Σ sim(u,v) with b_ui = μ + b_u + b_i
/// (Koren, "Factor in the neighbors", TKDD 2010, eq. 3). b_ui alone with fewer than min_k neighbours, and for an
/// unknown user or item (whose term is dropped). Best with sim pearson_baseline, item-based.
/// </summary>
public sealed class KnnBaseline(KnnOptions? options = null) : KnnAlgorithm(options)
{
    public override string Name => "knn-baseline";

    private protected override KnnKind Kind => KnnKind.Baseline;
}
