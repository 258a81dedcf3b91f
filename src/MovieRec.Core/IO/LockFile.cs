using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MovieRec.Core.IO;

/// <summary>What happened to a lock file that its user may want to log.</summary>
public enum LockFileEventKind
{
    /// <summary>A lock left behind by <see cref="LockFileEvent.Holder"/> was deleted so that this process could take it.</summary>
    TakenOver,

    /// <summary>On release the lock was no longer this holder's: another process took it over as stale meanwhile.</summary>
    LostWhileHeld,

    /// <summary>The lock file could not be deleted on release (<see cref="LockFileEvent.Problem"/>); others take it over once stale.</summary>
    NotRemoved,
}

/// <summary>An event of a <see cref="LockFile"/>: its path, the holder concerned (its file's content) and, for a take-over, how long it was seen unchanged.</summary>
public sealed record LockFileEvent(LockFileEventKind Kind, string Path, string Holder, TimeSpan UnchangedFor, string? Problem);

/// <summary>
/// A lock between processes (replicas on several hosts, the CLI beside the service) sharing a folder, that does not
/// depend on flock(2), which .NET's <see cref="FileShare"/> uses on Unix: advisory, turned off by
/// DOTNET_SYSTEM_IO_DISABLEFILELOCKING, and a no-op on some NFS mounts. The lock is the file's existence: created with
/// <see cref="FileMode.CreateNew"/> (open(2) with O_CREAT|O_EXCL, atomic on a local filesystem and on NFSv3 and later),
/// holding its owner (host, process, a per-process id, a token, when), deleted on release if it is still the owner's.
/// A lock file left behind (its owner died holding it) is taken over: at once when the owner was a process of this host
/// that no longer runs (or an earlier process with this one's host name and pid: a restarted container), else once this
/// process has seen it unchanged (content and modification time) for <see cref="StaleAfter"/>, timed by this process's
/// clock, so clocks that differ between hosts do not matter. A holder that keeps the lock longer than that sets
/// <see cref="Heartbeat"/>: its handle touches the file's modification time that often. Waiters that find one stale
/// lock take turns breaking it through a claim file named after it (created exclusively too), so that no two delete it
/// and the fresh lock one of them created after it.
/// </summary>
public sealed class LockFile(string path)
{
    /// <summary>This process, told apart from an earlier one with the same host name and process id (a restarted container).</summary>
    private static readonly string ProcessInstance = Guid.NewGuid().ToString("N");

    public string Path { get; } = path;

    /// <summary>A lock this process has seen unchanged this long is taken over as left behind by its owner.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="Acquire"/> waits for a live holder before an <see cref="IOException"/> naming it; null: until cancelled.</summary>
    public TimeSpan? Wait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiter looks again.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How often a holder touches the lock file's modification time (keeping it from looking stale); null: never.</summary>
    public TimeSpan? Heartbeat { get; init; }

    /// <summary>What the lock is taken for, in the give-up message ("Could not lock {path} to {purpose} within 30 s").</summary>
    public string Purpose { get; init; } = "use it";

    /// <summary>Receives take-overs and problems on release (for the caller's log).</summary>
    public Action<LockFileEvent>? Events { get; init; }

    /// <summary>Runs <paramref name="action"/> holding the lock.</summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var held = Acquire();
        return action();
    }

    /// <summary>Creates the lock file exclusively (waiting for its holder, taking over one left behind); disposing the handle releases it.</summary>
    public LockFileHandle Acquire(CancellationToken cancellation = default)
    {
        string owner = string.Create(CultureInfo.InvariantCulture,
            $"host={Environment.MachineName}\npid={Environment.ProcessId}\nprocess={ProcessInstance}\ntoken={Guid.NewGuid():N}\nat={DateTimeOffset.UtcNow:O}\n");
        var clock = Stopwatch.StartNew();
        (string Content, DateTime Modified)? seen = null;
        var seenSince = TimeSpan.Zero;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            IOException failure;
            try
            {
                using (var created = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                    created.Write(Encoding.UTF8.GetBytes(owner));
                return new LockFileHandle(this, owner);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                // EEXIST: another process holds it (or left it behind).
                failure = e;
            }
            var holder = ReadState();
            if (holder is { } now)
            {
                if (seen != now) (seen, seenSince) = (now, clock.Elapsed);
                var unchangedFor = clock.Elapsed - seenSince;
                bool stale = unchangedFor >= StaleAfter || OwnerIsGone(now.Content);
                if (stale && Break(now, unchangedFor)) continue;
            }
            if (Wait is { } wait && clock.Elapsed >= wait)
            {
                throw new IOException($"Could not lock {Path} to {Purpose} within {wait.TotalSeconds:0} s: " +
                    (holder is null ? failure.Message : $"held by {holder.Value.Content.ReplaceLineEndings(" ").Trim()}"), failure);
            }
            if (cancellation.CanBeCanceled) cancellation.WaitHandle.WaitOne(Poll);
            else Thread.Sleep(Poll);
        }
    }

    /// <summary>The lock file's content (its owner), "" when it cannot be read now, null when there is none.</summary>
    internal string? Read()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The content and modification time a waiter watches for change; null when there is no lock file.</summary>
    private (string Content, DateTime Modified)? ReadState()
    {
        string? content = Read();
        if (content is null) return null;
        try
        {
            return (content, File.GetLastWriteTimeUtc(Path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (content, default);
        }
    }

    /// <summary>Whether the lock's owner was a process of this host that no longer runs (or an earlier process with this one's id).</summary>
    private static bool OwnerIsGone(string holder)
    {
        var fields = holder.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
            .DistinctBy(pair => pair[0], StringComparer.Ordinal).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (fields.GetValueOrDefault("host") != Environment.MachineName
            || !int.TryParse(fields.GetValueOrDefault("pid"), CultureInfo.InvariantCulture, out int pid)) return false;
        if (pid == Environment.ProcessId) return fields.GetValueOrDefault("process") != ProcessInstance;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>
    /// Deletes a lock left behind by <paramref name="holder"/>, if it is still that one. Breakers of one lock take turns
    /// through a claim file named after it, so that no two delete it and the fresh lock one of them created after it. A
    /// claim whose breaker died is itself removed once the lock has been stale twice as long.
    /// </summary>
    private bool Break((string Content, DateTime Modified) holder, TimeSpan unchangedFor)
    {
        string claim = $"{Path}.{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(holder.Content)))[..16]}.break";
        try
        {
            new FileStream(claim, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
        }
        catch (IOException) when (File.Exists(claim))
        {
            if (unchangedFor >= 2 * StaleAfter) File.Delete(claim);
            return false;
        }
        try
        {
            if (ReadState() != holder) return true;
            File.Delete(Path);
            Events?.Invoke(new(LockFileEventKind.TakenOver, Path, holder.Content, unchangedFor, null));
            return true;
        }
        finally
        {
            File.Delete(claim);
        }
    }

    /// <summary>Deletes the lock file if it is still <paramref name="owner"/>'s (not taken over as stale meanwhile).</summary>
    internal void Release(string owner)
    {
        try
        {
            if (Read() == owner) File.Delete(Path);
            else Events?.Invoke(new(LockFileEventKind.LostWhileHeld, Path, owner, TimeSpan.Zero, null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: another process takes it over once it is stale.
            Events?.Invoke(new(LockFileEventKind.NotRemoved, Path, owner, TimeSpan.Zero, e.Message));
        }
    }
}

/// <summary>A held <see cref="LockFile"/>: disposing it releases the lock (and stops its heartbeat).</summary>
public sealed class LockFileHandle : IDisposable
{
    private readonly LockFile _lock;
    private readonly Timer? _heartbeat;
    private int _released;

    internal LockFileHandle(LockFile lockFile, string owner)
    {
        _lock = lockFile;
        Owner = owner;
        if (lockFile.Heartbeat is { } every) _heartbeat = new Timer(_ => Touch(), null, every, every);
    }

    /// <summary>What the lock file holds: this holder's host, process, token and time.</summary>
    public string Owner { get; }

    /// <summary>Whether the lock file is still this holder's (false once another process took it over as stale).</summary>
    public bool IsHeld => Volatile.Read(ref _released) == 0 && _lock.Read() == Owner;

    private void Touch()
    {
        try
        {
            if (IsHeld) File.SetLastWriteTimeUtc(_lock.Path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Looked at again next beat; a holder that cannot touch its lock for StaleAfter loses it.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _heartbeat?.Dispose();
        _lock.Release(Owner);
    }
}
