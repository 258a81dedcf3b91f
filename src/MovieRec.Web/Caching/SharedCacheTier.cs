using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace MovieRec.Web.Caching;

/// <summary>
/// The shared tier as HybridCache sees it: Redis while its connection is up; while it is down, a tier that holds
/// nothing (reads miss, writes and removals are skipped) rather than one that throws. HybridCache logs every failed
/// read and write of its shared tier as an error with the whole exception (about 2 KB), so a Redis outage used to
/// write two such entries per request that missed the in-memory tier: thousands a second under load, burying
/// everything else in the log. Now the outage is one warning when it begins and one line when Redis is back.
/// A command that fails because the connection drops under it (the moment of the outage, before the multiplexer
/// knows) counts the same. A timeout while the connection still counts as up (a network partition, until the
/// heartbeat notices) still reaches HybridCache as before.
/// </summary>
public sealed class SharedCacheTier(IDistributedCache redis, RedisConnection connection, ILogger<SharedCacheTier> logger) : IBufferDistributedCache
{
    private readonly IBufferDistributedCache? _buffers = redis as IBufferDistributedCache;
    private int _down;

    /// <summary>Whether Redis is known to be disconnected now; logs the moment that changes.</summary>
    private bool Down() => Note(connection.IsDisconnected);

    private bool Note(bool down)
    {
        if (Interlocked.Exchange(ref _down, down ? 1 : 0) != (down ? 1 : 0))
        {
            if (down) logger.LogWarning("Redis is not connected: serving from the in-memory cache (lists are not shared by replicas) until it is back.");
            else logger.LogInformation("Redis is connected again: the shared cache tier is back.");
        }
        return down;
    }

    /// <summary>Runs <paramref name="command"/> unless Redis is down; a connection dropped under it is a miss (<paramref name="missed"/>).</summary>
    private T Run<T>(Func<T> command, T missed)
    {
        if (Down()) return missed;
        try
        {
            return command();
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            Note(down: true);
            return missed;
        }
    }

    private async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> command, T missed)
    {
        if (Down()) return missed;
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            Note(down: true);
            return missed;
        }
    }

    private async ValueTask RunAsync(Func<ValueTask> command)
    {
        if (Down()) return;
        try
        {
            await command().ConfigureAwait(false);
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            Note(down: true);
        }
    }

    public byte[]? Get(string key) => Run(() => redis.Get(key), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        RunAsync(async () => await redis.GetAsync(key, token).ConfigureAwait(false), null).AsTask();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Run(() =>
    {
        redis.Set(key, value, options);
        return true;
    }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync(() => new ValueTask(redis.SetAsync(key, value, options, token))).AsTask();

    public void Refresh(string key) => Run(() =>
    {
        redis.Refresh(key);
        return true;
    }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) => RunAsync(() => new ValueTask(redis.RefreshAsync(key, token))).AsTask();

    public void Remove(string key) => Run(() =>
    {
        redis.Remove(key);
        return true;
    }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) => RunAsync(() => new ValueTask(redis.RemoveAsync(key, token))).AsTask();

    // The buffer-based members HybridCache prefers (RedisCache implements them); byte arrays when the inner cache does not.

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Run(() =>
        {
            if (_buffers is not null) return _buffers.TryGet(key, destination);
            if (redis.Get(key) is not { } bytes) return false;
            destination.Write(bytes);
            return true;
        }, false);
    }

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RunAsync(async () =>
        {
            if (_buffers is not null) return await _buffers.TryGetAsync(key, destination, token).ConfigureAwait(false);
            if (await redis.GetAsync(key, token).ConfigureAwait(false) is not { } bytes) return false;
            destination.Write(bytes);
            return true;
        }, false);
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Run(() =>
    {
        if (_buffers is not null) _buffers.Set(key, value, options);
        else redis.Set(key, value.ToArray(), options);
        return true;
    }, false);

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync(() => _buffers is not null ? _buffers.SetAsync(key, value, options, token) : new ValueTask(redis.SetAsync(key, value.ToArray(), options, token)));
}
