using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.Clustering;

/// <summary>
/// Persistence of the user clusters: the clustering (centroids and their norms, labels, inertia), every training user's
/// cluster, which movie each dimension is, the clusters' like rates p(i | c), what it read from the movie catalogue
/// (each movie's genres as CSR, the genre names) and everyone's genre shares P_g (float64), each training user's
/// ratings (their likes), and the clusters described (<see cref="Clusters"/>: names, genres, lifts, movies and titles).
/// The names and descriptions are strings and small, so they travel in the options JSON with the options. A restored
/// model places and ranks known and new users bit for bit as the fitted one and describes its clusters, without the
/// catalogue.
/// </summary>
public sealed partial class UserClusters : IPersistentModel, IUserHistory
{
    private ModelHeader? _header;

    private sealed record State(KMeansOptions Options, UserClustersOptions Taste, string[] Genres, UserClusterInfo[] Clusters);

    /// <summary>A fitted model's header comes from its training set; a restored one keeps the file's.</summary>
    public ModelHeader Header => PersistentModels.Fitted(_header, Name);

    public ReadOnlySpan<int> RatedBy(int user) => PersistentModels.Row(_train?.ByUser, user);

    public void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var train = Fitted();
        var result = Result;
        writer.Write("kmeans_shape", [result.K, result.Dimensions, result.Iterations]);
        writer.Write("kmeans_inertia", [result.Inertia]);
        writer.Write("kmeans_centroids", result.Centroids);
        writer.Write("kmeans_labels", result.Labels);
        writer.Write("centroid_norms", _centroidNorms);
        writer.Write("user_cluster", _labelOfUser);
        writer.Write("dimension_of", _dimensionOf);
        writer.Write("like_rates", _likeRates);
        writer.Write("genre_share", _genreShare);
        writer.Write("item_genre_offsets", _genreOffsets);
        writer.Write("item_genres", _genreOfItem);
        PersistentModels.WriteRated(writer, train.ByUser, withValues: true);
    }

    internal static UserClusters Restore(ModelContents contents)
    {
        var state = PersistentModels.FromJson<State>(contents);
        PersistentModels.Check(contents, state.Options is not null && state.Taste is not null && state.Genres is not null && state.Clusters is not null,
            "the options lack the clustering's options, genres or clusters");
        var model = new UserClusters(state.Options, state.Taste);
        int users = contents.UserIds.Count, items = contents.ItemIds.Count, g = state.Genres!.Length;
        var shape = contents.Ints("kmeans_shape");
        var inertia = contents.Doubles("kmeans_inertia");
        var centroids = contents.Floats("kmeans_centroids");
        var labels = contents.Ints("kmeans_labels");
        var norms = contents.Floats("centroid_norms");
        var labelOfUser = contents.Ints("user_cluster");
        var dimensionOf = contents.Ints("dimension_of");
        var likeRates = contents.Floats("like_rates");
        var share = contents.Doubles("genre_share");
        var offsets = contents.Ints("item_genre_offsets");
        var genres = contents.Ints("item_genres");
        bool ok = shape.Length == 3 && inertia.Length == 1 && shape[0] > 0 && shape[1] > 0 && centroids.Length == (long)shape[0] * shape[1]
            && norms.Length == shape[0] && labelOfUser.Length == users && dimensionOf.Length == items && likeRates.Length == (long)shape[0] * items
            && share.Length == g && offsets.Length == items + 1 && offsets[0] == 0 && offsets[items] == genres.Length
            && state.Clusters!.Length == shape[0];
        for (int i = 0; ok && i < items; i++) ok = offsets[i] <= offsets[i + 1] && dimensionOf[i] >= -1 && dimensionOf[i] < shape[1];
        for (int j = 0; ok && j < labels.Length; j++) ok = (uint)labels[j] < (uint)shape[0];
        for (int u = 0; ok && u < users; u++) ok = labelOfUser[u] >= -1 && labelOfUser[u] < shape[0];
        for (int p = 0; ok && p < genres.Length; p++) ok = (uint)genres[p] < (uint)g;
        PersistentModels.Check(contents, ok, "the clusters do not match the id maps and the genres");
        model._result = new KMeansResult(shape[0], shape[1], centroids, labels, inertia[0], shape[2]);
        model._centroidNorms = norms;
        model._labelOfUser = labelOfUser;
        model._dimensionOf = dimensionOf;
        model._likeRates = likeRates;
        model._genres = state.Genres;
        model._genreShare = share;
        model._genreOffsets = offsets;
        model._genreOfItem = genres;
        model._clusters = state.Clusters!;
        model._train = PersistentModels.RatingsOf(contents, PersistentModels.ReadRated(contents, withValues: true));
        model.ItemCount = items;
        model._header = PersistentModels.HeaderOf(model.Name, contents.OptionsJson, contents);
        return model;
    }
}
