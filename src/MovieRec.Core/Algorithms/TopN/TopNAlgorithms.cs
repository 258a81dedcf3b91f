namespace MovieRec.Core.Algorithms.Ranking;

/// <summary>
/// The top-N family for <see cref="AlgorithmRegistry"/>: ranking models that do not predict ratings. Every one takes
/// <c>blend=w</c> (default 0) to wrap it in a <see cref="PopularityBlend"/> with popularity weight w.
/// </summary>
public static class TopNAlgorithms
{
    public static IEnumerable<AlgorithmInfo> All { get; } =
    [
        new("popularity", "Most popular items by training rating count, or by Bayesian-average rating (measure=count|bayesian, prior=10)",
            p => Blend(p, new PopularityRanker(new PopularityOptions
            {
                Measure = Measure(p.String("measure", "count")),
                PriorCount = p.Double("prior", 10),
            })), PredictsRatings: false),
        new("ease", "EASE, closed-form shallow autoencoder (Steck 2019): lambda=200, min-count=5, max-items=10000, input=binary|rating",
            p => Blend(p, new Ease(new EaseOptions
            {
                Lambda = p.Double("lambda", new EaseOptions().Lambda),
                MinItemCount = p.Int("min-count", new EaseOptions().MinItemCount),
                MaxItems = p.Int("max-items", new EaseOptions().MaxItems),
                Input = Parse<EaseInput>(p.String("input", "binary"), "input"),
            })), PredictsRatings: false),
        new("ials", "Implicit ALS (Hu, Koren & Volinsky 2008): factors=64, reg=10, alpha=40, epochs=15, confidence=linear|log, solver=cg|cholesky",
            p =>
            {
                var d = new ImplicitAlsOptions();
                return Blend(p, new ImplicitAls(new ImplicitAlsOptions
                {
                    Factors = p.Int("factors", d.Factors),
                    Regularization = p.Double("reg", d.Regularization),
                    Alpha = p.Double("alpha", d.Alpha),
                    Epsilon = p.Double("epsilon", d.Epsilon),
                    Confidence = Parse<ConfidenceScaling>(p.String("confidence", "linear"), "confidence"),
                    UseRatingValues = p.Bool("use-ratings", d.UseRatingValues),
                    Epochs = p.Int("epochs", d.Epochs),
                    Solver = p.String("solver", "cg").Equals("cg", StringComparison.OrdinalIgnoreCase)
                        ? AlsSolver.ConjugateGradient
                        : Parse<AlsSolver>(p.String("solver", "cg"), "solver"),
                    CgSteps = p.Int("cg-steps", d.CgSteps),
                    InitStd = p.Double("init-std", d.InitStd),
                }));
            }, PredictsRatings: false),
        new("sequential", "Sequence-aware item co-occurrence over time-ordered histories (sequential rules, Ludewig & Jannach 2018): window=20, decay=0.9, backward=1, history=10, history-decay=0.8, normalization=0.5, max-neighbors=500",
            p =>
            {
                var d = new SequentialOptions();
                return Blend(p, new SequentialCooccurrence(new SequentialOptions
                {
                    Window = p.Int("window", d.Window),
                    Decay = p.Double("decay", d.Decay),
                    Backward = p.Double("backward", d.Backward),
                    History = p.Int("history", d.History),
                    HistoryDecay = p.Double("history-decay", d.HistoryDecay),
                    Normalization = p.Double("normalization", d.Normalization),
                    MaxNeighbors = p.Int("max-neighbors", d.MaxNeighbors),
                }));
            }, PredictsRatings: false),
        new("item-knn", "Item-based top-N kNN, cosine similarity (Deshpande & Karypis 2004): k=20, vectors=binary|meancentred, normalize=false",
            p =>
            {
                var d = new ItemKnnRankerOptions();
                return Blend(p, new ItemKnnRanker(new ItemKnnRankerOptions
                {
                    Neighbors = p.Int("k", d.Neighbors),
                    Vectors = Parse<ItemVectors>(p.String("vectors", "binary"), "vectors"),
                    NormalizeRows = p.Bool("normalize", d.NormalizeRows),
                }));
            }, PredictsRatings: false),
    ];

    private static IRankingModel Blend(AlgorithmParameters p, IRankingModel model)
    {
        double w = p.Double("blend", 0);
        return w == 0 ? model : new PopularityBlend(model, new PopularityBlendOptions { Weight = w });
    }

    private static PopularityMeasure Measure(string value) => value.ToLowerInvariant() switch
    {
        "count" => PopularityMeasure.Count,
        "bayesian" or "bayesianaverage" => PopularityMeasure.BayesianAverage,
        _ => throw new ArgumentException($"measure must be count or bayesian, not '{value}'.", "measure"),
    };

    private static T Parse<T>(string value, string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var result) && Enum.IsDefined(result)
            ? result
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant()}, not '{value}'.", name);
}
