using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms.Ranking;

public class TopNAlgorithmsTests
{
    [Theory]
    [InlineData("popularity", typeof(PopularityRanker))]
    [InlineData("ease", typeof(Ease))]
    [InlineData("ials", typeof(ImplicitAls))]
    [InlineData("item-knn", typeof(ItemKnnRanker))]
    public void Registered_as_ranking_models(string name, Type type)
    {
        var info = AlgorithmRegistry.Get(name);
        Assert.False(info.PredictsRatings);
        var model = AlgorithmRegistry.Create(name);
        Assert.IsType(type, model);
        Assert.StartsWith(name, model.ToString());
        var blended = AlgorithmRegistry.Create(name, AlgorithmParameters.Empty.With("blend", "0.1"));
        Assert.IsType<PopularityBlend>(blended);
        Assert.Equal(name, blended.Name);
    }

    [Fact]
    public void Parameters_reach_the_options()
    {
        var ials = (ImplicitAls)AlgorithmRegistry.Create("ials", new AlgorithmParameters(new Dictionary<string, string>
        {
            ["factors"] = "8",
            ["reg"] = "2.5",
            ["alpha"] = "3",
            ["confidence"] = "log",
            ["solver"] = "cholesky",
            ["epochs"] = "2",
        }));
        Assert.Equal(8, ials.Options.Factors);
        Assert.Equal(2.5, ials.Options.Regularization);
        Assert.Equal(ConfidenceScaling.Log, ials.Options.Confidence);
        Assert.Equal(AlsSolver.Cholesky, ials.Options.Solver);
        var knn = (ItemKnnRanker)AlgorithmRegistry.Create("item-knn", AlgorithmParameters.Empty.With("vectors", "mean-centred").With("k", "7"));
        Assert.Equal(ItemVectors.MeanCentred, knn.Options.Vectors);
        Assert.Equal(7, knn.Options.Neighbors);
        Assert.Equal("Weight", Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create("ease", AlgorithmParameters.Empty.With("blend", "2"))).ParamName);
    }
}
