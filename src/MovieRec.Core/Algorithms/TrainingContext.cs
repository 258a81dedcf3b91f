namespace MovieRec.Core.Algorithms;

/// <summary>
/// How a model trains: the random seed, the thread count (1 = the deterministic single-threaded mode that golden
/// tests use; 0 = every core), progress reporting and cancellation.
/// </summary>
public sealed record TrainingContext
{
    public int Seed { get; init; }

    /// <summary>0 uses every core; 1 is deterministic: the same seed gives bit-identical models.</summary>
    public int Threads { get; init; }

    public IProgress<TrainingProgress>? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    public bool IsDeterministic => EffectiveThreads == 1;

    public static TrainingContext Default { get; } = new();

    /// <summary>Single-threaded with a fixed seed: reproducible to the bit.</summary>
    public static TrainingContext Deterministic(int seed = 0) => new() { Seed = seed, Threads = 1 };

    public ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = EffectiveThreads, CancellationToken = Cancellation };
}

/// <summary>One step of training, e.g. an epoch with its training loss.</summary>
public readonly record struct TrainingProgress(string Stage, int Step, int Steps, double Loss);
