using System.Globalization;
using System.IO.Compression;
using CsCheck;
using MovieRec.Core.Data;
using Xunit.Abstractions;

namespace MovieRec.Core.Tests.Data.Fuzz;

/// <summary>
/// Fuzzes every dataset format with mutated copies of small valid seeds (see docs/reliability.md, "Bad input:
/// loaders"). Each case must end in a clean load whose invariants hold, or in a <see cref="DataFormatException"/>
/// naming the file and a line or field; never another exception, never a hang, never unbounded allocation.
/// Cases come from CsCheck generators driven by a fixed seed, so a run is repeatable; MOVIEREC_FUZZ_ITERATIONS and
/// MOVIEREC_FUZZ_SEED run more or other cases.
/// </summary>
public class LoaderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultIterations = 2500;
    private const ulong DefaultSeed = 20_250_808;

    public static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("MOVIEREC_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : DefaultIterations;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("MOVIEREC_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
            ? s : DefaultSeed;

    [Fact]
    [Trait("Category", "Slow")] // 2,500 mutated files; the unmutated seeds and LoaderFuzzRegressionTests stay in the fast tier
    public void Every_format_loads_cleanly_or_fails_with_file_and_line()
    {
        var seeds = FuzzSeeds.All;
        var gen = Mutations.Case(seeds.Count);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        int iterations = Iterations;
        ulong seed = Seed;
        using var tmp = TestData.NewFolder();
        long maxAllocated = 0;
        for (int i = 0; i < iterations; i++)
        {
            // One PCG per case: case i is the same whatever the iteration count, so a failure replays alone.
            var fuzzCase = gen.Generate(new PCG(1, CaseSeed(seed, i)), null, out _);
            var result = FuzzRunner.Run(seeds[fuzzCase.Seed], fuzzCase, Path.Combine(tmp.Path, i.ToString(CultureInfo.InvariantCulture)));
            maxAllocated = Math.Max(maxAllocated, result.Allocated);
            var key = $"{seeds[fuzzCase.Seed].Name}: {result.Kind}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            if (result.Failure is string failure && failures.Count < 20)
                failures.Add($"case {i} ({fuzzCase}): {failure}");
        }
        output.WriteLine($"{iterations} cases, seed {seed}, largest allocation for one case {maxAllocated >> 20} MiB");
        foreach (var (kind, count) in outcomes) output.WriteLine($"{kind}: {count}");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Every seed was exercised, and mutations do not all fail: the fuzzer reaches both outcomes.
        Assert.All(seeds, s => Assert.Contains(outcomes.Keys, k => k.StartsWith(s.Name + ": ", StringComparison.Ordinal)));
        Assert.Contains(outcomes.Keys, k => k.EndsWith(": loaded", StringComparison.Ordinal));
        Assert.Contains(outcomes.Keys, k => k.EndsWith(": DataFormatException", StringComparison.Ordinal));
    }

    /// <summary>SplitMix64 of (seed, i): neighbouring seeds give unrelated corpora, not the same cases shifted by one.</summary>
    public static ulong CaseSeed(ulong seed, int i)
    {
        ulong z = seed + (0x9E3779B97F4A7C15UL * (ulong)(i + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [Fact]
    public void Unmutated_seeds_load_and_satisfy_the_invariants()
    {
        using var tmp = TestData.NewFolder();
        foreach (var seed in FuzzSeeds.All)
        {
            foreach (var container in new[] { Container.Folder, Container.Zip })
            {
                var none = new FuzzCase(0, 0, [], container, Lenient: false, 0);
                var result = FuzzRunner.Run(seed, none, Path.Combine(tmp.Path, seed.Name + container));
                Assert.True(result.Kind == "loaded", $"{seed.Name} ({container}): {result.Kind} {result.Failure} {result.Message}");
            }
        }
    }
}

/// <summary>What one case did: "loaded", "DataFormatException", or a failure.</summary>
public sealed record FuzzResult(string Kind, string? Failure, string? Message, long Allocated);

/// <summary>Writes a case's files, loads them with a time limit, and checks the outcome.</summary>
public static class FuzzRunner
{
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Allocation allowed for one case: fixed buffers (1 MiB per file read) plus a multiple of the input.</summary>
    public static long AllocationBound(long inputBytes) => (96L << 20) + (48 * inputBytes);

    public static FuzzResult Run(FuzzSeed seed, FuzzCase fuzzCase, string dir)
    {
        Directory.CreateDirectory(dir);
        try
        {
            var (path, files, inputBytes) = Write(seed, fuzzCase, dir);
            var options = new LoadOptions { Lenient = fuzzCase.Lenient };
            long allocated = 0;
            Dataset? dataset = null;
            Exception? error = null;
            var task = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    dataset = DatasetLoader.Load(path, options);
                    Invariants.Check(dataset, fuzzCase.Lenient);
                }
#pragma warning disable CA1031 // the fuzzer classifies every exception
                catch (Exception e)
#pragma warning restore CA1031
                {
                    error = e;
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            if (!task.Wait(Timeout))
                return new FuzzResult("hang", $"no result after {Timeout.TotalSeconds} s", null, 0);
            if (allocated > AllocationBound(inputBytes))
                return new FuzzResult("memory", $"allocated {allocated >> 20} MiB for {inputBytes} input bytes", null, allocated);
            return error switch
            {
                null => new FuzzResult("loaded", null, null, allocated),
                DataFormatException e => new FuzzResult("DataFormatException", CheckError(e, path, files), e.Message, allocated),
                InvariantException e => new FuzzResult("invariant", e.Message, e.Message, allocated),
                _ => new FuzzResult(error.GetType().Name, $"{error.GetType().Name}: {error.Message}\n{error.StackTrace}", error.Message, allocated),
            };
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A file handle the loader failed to close would show here on Windows; the folder is temp either way.
            }
        }
    }

    /// <summary>The error must name a file of the case (or the dataset itself) and say where: a line or a field.</summary>
    private static string? CheckError(DataFormatException e, string path, IReadOnlyList<string> files)
    {
        if (string.IsNullOrEmpty(e.File)) return $"error without a file: {e.Message}";
        if (!e.Message.StartsWith(e.File, StringComparison.Ordinal)) return $"message does not start with the file: {e.Message}";
        // A problem of the whole dataset (no known format, several candidate files, a corrupt zip) names the dataset.
        if (e.File == path) return null;
        // An entry of the archive, named as the (possibly damaged) central directory names it.
        if (e.File.StartsWith(path + "!", StringComparison.Ordinal)) return e.Line > 0 || e.Field is not null || WholeFile(e.Problem) ? null : $"names no line or field: {e.Message}";
        bool namesCaseFile = files.Any(f => e.File.EndsWith(f, StringComparison.OrdinalIgnoreCase));
        if (!namesCaseFile) return $"names neither a file of the case nor the dataset: {e.Message}";
        // Whole-file problems (an empty or unreadable file, a corrupt archive) have no line; row problems must have one.
        if (e.Line <= 0 && e.Field is null && !WholeFile(e.Problem))
            return $"names no line or field: {e.Message}";
        return null;
    }

    private static bool WholeFile(string problem) =>
        problem.Contains("cannot be read", StringComparison.Ordinal) || problem.Contains("is empty", StringComparison.Ordinal)
        || problem.Contains("not a readable zip", StringComparison.Ordinal) || problem.Contains("lists no genres", StringComparison.Ordinal)
        || problem.StartsWith("column mapping", StringComparison.Ordinal);

    private static (string Path, IReadOnlyList<string> Files, long InputBytes) Write(FuzzSeed seed, FuzzCase fuzzCase, string dir)
    {
        var names = seed.Files.Keys.ToList();
        var target = names[fuzzCase.File % names.Count];
        var files = new Dictionary<string, byte[]>();
        foreach (var name in names)
        {
            var data = seed.Files[name];
            if (name == target)
            {
                foreach (var m in fuzzCase.Mutations) data = Mutations.Apply(data, m, Delimiter(name));
            }
            if (seed.GzipFiles.Contains(name))
            {
                data = FuzzSeeds.Gzip(data);
                if (name == target && fuzzCase.Container == Container.CorruptZip) data = Corrupt(data, fuzzCase.CorruptAt);
            }
            files[name] = data;
        }
        long inputBytes = files.Values.Sum(f => (long)f.Length);
        if (fuzzCase.Container == Container.Folder || (fuzzCase.Container == Container.CorruptZip && seed.GzipFiles.Count > 0))
        {
            var folder = Path.Combine(dir, seed.Name);
            Directory.CreateDirectory(folder);
            foreach (var (name, data) in files) File.WriteAllBytes(Path.Combine(folder, name), data);
            return (folder, names, inputBytes);
        }
        var zipPath = Path.Combine(dir, seed.Name + ".zip");
        using (var stream = new MemoryStream())
        {
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, data) in files)
                {
                    using var entry = zip.CreateEntry(seed.Name + "/" + name, CompressionLevel.Fastest).Open();
                    entry.Write(data);
                }
            }
            var bytes = stream.ToArray();
            if (fuzzCase.Container == Container.CorruptZip) bytes = Corrupt(bytes, fuzzCase.CorruptAt);
            File.WriteAllBytes(zipPath, bytes);
            inputBytes = Math.Max(inputBytes, bytes.Length);
        }
        return (zipPath, [.. names, Path.GetFileName(zipPath)], inputBytes);
    }

    /// <summary>Flips a few bytes, or truncates, or zeroes a run: a damaged download.</summary>
    private static byte[] Corrupt(byte[] data, int pick)
    {
        var copy = (byte[])data.Clone();
        int at = pick % Math.Max(1, copy.Length);
        switch (pick % 3)
        {
            case 0:
                for (int k = 0; k < 4 && at + (k * 7) < copy.Length; k++) copy[at + (k * 7)] ^= 0x5A;
                return copy;
            case 1:
                return copy[..at];
            default:
                Array.Clear(copy, at, Math.Min(64, copy.Length - at));
                return copy;
        }
    }

    private static byte Delimiter(string name) =>
        name.EndsWith(".dat", StringComparison.Ordinal) ? (byte)':'
        : name.EndsWith(".csv", StringComparison.Ordinal) ? (byte)','
        : name is "u.item" or "u.user" or "u.genre" ? (byte)'|'
        : name == "data.txt" ? (byte)';'
        : name == "movierec.columns" ? (byte)'='
        : (byte)'\t';
}
