using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Persistence of the taste ranker: the learnt weights and popularity penalties per bucket of favourites (float64 as
/// learnt), its two members (EASE and iALS) under "member0." and "member1." with their algorithm names and options in
/// the options JSON, the training ratings with their timestamps (a known user's favourites, the quality, familiarity,
/// most-rated and era features, the tie order) and what the features read from the catalogue (each movie's release year
/// and genre ids). The rating-derived features are recomputed at load from the same ratings in the same order, so a
/// restored ranker scores known and folded-in users bit for bit as the fitted one, without the catalogue. Unlike the
/// composites it can be fitted again: it makes its members itself.
/// </summary>
public sealed partial class TasteRanker : IPersistentModel, IUserHistory
{
    private (TasteFeatures Features, ModelHeader Header)? _restored;   // the file's header, while the ranker holds the file's data

    private sealed record Member(string Algorithm, string Options);

    private sealed record State(TasteRankerOptions Options, int GenreCount, Member[] Members);

    public ModelHeader Header
    {
        get
        {
            var features = _features ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
            var members = new Member[features.Members.Count];
            for (int m = 0; m < members.Length; m++)
            {
                var h = PersistentModels.Inner(features.Members[m], Name).Header;
                members[m] = new Member(h.Algorithm, h.OptionsJson);
            }
            string json = PersistentModels.ToJson(new State(Options, features.Catalogue.GenreCount, members));
            return _restored is { } restored && ReferenceEquals(restored.Features, features)
                ? restored.Header with { OptionsJson = json }
                : PersistentModels.HeaderOf(Name, json, _data!.Ratings);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_data?.Ratings.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var features = _features ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
        var flat = new double[Buckets * TasteFeatures.Count];
        for (int b = 0; b < Buckets; b++) _weights[b].CopyTo(flat, b * TasteFeatures.Count);
        writer.Write("weights", flat);
        writer.Write("penalties", _penalties);
        PersistentModels.WriteRatings(writer, _data!.Ratings);
        var catalogue = features.Catalogue;
        writer.Write("release_years", catalogue.Years);
        writer.Write("item_genre_offsets", catalogue.GenreOffsets);
        writer.Write("item_genres", catalogue.Genres);
        for (int m = 0; m < features.Members.Count; m++) PersistentModels.Inner(features.Members[m], Name).WriteArrays(writer.Nested($"member{m}"));
    }

    internal static TasteRanker Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        PersistentModels.Check(contents, state.Options is not null && state.Members is { Length: > 0 } && state.GenreCount >= 0,
            "the options lack the ranker's options or members");
        var model = new TasteRanker(state.Options);
        int items = contents.ItemIds.Count, f = TasteFeatures.Count;
        var members = new IRecommender[state.Members!.Length];
        for (int m = 0; m < members.Length; m++)
            members[m] = PersistentModels.Restore(contents.Nested($"member{m}", state.Members[m].Algorithm, state.Members[m].Options));
        var weights = contents.Doubles("weights");
        var penalties = contents.Doubles("penalties");
        var years = contents.Floats("release_years");
        var offsets = contents.Ints("item_genre_offsets");
        var genres = contents.Ints("item_genres");
        // A file from a version with fewer features (before "theme") would score with misaligned weights.
        PersistentModels.Check(contents, weights.Length == Buckets * f,
            $"it holds {weights.Length / Buckets} ranking weights per bucket and this version ranks by {f} ({string.Join(", ", TasteFeatures.Names)}): it was written by another version of MovieRec; train it again");
        bool ok = weights.Length == Buckets * f && penalties.Length == Buckets && years.Length == items
            && offsets.Length == items + 1 && offsets[0] == 0 && offsets[items] == genres.Length && members.All(m => m.ItemCount == items);
        for (int i = 0; ok && i < items; i++) ok = offsets[i] <= offsets[i + 1];
        for (int p = 0; ok && p < genres.Length; p++) ok = (uint)genres[p] < (uint)state.GenreCount;
        PersistentModels.Check(contents, ok, "the weights, members or catalogue features do not match the item id map");
        var train = PersistentModels.ReadRatings(contents);
        var features = new TasteFeatures(train, new TasteFeatures.CatalogueFeatures(years, offsets, genres, state.GenreCount), members, state.Options!.MostRated);
        model._weights = new double[Buckets][];
        for (int b = 0; b < Buckets; b++) model._weights[b] = weights[(b * f)..((b + 1) * f)];
        model._penalties = penalties;
        model._features = features;
        model._data = new TrainingData(train);
        model._ties = TieBreak.ByTrainingRatings(train);
        model._restored = (features, PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents));
        return model;
    }
}
