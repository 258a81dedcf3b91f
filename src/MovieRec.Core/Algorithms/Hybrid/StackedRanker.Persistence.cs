using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>
/// Persistence of the learnt stack (<c>best-ranking</c>): the weights (float64 as learnt), every member's arrays under
/// "member0.", "member1.", ... with its algorithm name and options in the options JSON, the training ratings with their
/// timestamps (a known user's history and "now", trending counts, popularity) and what the features read from the
/// catalogue (each movie's release year and genre vector). A restored stack ranks known and folded-in users bit for bit
/// as the fitted one without the catalogue; it holds the fitted members only, so fitting it again needs a stack made
/// from the catalogue.
/// </summary>
public sealed partial class StackedRanker : IPersistentModel, IUserHistory
{
    private (Context Context, ModelHeader Header)? _restored;   // the file's header, while the stack holds the file's data

    private StackedRanker(StackedRankerOptions options, IRecommender[] members, int sequential)
    {
        Options = options;
        Options.Validate();
        _memberFactories = [.. members.Select(m => (Func<IRecommender>)(() => throw new NotSupportedException(
            $"This stack was restored from a model file: it keeps its fitted members ({m.Name}, ...) but not how to make new ones; create it from the catalogue to fit again.")))];
        _sequenceMembers = sequential;
        Members = members;
    }

    private sealed record Member(string Algorithm, string Options);

    private sealed record State(StackedRankerOptions Options, int Sequential, int GenreCount, Member[] Members);

    public ModelHeader Header
    {
        get
        {
            var ctx = Fitted();
            var members = new Member[ctx.Members.Length];
            for (int m = 0; m < members.Length; m++)
            {
                var h = PersistentModels.Inner(ctx.Members[m], Name).Header;
                members[m] = new Member(h.Algorithm, h.OptionsJson);
            }
            string json = PersistentModels.ToJson(new State(Options, _sequenceMembers, ctx.GenreCount, members));
            return _restored is { } restored && ReferenceEquals(restored.Context, ctx)
                ? restored.Header with { OptionsJson = json }
                : PersistentModels.HeaderOf(Name, json, ctx.Train);
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_context?.Train.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ctx = Fitted();
        writer.Write("weights", _weights);
        PersistentModels.WriteRatings(writer, ctx.Train);
        var (years, genres) = ctx.Catalogue;
        writer.Write("release_years", years);
        var flat = new float[(long)genres.Length * ctx.GenreCount];
        for (int i = 0; i < genres.Length; i++) genres[i].CopyTo(flat, (long)i * ctx.GenreCount);
        writer.Write("genre_vectors", flat);
        for (int m = 0; m < ctx.Members.Length; m++) PersistentModels.Inner(ctx.Members[m], Name).WriteArrays(writer.Nested($"member{m}"));
    }

    internal static StackedRanker Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        int items = contents.ItemIds.Count, g = state.GenreCount;
        PersistentModels.Check(contents, state.Members is { Length: > 0 } && state.Sequential >= 0 && state.Sequential < state.Members.Length && g >= 0,
            "the stack's members do not add up");
        var members = new IRecommender[state.Members.Length];
        for (int m = 0; m < members.Length; m++)
            members[m] = PersistentModels.Restore(contents.Nested($"member{m}", state.Members[m].Algorithm, state.Members[m].Options));
        var model = new StackedRanker(state.Options, members, state.Sequential);
        var layout = model.Layout();
        model._weights = contents.Doubles("weights");
        var years = contents.Ints("release_years");
        var flat = contents.Floats("genre_vectors");
        PersistentModels.Check(contents, model._weights.Length == layout.Count && years.Length == items && flat.Length == (long)items * g,
            "the weights or the catalogue features do not match the members and the item id map");
        var genres = new float[items][];
        for (int i = 0; i < items; i++) genres[i] = flat.AsSpan(i * g, g).ToArray();
        var train = PersistentModels.ReadRatings(contents);
        var ctx = new Context(train, members, state.Options, layout, (years, genres, g));
        model._context = ctx;
        model._restored = (ctx, PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents));
        return model;
    }
}
