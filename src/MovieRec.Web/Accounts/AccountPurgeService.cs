using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Accounts;

/// <summary>
/// Deletes accounts nobody has used for <see cref="MovieRecOptions.PurgeUnusedAccountsAfter"/> (off by default), with
/// their ratings, every <see cref="MovieRecOptions.PurgeInterval"/>. "Used" is the session's last recorded use (see
/// <see cref="SessionTokens.SlideStep"/>). Every replica may run it: the delete is one idempotent statement.
/// The next retrain no longer trains on the purged ratings.
/// </summary>
public sealed class AccountPurgeService(IRatingStore store, IOptions<MovieRecOptions> options, TimeProvider clock, ServiceMetrics metrics,
    ILogger<AccountPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PurgeUnusedAccountsAfter is not { } unused) return;
        var interval = options.Value.PurgeInterval;
        logger.LogInformation("Accounts unused for {Days:0.#} days are purged every {Interval}", unused.TotalDays, interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(false);
                try
                {
                    var cutoff = clock.GetUtcNow() - unused;
                    int purged = await store.PurgeAccountsAsync(cutoff, stoppingToken).ConfigureAwait(false);
                    metrics.AccountsPurged(purged);
                    if (purged > 0) logger.LogInformation("Purged {Count} accounts unused since {Cutoff:u}, with their ratings", purged, cutoff);
                }
                catch (System.Data.Common.DbException e)
                {
                    logger.LogWarning("The purge of unused accounts failed ({Problem}); it runs again in {Interval}.", e.Message, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
