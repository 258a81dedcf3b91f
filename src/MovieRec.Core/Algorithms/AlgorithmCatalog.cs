using System.Globalization;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Ranking;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// Every algorithm MovieRec has, in one list: the CLI (<c>movierec algorithms</c>, evaluate, tune, train, recommend),
/// the model-file restorers (<see cref="Models.PersistentModels"/>), grid search, the benchmarks and the service's
/// algorithm list are all derived from it. Adding an algorithm is one new file (the model, implementing
/// <see cref="IRecommender"/>) and one entry here.
/// </summary>
public static class AlgorithmCatalog
{
    private const string NotServableRatingKnn =
        "fold-in compares the new user with every training user (user-based) or needs the dense n x n item similarity matrix "
        + "(item-based: 378 MB on ml-latest-small) for each request; the service serves item-knn for neighbourhood recommendations";

    private const string NoBetterThanChance =
        "it ranks a user's next movie no better than chance (its contract test on ml-latest-small): a rating model to evaluate, not to recommend from";

    private const string SameListForEveryone =
        "it is not personal: every visitor gets the same list of the most-rated (or best-biased) movies, whatever they rated "
        + "(personalization below 0.1 on the new-user protocol, where the floor is 0.8)";

    private const string PredictsStarsNotPicks =
        "it predicts how many stars you would give a movie, not which movies you would pick: from a handful of favourites its top 10 "
        + "holds fewer movies people went on to like than the most-rated list does (new-user protocol, docs/benchmarks.md); its "
        + "predicted stars are shown on every recommendation instead";

    private static readonly Lazy<IReadOnlyList<AlgorithmEntry>> Entries = new(Build);

    /// <summary>Every entry, in catalogue order (families together).</summary>
    public static IReadOnlyList<AlgorithmEntry> All => Entries.Value;

    /// <summary>The entries the service may train and serve.</summary>
    public static IEnumerable<AlgorithmEntry> Servable => All.Where(e => e.Servable);

    /// <summary>The entry called <paramref name="name"/> (or an alias of it); null when there is none.</summary>
    public static AlgorithmEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // A loop, not FirstOrDefault with a closure: every recommendation request looks its algorithm up.
        string trimmed = name.Trim();
        var all = All;
        for (int k = 0; k < all.Count; k++)
        {
            if (all[k].IsCalled(trimmed)) return all[k];
        }
        return null;
    }

    /// <summary>The entry called <paramref name="name"/>, or an <see cref="ArgumentException"/> listing the known names.</summary>
    public static AlgorithmEntry Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {KnownNames(All)}.", nameof(name));

    /// <summary>A new unfitted model of the named entry with <paramref name="parameters"/> (strict).</summary>
    public static IRecommender Create(string name, AlgorithmParameters? parameters = null) => Get(name).Create(parameters);

    /// <summary>"svd, svd-tuned, item-knn (knn), ...": names with their aliases.</summary>
    public static string KnownNames(IEnumerable<AlgorithmEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return string.Join(", ", entries.Select(e => e.Aliases.Count == 0 ? e.Name : $"{e.Name} ({string.Join(", ", e.Aliases)})"));
    }

    /// <summary>
    /// A comma-separated list of names ("svd,knn-baseline") resolved against <paramref name="among"/> (default: the
    /// whole catalogue), in order and without duplicates; <c>all</c> means every one of them. An unknown name is an
    /// <see cref="ArgumentException"/> listing the known ones.
    /// </summary>
    public static IReadOnlyList<AlgorithmEntry> Resolve(string names, IReadOnlyCollection<AlgorithmEntry>? among = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var known = among ?? All;
        var result = new List<AlgorithmEntry>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                if (known.Count == 0) throw new ArgumentException("No algorithms are known.");
                foreach (var entry in known)
                {
                    if (!result.Contains(entry)) result.Add(entry);
                }
                continue;
            }
            var found = known.FirstOrDefault(e => e.IsCalled(name))
                ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {KnownNames(known)} (or all).");
            if (!result.Contains(found)) result.Add(found);
        }
        if (result.Count == 0) throw new ArgumentException($"No algorithm given. Known: {KnownNames(known)} (or all).");
        return result;
    }

    // ---- the entries ----

    private static IReadOnlyList<AlgorithmEntry> Build()
    {
        var entries = new List<AlgorithmEntry>
        {
            new("normal", AlgorithmKind.RatingPredictor,
                "Random N(μ, σ) of the training ratings, Surprise's NormalPredictor: a floor every model must beat.",
                [], _ => new NormalPredictor(),
                AlgorithmPersistence.Saved(NormalPredictor.Restore, "σ, the seed and the draws made so far (a restored model continues the same random sequence) and each user's rated items"),
                notServable: "its predictions are random draws, a floor for evaluation rather than recommendations",
                label: "Random"),
            new("baseline", AlgorithmKind.RatingPredictor,
                "Baseline estimates μ + b_u + b_i fitted by alternating least squares (Koren 2010, \"Factor in the neighbors\"; Surprise's BaselineOnly).",
                BaselineOptionsOf(BaselineOptions.Als), o => new BaselineOnly(Baseline(o, BaselineMethod.Als)),
                AlgorithmPersistence.Saved(BaselineOnly.Restore, "b_u and b_i (float64 as raw bytes) and each user's rated items (which users and items are known)"),
                label: "Baseline",
                notForNewUsers: SameListForEveryone),
            new("baseline-sgd", AlgorithmKind.RatingPredictor,
                "Baseline estimates μ + b_u + b_i fitted by SGD (Koren 2010; Surprise's BaselineOnly with method sgd).",
                BaselineOptionsOf(BaselineOptions.Sgd), o => new BaselineOnly(Baseline(o, BaselineMethod.Sgd)),
                AlgorithmPersistence.Saved(BaselineOnly.Restore, "b_u and b_i (float64 as raw bytes) and each user's rated items"),
                notServable: "the same model as baseline, fitted by SGD instead of ALS: the service serves baseline",
                label: "Baseline (SGD)"),
            Knn("knn-basic", "k-NN: the similarity-weighted mean of the neighbours' ratings (Surprise's KNNBasic).", o => new KnnBasic(o)),
            Knn("knn-means", "k-NN on mean-centred ratings (Surprise's KNNWithMeans).", o => new KnnWithMeans(o)),
            Knn("knn-zscore", "k-NN on z-scored ratings (Surprise's KNNWithZScore).", o => new KnnWithZScore(o)),
            Knn("knn-baseline", "k-NN on baseline residuals (Koren 2010, \"Factor in the neighbors\"; Surprise's KNNBaseline).", o => new KnnBaseline(o)),
            new("slope-one", AlgorithmKind.RatingPredictor,
                "Slope One: the user's mean plus the mean deviation between items rated by the same users (Lemire and Maclachlan 2005; Surprise's SlopeOne).",
                [SurpriseIntRatings], o => new SlopeOne(new SlopeOneOptions { SurpriseIntegerRatings = o.Bool("surprise-int-ratings") }),
                AlgorithmPersistence.Saved(SlopeOne.Restore, "the training ratings; the deviations are recomputed at load (a pure function of the ratings: 2 MB of ratings instead of 105 MB of deviations on ml-latest-small, about 1 s to recompute)"),
                notServable: "its dense item x item deviation matrix takes 378 MB on ml-latest-small (n² floats), too much for a serving replica",
                label: "Slope One"),
            new("coclustering", AlgorithmKind.RatingPredictor,
                "Co-clustering of users and items, predictions from cluster means (George and Merugu 2005; Surprise's CoClustering).",
                [
                    AlgorithmOption.Int("user-clusters", 3, "user clusters", "n_cltr_u"),
                    AlgorithmOption.Int("item-clusters", 3, "item clusters", "n_cltr_i"),
                    AlgorithmOption.Int("epochs", 20, "optimisation rounds", "n_epochs"),
                    SurpriseIntRatings,
                ],
                o => new CoClustering(new CoClusteringOptions
                {
                    UserClusters = o.Int("user-clusters"),
                    ItemClusters = o.Int("item-clusters"),
                    Epochs = o.Int("epochs"),
                    SurpriseIntegerRatings = o.Bool("surprise-int-ratings"),
                }),
                AlgorithmPersistence.Saved(CoClustering.Restore, "every user's and item's cluster, the user and item means, the cluster and co-cluster averages and each user's rated items"),
                notServable: NoBetterThanChance,
                label: "Co-clustering"),
            new("svd", AlgorithmKind.RatingPredictor,
                "Biased matrix factorisation by SGD with Surprise's SVD defaults (Koren, Bell & Volinsky 2009, \"Matrix factorization techniques for recommender systems\").",
                SvdOptionsOf(SvdOptions.Default), o => new Svd(SvdFrom(o, SvdOptions.Default)),
                AlgorithmPersistence.Saved(Svd.Restore, FactorArrays),
                label: "SVD",
                notForNewUsers: PredictsStarsNotPicks),
            new("svd-tuned", AlgorithmKind.RatingPredictor,
                "Our tuned SVD preset: 100 epochs at a decaying learning rate, per-parameter regularisation (grid-searched on ml-latest-small; Koren, Bell & Volinsky 2009).",
                SvdOptionsOf(SvdOptions.Tuned), o => new Svd(SvdFrom(o, SvdOptions.Tuned), "svd-tuned"),
                AlgorithmPersistence.Saved(Svd.Restore, FactorArrays),
                label: "SVD (tuned)",
                notForNewUsers: PredictsStarsNotPicks),
            new("svdpp", AlgorithmKind.RatingPredictor,
                "SVD++: biased matrix factorisation with implicit feedback from the rated items, Surprise's SVDpp defaults (Koren 2008, \"Factorization meets the neighborhood\").",
                SvdPlusPlusOptionsOf(), o => new SvdPlusPlus(SvdPlusPlusFrom(o)),
                AlgorithmPersistence.Saved(SvdPlusPlus.Restore, FactorArrays + "; SVD++'s implicit factors y"),
                label: "SVD++",
                notForNewUsers: PredictsStarsNotPicks),
            new("nmf", AlgorithmKind.RatingPredictor,
                "Non-negative matrix factorisation by regularised multiplicative updates, Surprise's NMF defaults (Luo et al. 2014).",
                NmfOptionsOf(), o => new Nmf(NmfFrom(o)),
                AlgorithmPersistence.Saved(Nmf.Restore, FactorArrays),
                notServable: NoBetterThanChance,
                label: "NMF"),
            new("popularity", AlgorithmKind.Ranker,
                "Most popular items by training rating count, or by Bayesian-average rating (Cremonesi, Koren & Turrin 2010, \"Performance of recommender algorithms on top-N recommendation tasks\").",
                [
                    AlgorithmOption.Choice("measure", "count", ["count", "bayesian"], "rating count, or the Bayesian average (m μ + Σ r) / (m + n)"),
                    AlgorithmOption.Number("prior", new PopularityOptions().PriorCount, "m, the prior weight of μ in the Bayesian average") with { Property = nameof(PopularityOptions.PriorCount) },
                    BlendOption,
                ],
                o => Blend(o, new PopularityRanker(new PopularityOptions
                {
                    Measure = o.Choice("measure") == "count" ? PopularityMeasure.Count : PopularityMeasure.BayesianAverage,
                    PriorCount = o.Number("prior"),
                })),
                AlgorithmPersistence.Saved(PopularityRanker.Restore, "the item scores and each user's rated items" + BlendLayout),
                label: "Most popular",
                notForNewUsers: SameListForEveryone),
            new("ease", AlgorithmKind.Ranker,
                "EASE, the closed-form shallow autoencoder B = I − P diag(1/diag P), P = (XᵀX + λI)⁻¹ (Steck 2019, \"Embarrassingly shallow autoencoders for sparse data\").",
                [.. EaseOptionsOf(), AlgorithmOption.Choice("input", "binary", ["binary", "rating"], "x_ui = 1 for every rating (implicit), or the rating value"), BlendOption],
                o => Blend(o, new Ease(EaseFrom(o) with { Input = o.Choice<EaseInput>("input") })),
                AlgorithmPersistence.Saved(Ease.Restore, "B over the modelled items, the model index → item map and each user's ratings" + BlendLayout),
                label: "EASE"),
            new("ials", AlgorithmKind.Ranker,
                "Implicit-feedback ALS with confidence weights (Hu, Koren & Volinsky 2008, \"Collaborative filtering for implicit feedback datasets\"), conjugate-gradient solves (Takács, Pilászy & Tikk 2011).",
                IalsOptionsOf(), o => Blend(o, new ImplicitAls(IalsFrom(o))),
                AlgorithmPersistence.Saved(ImplicitAls.Restore, "user and item factors (YᵀY is recomputed at load) and each user's rated items" + BlendLayout),
                label: "iALS"),
            new("item-knn", AlgorithmKind.Ranker,
                "Item-based top-N kNN: the sum of the cosine similarities of the rated items' nearest neighbours (Deshpande & Karypis 2004, \"Item-based top-N recommendation algorithms\").",
                [
                    AlgorithmOption.Int("k", new ItemKnnRankerOptions().Neighbors, "neighbours kept per item", "neighbors") with { Property = nameof(ItemKnnRankerOptions.Neighbors) },
                    AlgorithmOption.Choice("vectors", "binary", ["binary", "mean-centred"], "item vectors: 1 per rating, or user-mean-centred ratings (adjusted cosine)"),
                    AlgorithmOption.Bool("normalize", false, "scale each item's kept similarities to sum to 1") with { Property = nameof(ItemKnnRankerOptions.NormalizeRows) },
                    BlendOption,
                ],
                o => Blend(o, new ItemKnnRanker(new ItemKnnRankerOptions
                {
                    Neighbors = o.Int("k"),
                    Vectors = o.Choice<ItemVectors>("vectors"),
                    NormalizeRows = o.Bool("normalize"),
                })),
                AlgorithmPersistence.Saved(ItemKnnRanker.Restore, "the neighbour lists (CSR offsets, items, similarities) and each user's rated items" + BlendLayout),
                aliases: ["knn"],
                label: "Item kNN"),
            new("sequential", AlgorithmKind.Ranker,
                "Sequence-aware item co-occurrence over time-ordered histories: what people rate within a window after (or before) a movie, scored from the user's latest ratings (sequential rules, Ludewig & Jannach 2018).",
                SequentialOptionsOf(), o => Blend(o, new SequentialCooccurrence(SequentialFrom(o))),
                AlgorithmPersistence.Saved(SequentialCooccurrence.Restore, "the transition rows (CSR) and each user's chronological history" + BlendLayout),
                label: "What comes next"),
            new("ease-recency", AlgorithmKind.Ranker,
                "EASE (Steck 2019) scoring a recency-weighted history (time-decay weights 2^(−age/half-life), Ding & Li 2005) with a popularity fallback for items outside its model (Cremonesi, Koren & Turrin 2010).",
                [
                    AlgorithmOption.Number("half-life", DefaultHalfLife, "recency half-life in ratings (0: no recency weighting, EASE on binary input)"),
                    AlgorithmOption.Number("floor", DefaultFloor, "share of weight every rating keeps however old, in [0, 0.99]"),
                    .. EaseOptionsOf(),
                ],
                EaseRecency,
                AlgorithmPersistence.SavedAsParts("saved as popularity-fallback (the fallback popularity) over recency-weighted (the chronological histories) over ease (its arrays)"),
                label: "EASE, recent taste"),
            new("content", AlgorithmKind.Ranker,
                "Content-based top-N a person would pick: the content affinity of the liked movies (cast top 3, director, genres, keywords, overview words, decade; their distinctive features, Rocchio-style) plus familiarity (log ratings), quality (IMDb-style weighted rating) and era (Lops, de Gemmis & Semeraro 2011, \"Content-based recommender systems\").",
                [
                    AlgorithmOption.Number("similarity-weight", new ContentRecommenderOptions().SimilarityWeight, "weight of the content affinity cos(movie, taste profile)"),
                    AlgorithmOption.Number("familiarity-weight", new ContentRecommenderOptions().FamiliarityWeight, "weight of the z-score of log(1 + ratings)"),
                    AlgorithmOption.Number("quality-weight", new ContentRecommenderOptions().QualityWeight, "weight of the z-score of the vote-weighted rating"),
                    AlgorithmOption.Number("year-weight", new ContentRecommenderOptions().YearWeight, "weight of the era term (release years near the liked movies')"),
                    AlgorithmOption.Number("year-width", new ContentRecommenderOptions().YearWidth, "σ of the era term, in years"),
                ],
                o => new ContentRecommender(new ContentRecommenderOptions
                {
                    SimilarityWeight = o.Number("similarity-weight"),
                    FamiliarityWeight = o.Number("familiarity-weight"),
                    QualityWeight = o.Number("quality-weight"),
                    YearWeight = o.Number("year-weight"),
                    YearWidth = o.Number("year-width"),
                }),
                AlgorithmPersistence.Saved(ContentRecommender.Restore, "the item content vectors and vocabulary, the mean liked vector, each movie's prior (familiarity and quality) and release year, and each user's ratings: scoring needs no catalogue"),
                needsCatalog: true,
                label: "Content"),
            new("hybrid", AlgorithmKind.Ranker,
                "Weighted hybrid of a collaborative model, content similarity and popularity, each z-scored per user, with \"because you liked\" explanations (Burke 2002, \"Hybrid recommender systems: survey and experiments\").",
                [
                    AlgorithmOption.Text("collaborative", "ease", "the collaborative part: a catalogue algorithm (at its defaults) that does not need the catalogue"),
                    AlgorithmOption.Number("cf-weight", new HybridOptions().CollaborativeWeight, "weight of the collaborative z-score") with { Property = nameof(HybridOptions.CollaborativeWeight) },
                    AlgorithmOption.Number("content-weight", new HybridOptions().ContentWeight, "weight of the content z-score (0.05: tuned on ml-latest-small leave-latest-out NDCG@10)"),
                    AlgorithmOption.Number("popularity-weight", new HybridOptions().PopularityWeight, "weight of the log-popularity z-score"),
                ],
                o => new HybridRecommender(Collaborative(o.Text("collaborative")), new HybridOptions
                {
                    CollaborativeWeight = o.Number("cf-weight"),
                    ContentWeight = o.Number("content-weight"),
                    PopularityWeight = o.Number("popularity-weight"),
                }),
                AlgorithmPersistence.Saved(HybridRecommender.Restore, "the popularity, the collaborative model's arrays and the content part's neighbour index and ratings (nested), the weights: scoring needs no catalogue, explanations need a fitted hybrid"),
                needsCatalog: true,
                label: "Hybrid"),
            new("kmeans", AlgorithmKind.Ranker,
                "K-Means clusters of users by the movies they like (Lloyd 1982; k-means++ seeding, Arthur & Vassilvitskii 2007; clustering for recommendation: Ungar & Foster 1998): a user is placed softly over the clusters and gets what people like them like, ranked by their own genre taste.",
                [
                    AlgorithmOption.Int("k", UserClusters.DefaultK, "clusters"),
                    AlgorithmOption.Int("restarts", new KMeansOptions().Restarts, "independent k-means++ restarts; the lowest inertia wins"),
                    AlgorithmOption.Int("max-iterations", new KMeansOptions().MaxIterations, "Lloyd iterations per restart at most"),
                    AlgorithmOption.Number("temperature", new UserClustersOptions().Temperature, "softness T of the assignment w_c ∝ exp(cos(user, centroid_c) / T)"),
                    AlgorithmOption.Number("smoothing", new UserClustersOptions().Smoothing, "pseudo-users pulling a cluster's like rate towards everyone's"),
                    AlgorithmOption.Number("taste-weight", new UserClustersOptions().TasteWeight, "weight of the user's own genre log-lift against the log of the clusters' like rate"),
                    AlgorithmOption.Int("min-likes", new UserClustersOptions().MinimumLikes, "movies liked by at least this many users are the clustering's dimensions") with { Property = nameof(UserClustersOptions.MinimumLikes) },
                    AlgorithmOption.Int("max-dimensions", new UserClustersOptions().MaxDimensions, "at most this many dimensions (the most liked movies)"),
                ],
                o => new UserClusters(new KMeansOptions { K = o.Int("k"), Restarts = o.Int("restarts"), MaxIterations = o.Int("max-iterations") }, new UserClustersOptions
                {
                    Temperature = o.Number("temperature"),
                    Smoothing = o.Number("smoothing"),
                    TasteWeight = o.Number("taste-weight"),
                    MinimumLikes = o.Int("min-likes"),
                    MaxDimensions = o.Int("max-dimensions"),
                }),
                AlgorithmPersistence.Saved(UserClusters.Restore, "the centroids, each user's cluster, the clusters' like rates, each movie's genres and everyone's genre shares, the cluster names and descriptions, and each user's ratings: scoring and describing need no catalogue"),
                needsCatalog: true,
                label: "K-Means cluster"),
            new("best", AlgorithmKind.RatingPredictor,
                "Our most accurate rating model: a ridge-stacked, support-weighted blend of svd-tuned, svdpp, item and user knn-baseline, slope-one and baseline, fitted on out-of-fold predictions (Töscher, Jahrer & Bell 2009; Sill et al. 2009).",
                [
                    AlgorithmOption.Number("holdout", new RatingBlendOptions { Members = [] }.HoldoutFraction, "share of the training ratings held out to fit the weights when folds=0") with { Property = nameof(RatingBlendOptions.HoldoutFraction) },
                    AlgorithmOption.Number("ridge", new RatingBlendOptions { Members = [] }.Ridge, "ridge penalty on the blend weights"),
                    AlgorithmOption.Int("folds", DefaultFolds, "fit the weights on K-fold out-of-fold predictions (0: one holdout)"),
                    AlgorithmOption.Bool("support-features", new RatingBlendOptions { Members = [] }.SupportFeatures, "let the weights vary with the user's and item's log rating counts"),
                ],
                o => new RatingBlend(new RatingBlendOptions
                {
                    Members = [.. BestMembers.Select(m => (Func<IRatingPredictor>)(() => (IRatingPredictor)Create(m.Algorithm, m.Parameters)))],
                    HoldoutFraction = o.Number("holdout"),
                    Ridge = o.Number("ridge"),
                    Folds = o.Int("folds"),
                    SupportFeatures = o.Bool("support-features"),
                }),
                AlgorithmPersistence.Saved(RatingBlend.Restore, "the six members' arrays (nested), the learnt weights and each user's rated items"),
                notServable: "training fits its six members once per fold and once more on everything (36 fits: 20 s and a 2 GB peak on ml-latest-small with 2 cores), and every request folds the user into all six",
                label: "Best rating blend"),
            new("taste", AlgorithmKind.Ranker,
                "Ranking for someone who rates a handful of movies: candidates from EASE, iALS and quality, re-ordered by a learnt linear function of the members' scores, content affinity, quality, familiarity, genre fit, era, release year and closeness to what the person disliked (BPR's pairwise criterion, Rendle et al. 2009, learnt on training users simulated as new users, per bucket of evidence), with a cap on the share of the most-rated movies.",
                [
                    AlgorithmOption.Int("candidates", new TasteRankerOptions().Candidates, "movies the learnt ranking re-orders"),
                    AlgorithmOption.Text("given", "1,2,3,5,10,20", "ratings each simulated new user gives while learning (comma-separated counts)"),
                    AlgorithmOption.Number("simulated-users", new TasteRankerOptions().SimulatedUsers, "share of training users simulated as new users"),
                    AlgorithmOption.Int("max-simulated-users", new TasteRankerOptions().MaxSimulatedUsers, "at most this many training users simulated, whatever the share"),
                    AlgorithmOption.Int("min-ratings", new TasteRankerOptions().MinRatings, "ratings a simulated user needs"),
                    AlgorithmOption.Int("pairs", new TasteRankerOptions().Pairs, "preference pairs per simulated user and count given"),
                    AlgorithmOption.Number("l2", new TasteRankerOptions().L2, "L2 penalty of the pairwise logistic regression"),
                    AlgorithmOption.Number("popular-share", new TasteRankerOptions().PopularShare, "at most this share of a list from the most-rated movies (1 = no limit)"),
                    AlgorithmOption.Int("most-rated", new TasteRankerOptions().MostRated, "how many most-rated movies the share counts"),
                    AlgorithmOption.Bool("learn-from-random", new TasteRankerOptions().LearnFromRandom, "simulated users also give random ratings (low ones included)"),
                    AlgorithmOption.Number("dislike-weight", new TasteRankerOptions().DislikeWeight, "the least weight against closeness (rating similarity, genres) to a disliked movie"),
                    AlgorithmOption.Number("genre-weight", new TasteRankerOptions().GenreWeight, "the least weight on genre fit to the liked movies"),
                    AlgorithmOption.Number("theme-weight", new TasteRankerOptions().ThemeWeight, "the least weight on theme fit (recurring keywords, directors, lead actors of the liked movies)"),
                ],
                o => new TasteRanker(new TasteRankerOptions
                {
                    Candidates = o.Int("candidates"),
                    Given = ParseCounts(o.Text("given"), "given"),
                    SimulatedUsers = o.Number("simulated-users"),
                    MaxSimulatedUsers = o.Int("max-simulated-users"),
                    MinRatings = o.Int("min-ratings"),
                    Pairs = o.Int("pairs"),
                    L2 = o.Number("l2"),
                    PopularShare = o.Number("popular-share"),
                    MostRated = o.Int("most-rated"),
                    LearnFromRandom = o.Bool("learn-from-random"),
                    DislikeWeight = o.Number("dislike-weight"),
                    GenreWeight = o.Number("genre-weight"),
                    ThemeWeight = o.Number("theme-weight"),
                }),
                AlgorithmPersistence.Saved(TasteRanker.Restore, "the learnt weights per bucket of evidence, the EASE, iALS and content members' arrays (nested), the training ratings with timestamps and each movie's release year and genres: scoring needs no catalogue"),
                label: "Your taste"),
            new("best-ranking", AlgorithmKind.Ranker,
                "Our best top-N model for the next movie: a learnt stack (pairwise logistic regression, BPR's criterion; Rendle et al. 2009) of ease-recency, item-knn, ials and four sequential members, with popularity, trending, release-age and genre features (the last two from the catalogue when there is one).",
                [
                    AlgorithmOption.Int("levels", new StackedRankerOptions().Levels, "next-rating targets per user that train the weights"),
                    AlgorithmOption.Int("negatives", new StackedRankerOptions().Negatives, "unrated movies drawn per target"),
                    AlgorithmOption.Number("l2", new StackedRankerOptions().L2, "L2 penalty of the pairwise logistic regression"),
                    AlgorithmOption.Number("trending-days", new StackedRankerOptions().TrendingDays, "days before a user's latest rating that count as trending"),
                ],
                BestRanking,
                AlgorithmPersistence.Saved(StackedRanker.Restore, "the seven members' arrays (nested), the learnt weights, the training ratings with timestamps and each movie's release year and genres"),
                label: "Best ranking"),
        };
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            foreach (var name in entry.Aliases.Prepend(entry.Name))
            {
                if (!names.Add(name)) throw new InvalidOperationException($"The algorithm name '{name}' is in the catalogue twice.");
            }
        }
        return entries;
    }

    // ---- shared pieces ----

    private const string FactorArrays = "biases, user vectors, item factors, known flags and each user's training ratings";

    private const string BlendLayout = "; with blend > 0 saved as popularity-blend: the popularity ranks, then these arrays";

    private static readonly AlgorithmOption SurpriseIntRatings = AlgorithmOption.Bool("surprise-int-ratings", false,
        "reproduce Surprise's truncation of half-star ratings to integers (its published RMSE)");

    private static readonly AlgorithmOption BlendOption = AlgorithmOption.Number("blend", 0.0,
        "w in [0, 1]: blend this share of popularity rank into the ranking (Harper & Konstan 2015); 0 = off") with
    { Property = nameof(PopularityBlendOptions.Weight) };

    private static IRecommender Blend(OptionValues o, IRecommender model)
    {
        double w = o.Number("blend");
        return w == 0 ? model : new PopularityBlend(model, new PopularityBlendOptions { Weight = w });
    }

    // ---- baselines and k-NN (Surprise's bsl_options and sim_options, flattened) ----

    private static AlgorithmOption[] BaselineOptionsOf(BaselineOptions d) =>
    [
        AlgorithmOption.Int("epochs", d.Epochs, "baseline epochs", "n_epochs"),
        AlgorithmOption.Number("reg-u", d.RegUser, "ALS: regularisation of the user biases") with { Property = nameof(BaselineOptions.RegUser) },
        AlgorithmOption.Number("reg-i", d.RegItem, "ALS: regularisation of the item biases") with { Property = nameof(BaselineOptions.RegItem) },
        AlgorithmOption.Number("reg", d.Reg, "SGD: regularisation of both biases"),
        AlgorithmOption.Number("learning-rate", d.LearningRate, "SGD: learning rate"),
    ];

    private static BaselineOptions Baseline(OptionValues o, BaselineMethod method)
    {
        var d = method == BaselineMethod.Als ? BaselineOptions.Als : BaselineOptions.Sgd;
        return d with
        {
            Epochs = o.OptionalInt("epochs") ?? d.Epochs,
            RegUser = o.Number("reg-u"),
            RegItem = o.Number("reg-i"),
            Reg = o.Number("reg"),
            LearningRate = o.Number("learning-rate"),
        };
    }

    private static AlgorithmEntry Knn(string name, string description, Func<KnnOptions, KnnAlgorithm> create)
    {
        var d = new KnnOptions();
        var b = BaselineOptions.Als;
        return new AlgorithmEntry(name, AlgorithmKind.RatingPredictor, description,
            [
                AlgorithmOption.Int("k", d.K, "the most neighbours a prediction aggregates"),
                AlgorithmOption.Int("min-k", d.MinK, "fewer neighbours than this: no neighbourhood term"),
                AlgorithmOption.Choice("sim", "msd", ["msd", "cosine", "pearson", "pearson-baseline", "euclidean"], "similarity measure (Surprise's sim_options name)"),
                AlgorithmOption.Bool("user-based", d.Similarity.UserBased, "similarities between users (true) or items (false)"),
                AlgorithmOption.Int("min-support", d.Similarity.MinSupport, "pairs with fewer common ratings get similarity 0"),
                AlgorithmOption.Number("shrinkage", d.Similarity.Shrinkage, "pearson-baseline's shrinkage"),
                AlgorithmOption.Choice("bsl-method", "als", ["als", "sgd"], "how the baselines (knn-baseline, pearson-baseline) are fitted"),
                AlgorithmOption.OptionalInt("epochs", "baseline epochs (default: 10 for als, 20 for sgd)", "n_epochs"),
                AlgorithmOption.Number("reg-u", b.RegUser, "ALS baselines: regularisation of the user biases") with { Property = nameof(BaselineOptions.RegUser) },
                AlgorithmOption.Number("reg-i", b.RegItem, "ALS baselines: regularisation of the item biases") with { Property = nameof(BaselineOptions.RegItem) },
                AlgorithmOption.Number("reg", b.Reg, "SGD baselines: regularisation"),
                AlgorithmOption.Number("learning-rate", b.LearningRate, "SGD baselines: learning rate"),
            ],
            o => create(new KnnOptions
            {
                K = o.Int("k"),
                MinK = o.Int("min-k"),
                Similarity = new SimilarityOptions
                {
                    Measure = Similarities.Parse(o.Choice("sim"), "sim"),
                    UserBased = o.Bool("user-based"),
                    MinSupport = o.Int("min-support"),
                    Shrinkage = o.Number("shrinkage"),
                },
                Baseline = Baseline(o, o.Choice("bsl-method") == "als" ? BaselineMethod.Als : BaselineMethod.Sgd),
            }),
            AlgorithmPersistence.Saved(c => KnnAlgorithm.Restore(c, create),
                "the training ratings (user-based fold-in compares a new user with every training user), the positive similarities above the diagonal and the diagonal (all a prediction reads, Zstandard-compressed losslessly: item-based msd on ml-latest-small about 19 MB, pearson-baseline about 12 MB) and the baselines when used"),
            notServable: NotServableRatingKnn, label: name);
    }

    // ---- matrix factorisation (Surprise's names as aliases) ----

    private static AlgorithmOption[] SgdCommonOptions(int factors, int epochs, double initMean, double initStd, double lrAll, double regAll, double decay, double foldInReg, double foldInPrior) =>
    [
        AlgorithmOption.Int("factors", factors, "latent factors", "n_factors"),
        AlgorithmOption.Int("epochs", epochs, "SGD epochs", "n_epochs"),
        AlgorithmOption.Number("init-mean", initMean, "mean of the N(init-mean, init-std²) initial factors"),
        AlgorithmOption.Number("init-std", initStd, "standard deviation of the initial factors", "init_std_dev"),
        AlgorithmOption.Number("lr-all", lrAll, "learning rate of every parameter"),
        AlgorithmOption.Number("reg-all", regAll, "regularisation of every parameter"),
        AlgorithmOption.Number("lr-decay", decay, "every learning rate is multiplied by this after each epoch (1: constant, Surprise's behaviour)"),
        AlgorithmOption.Number("fold-in-reg", foldInReg, "ridge λ per rating of the fold-in solve"),
        AlgorithmOption.Number("fold-in-prior", foldInPrior, "prior strength of the fold-in, in ratings: a new user's bias and factors are shrunk as if they had this many more ratings at the population's mean"),
    ];

    private static AlgorithmOption PerParameter(string name, double? preset, string what) =>
        AlgorithmOption.Number(name, preset, $"{what} (default: {(name.StartsWith("lr", StringComparison.Ordinal) ? "lr-all" : "reg-all")}{(preset is null ? "" : " when that is given")})");

    private static AlgorithmOption[] SvdOptionsOf(SvdOptions d) =>
    [
        .. SgdCommonOptions(d.Factors, d.Epochs, d.InitMean, d.InitStdDev, d.LrAll, d.RegAll, d.LearningRateDecay, d.FoldInRegularization, d.FoldInPrior),
        AlgorithmOption.Bool("biased", d.Biased, "with the μ + b_u + b_i terms"),
        PerParameter("lr-bu", d.LrBu, "learning rate of b_u"),
        PerParameter("lr-bi", d.LrBi, "learning rate of b_i"),
        PerParameter("lr-pu", d.LrPu, "learning rate of p_u"),
        PerParameter("lr-qi", d.LrQi, "learning rate of q_i"),
        PerParameter("reg-bu", d.RegBu, "regularisation of b_u"),
        PerParameter("reg-bi", d.RegBi, "regularisation of b_i"),
        PerParameter("reg-pu", d.RegPu, "regularisation of p_u"),
        PerParameter("reg-qi", d.RegQi, "regularisation of q_i"),
    ];

    /// <summary>
    /// SVD options from <paramref name="preset"/>. A given lr-all (reg-all) resets the preset's per-parameter learning
    /// rates (regularisations), so "svd-tuned lr-all=0.02" means 0.02 everywhere; a given per-parameter value wins.
    /// </summary>
    private static SvdOptions SvdFrom(OptionValues o, SvdOptions preset)
    {
        bool lrAll = o.IsSet("lr-all"), regAll = o.IsSet("reg-all");
        double? Lr(string name, double? fromPreset) => o.IsSet(name) ? o.OptionalNumber(name) : lrAll ? null : fromPreset;
        double? Reg(string name, double? fromPreset) => o.IsSet(name) ? o.OptionalNumber(name) : regAll ? null : fromPreset;
        var options = preset with
        {
            Factors = o.Int("factors"),
            Epochs = o.Int("epochs"),
            Biased = o.Bool("biased"),
            InitMean = o.Number("init-mean"),
            InitStdDev = o.Number("init-std"),
            LrAll = o.Number("lr-all"),
            RegAll = o.Number("reg-all"),
            LearningRateDecay = o.Number("lr-decay"),
            FoldInRegularization = o.Number("fold-in-reg"),
            FoldInPrior = o.Number("fold-in-prior"),
            LrBu = Lr("lr-bu", preset.LrBu),
            LrBi = Lr("lr-bi", preset.LrBi),
            LrPu = Lr("lr-pu", preset.LrPu),
            LrQi = Lr("lr-qi", preset.LrQi),
            RegBu = Reg("reg-bu", preset.RegBu),
            RegBi = Reg("reg-bi", preset.RegBi),
            RegPu = Reg("reg-pu", preset.RegPu),
            RegQi = Reg("reg-qi", preset.RegQi),
        };
        options.Validate();
        return options;
    }

    private static AlgorithmOption[] SvdPlusPlusOptionsOf()
    {
        var d = SvdPlusPlusOptions.Default;
        return
        [
            .. SgdCommonOptions(d.Factors, d.Epochs, d.InitMean, d.InitStdDev, d.LrAll, d.RegAll, d.LearningRateDecay, d.FoldInRegularization, d.FoldInPrior),
            AlgorithmOption.Bool("exact", d.ExactUpdates, "Surprise's SVDpp: every y_j moves after each rating; false: a different, approximate algorithm that moves y once per user per epoch") with { Property = nameof(SvdPlusPlusOptions.ExactUpdates) },
            PerParameter("lr-bu", null, "learning rate of b_u"),
            PerParameter("lr-bi", null, "learning rate of b_i"),
            PerParameter("lr-pu", null, "learning rate of p_u"),
            PerParameter("lr-qi", null, "learning rate of q_i"),
            PerParameter("lr-yj", null, "learning rate of y_j"),
            PerParameter("reg-bu", null, "regularisation of b_u"),
            PerParameter("reg-bi", null, "regularisation of b_i"),
            PerParameter("reg-pu", null, "regularisation of p_u"),
            PerParameter("reg-qi", null, "regularisation of q_i"),
            PerParameter("reg-yj", null, "regularisation of y_j"),
        ];
    }

    private static SvdPlusPlusOptions SvdPlusPlusFrom(OptionValues o)
    {
        var options = SvdPlusPlusOptions.Default with
        {
            Factors = o.Int("factors"),
            Epochs = o.Int("epochs"),
            InitMean = o.Number("init-mean"),
            InitStdDev = o.Number("init-std"),
            LrAll = o.Number("lr-all"),
            RegAll = o.Number("reg-all"),
            LearningRateDecay = o.Number("lr-decay"),
            ExactUpdates = o.Bool("exact"),
            FoldInRegularization = o.Number("fold-in-reg"),
            FoldInPrior = o.Number("fold-in-prior"),
            LrBu = o.OptionalNumber("lr-bu"),
            LrBi = o.OptionalNumber("lr-bi"),
            LrPu = o.OptionalNumber("lr-pu"),
            LrQi = o.OptionalNumber("lr-qi"),
            LrYj = o.OptionalNumber("lr-yj"),
            RegBu = o.OptionalNumber("reg-bu"),
            RegBi = o.OptionalNumber("reg-bi"),
            RegPu = o.OptionalNumber("reg-pu"),
            RegQi = o.OptionalNumber("reg-qi"),
            RegYj = o.OptionalNumber("reg-yj"),
        };
        options.Validate();
        return options;
    }

    private static AlgorithmOption[] NmfOptionsOf()
    {
        var d = NmfOptions.Default;
        return
        [
            AlgorithmOption.Int("factors", d.Factors, "latent factors", "n_factors"),
            AlgorithmOption.Int("epochs", d.Epochs, "multiplicative-update epochs", "n_epochs"),
            AlgorithmOption.Bool("biased", d.Biased, "with the μ + b_u + b_i terms (fitted by SGD)"),
            AlgorithmOption.Number("reg-pu", d.RegPu, "regularisation of the user factors"),
            AlgorithmOption.Number("reg-qi", d.RegQi, "regularisation of the item factors"),
            AlgorithmOption.Number("reg-bu", d.RegBu, "regularisation of b_u (biased)"),
            AlgorithmOption.Number("reg-bi", d.RegBi, "regularisation of b_i (biased)"),
            AlgorithmOption.Number("lr-bu", d.LrBu, "learning rate of b_u (biased)"),
            AlgorithmOption.Number("lr-bi", d.LrBi, "learning rate of b_i (biased)"),
            AlgorithmOption.Number("init-low", d.InitLow, "lower bound of the uniform initial factors"),
            AlgorithmOption.Number("init-high", d.InitHigh, "upper bound of the uniform initial factors"),
        ];
    }

    private static NmfOptions NmfFrom(OptionValues o)
    {
        var options = NmfOptions.Default with
        {
            Factors = o.Int("factors"),
            Epochs = o.Int("epochs"),
            Biased = o.Bool("biased"),
            RegPu = o.Number("reg-pu"),
            RegQi = o.Number("reg-qi"),
            RegBu = o.Number("reg-bu"),
            RegBi = o.Number("reg-bi"),
            LrBu = o.Number("lr-bu"),
            LrBi = o.Number("lr-bi"),
            InitLow = o.Number("init-low"),
            InitHigh = o.Number("init-high"),
        };
        options.Validate();
        return options;
    }

    // ---- ranking models ----

    private static AlgorithmOption[] EaseOptionsOf()
    {
        var d = new EaseOptions();
        return
        [
            AlgorithmOption.Number("lambda", d.Lambda, "L2 regularisation λ added to the Gram matrix's diagonal"),
            AlgorithmOption.Int("min-count", d.MinItemCount, "only items with at least this many training ratings enter the dense model") with { Property = nameof(EaseOptions.MinItemCount) },
            AlgorithmOption.Int("max-items", d.MaxItems, "at most this many items (the most rated) enter the dense model"),
            AlgorithmOption.Int("keep-per-row", d.KeepPerRow, "B keeps its n × this many largest weights (0: all)"),
        ];
    }

    private static EaseOptions EaseFrom(OptionValues o) => new()
    {
        Lambda = o.Number("lambda"),
        MinItemCount = o.Int("min-count"),
        MaxItems = o.Int("max-items"),
        KeepPerRow = o.Int("keep-per-row"),
    };

    private static AlgorithmOption[] IalsOptionsOf()
    {
        var d = new ImplicitAlsOptions();
        return
        [
            AlgorithmOption.Int("factors", d.Factors, "latent factors"),
            AlgorithmOption.Number("reg", d.Regularization, "L2 regularisation λ of user and item factors") with { Property = nameof(ImplicitAlsOptions.Regularization) },
            AlgorithmOption.Number("alpha", d.Alpha, "confidence slope α"),
            AlgorithmOption.Number("epsilon", d.Epsilon, "ε of the log confidence"),
            AlgorithmOption.Choice("confidence", "linear", ["linear", "log"], "c = 1 + α r, or 1 + α log(1 + r / ε)"),
            AlgorithmOption.Bool("use-ratings", d.UseRatingValues, "r in the confidence is the rating value (else 1 for every rating)") with { Property = nameof(ImplicitAlsOptions.UseRatingValues) },
            AlgorithmOption.Int("epochs", d.Epochs, "alternating epochs"),
            AlgorithmOption.Choice("solver", "cg", ["cg", "cholesky"], "a few conjugate-gradient steps, or the exact Cholesky solve"),
            AlgorithmOption.Int("cg-steps", d.CgSteps, "conjugate-gradient steps per solve"),
            AlgorithmOption.Number("init-std", d.InitStd, "standard deviation of the N(0, σ²) initial factors"),
            BlendOption,
        ];
    }

    private static ImplicitAlsOptions IalsFrom(OptionValues o) => new()
    {
        Factors = o.Int("factors"),
        Regularization = o.Number("reg"),
        Alpha = o.Number("alpha"),
        Epsilon = o.Number("epsilon"),
        Confidence = o.Choice<ConfidenceScaling>("confidence"),
        UseRatingValues = o.Bool("use-ratings"),
        Epochs = o.Int("epochs"),
        Solver = o.Choice("solver") == "cg" ? AlsSolver.ConjugateGradient : AlsSolver.Cholesky,
        CgSteps = o.Int("cg-steps"),
        InitStd = o.Number("init-std"),
    };

    private static AlgorithmOption[] SequentialOptionsOf()
    {
        var d = new SequentialOptions();
        return
        [
            AlgorithmOption.Int("window", d.Window, "pairs of ratings at most this many positions apart count"),
            AlgorithmOption.Number("decay", d.Decay, "a pair d positions apart adds decay^(d−1), in (0, 1]"),
            AlgorithmOption.Number("backward", d.Backward, "weight of the backward direction against the forward one"),
            AlgorithmOption.Int("history", d.History, "the user's latest ratings that score the candidates"),
            AlgorithmOption.Number("history-decay", d.HistoryDecay, "the k-th most recent rating weighs history-decay^k"),
            AlgorithmOption.Number("normalization", d.Normalization, "each row is divided by n^normalization (n: the anchor's ratings)"),
            AlgorithmOption.Int("max-neighbors", d.MaxNeighbors, "neighbours kept per item, the strongest"),
            BlendOption,
        ];
    }

    private static SequentialOptions SequentialFrom(OptionValues o) => new()
    {
        Window = o.Int("window"),
        Decay = o.Number("decay"),
        Backward = o.Number("backward"),
        History = o.Int("history"),
        HistoryDecay = o.Number("history-decay"),
        Normalization = o.Number("normalization"),
        MaxNeighbors = o.Int("max-neighbors"),
    };

    /// <summary>
    /// Default recency half-life of <c>ease-recency</c>, in ratings. With <see cref="DefaultFloor"/> it lifts
    /// ml-latest-small leave-latest-out HR@10 from EASE's 0.090 to 0.116 and sampled HR@10 from 0.720 to 0.723
    /// (half-life 10 without a floor: 0.116 and 0.685; half-life 5, floor 0.05: 0.125 and 0.708).
    /// </summary>
    public const double DefaultHalfLife = 5;

    /// <summary>Default share of weight every rating keeps however old (so long-term taste still counts).</summary>
    public const double DefaultFloor = 0.1;

    private static FallbackRanker EaseRecency(OptionValues o)
    {
        double halfLife = o.Number("half-life");
        OptionChecks.NonNegative(halfLife, "half-life");
        var ease = EaseFrom(o);
        if (halfLife == 0) return new FallbackRanker(new Ease(ease), "ease-recency");
        // The recency weights are the query's values, so EASE scores from rating values.
        return new FallbackRanker(new RecencyWeightedRanker(new Ease(ease with { Input = EaseInput.Rating }), halfLife, o.Number("floor")), "ease-recency");
    }

    private static IRecommender Collaborative(string name)
    {
        var entry = Get(name);
        if (entry.NeedsCatalog)
            throw new ArgumentException($"hybrid: collaborative must be a collaborative algorithm, not {entry.Name}.", "collaborative");
        return entry.Create();
    }

    // ---- the stacks ----

    /// <summary>
    /// <c>best</c> fits its blend weights on 5-fold out-of-fold predictions (0.8304 vs 0.8318 5-fold RMSE with a 10 %
    /// holdout on ml-latest-small); folds=0 falls back to the holdout.
    /// </summary>
    public const int DefaultFolds = 5;

    /// <summary>
    /// The members of <c>best</c>: diverse, individually strong rating models whose errors are only partly
    /// correlated (factor models, item and user neighbourhoods on baseline residuals, Slope One, the baseline).
    /// Every setting is a size-independent default, so the blend carries over to other MovieLens sizes.
    /// </summary>
    public static IReadOnlyList<(string Algorithm, AlgorithmParameters Parameters)> BestMembers { get; } =
    [
        ("svd-tuned", AlgorithmParameters.Empty),
        ("svdpp", AlgorithmParameters.Empty),
        ("knn-baseline", Params(("sim", "pearson-baseline"), ("user-based", "false"), ("k", "40"))),
        ("knn-baseline", Params(("sim", "pearson-baseline"), ("user-based", "true"), ("k", "40"))),
        ("slope-one", AlgorithmParameters.Empty),
        ("baseline", AlgorithmParameters.Empty),
    ];

    /// <summary>
    /// The sequence members of <c>best-ranking</c>: (window, decay, backward, history) from the immediate successor to
    /// the last 20 ratings; each captures a different reach of "what comes next".
    /// </summary>
    public static IReadOnlyList<SequentialOptions> BestRankingSequences { get; } =
    [
        new() { Window = 5, Decay = 0.8, Backward = 1, History = 5 },
        new() { Window = 2, Decay = 0.8, Backward = 0, History = 3 },
        new() { Window = 20, Decay = 0.9, Backward = 1, History = 10 },
        new() { Window = 50, Decay = 0.95, Backward = 1, History = 20 },
    ];

    /// <summary>The collaborative members of <c>best-ranking</c>, each at its catalogue defaults.</summary>
    public static IReadOnlyList<string> BestRankingMembers { get; } = ["ease-recency", "item-knn", "ials"];

    private static StackedRanker BestRanking(OptionValues o)
    {
        var options = new StackedRankerOptions
        {
            Levels = o.Int("levels"),
            Negatives = o.Int("negatives"),
            L2 = o.Number("l2"),
            TrendingDays = o.Number("trending-days"),
        };
        var collaborative = BestRankingMembers.Select(name => (Func<IRecommender>)(() => Create(name))).ToArray();
        var sequential = BestRankingSequences.Select(s => (Func<IRecommender>)(() => new SequentialCooccurrence(s))).ToArray();
        return new StackedRanker(collaborative, sequential, options);
    }

    /// <summary>"3,5,10" as counts; anything else names the option.</summary>
    private static int[] ParseCounts(string text, string option)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) || c <= 0)
                throw new ArgumentException($"{option} takes positive counts separated by commas (3,5,10), not '{text}'.", option);
            counts.Add(c);
        }
        return counts.Count > 0 ? [.. counts] : throw new ArgumentException($"{option} needs at least one count.", option);
    }

    private static AlgorithmParameters Params(params (string Name, string Value)[] values)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values) d[name] = value.ToString(CultureInfo.InvariantCulture);
        return new AlgorithmParameters(d);
    }
}
