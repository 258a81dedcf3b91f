using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Persistence of the hybrid: the standardised popularity, the collaborative part's arrays under "collaborative." and
/// the content part's (its neighbour index and each user's ratings) under "content.", with the weights and each
/// part's algorithm name and options in the options JSON. Like the content part it is self-contained: a restored
/// hybrid scores known and new users bit for bit as the fitted one without the movie catalogue; explanations need the
/// catalogue's movies and content vectors, so they need a fitted hybrid.
/// </summary>
public sealed partial class HybridRecommender : IPersistentModel, IUserHistory
{
    private (TrainingData Data, ModelHeader Header)? _restored;   // the file's header, while the hybrid holds the file's data

    private HybridRecommender(IRecommender collaborative, ContentNeighbourScorer content, HybridOptions options)
        : this(collaborative, options) => _content = content;

    private sealed record State(HybridOptions Options, string Collaborative, string CollaborativeOptions, int ContentNeighbours);

    /// <summary>A fitted hybrid's header comes from its training data; a restored one keeps the file's.</summary>
    public ModelHeader Header
    {
        get
        {
            var data = Fitted();
            var collaborative = PersistentModels.Inner(_collaborative, Name).Header;
            var state = new State(_options, collaborative.Algorithm, collaborative.OptionsJson, _content.Neighbours);
            return _restored is { } restored && ReferenceEquals(restored.Data, data)
                ? restored.Header with { OptionsJson = PersistentModels.ToJson(state) }
                : PersistentModels.HeaderOf(Name, PersistentModels.ToJson(state), data.Ratings);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => _content.RatedBy(user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Fitted();
        writer.Write("popularity", _popularity);
        PersistentModels.Inner(_collaborative, Name).WriteArrays(writer.Nested("collaborative"));
        _content.WriteArrays(writer.Nested("content"));
    }

    internal static HybridRecommender Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var collaborative = PersistentModels.Restore(contents.Nested("collaborative", state.Collaborative, state.CollaborativeOptions));
        var content = ContentNeighbourScorer.Restore(contents.Nested("content", "content", "{}"), state.ContentNeighbours);
        var data = new TrainingData(content.Ratings!);
        var model = new HybridRecommender(collaborative, content, state.Options)
        {
            _popularity = contents.Floats("popularity"),
            _data = data,
            _restored = (data, PersistentModels.HeaderOf("hybrid", contents.OptionsJson, contents)),
        };
        PersistentModels.Check(contents, model._popularity.Length == contents.ItemIds.Count && collaborative.ItemCount == contents.ItemIds.Count,
            "the popularity or the collaborative part does not match the item id map");
        return model;
    }
}
