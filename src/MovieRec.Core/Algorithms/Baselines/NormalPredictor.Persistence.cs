using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Baselines;

/// <summary>
/// Persistence of the random predictor: μ̂ (the header's mean), σ̂, the seed and how many pairs of uniforms have been
/// drawn since the fit. A restored model replays that many draws from a generator with the same seed, so it continues
/// the sequence where the saved one stood: the next predictions of both are the same draws, bit for bit.
/// Each user's rated items say which users and items are known (and what <c>recommend</c> leaves out).
/// </summary>
public sealed partial class NormalPredictor : IPersistentModel, IUserHistory
{
    private CsrMatrix? _rated;
    private ModelHeader? _header;

    private sealed record State(int Seed, long Draws);

    private void FitHistory(RatingDataset train)
    {
        _rated = train.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(new State(_seed, 0)), train);
    }

    public ModelHeader Header
    {
        get
        {
            var header = PersistentModels.Fitted(_header, Name);
            long draws;
            lock (_gate) draws = _draws;
            return header with { OptionsJson = PersistentModels.ToJson(new State(_seed, draws)) };
        }
    }

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        PersistentModels.Fitted(_header, Name);
        writer.Write("std_dev", [StdDev]);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static NormalPredictor Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var std = contents.Doubles("std_dev");
        PersistentModels.Check(contents, std.Length == 1 && state.Draws >= 0, "σ or the draw count is missing");
        var rated = PersistentModels.ReadRated(contents, withValues: false);
        var (knownUsers, knownItems) = PersistentModels.Known(rated);
        var model = new NormalPredictor { StdDev = std[0], _seed = state.Seed, _rng = new Random(state.Seed), _rated = rated };
        for (long d = 0; d < state.Draws; d++)
        {
            model._rng.NextDouble();
            model._rng.NextDouble();
        }
        model._draws = state.Draws;
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model.RestoreFitted(contents.Scale, contents.GlobalMean, knownUsers, knownItems);
        return model;
    }
}
