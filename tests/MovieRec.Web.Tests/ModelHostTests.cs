using System.Runtime.CompilerServices;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Tests;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>The host keeps only the current catalogue and model version; requests that came early wait for them.</summary>
public sealed class ModelHostTests
{
    [Fact]
    public async Task Early_requests_get_the_catalogue_and_model_once_they_are_set()
    {
        var host = new ModelHost();
        var catalogWait = host.CatalogAsync(CancellationToken.None);
        var modelWait = host.CurrentAsync(CancellationToken.None).AsTask();
        Assert.False(catalogWait.IsCompleted);
        var (catalog, model) = Version(1);
        host.SetCatalog(catalog);
        host.Promote(model);
        Assert.Same(catalog, await catalogWait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Same(model, await modelWait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_replaced_catalogue_and_model_are_not_kept()
    {
        var host = new ModelHost();
        var (catalog, model) = ServeThenReplace(host);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        // Before issue #18 the completion sources that let early requests wait held the first ones for ever: in the
        // service, the catalogue and model version without TMDB metadata, replaced at the metadata join.
        Assert.False(catalog.IsAlive, "the first catalogue is still reachable");
        Assert.False(model.IsAlive, "the first model version is still reachable");
        Assert.Equal(2, host.CatalogOrNull!.Generation);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Catalog, WeakReference Model) ServeThenReplace(ModelHost host)
    {
        var (catalog, model) = Version(1);
        host.SetCatalog(catalog);
        host.Promote(model);
        var (next, nextModel) = Version(2);
        host.SetCatalog(next);
        host.Promote(nextModel);
        return (new WeakReference(catalog), new WeakReference(model));
    }

    private static readonly Lazy<Svd> Factors = new(() =>
    {
        var svd = new Svd(new SvdOptions { Factors = 2, Epochs = 1 });
        svd.Fit(new TrainingData(TestData.MovieLensSmall.Ratings), TrainingContext.Deterministic(0));
        return svd;
    });

    private static (CatalogIndex Catalog, ServingModel Model) Version(int generation)
    {
        var dataset = TestData.MovieLensSmall;
        var catalog = new CatalogIndex(dataset, generation, embeddingModel: "off");
        var report = new ModelReport
        {
            Version = $"test-{generation}",
            Algorithm = "svd",
            Hyperparameters = "",
            Created = DateTimeOffset.UnixEpoch,
            TrainingSeconds = 0,
            HoldoutRmse = 0,
            HoldoutMae = 0,
            EpochLoss = [],
            Ratings = dataset.Ratings.Count,
            Users = dataset.Ratings.UserCount,
            Items = dataset.Ratings.ItemCount,
            StoredRatings = 0,
            DatasetFingerprint = "",
            File = "",
        };
        return (catalog, new ServingModel(report, Factors.Value, dataset.Ratings, catalog, new MovieRecOptions()));
    }
}
