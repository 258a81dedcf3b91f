using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// Persistence of the content recommender: everything its score reads, which is all it took from the movie catalogue
/// when it was fitted: the item content vectors (CSR rows over the vocabulary, the vocabulary itself as UTF-8), the mean
/// liked vector m̄ (float64), each item's prior β·z(familiarity) + γ·z(quality) and release year, and each training
/// user's ratings (their likes). The affinity's derived parts (the postings, c_i, Σ m̄²d²) are recomputed at load from
/// the same arrays in the same order, so a restored model scores known users and folds in new ones bit for bit as the
/// fitted one, without the catalogue and whatever metadata a later load of the dataset joins.
/// </summary>
public sealed partial class ContentRecommender : IPersistentModel, IUserHistory
{
    private ModelHeader? _header;

    /// <summary>A fitted model's header comes from its training set; a restored one keeps the file's (its mean included).</summary>
    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_train?.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var train = Fitted();
        var vectors = Taste.Vectors;
        writer.Write("vector_offsets", vectors.Offsets);
        writer.Write("vector_terms", vectors.Terms);
        writer.Write("vector_weights", vectors.Weights);
        PersistentModels.WriteStrings(writer, "vocabulary", vectors.Vocabulary);
        writer.Write("mean_liked", Taste.MeanLiked);
        writer.Write("prior", _prior);
        writer.Write("years", Array.ConvertAll(_years, y => (int)y));
        PersistentModels.WriteRated(writer, train.ByUser, withValues: true);
    }

    internal static ContentRecommender Restore(ModelContents contents)
    {
        var model = new ContentRecommender(PersistentModels.FromJson<ContentRecommenderOptions>(contents));
        int items = contents.ItemIds.Count;
        var offsets = contents.Ints("vector_offsets");
        var terms = contents.Ints("vector_terms");
        var weights = contents.Floats("vector_weights");
        var vocabulary = PersistentModels.ReadStrings(contents, "vocabulary");
        var mean = contents.Doubles("mean_liked");
        var prior = contents.Floats("prior");
        var years = contents.Ints("years");
        bool ok = offsets.Length == items + 1 && offsets[0] == 0 && offsets[items] == terms.Length && weights.Length == terms.Length
            && mean.Length == vocabulary.Length && prior.Length == items && years.Length == items;
        for (int i = 0; ok && i < items; i++) ok = offsets[i] <= offsets[i + 1];
        for (int p = 0; ok && p < terms.Length; p++) ok = (uint)terms[p] < (uint)vocabulary.Length;
        for (int i = 0; ok && i < items; i++) ok = years[i] is >= short.MinValue and <= short.MaxValue;
        PersistentModels.Check(contents, ok, "the content vectors, priors or years do not match the item id map and the vocabulary");
        model._taste = ContentTaste.FromParts(new SparseVectors(offsets, terms, weights, vocabulary), mean);
        model._prior = prior;
        model._years = Array.ConvertAll(years, y => (short)y);
        model._yearRange = YearRange(model._years);
        model._train = PersistentModels.RatingsOf(contents, PersistentModels.ReadRated(contents, withValues: true));
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        return model;
    }
}
