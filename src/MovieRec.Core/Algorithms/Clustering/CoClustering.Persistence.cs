using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// Persistence of co-clustering: the cluster of every user and item, the user and item means, the cluster and
/// co-cluster averages (float64 as trained) and each user's rated items (which users and items are known). Fold-in
/// reads the item clusters, item means and averages, so a restored model folds in a new user exactly as the fitted one.
/// </summary>
public sealed partial class CoClustering : IPersistentModel, IUserHistory
{
    private CsrMatrix? _rated;
    private ModelHeader? _header;

    private void FitHistory(RatingDataset train)
    {
        _rated = train.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(Options), train);
    }

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        PersistentModels.Fitted(_header, Name);
        writer.Write("user_cluster", _userCluster);
        writer.Write("item_cluster", _itemCluster);
        writer.Write("user_mean", _userMean);
        writer.Write("item_mean", _itemMean);
        writer.Write("user_cluster_mean", _avgU);
        writer.Write("item_cluster_mean", _avgI);
        writer.Write("co_cluster_mean", _avgCo);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static CoClustering Restore(ModelContents contents)
    {
        var model = new CoClustering(PersistentModels.FromJson<CoClusteringOptions>(contents));
        int users = contents.UserIds.Count, items = contents.ItemIds.Count, cu = model.Options.UserClusters, ci = model.Options.ItemClusters;
        model._userCluster = contents.Ints("user_cluster");
        model._itemCluster = contents.Ints("item_cluster");
        model._userMean = contents.Doubles("user_mean");
        model._itemMean = contents.Doubles("item_mean");
        model._avgU = contents.Doubles("user_cluster_mean");
        model._avgI = contents.Doubles("item_cluster_mean");
        model._avgCo = contents.Doubles("co_cluster_mean");
        bool ok = model._userCluster.Length == users && model._itemCluster.Length == items && model._userMean.Length == users
            && model._itemMean.Length == items && model._avgU.Length == cu && model._avgI.Length == ci && model._avgCo.Length == cu * ci;
        foreach (int c in model._userCluster) ok &= (uint)c < (uint)cu;
        foreach (int c in model._itemCluster) ok &= (uint)c < (uint)ci;
        PersistentModels.Check(contents, ok, "the clusters do not match the id maps and the options");
        var rated = PersistentModels.ReadRated(contents, withValues: false);
        var (knownUsers, knownItems) = PersistentModels.Known(rated);
        model._rated = rated;
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        model.RestoreFitted(contents.Scale, contents.GlobalMean, knownUsers, knownItems);
        return model;
    }
}
