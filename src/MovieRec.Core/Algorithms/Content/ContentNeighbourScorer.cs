using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Content similarity alone, as the hybrid blends it: score(u, i) = Σⱼ w_uj · sim(j, i) over the user's rated movies j,
/// w_uj = r_uj − r̄_u + 0.5 (liked movies pull, disliked ones push), sim the <see cref="ContentSimilarity"/> cosine
/// (cast, director x3, genres, keywords) kept as each movie's top neighbours. No familiarity or quality: the hybrid has
/// its own popularity term (<see cref="ContentRecommender"/> is the content model people are shown).
/// </summary>
internal sealed class ContentNeighbourScorer
{
    private readonly int _neighbours;
    private ContentSimilarity? _similarity;
    private SimilarityIndex? _restoredIndex;
    private RatingDataset? _train;

    public ContentNeighbourScorer(int neighbours = 50)
    {
        OptionChecks.Positive(neighbours, nameof(neighbours));
        _neighbours = neighbours;
    }

    /// <summary>The neighbours kept per movie.</summary>
    public int Neighbours => _neighbours;

    /// <summary>The training ratings (fitted) or each user's ratings (restored); null before either.</summary>
    public RatingDataset? Ratings => _train;

    /// <summary>The neighbour index scoring reads (fitted or restored).</summary>
    private SimilarityIndex Index => _similarity?.Index ?? _restoredIndex ?? throw new InvalidOperationException("content must be fitted first.");

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_train?.ByUser, user);

    /// <summary>
    /// The item-aligned neighbour index and each training user's ratings: all scoring reads, so a restored scorer needs
    /// no catalogue (the service joins TMDB after it starts; rebuilding from the catalogue would give another index).
    /// </summary>
    public void WriteArrays(ModelWriter writer)
    {
        var train = _train ?? throw new InvalidOperationException("content must be fitted before it is saved.");
        Index.Write(writer);
        PersistentModels.WriteRated(writer, train.ByUser, withValues: true);
    }

    /// <summary>The scorer written by <see cref="WriteArrays"/>.</summary>
    public static ContentNeighbourScorer Restore(ModelContents contents, int neighbours) => new(neighbours)
    {
        _restoredIndex = SimilarityIndex.Read(contents, contents.ItemIds.Count),
        _train = PersistentModels.RatingsOf(contents, PersistentModels.ReadRated(contents, withValues: true)),
    };

    public void Fit(TrainingData data, TrainingContext context)
    {
        _train = data.Ratings;
        _similarity = ContentSimilarity.Build(ContentRecommender.ItemAlignedMovies(data), new ContentSimilarityOptions { Neighbours = _neighbours, Threads = context.Threads, Fields = null });
    }

    public void Score(int user, Span<float> scores)
    {
        var train = _train ?? throw new InvalidOperationException("content must be fitted before it scores.");
        ScoreRatings(RankingChecks.UserRatings(train, user), scores);
    }

    public void Score(FoldedUser user, Span<float> scores) => ScoreRatings(user.Ratings, scores);

    private void ScoreRatings(ReadOnlySpan<ItemRating> ratings, Span<float> scores)
    {
        scores.Clear();
        if (ratings.IsEmpty) return;
        float mean = 0;
        foreach (var r in ratings) mean += r.Rating;
        mean /= ratings.Length;
        var index = Index;
        foreach (var r in ratings)
        {
            if ((uint)r.Item >= (uint)index.Rows) continue;
            float w = r.Rating - mean + 0.5f;
            var neighbours = index.Neighbours(r.Item);
            var sims = index.Similarities(r.Item);
            for (int k = 0; k < neighbours.Length; k++) scores[neighbours[k]] += w * sims[k];
        }
    }
}
