namespace MovieRec.Core.Tests.Algorithms;

// One class per registry algorithm. Bands measured from this setup (ContractData), single-threaded.
public sealed class SvdContract : RecommenderContract
{
    protected override string Algorithm => "svd";
    protected override double? ExpectedRmse => 0.9164;
    protected override double ExpectedNdcg => 0.0115;
}

public sealed class SvdTunedContract : RecommenderContract
{
    protected override string Algorithm => "svd-tuned";
    protected override double? ExpectedRmse => 0.8894;
    protected override double ExpectedNdcg => 0.0080;
}

public sealed class SvdppContract : RecommenderContract
{
    protected override string Algorithm => "svdpp";
    protected override double? ExpectedRmse => 0.9001;
    protected override double ExpectedNdcg => 0.0150;
}

public sealed class NmfContract : RecommenderContract
{
    protected override string Algorithm => "nmf";
    protected override double? ExpectedRmse => 0.9892;
    protected override double ExpectedNdcg => 0.0000;
}

public sealed class NormalContract : RecommenderContract
{
    protected override string Algorithm => "normal";
    protected override double? ExpectedRmse => 1.5082;
    protected override double ExpectedNdcg => 0.0900;
    protected override bool HasHyperparameters => false;

    // The shared model's generator advances with every prediction other facts ask for first.
    protected override double RmseTolerance => 0.05;
}

public sealed class BaselineContract : RecommenderContract
{
    protected override string Algorithm => "baseline";
    protected override double? ExpectedRmse => 0.9062;
    protected override double ExpectedNdcg => 0.0253;
}

public sealed class BaselineSgdContract : RecommenderContract
{
    protected override string Algorithm => "baseline-sgd";
    protected override double? ExpectedRmse => 0.919;
    protected override double ExpectedNdcg => 0.0200;
}

public sealed class KnnBasicContract : RecommenderContract
{
    protected override string Algorithm => "knn-basic";
    protected override double? ExpectedRmse => 1.0156;
    protected override double ExpectedNdcg => 0.0050;
}

public sealed class KnnMeansContract : RecommenderContract
{
    protected override string Algorithm => "knn-means";
    protected override double? ExpectedRmse => 0.9566;
    protected override double ExpectedNdcg => 0.0150;
}

public sealed class KnnZScoreContract : RecommenderContract
{
    protected override string Algorithm => "knn-zscore";
    protected override double? ExpectedRmse => 0.9565;
    protected override double ExpectedNdcg => 0.0200;
}

public sealed class KnnBaselineContract : RecommenderContract
{
    protected override string Algorithm => "knn-baseline";
    protected override double? ExpectedRmse => 0.9228;
    protected override double ExpectedNdcg => 0.0000;
}

public sealed class KnnBaselineItemPearsonContract : RecommenderContract
{
    protected override string Algorithm => "knn-baseline";
    protected override string[] Parameters => ["sim=pearson_baseline", "user_based=false"];
    protected override double? ExpectedRmse => 0.8839;
    protected override double ExpectedNdcg => 0.0015;
}

public sealed class SlopeOneContract : RecommenderContract
{
    protected override string Algorithm => "slope-one";
    protected override double? ExpectedRmse => 0.9578;
    protected override double ExpectedNdcg => 0.0100;
    protected override bool HasHyperparameters => false;
}

public sealed class CoClusteringContract : RecommenderContract
{
    protected override string Algorithm => "coclustering";
    protected override double? ExpectedRmse => 0.9895;
    protected override double ExpectedNdcg => 0.0500;
}

public sealed class PopularityContract : RecommenderContract
{
    protected override string Algorithm => "popularity";
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0221;
}

public sealed class EaseContract : RecommenderContract
{
    protected override string Algorithm => "ease";

    // EASE scores only items with at least min-count (5) training ratings; the rest are NaN.
    protected override double MinimumFiniteShare => 0.15;
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0433;
}

public sealed class IalsContract : RecommenderContract
{
    protected override string Algorithm => "ials";
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0211;
}

public sealed class ItemKnnContract : RecommenderContract
{
    protected override string Algorithm => "item-knn";
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0256;
}

public sealed class SequentialContract : RecommenderContract
{
    protected override string Algorithm => "sequential";

    // Only items that followed or preceded one of the user's recent ratings get a score; the rest score 0.
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0641;
}

public sealed class BestRankingContract : RecommenderContract
{
    protected override string Algorithm => "best-ranking";
    protected override double? ExpectedRmse => null;
    protected override double ExpectedNdcg => 0.0632;
}
