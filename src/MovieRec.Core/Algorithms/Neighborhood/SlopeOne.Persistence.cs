using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Neighborhood;

/// <summary>
/// Persistence of Slope One: the training ratings, from which loading recomputes the deviations. dev(i, j) and the user
/// means are a pure function of the ratings (no seed; each row is summed in the same order whatever the thread count),
/// so the restored model is bit-identical to the fitted one. Stored instead, the deviations would take 13.2M defined
/// pairs of the upper triangle on ml-latest-small (105 MB as CSR, 378 MB dense) against the ratings' 2 MB; recomputing
/// them took about 1 s there (single- and multi-threaded, on a contended 2-core machine).
/// </summary>
public sealed partial class SlopeOne : IPersistentModel, IUserHistory
{
    public ModelHeader Header => IsFitted
        ? PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), Trainset)
        : throw new InvalidOperationException($"{Name} must be fitted before it is saved.");

    public ReadOnlySpan<int> RatedBy(int user) => IsFitted && (uint)user < (uint)Trainset.UserCount ? Trainset.ByUser.RowColumns(user) : default;

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckFitted();
        PersistentModels.WriteRatings(writer, Trainset);
    }

    internal static SlopeOne Restore(ModelContents contents)
    {
        var model = new SlopeOne(PersistentModels.FromJson<SlopeOneOptions>(contents));
        var train = PersistentModels.ReadRatings(contents);
        PersistentModels.Check(contents, train.ItemCount <= SimilarityMatrix.MaxSize, "the deviation matrix would be too large");
        model.Fit(new TrainingData(train), new TrainingContext());
        return model;
    }
}
