using System.Diagnostics;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>content [--data tmdb-5000] [--runs 11] [--movies 100000] [--tokens 20]</c>: content similarity (soup count
/// vectors, cosine, top-10 per movie) for every TMDB 5000 movie: median build time (goal &lt;= 0.1 s; scikit-learn 0.052
/// s vectorizer + 0.24 s cosine) and index memory (goal &lt;= 10 MiB; scikit-learn's dense matrix 176 MiB); then a
/// synthetic catalogue whose soups draw Zipf-distributed tokens (time, peak memory &lt; 2 GB).
/// </summary>
internal static class ContentBench
{
    private const double BuildGoalSeconds = 0.1;
    private const double ReferenceSeconds = 0.052 + 0.24;
    private const double IndexGoalBytes = 10.0 * (1 << 20);
    private const double ReferenceBytes = 4803.0 * 4803 * 8;
    private const double SyntheticMemoryGoal = 2.0 * (1L << 30);
    private const int K = 10;

    public static int Run(string[] args)
    {
        var data = Bench.Option(args, "--data") ?? "tmdb-5000";
        int runs = Bench.IntOption(args, "--runs", 11);
        int syntheticMovies = Bench.IntOption(args, "--movies", 100_000);
        int tokensPerMovie = Bench.IntOption(args, "--tokens", 20);
        var movies = DatasetLoader.Load(DataLocator.Resolve(data)).Catalog.Movies;
        // The first seed's soup: the comparison is with scikit-learn's CountVectorizer over the same soup.
        var options = new ContentSimilarityOptions { Neighbours = K, Fields = null };
        var similarity = ContentSimilarity.Build(movies, options); // warm-up (JIT)
        var times = new double[runs];
        var cpu = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            similarity = ContentSimilarity.Build(movies, options);
            times[r] = watch.Elapsed.TotalSeconds;
            cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        double median = Bench.Median(times);
        long indexBytes = similarity.Index.Bytes;
        var v = similarity.Vectors;
        long vectorBytes = (long)v.Offsets.Length * 4 + (long)v.NonZeros * 8;
        Console.WriteLine($"content: {movies.Count:N0} movies, vocabulary {v.Vocabulary.Count:N0}, nnz {v.NonZeros:N0} (scikit-learn: 17,832 and 68,102), top-{K}, {Environment.ProcessorCount} cores. {Bench.Contention}");

        // Synthetic catalogue: fresh soups, same pipeline minus the TMDB parsing.
        var documents = SyntheticSoups(syntheticMovies, tokensPerMovie, seed: 0);
        GC.Collect();
        var synthWatch = Stopwatch.StartNew();
        var synthVectors = SparseVectors.Build(documents, SparseVectors.Weighting.Count);
        var synthIndex = SimilarityIndex.Build(synthVectors, K);
        double synthSeconds = synthWatch.Elapsed.TotalSeconds;
        long peak = Bench.PeakWorkingSet();

        var table = new BenchTable("figure", "measured", "scikit-learn", "ratio", "goal", "goal met");
        table.Add($"TMDB 5000 build, vectors + top-{K} (s, median of {runs})", Bench.F(median, "0.000"), Bench.F(ReferenceSeconds, "0.000"),
            $"{Bench.F(ReferenceSeconds / median, "0.0")}x faster", "<= 0.1 s", Bench.YesNo(median <= BuildGoalSeconds));
        table.Add($"TMDB 5000 top-{K} index (MiB)", Bench.F(indexBytes / (double)(1 << 20), "0.00"), Bench.F(ReferenceBytes / (1 << 20), "0"),
            $"{Bench.F(indexBytes / ReferenceBytes, "0.0000")}", "<= 10 MiB", Bench.YesNo(indexBytes <= IndexGoalBytes));
        table.Add($"synthetic {syntheticMovies:N0} movies build (s)", Bench.F(synthSeconds, "0.0"), "", "", "works (minutes)", Bench.YesNo(synthIndex.Rows == syntheticMovies));
        table.Add("synthetic peak working set (GB, whole process)", Bench.F(peak / (double)(1L << 30), "0.00"), "", Bench.F(peak / SyntheticMemoryGoal, "0.00"), "< 2 GB",
            Bench.YesNo(peak < SyntheticMemoryGoal));
        table.Print(Console.Out);
        Console.WriteLine($"  TMDB build min {times[0]:0.000} s, max {times[^1]:0.000} s, median CPU (both cores summed) {Bench.Median(cpu):0.000} s; the sparse vectors add {vectorBytes / (double)(1 << 20):0.00} MiB beside the index.");
        Console.WriteLine($"  synthetic: {tokensPerMovie} tokens per movie drawn Zipf(s=1) from {2 * syntheticMovies:N0} tokens plus 1-3 of 20 Zipf genres; vocabulary {synthVectors.Vocabulary.Count:N0}, nnz {synthVectors.NonZeros:N0}; index {synthIndex.Bytes / (double)(1 << 20):0.0} MiB.");
        return 0;
    }

    /// <summary>Soups like TMDB's: 1-3 genres from 20 (Zipf), then tokens from a Zipf(s=1) vocabulary of 2 x movies names.</summary>
    private static List<IReadOnlyList<string>> SyntheticSoups(int movies, int tokens, int seed)
    {
        var random = new Random(seed);
        var genres = Cumulative(20);
        int vocabulary = 2 * movies;
        var words = Cumulative(vocabulary);
        var documents = new List<IReadOnlyList<string>>(movies);
        for (int m = 0; m < movies; m++)
        {
            var doc = new List<string>(tokens + 3);
            int genreCount = 1 + random.Next(3);
            for (int g = 0; g < genreCount; g++) doc.Add("genre" + Draw(genres, random));
            for (int t = 0; t < tokens; t++) doc.Add("w" + Draw(words, random));
            documents.Add(doc);
        }
        return documents;
    }

    private static double[] Cumulative(int n)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            sum += 1.0 / (r + 1);
            cumulative[r] = sum;
        }
        for (int r = 0; r < n; r++) cumulative[r] /= sum;
        return cumulative;
    }

    private static int Draw(double[] cumulative, Random random)
    {
        int i = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }
}
