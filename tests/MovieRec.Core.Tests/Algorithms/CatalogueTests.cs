using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Tests.Algorithms;

/// <summary>The catalogue itself: one entry per algorithm, each with a contract test, and strict, typed options.</summary>
public class CatalogueTests
{
    private static AlgorithmParameters P(string name, string value) => new(new Dictionary<string, string> { [name] = value });

    [Fact]
    public void Every_entry_has_a_contract_test()
    {
        var covered = typeof(RecommenderContract).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(RecommenderContract)) && !t.IsAbstract)
            .Select(t => AlgorithmCatalog.Get(((RecommenderContract)Activator.CreateInstance(t)!).Algorithm).Name)
            .ToHashSet();
        var missing = AlgorithmCatalog.All.Select(e => e.Name).Where(n => !covered.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, $"No contract test for: {string.Join(", ", missing)} (add a RecommenderContract subclass).");
    }

    [Fact]
    public void Every_entry_says_how_it_saves_or_why_it_cannot_and_why_the_service_does_not_serve_it()
    {
        foreach (var e in AlgorithmCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Name);
            Assert.False(string.IsNullOrWhiteSpace(e.Persistence.Description), $"{e.Name}: no saving layout or reason");
            Assert.True(e.Servable || !string.IsNullOrWhiteSpace(e.NotServable), e.Name);
            Assert.All(e.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{e.Name}.{o.Name}"));
            Assert.All(e.Options, o => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", o.Name));
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", e.Name);
        }
        Assert.Equal(AlgorithmCatalog.All.Count, AlgorithmCatalog.All.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void Kind_and_catalogue_needs_match_the_models()
    {
        foreach (var e in AlgorithmCatalog.All)
        {
            var model = e.Create();
            Assert.Equal(e.PredictsRatings, model is IRatingPredictor);
            Assert.True(e.IsCalled(model.Name), $"{e.Name} builds {model.Name}");
        }
        Assert.Equal(["content", "hybrid", "kmeans"], AlgorithmCatalog.All.Where(e => e.NeedsCatalog).Select(e => e.Name));
    }

    [Fact]
    public void The_service_names_resolve_with_knn_as_an_alias_of_item_knn()
    {
        Assert.Equal("item-knn", AlgorithmCatalog.Get("knn").Name);
        Assert.Equal("item-knn", AlgorithmCatalog.Get("KNN").Name);
        foreach (var name in new[] { "svd", "svdpp", "knn", "kmeans", "content", "hybrid" }) Assert.True(AlgorithmCatalog.Get(name).Servable, name);
        Assert.False(AlgorithmCatalog.Get("normal").Servable);
        Assert.Contains("random", AlgorithmCatalog.Get("normal").NotServable, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_option_names_itself_and_lists_the_known_ones_with_their_aliases()
    {
        var e = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("svd", P("factor", "50")));
        Assert.Equal("factor", e.ParamName);
        Assert.Contains("Unknown option 'factor' for svd", e.Message, StringComparison.Ordinal);
        Assert.Contains("factors (n_factors)", e.Message, StringComparison.Ordinal);
        Assert.Contains("lr-all", e.Message, StringComparison.Ordinal);
        Assert.Contains("reg-pu", e.Message, StringComparison.Ordinal);
        var knn = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Get("knn-basic").Create(P("kk", "3")));
        Assert.Equal("kk", knn.ParamName);
        Assert.Contains("min-k", knn.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("normal", P("k", "3")));
        Assert.Contains("it has no options", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kebab_case_names_their_underscore_spelling_and_Surprise_names_are_accepted()
    {
        var svd = (Svd)AlgorithmCatalog.Create("svd", new AlgorithmParameters(new Dictionary<string, string>
        {
            ["n_factors"] = "12",
            ["n_epochs"] = "3",
            ["LR_ALL"] = "0.01",
            ["reg_all"] = "0.05",
            ["init_std_dev"] = "0.2",
            ["lr-bu"] = "0.002",
        }));
        Assert.Equal(12, svd.Options.Factors);
        Assert.Equal(3, svd.Options.Epochs);
        Assert.Equal(0.01, svd.Options.LrAll);
        Assert.Equal(0.05, svd.Options.EffRegPu);
        Assert.Equal(0.2, svd.Options.InitStdDev);
        Assert.Equal(0.002, svd.Options.EffLrBu);
        var knn = (KnnAlgorithm)AlgorithmCatalog.Create("knn-baseline", new AlgorithmParameters(new Dictionary<string, string>
        {
            ["sim"] = "pearson_baseline",
            ["user_based"] = "false",
            ["min_k"] = "2",
            ["bsl_method"] = "sgd",
        }));
        Assert.Equal(SimilarityMeasure.PearsonBaseline, knn.Options.Similarity.Measure);
        Assert.False(knn.Options.Similarity.UserBased);
        Assert.Equal(2, knn.Options.MinK);
        Assert.Equal(20, knn.Options.Baseline.Epochs);
        Assert.NotNull(AlgorithmCatalog.Create("coclustering", P("n_cltr_u", "2")));
        Assert.Equal(4, ((Core.Algorithms.Content.ContentRecommender)AlgorithmCatalog.Create("content", P("similarity_weight", "4"))).Options.SimilarityWeight);
        Assert.Equal(7, ((Core.Algorithms.Clustering.UserClusters)AlgorithmCatalog.Create("kmeans", P("min_likes", "7"))).Taste.MinimumLikes);
        Assert.NotNull(AlgorithmCatalog.Create("hybrid", P("cf_weight", "0.5")));
    }

    [Fact]
    public void An_explicit_lr_all_resets_a_presets_per_parameter_rates()
    {
        var tuned = (Svd)AlgorithmCatalog.Create("svd-tuned");
        Assert.Equal(0.005, tuned.Options.EffRegBu);
        Assert.Equal(0.1, tuned.Options.EffRegPu);
        var reset = (Svd)AlgorithmCatalog.Create("svd-tuned", P("reg-all", "0.03"));
        Assert.Equal(0.03, reset.Options.EffRegBu);
        Assert.Equal(0.03, reset.Options.EffRegPu);
        var one = (Svd)AlgorithmCatalog.Create("svd-tuned", new AlgorithmParameters(new Dictionary<string, string> { ["reg-all"] = "0.03", ["reg-pu"] = "0.2" }));
        Assert.Equal(0.2, one.Options.EffRegPu);
        Assert.Equal(0.03, one.Options.EffRegQi);
    }

    [Fact]
    public void Bad_values_and_an_option_given_twice_name_the_option()
    {
        var type = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("svd", P("factors", "many")));
        Assert.Equal("factors", type.ParamName);
        Assert.Contains("factors must be an integer, not 'many'", type.Message, StringComparison.Ordinal);
        var choice = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ease", P("input", "stars")));
        Assert.Equal("input", choice.ParamName);
        Assert.Contains("binary, rating", choice.Message, StringComparison.Ordinal);
        // Validation inside the options records is reported under the option's name, not the property's.
        var range = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ease", P("min_count", "0")));
        Assert.Equal("min-count", range.ParamName);
        Assert.StartsWith("ease: min-count must be positive", range.Message, StringComparison.Ordinal);
        var blend = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("ease", P("blend", "2")));
        Assert.Equal("blend", blend.ParamName);
        var lr = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("svd", P("lr_all", "-1")));
        Assert.Equal("lr-all", lr.ParamName);
        var twice = Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("svd", new AlgorithmParameters(new Dictionary<string, string> { ["factors"] = "5", ["n_factors"] = "6" })));
        Assert.Contains("given twice", twice.Message, StringComparison.Ordinal);
        Assert.Equal("K", Assert.Throws<ArgumentException>(() => new Core.Algorithms.Clustering.UserClusters(new() { K = 0 })).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => AlgorithmCatalog.Create("kmeans", P("k", "0"))).ParamName);
    }

    [Fact]
    public void Every_entry_rejects_an_unknown_name_and_accepts_no_options()
    {
        foreach (var info in AlgorithmCatalog.All)
        {
            Assert.NotNull(info.Create());
            var e = Assert.Throws<ArgumentException>(() => info.Create(P("no_such_option", "1")));
            Assert.Equal("no_such_option", e.ParamName);
        }
    }

    [Fact]
    public void Ranker_options_reach_the_models()
    {
        var ials = (ImplicitAls)AlgorithmCatalog.Create("ials", new AlgorithmParameters(new Dictionary<string, string>
        {
            ["factors"] = "8",
            ["reg"] = "2.5",
            ["confidence"] = "log",
            ["solver"] = "cholesky",
        }));
        Assert.Equal(8, ials.Options.Factors);
        Assert.Equal(2.5, ials.Options.Regularization);
        Assert.Equal(ConfidenceScaling.Log, ials.Options.Confidence);
        Assert.Equal(AlsSolver.Cholesky, ials.Options.Solver);
        var knn = (ItemKnnRanker)AlgorithmCatalog.Create("item-knn", AlgorithmParameters.Empty.With("vectors", "meancentred").With("k", "7"));
        Assert.Equal(ItemVectors.MeanCentred, knn.Options.Vectors);
        Assert.Equal(7, knn.Options.Neighbors);
        var blended = AlgorithmCatalog.Create("ease", P("blend", "0.1"));
        Assert.IsType<PopularityBlend>(blended);
        Assert.Equal("ease", blended.Name);
    }
}
