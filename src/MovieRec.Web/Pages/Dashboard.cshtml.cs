using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MovieRec.Core.Data;
using MovieRec.Web.Hosting;
using MovieRec.Web.Queries;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Pages;

/// <summary>The model dashboard: data, the serving model's training, per-algorithm evaluation, last retrain.</summary>
public sealed class DashboardModel(ModelHost host, IRatingStore store, EvaluationReport evaluation, AlgorithmChoices algorithms) : PageModel
{
    // Dataset statistics scan every rating: computed once per dataset.
    private static readonly ConditionalWeakTable<Dataset, DatasetStatistics> StatisticsCache = [];

    public ModelReport Report { get; private set; } = null!;
    public RetrainOutcome? LastRetrain { get; private set; }
    public DatasetStatistics Statistics { get; private set; } = null!;
    public EvaluationSnapshot Evaluation { get; private set; } = null!;
    /// <summary>Ratings stored by visitors; null when the database does not answer (the rest of the page does not need it).</summary>
    public long? StoredRatings { get; private set; }
    public string StoreKind { get; private set; } = "";
    public IReadOnlyDictionary<string, bool> Ready { get; private set; } = new Dictionary<string, bool>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var model = await host.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var catalog = await host.CatalogAsync(cancellationToken).ConfigureAwait(false);
        Report = model.Report;
        LastRetrain = host.LastRetrain;
        Statistics = StatisticsCache.GetValue(catalog.Dataset, DatasetStatistics.Compute);
        Evaluation = evaluation.For(model);
        try
        {
            StoredRatings = await store.CountRatingsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // The database is down: the operator's page still shows the model and the data (it was a 503 page).
            StoredRatings = null;
        }
        StoreKind = store.Kind;
        Ready = algorithms.Served.ToDictionary(a => a.Name, a => model.IsReady(a.Name));
    }
}
