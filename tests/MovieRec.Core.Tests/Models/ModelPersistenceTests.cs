using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Models;
using MovieRec.Core.Tests.Algorithms.MatrixFactorization;
using Xunit;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// Every catalogue algorithm that says it saves (<see cref="AlgorithmPersistence.CanSave"/>), which is every one today,
/// survives a save and restore bit for bit: the scores of every known user and of a folded-in user. The algorithms
/// under test come from the catalogue, so a new entry is tested here (and fails) unless it persists or gives the
/// reason it cannot.
/// </summary>
public sealed class ModelPersistenceTests
{
    private static readonly Lazy<RatingDataset> Data = new(() => MfTestData.FirstRatings(5_000));

    /// <summary>The same ratings with id maps of only their own users and items (item-based kNN keeps an n² matrix).</summary>
    private static readonly Lazy<RatingDataset> Compact = new(() =>
    {
        var data = Data.Value;
        var builder = new RatingDatasetBuilder();
        for (int k = 0; k < data.Count; k++)
            builder.Add(data.UserIds.ToRawNumeric(data.Users[k]), data.ItemIds.ToRawNumeric(data.Items[k]), data.Values[k], data.Timestamps[k]);
        return builder.Build(data.Scale);
    });

    /// <summary>Small settings so each fit takes a moment; everything else at its default.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Quick = new(StringComparer.OrdinalIgnoreCase)
    {
        ["svd"] = new() { ["epochs"] = "2" },
        ["svd-tuned"] = new() { ["epochs"] = "2" },
        ["svdpp"] = new() { ["epochs"] = "2" },
        ["nmf"] = new() { ["epochs"] = "2" },
        ["ials"] = new() { ["factors"] = "8", ["epochs"] = "2" },
        ["kmeans"] = new() { ["k"] = "2" },   // 9 clusters of ~35 users leave no movie with 5 ratings in a cluster
    };

    public static TheoryData<string> Persistent()
    {
        var data = new TheoryData<string>();
        foreach (var info in AlgorithmCatalog.All.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (info.Persistence.CanSave) data.Add(info.Name);
        }
        return data;
    }

    /// <summary>Wrapped and non-default variants: the popularity blend, EASE on rating values, the fallback straight over EASE.</summary>
    public static TheoryData<string, string> Variants => new()
    {
        { "popularity", "blend=0.2" },
        { "ease", "blend=0.1,input=rating" },
        { "ease-recency", "half-life=0" },
        { "ease-recency", "half-life=3,floor=0.2,min-count=3" },
        { "popularity", "measure=bayesian,prior=5" },
        { "item-knn", "vectors=mean-centred,normalize=true" },
        { "baseline-sgd", "" },
        { "hybrid", "collaborative=item-knn,content-weight=0.3" },
        { "hybrid", "collaborative=svd" },
        { "coclustering", "surprise-int-ratings=true,user-clusters=4" },
        { "best", "folds=0,support-features=false" },
        { "content", "similarity-weight=4,quality-weight=0.5,year-width=3" },
        { "content", "year-weight=0,familiarity-weight=0" },
        { "kmeans", "k=3,temperature=0.05,taste-weight=0,min-likes=3" },
        { "taste", "candidates=50,popular-share=1" },
    };

    /// <summary>Entries holding an n_items² matrix (Slope One, and best through its members) train on <see cref="Compact"/>.</summary>
    private static readonly HashSet<string> ItemSquared = new(StringComparer.OrdinalIgnoreCase) { "slope-one", "best" };

    [Theory]
    [MemberData(nameof(Persistent))]
    public void Registry_algorithm_round_trips_bit_identically(string algorithm) =>
        RoundTrip(algorithm, Quick.TryGetValue(algorithm, out var p) ? p : [], ItemSquared.Contains(algorithm) ? Compact.Value : Data.Value);

    [Theory]
    [InlineData("knn-baseline", "sim=pearson_baseline,user_based=false")]
    [InlineData("knn-means", "user-based=false,k=10")]
    [InlineData("knn-zscore", "sim=cosine")]
    public void Item_based_knn_round_trips_bit_identically(string algorithm, string parameters) =>
        RoundTrip(algorithm, Parse(parameters), Compact.Value);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_round_trips_bit_identically(string algorithm, string parameters) =>
        RoundTrip(algorithm, Parse(parameters), ItemSquared.Contains(algorithm) ? Compact.Value : Data.Value);

    [Fact]
    public void A_restored_random_predictor_continues_the_sequence_where_the_saved_one_stood()
    {
        var data = Data.Value;
        var model = new Core.Algorithms.Baselines.NormalPredictor();
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(3));
        var fresh = new Core.Algorithms.Baselines.NormalPredictor();
        fresh.Fit(new TrainingData(data), TrainingContext.Deterministic(3));
        for (int i = 0; i < 1000; i++) model.Predict(0, i);
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "normal.mrec");
        ModelFile.Save(path, model);
        var restored = (Core.Algorithms.Baselines.NormalPredictor)PersistentModels.Load(path);
        var next = Enumerable.Range(0, 50).Select(i => model.Predict(1, i)).ToArray();
        Assert.Equal(next, Enumerable.Range(0, 50).Select(i => restored.Predict(1, i)));
        // The sequence continued rather than restarted from the seed.
        Assert.NotEqual(next, Enumerable.Range(0, 50).Select(i => fresh.Predict(1, i)));
    }

    [Fact]
    public void A_restored_kmeans_describes_and_assigns_its_clusters_as_the_fitted_one()
    {
        var data = Data.Value;
        var model = (Core.Algorithms.Clustering.UserClusters)AlgorithmCatalog.Create("kmeans", new AlgorithmParameters(new Dictionary<string, string> { ["k"] = "3" }));
        model.Fit(new TrainingData(data, TestData.MovieLensSmall.Catalog), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "kmeans.mrec");
        ModelFile.Save(path, model);
        var restored = (Core.Algorithms.Clustering.UserClusters)PersistentModels.Load(path);
        Assert.Equal(model.Genres, restored.Genres);
        Assert.Equal(model.Clusters.Count, restored.Clusters.Count);
        for (int c = 0; c < model.Clusters.Count; c++)
        {
            var (a, b) = (model.Clusters[c], restored.Clusters[c]);
            Assert.Equal((a.Id, a.Name, a.Users), (b.Id, b.Name, b.Users));
            Assert.Equal(a.Genres, b.Genres);
            Assert.Equal(a.GenreLifts, b.GenreLifts);
            Assert.Equal(a.Movies, b.Movies);
            Assert.Equal(a.Titles, b.Titles);
        }
        Assert.Contains(model.Clusters, c => c.Titles.Count > 0);
        Assert.Equal(model.Result.Labels, restored.Result.Labels);
        Assert.Equal(model.Result.Inertia, restored.Result.Inertia);
        for (int u = 0; u < data.UserCount; u++) Assert.Equal(model.ClusterOf(u), restored.ClusterOf(u));
        var ratings = new[] { new ItemRating(0, 5), new ItemRating(1, 4.5f), new ItemRating(2, 2) };
        Assert.Equal(model.WeightsOf(model.FoldIn(ratings)), restored.WeightsOf(restored.FoldIn(ratings)));
    }

    [Fact]
    public void A_restored_content_model_keeps_the_content_vectors_and_their_vocabulary()
    {
        var data = Data.Value;
        var model = (Core.Algorithms.Content.ContentRecommender)AlgorithmCatalog.Create("content");
        model.Fit(new TrainingData(data, TestData.MovieLensSmall.Catalog), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "content.mrec");
        ModelFile.Save(path, model);
        var restored = (Core.Algorithms.Content.ContentRecommender)PersistentModels.Load(path);
        var (a, b) = (model.Taste.Vectors, restored.Taste.Vectors);
        Assert.Equal(a.Vocabulary, b.Vocabulary);
        Assert.Contains(a.Vocabulary, t => t.StartsWith("k:", StringComparison.Ordinal));   // TMDB keywords were joined
        Assert.Equal(a.Offsets, b.Offsets);
        Assert.Equal(a.Terms, b.Terms);
        Assert.Equal(a.Weights, b.Weights);
    }

    private static Dictionary<string, string> Parse(string parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parameters.Split(',', StringSplitOptions.RemoveEmptyEntries))
            values[part[..part.IndexOf('=', StringComparison.Ordinal)]] = part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..];
        return values;
    }

    private static void RoundTrip(string algorithm, Dictionary<string, string> parameters, RatingDataset data)
    {
        var model = AlgorithmCatalog.Create(algorithm, new AlgorithmParameters(parameters));
        // With the catalogue, which content models need; a model file must not (the restored model scores without it).
        model.Fit(new TrainingData(data, TestData.MovieLensSmall.Catalog), TrainingContext.Deterministic(0));
        Assert.True(PersistentModels.CanSave(model), $"The catalogue says {algorithm} saves, so it must persist.");
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "model.mrec");
        var persistent = (IPersistentModel)model;
        ModelFile.Save(path, persistent, ModelFile.Fingerprint(data));
        var contents = ModelFile.Read(path);
        Assert.Equal(persistent.Header.Algorithm, contents.Algorithm);
        // Version 2 only when the file holds a half-precision array (EASE's B), so older builds still read the others.
        Assert.Equal(contents.Arrays.Values.Any(a => a is Half[]) ? ModelFile.CurrentVersion : ModelFile.FirstVersion, contents.FormatVersion);
        var loaded = PersistentModels.Restore(contents);
        Assert.Equal(model.GetType(), loaded.GetType());
        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(data.UserIds.Count, ((IPersistentModel)loaded).Header.UserIds.Count);

        var scorer = model;
        var restored = loaded;
        Assert.Equal(scorer.ItemCount, restored.ItemCount);
        var expected = new float[scorer.ItemCount];
        var actual = new float[scorer.ItemCount];
        int known = 0;
        for (int u = 0; u < data.UserCount; u++)
        {
            if (data.ByUser.RowLength(u) == 0) continue;
            known++;
            scorer.Score(u, expected);
            restored.Score(u, actual);
            AssertBitIdentical(expected, actual, $"{algorithm} user {u}");
            Assert.Equal(data.ByUser.RowColumns(u).ToArray(), ((IUserHistory)loaded).RatedBy(u).ToArray().Order().ToArray());
        }
        Assert.True(known > 10);

        // A new user: some of user 0's movies and a few popular ones, in an order that is not by item.
        var byUser = data.ByUser;
        var profile = new List<ItemRating>();
        for (int p = byUser.Offsets[0]; p < byUser.Offsets[0] + 6; p++) profile.Add(new ItemRating(byUser.Columns[p], byUser.Values[p]));
        profile.Reverse();
        var popular = Enumerable.Range(0, data.ItemCount).OrderByDescending(i => data.ByItem.RowLength(i)).Take(3);
        foreach (int i in popular) profile.Add(new ItemRating(i, 4.5f));
        var foldIn = model;
        var restoredFoldIn = loaded;
        foldIn.Score(foldIn.FoldIn([.. profile]), expected);
        restoredFoldIn.Score(restoredFoldIn.FoldIn([.. profile]), actual);
        AssertBitIdentical(expected, actual, $"{algorithm} folded-in user");
        Assert.Contains(expected, float.IsFinite);
        // One and four liked movies too (taste learns weights per number of favourites: 1-2, 3-6, 7 or more).
        var mostRated = Enumerable.Range(0, data.ItemCount).OrderByDescending(i => data.ByItem.RowLength(i)).ThenBy(i => i).ToArray();
        foreach (int given in (int[])[1, 4])
        {
            ItemRating[] few = [.. mostRated.Take(given).Select(i => new ItemRating(i, 5f))];
            foldIn.Score(foldIn.FoldIn(few), expected);
            restoredFoldIn.Score(restoredFoldIn.FoldIn(few), actual);
            AssertBitIdentical(expected, actual, $"{algorithm} folded-in user with {given} rating(s)");
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: item {i} scored {expected[i]:R} before saving and {actual[i]:R} after.");
        }
    }

    [Fact]
    public void Entries_that_do_not_save_give_the_reason_and_really_cannot_be_saved()
    {
        foreach (var entry in AlgorithmCatalog.All.Where(e => !e.Persistence.CanSave))
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.Persistence.Description), $"{entry.Name} gives no reason");
            Assert.Null(entry.Persistence.Restore);
            Assert.False(PersistentModels.CanSave(entry.Create()), $"{entry.Name} persists now: say how in its catalogue entry.");
        }
    }

    [Fact]
    public void The_restore_table_is_the_catalogue_plus_the_building_blocks()
    {
        var saved = AlgorithmCatalog.All.Where(e => e.Persistence.Restore is not null).Select(e => e.Name);
        string[] parts = [SparkAlsModel.AlgorithmName, PopularityBlend.AlgorithmName, Core.Algorithms.Hybrid.FallbackRanker.AlgorithmName,
            Core.Algorithms.Hybrid.RecencyWeightedRanker.AlgorithmName];
        Assert.Equal(saved.Concat(parts).Order(StringComparer.Ordinal), PersistentModels.Algorithms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Restoring_a_ranking_model_through_the_one_entry_point()
    {
        var data = Data.Value;
        var model = new PopularityRanker();
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "p.mrec");
        ModelFile.Save(path, model);
        Assert.IsType<PopularityRanker>(PersistentModels.Restore(ModelFile.Read(path)));
        Assert.Contains("popularity", PersistentModels.Algorithms);
    }

    [Fact]
    public void An_unfitted_model_or_a_wrapper_over_a_model_that_does_not_persist_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new Ease().Header);
        var blend = new PopularityBlend(new Transient());
        Assert.False(PersistentModels.CanSave(blend));
        Assert.Throws<NotSupportedException>(() => blend.Header);

        // Composites too: a hybrid over a model that does not persist, fitted, cannot be saved and says why.
        var hybrid = new Core.Algorithms.Hybrid.HybridRecommender(new Transient());
        hybrid.Fit(new TrainingData(Data.Value, TestData.MovieLensSmall.Catalog), TrainingContext.Deterministic(0));
        Assert.False(PersistentModels.CanSave(hybrid));
        var e = Assert.Throws<NotSupportedException>(() => hybrid.Header);
        Assert.Contains("transient is not persistent", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A model without a model file layout (every catalogue entry has one).</summary>
    private sealed class Transient : IRecommender
    {
        private readonly PopularityRanker _inner = new();

        public string Name => "transient";

        public int ItemCount => _inner.ItemCount;

        public void Fit(TrainingData data, TrainingContext context) => _inner.Fit(data, context);

        public void Score(int user, Span<float> scores) => _inner.Score(user, scores);

        public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => _inner.FoldIn(ratings);

        public void Score(FoldedUser user, Span<float> scores) => _inner.Score(user, scores);
    }

    [Fact]
    public void An_unknown_algorithm_name_is_refused_naming_the_file()
    {
        var data = Data.Value;
        var model = new PopularityRanker();
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "p.mrec");
        ModelFile.Save(path, new Renamed(model));
        var e = Assert.Throws<InvalidDataException>(() => PersistentModels.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("future-model", e.Message, StringComparison.Ordinal);
    }

    private sealed class Renamed(PopularityRanker inner) : IPersistentModel
    {
        public string Name => "future-model";

        public int ItemCount => inner.ItemCount;

        public void Fit(TrainingData data, TrainingContext context) => inner.Fit(data, context);

        public void Score(int user, Span<float> scores) => inner.Score(user, scores);

        public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings) => inner.FoldIn(ratings);

        public void Score(FoldedUser user, Span<float> scores) => inner.Score(user, scores);

        public ModelHeader Header => inner.Header with { Algorithm = Name };

        public void WriteArrays(ModelWriter writer) => inner.WriteArrays(writer);
    }
}
