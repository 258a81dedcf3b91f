using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Persistence of the content recommender: its item-aligned neighbour index (the k most similar movies of every item
/// and their cosines) and each training user's ratings. Scoring reads nothing else, so a file is self-contained: it
/// scores and folds in users without the movie catalogue, whatever metadata the catalogue has when the file is read
/// (the service joins TMDB after it starts; rebuilding from the catalogue would give another index before the join).
/// The movies and their term vectors stay out (they are the catalogue's): a restored model ranks, and <see cref="Similarity"/>
/// (movie lookups, explanations) needs a fit.
/// </summary>
public sealed partial class ContentRecommender : Models.IPersistentModel, Models.IUserHistory
{
    private SimilarityIndex? _restoredIndex;
    private ModelHeader? _header;

    /// <summary>The training ratings (fitted) or each user's ratings (restored); null before either.</summary>
    internal RatingDataset? Ratings => _train;

    /// <summary>The neighbour index scoring reads (fitted or restored).</summary>
    private SimilarityIndex Index => _similarity?.Index ?? _restoredIndex ?? throw new InvalidOperationException($"{Name} must be fitted first.");

    /// <summary>A fitted model's header comes from its training set; a restored one keeps the file's (its mean included).</summary>
    public ModelHeader Header => (_similarity, _train) switch
    {
        (not null, { } train) => PersistentModels.HeaderOf(Name, PersistentModels.ToJson(_options), train),
        _ => _header ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved."),
    };

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_train?.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var train = _train ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
        Index.Write(writer);
        PersistentModels.WriteRated(writer, train.ByUser, withValues: true);
    }

    internal static ContentRecommender Restore(ModelContents contents)
    {
        var model = new ContentRecommender(PersistentModels.FromJson<ContentRecommenderOptions>(contents));
        model._restoredIndex = SimilarityIndex.Read(contents, contents.ItemIds.Count);
        model._train = PersistentModels.RatingsOf(contents, PersistentModels.ReadRated(contents, withValues: true));
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        return model;
    }
}
