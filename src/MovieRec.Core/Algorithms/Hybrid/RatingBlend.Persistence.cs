using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Persistence of the rating blend (<c>best</c>): the learnt weights (float64 as fitted), every member's arrays under
/// "member0.", "member1.", ... with its algorithm name and options in the options JSON, and each user's rated items
/// (the user and item supports the weights multiply, and which users and items are known). A restored blend predicts
/// and folds in users bit for bit as the fitted one; it holds the fitted members only, not their factories, so
/// fitting it again needs a blend made from the catalogue.
/// </summary>
public sealed partial class RatingBlend : IPersistentModel, IUserHistory
{
    private (RatingDataset Train, ModelHeader Header)? _restored;   // the file's header, while the blend holds the file's data

    private RatingBlend(RatingBlendOptions options, IRatingPredictor[] members, double[] weights)
        : this(options)
    {
        _members = members;
        _weights = weights;
    }

    private sealed record Member(string Algorithm, string Options);

    private sealed record State(double HoldoutFraction, double Ridge, int Folds, bool SupportFeatures, Member[] Members);

    public ModelHeader Header
    {
        get
        {
            var train = _train ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
            var members = new Member[_members.Length];
            for (int j = 0; j < members.Length; j++)
            {
                var h = PersistentModels.Inner(_members[j], Name).Header;
                members[j] = new Member(h.Algorithm, h.OptionsJson);
            }
            string json = PersistentModels.ToJson(new State(_options.HoldoutFraction, _options.Ridge, _options.Folds, _options.SupportFeatures, members));
            return _restored is { } restored && ReferenceEquals(restored.Train, train)
                ? restored.Header with { OptionsJson = json }
                : PersistentModels.HeaderOf(Name, json, train);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_train?.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var train = _train ?? throw new InvalidOperationException($"{Name} must be fitted before it is saved.");
        writer.Write("weights", _weights);
        for (int j = 0; j < _members.Length; j++) PersistentModels.Inner(_members[j], Name).WriteArrays(writer.Nested($"member{j}"));
        PersistentModels.WriteRated(writer, train.ByUser, withValues: false);
    }

    internal static RatingBlend Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        PersistentModels.Check(contents, state.Members is { Length: > 0 }, "the blend has no members");
        var members = new IRatingPredictor[state.Members.Length];
        for (int j = 0; j < members.Length; j++)
        {
            var m = state.Members[j];
            members[j] = PersistentModels.Restore(contents.Nested($"member{j}", m.Algorithm, m.Options)) as IRatingPredictor
                ?? throw ModelFileError.Create(contents.Path, $"member {j} ({m.Algorithm}) does not predict ratings");
        }
        var weights = contents.Doubles("weights");
        int expected = state.SupportFeatures ? 3 * members.Length + 3 : members.Length + 1;
        PersistentModels.Check(contents, weights.Length == expected, $"the blend has {weights.Length} weights for {members.Length} members (expected {expected})");
        var options = new RatingBlendOptions
        {
            Members = [.. state.Members.Select(m => (Func<IRatingPredictor>)(() => throw new NotSupportedException(
                $"This blend was restored from a model file: it keeps its fitted members ({m.Algorithm}, ...) but not how to make new ones; create 'best' from the catalogue to fit again.")))],
            HoldoutFraction = state.HoldoutFraction,
            Ridge = state.Ridge,
            Folds = state.Folds,
            SupportFeatures = state.SupportFeatures,
        };
        var rated = PersistentModels.ReadRated(contents, withValues: false);
        var (knownUsers, knownItems) = PersistentModels.Known(rated);
        var train = PersistentModels.RatingsOf(contents, rated);
        var model = new RatingBlend(options, members, weights) { _train = train };
        model._restored = (train, PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents));
        model.RestoreFitted(contents.Scale, contents.GlobalMean, knownUsers, knownItems);
        return model;
    }
}
