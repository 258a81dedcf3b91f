using MovieRec.Core.Algorithms;

namespace MovieRec.Core.Tests.Algorithms;

public class StrictParameterTests
{
    private static AlgorithmParameters P(string name, string value) => new(new Dictionary<string, string> { [name] = value });

    [Fact]
    public void A_misspelt_parameter_names_itself_and_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create("svd", P("factor", "50")));
        Assert.Equal("factor", e.ParamName);
        Assert.Contains("Unknown parameter 'factor' for svd", e.Message, StringComparison.Ordinal);
        Assert.Contains("factors", e.Message, StringComparison.Ordinal);
        Assert.Contains("lr_all", e.Message, StringComparison.Ordinal);
        Assert.Contains("reg_pu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_create_is_strict_too()
    {
        var e = Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Get("knn-basic").Create(P("kk", "3")));
        Assert.Equal("kk", e.ParamName);
        Assert.Contains("min_k", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_parameters_are_accepted_in_every_family()
    {
        Assert.Equal("svd", AlgorithmRegistry.Create("svd", P("FACTORS", "10")).Name);
        Assert.NotNull(AlgorithmRegistry.Create("knn-baseline", P("sim", "pearson_baseline")));
        Assert.NotNull(AlgorithmRegistry.Create("svd", P("reg_bu", "0.1")));
        Assert.NotNull(AlgorithmRegistry.Create("ease", P("lambda", "100")));
        Assert.NotNull(AlgorithmRegistry.Create("coclustering", P("n_cltr_u", "2")));
    }

    [Fact]
    public void Every_algorithm_rejects_an_unused_name_and_accepts_no_parameters()
    {
        foreach (var info in AlgorithmRegistry.Algorithms)
        {
            Assert.NotNull(info.Create(AlgorithmParameters.Empty));
            var e = Assert.Throws<ArgumentException>(() => info.Create(P("no_such_parameter", "1")));
            Assert.Equal("no_such_parameter", e.ParamName);
        }
    }
}
