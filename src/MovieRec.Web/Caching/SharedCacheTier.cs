using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace MovieRec.Web.Caching;

/// <summary>
/// The shared tier as HybridCache sees it: Redis while its connection is up; while it is down, a tier that holds
/// nothing (reads miss, writes and removals are skipped) rather than one that throws. HybridCache logs every failed
/// read and write of its shared tier as an error with the whole exception (about 2 KB), so a Redis outage used to
/// write two such entries per request that missed the in-memory tier: thousands a second under load, burying
/// everything else in the log. Now the outage is one warning when it begins and one line when Redis is back.
/// A timeout while the connection still counts as up (a network partition, until the heartbeat notices) still reaches
/// HybridCache as before.
/// </summary>
public sealed class SharedCacheTier(IDistributedCache redis, RedisConnection connection, ILogger<SharedCacheTier> logger) : IBufferDistributedCache
{
    private readonly IBufferDistributedCache? _buffers = redis as IBufferDistributedCache;
    private int _down;

    /// <summary>Whether Redis is known to be disconnected now; logs the moment that changes.</summary>
    private bool Down()
    {
        bool down = connection.IsDisconnected;
        if (Interlocked.Exchange(ref _down, down ? 1 : 0) != (down ? 1 : 0))
        {
            if (down) logger.LogWarning("Redis is not connected: serving from the in-memory cache (lists are not shared by replicas) until it is back.");
            else logger.LogInformation("Redis is connected again: the shared cache tier is back.");
        }
        return down;
    }

    public byte[]? Get(string key) => Down() ? null : redis.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Down() ? Task.FromResult<byte[]?>(null) : redis.GetAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (!Down()) redis.Set(key, value, options);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        Down() ? Task.CompletedTask : redis.SetAsync(key, value, options, token);

    public void Refresh(string key)
    {
        if (!Down()) redis.Refresh(key);
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Down() ? Task.CompletedTask : redis.RefreshAsync(key, token);

    public void Remove(string key)
    {
        if (!Down()) redis.Remove(key);
    }

    public Task RemoveAsync(string key, CancellationToken token = default) => Down() ? Task.CompletedTask : redis.RemoveAsync(key, token);

    // The buffer-based members HybridCache prefers (RedisCache implements them); byte arrays when the inner cache does not.

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Down()) return false;
        if (_buffers is not null) return _buffers.TryGet(key, destination);
        if (redis.Get(key) is not { } bytes) return false;
        destination.Write(bytes);
        return true;
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Down()) return false;
        if (_buffers is not null) return await _buffers.TryGetAsync(key, destination, token).ConfigureAwait(false);
        if (await redis.GetAsync(key, token).ConfigureAwait(false) is not { } bytes) return false;
        destination.Write(bytes);
        return true;
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        if (Down()) return;
        if (_buffers is not null) _buffers.Set(key, value, options);
        else redis.Set(key, value.ToArray(), options);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (Down()) return ValueTask.CompletedTask;
        return _buffers is not null ? _buffers.SetAsync(key, value, options, token) : new ValueTask(redis.SetAsync(key, value.ToArray(), options, token));
    }
}
