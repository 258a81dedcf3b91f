using StackExchange.Redis;

namespace MovieRec.Web.Caching;

/// <summary>
/// One Redis connection for the shared cache tier and the health check. It never blocks a request on a Redis outage:
/// connecting does not abort on failure (it keeps retrying in the background) and commands fail fast while
/// disconnected, so HybridCache falls back to its in-memory tier until Redis is back.
/// </summary>
public sealed class RedisConnection(string configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(async () =>
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 500);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 500);
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    });

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    /// <summary>Whether the connection exists and is down now (false while it is still being made: commands decide then).</summary>
    public bool IsDisconnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && !_connection.Value.Result.IsConnected;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated) await (await _connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
    }
}
