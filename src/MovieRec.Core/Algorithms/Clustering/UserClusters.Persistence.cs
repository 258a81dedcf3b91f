using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// Persistence of the user clusters: the clustering (centroids, labels, inertia), every training user's cluster, each
/// cluster's movie scores, the genre names (in the options JSON) and each movie's genres, and each user's rated items.
/// The genres are what fold-in reads from the catalogue (a new user's genre profile), so a restored model folds in
/// new users without the catalogue, bit for bit as the fitted one.
/// </summary>
public sealed partial class UserClusters : IPersistentModel, IUserHistory
{
    private CsrMatrix? _rated;
    private ModelHeader? _header;

    private sealed record State(KMeansOptions Options, string[] Genres);

    private void FitHistory(RatingDataset ratings)
    {
        _rated = ratings.ByUser;
        _header = PersistentModels.HeaderOf(Name, PersistentModels.ToJson(new State(Options, _genres)), ratings);
    }

    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_rated, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var result = Fitted();
        writer.Write("kmeans_shape", [result.K, result.Dimensions, result.Iterations]);
        writer.Write("kmeans_inertia", [result.Inertia]);
        writer.Write("kmeans_centroids", result.Centroids);
        writer.Write("kmeans_labels", result.Labels);
        writer.Write("user_cluster", _labelOfUser);
        var scores = new float[(long)_clusterScores.Length * ItemCount];
        for (int c = 0; c < _clusterScores.Length; c++) _clusterScores[c].CopyTo(scores, (long)c * ItemCount);
        writer.Write("cluster_scores", scores);
        var offsets = new int[_itemGenres.Length + 1];
        for (int i = 0; i < _itemGenres.Length; i++) offsets[i + 1] = offsets[i] + _itemGenres[i].Length;
        var genres = new int[offsets[^1]];
        for (int i = 0; i < _itemGenres.Length; i++) _itemGenres[i].CopyTo(genres, offsets[i]);
        writer.Write("item_genre_offsets", offsets);
        writer.Write("item_genres", genres);
        PersistentModels.WriteRated(writer, _rated!, withValues: false);
    }

    internal static UserClusters Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        var model = new UserClusters(state.Options);
        int users = contents.UserIds.Count, items = contents.ItemIds.Count, g = state.Genres?.Length ?? -1;
        var shape = contents.Ints("kmeans_shape");
        var inertia = contents.Doubles("kmeans_inertia");
        var centroids = contents.Floats("kmeans_centroids");
        var labels = contents.Ints("kmeans_labels");
        var labelOfUser = contents.Ints("user_cluster");
        var scores = contents.Floats("cluster_scores");
        var offsets = contents.Ints("item_genre_offsets");
        var genres = contents.Ints("item_genres");
        bool ok = shape.Length == 3 && inertia.Length == 1 && shape[0] > 0 && shape[1] == g && centroids.Length == (long)shape[0] * shape[1]
            && labelOfUser.Length == users && scores.Length == (long)shape[0] * items
            && offsets.Length == items + 1 && offsets[0] == 0 && offsets[items] == genres.Length;
        for (int i = 0; ok && i < items; i++) ok = offsets[i] <= offsets[i + 1];
        foreach (int l in labels) ok &= (uint)l < (uint)shape[0];
        foreach (int l in labelOfUser) ok &= l >= -1 && l < shape[0];
        foreach (int x in genres) ok &= (uint)x < (uint)g;
        PersistentModels.Check(contents, ok, "the clusters do not match the id maps and the genres");
        int k = shape[0];
        var clusterScores = new float[k][];
        for (int c = 0; c < k; c++) clusterScores[c] = scores.AsSpan(c * items, items).ToArray();
        var itemGenres = new int[items][];
        for (int i = 0; i < items; i++) itemGenres[i] = genres[offsets[i]..offsets[i + 1]];
        model._result = new KMeansResult(k, shape[1], centroids, labels, inertia[0], shape[2]);
        (model._genres, model._itemGenres, model._labelOfUser, model._clusterScores, model.ItemCount) = (state.Genres!, itemGenres, labelOfUser, clusterScores, items);
        model._rated = PersistentModels.ReadRated(contents, withValues: false);
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        return model;
    }
}
