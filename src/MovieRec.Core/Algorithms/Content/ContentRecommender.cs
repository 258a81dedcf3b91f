using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>Options of <see cref="ContentRecommender"/>: the weights of its four terms.</summary>
public sealed record ContentRecommenderOptions
{
    /// <summary>
    /// λ: weight of the content affinity cos(v_i, p) (<see cref="ContentTaste"/>). Default 9: on the new-user protocol
    /// (seeds 10-14) precision@10 0.330 and personalization 0.85 (λ = 8: 0.339 and 0.82; 9.5: 0.326 and 0.86; the
    /// most-rated list: 0.288); a larger λ is more personal and less precise.
    /// </summary>
    public double SimilarityWeight { get; init; } = 9;

    /// <summary>β: weight of familiarity, the z-score of log(1 + ratings) in the training data. Default 1.</summary>
    public double FamiliarityWeight { get; init; } = 1;

    /// <summary>
    /// γ: weight of quality, the z-score of the vote-weighted rating (<see cref="WeightedRating"/>: IMDb's votes, else
    /// TMDB's, else the dataset's). Default 0.1; the protocol barely moves with it (0 to 0.2 tried), it favours the
    /// better of two equally similar, equally known movies.
    /// </summary>
    public double QualityWeight { get; init; } = 0.1;

    /// <summary>
    /// η: weight of the era term, the mean over the liked movies of exp(−(y_i − y_j)² / 2σ²) on release years.
    /// Default 1.33 (raised precision@10 from 0.317 to 0.336 at equal personalization on seeds 10-14).
    /// </summary>
    public double YearWeight { get; init; } = 1.33;

    /// <summary>σ of the era term, in years. Default 5 (3 and 8 tried).</summary>
    public double YearWidth { get; init; } = 5;

    /// <summary>The feature blocks and their weights.</summary>
    public ContentBlockWeights Blocks { get; init; } = new();

    public void Validate()
    {
        OptionChecks.NonNegative(SimilarityWeight, nameof(SimilarityWeight));
        OptionChecks.NonNegative(FamiliarityWeight, nameof(FamiliarityWeight));
        OptionChecks.NonNegative(QualityWeight, nameof(QualityWeight));
        OptionChecks.NonNegative(YearWeight, nameof(YearWeight));
        if (!(YearWidth > 0) || !double.IsFinite(YearWidth)) throw new ArgumentException($"{nameof(YearWidth)} must be a positive number, not {YearWidth}.", nameof(YearWidth));
        ArgumentNullException.ThrowIfNull(Blocks);
        Blocks.Validate();
    }
}

/// <summary>
/// Content-based top-N that a person would pick: what their liked movies share, among movies people know and rate well.
/// score(u, i) = λ·cos(v_i, p_u) + β·z(log(1 + n_i)) + γ·z(WR_i) + η·era_u(i):
/// the content affinity of <see cref="ContentTaste"/> (cast top 3, director, genres, keywords, overview words, decade;
/// Lops, de Gemmis and Semeraro 2011, "Content-based recommender systems"), familiarity (n_i training ratings; a movie
/// nobody rated yet takes the count its IMDb/TMDB votes predict, a log-log least-squares fit over movies with both, so
/// new releases stay reachable), quality (the first seed's IMDb weighted rating) and era (release years near the
/// liked movies'). Similarity alone picks obscure films that share a keyword; familiarity and quality are what the first
/// seed boosted by. Only liked ratings count (<see cref="Likes"/>: the upper third of the scale, else all of them).
/// Needs the movie catalogue (<see cref="TrainingData.Catalog"/>).
/// </summary>
public sealed partial class ContentRecommender : IRecommender
{
    private readonly ContentRecommenderOptions _options;
    private ContentTaste? _taste;
    private RatingDataset? _train;
    private float[] _prior = [];
    private short[] _years = [];
    private (int First, int Last) _yearRange = (1, 1); // of _years, set with it (never changes while scoring)

    public ContentRecommender(ContentRecommenderOptions? options = null)
    {
        _options = options ?? new ContentRecommenderOptions();
        _options.Validate();
    }

    public string Name => "content";

    public int ItemCount => _train?.ItemCount ?? 0;

    public ContentRecommenderOptions Options => _options;

    /// <summary>The item content vectors and the taste profile (after <see cref="Fit"/>).</summary>
    public ContentTaste Taste => _taste ?? throw new InvalidOperationException("content must be fitted first.");

    public void Fit(TrainingData data, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        data.RequireCatalog(Name);
        var train = data.Ratings;
        _taste = ContentTaste.Build(data, _options.Blocks, context.Threads);
        var familiarity = Familiarity(data);
        var quality = Quality(data);
        Standardize(familiarity);
        Standardize(quality);
        _prior = new float[train.ItemCount];
        for (int i = 0; i < _prior.Length; i++)
            _prior[i] = (float)(_options.FamiliarityWeight * familiarity[i] + _options.QualityWeight * quality[i]);
        _years = new short[train.ItemCount];
        for (int i = 0; i < _years.Length; i++) _years[i] = (short)(data.MovieOf(i)?.Year ?? 0);
        _yearRange = YearRange(_years);
        _train = train;
        _header = Models.PersistentModels.HeaderOf(Name, Models.PersistentModels.ToJson(_options), train);
    }

    /// <summary>log(1 + training ratings); for a movie without any, the log count its external votes predict.</summary>
    private static double[] Familiarity(TrainingData data)
    {
        var train = data.Ratings;
        var byItem = train.ByItem;
        var result = new double[train.ItemCount];
        // Least squares of log(1 + ratings) on log(1 + votes) over the movies that have both.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Math.Log(1 + byItem.RowLength(i));
            if (byItem.RowLength(i) == 0 || Votes(data.MovieOf(i)) is not int votes) continue;
            double x = Math.Log(1 + votes), y = result[i];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        double denominator = n * sxx - sx * sx;
        if (n < 2 || denominator <= 0) return result;
        double slope = (n * sxy - sx * sy) / denominator, intercept = (sy - slope * sx) / n;
        for (int i = 0; i < result.Length; i++)
        {
            if (byItem.RowLength(i) == 0 && Votes(data.MovieOf(i)) is int votes)
                result[i] = Math.Max(0, intercept + slope * Math.Log(1 + votes));
        }
        return result;
    }

    private static int? Votes(Movie? movie) => movie?.Imdb?.NumVotes is int imdb and > 0 ? imdb : movie?.Tmdb?.VoteCount is int tmdb and > 0 ? tmdb : null;

    private static double[] Quality(TrainingData data)
    {
        var wr = WeightedRating.Compute(data);
        var result = new double[data.Ratings.ItemCount];
        for (int i = 0; i < result.Length; i++) result[i] = data.MovieOf(i) is { } m ? wr[m.Id] : wr.MeanVote;
        return result;
    }

    private static void Standardize(double[] values)
    {
        if (values.Length == 0) return;
        double mean = values.Average();
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        for (int i = 0; i < values.Length; i++) values[i] = std > 0 ? (values[i] - mean) / std : 0;
    }

    /// <summary>One movie per dense item id (a featureless stand-in where the catalogue lacks one).</summary>
    public static List<Movie> ItemAlignedMovies(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int items = data.Ratings.ItemCount;
        var movies = new List<Movie>(items);
        for (int i = 0; i < items; i++)
            movies.Add(data.MovieOf(i) ?? new Movie(-1 - i, "", []));
        return movies;
    }

    public void Score(int user, Span<float> scores)
    {
        var train = Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        ScoreLiked(Likes.OfUser(train, user), scores);
    }

    public FoldedUser FoldIn(ReadOnlySpan<ItemRating> ratings)
    {
        RankingChecks.Fitted(_train is not null, Name);
        return new RatingsFoldedUser(RankingChecks.Normalize(ratings, ItemCount));
    }

    public void Score(FoldedUser user, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(user);
        var train = Fitted();
        RankingChecks.ScoreLength(scores, ItemCount);
        ScoreLiked(Likes.OfRatings(user.Ratings, train.Scale), scores);
    }

    private void ScoreLiked(int[] liked, Span<float> scores)
    {
        Taste.Affinity(liked, scores);
        System.Numerics.Tensors.TensorPrimitives.Multiply(scores, (float)_options.SimilarityWeight, scores);
        System.Numerics.Tensors.TensorPrimitives.Add(scores, _prior, scores);
        if (_options.YearWeight == 0) return;
        // The era term through a histogram of the liked years: O(years²), not O(liked × items).
        // The distinct years in order of first appearance, with their counts (at most one per liked movie).
        Span<int> years = liked.Length <= 256 ? stackalloc int[liked.Length] : new int[liked.Length];
        Span<int> counts = liked.Length <= 256 ? stackalloc int[liked.Length] : new int[liked.Length];
        int distinct = 0;
        int dated = 0;
        foreach (int item in liked)
        {
            int y = _years[item];
            if (y <= 0) continue;
            int at = years[..distinct].IndexOf(y);
            if (at < 0)
            {
                at = distinct++;
                years[at] = y;
                counts[at] = 0;
            }
            counts[at]++;
            dated++;
        }
        if (dated == 0) return;
        // Each release year's term once, in a table by year (a dictionary lookup per movie cost more than the terms).
        var (first, last) = _yearRange;
        Span<float> era = last - first < 1024 ? stackalloc float[last - first + 1] : new float[last - first + 1];
        era.Fill(float.NaN);
        double twoSigmaSquared = 2 * _options.YearWidth * _options.YearWidth;
        for (int i = 0; i < scores.Length; i++)
        {
            int year = _years[i];
            if (year <= 0) continue;
            ref float e = ref era[year - first];
            if (float.IsNaN(e))
            {
                double sum = 0;
                for (int k = 0; k < distinct; k++) sum += counts[k] * Math.Exp(-(double)(year - years[k]) * (year - years[k]) / twoSigmaSquared);
                e = (float)(_options.YearWeight * sum / dated);
            }
            scores[i] += e;
        }
    }

    /// <summary>The first and last known release year (1, 1 when none is known).</summary>
    private static (int First, int Last) YearRange(short[] years)
    {
        int first = int.MaxValue, last = 0;
        foreach (short y in years)
        {
            if (y <= 0) continue;
            first = Math.Min(first, y);
            last = Math.Max(last, y);
        }
        return last == 0 ? (1, 1) : (first, last);
    }

    private RatingDataset Fitted() => _train ?? throw new InvalidOperationException($"{Name} must be fitted before it scores.");

    public override string ToString() => System.FormattableString.Invariant(
        $"content(similarity-weight={_options.SimilarityWeight}, familiarity-weight={_options.FamiliarityWeight}, quality-weight={_options.QualityWeight}, year-weight={_options.YearWeight}, year-width={_options.YearWidth})");
}
