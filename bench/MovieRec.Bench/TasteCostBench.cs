using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>taste-cost [--profiles 300] [--passes 3] [--pool 50] [--save FILE] [--compare FILE]</c>: what one all-miss request costs the
/// service's default algorithm (<c>taste</c>, fitted deterministically on ml-latest-small as the service loads it),
/// single-threaded: FoldIn + Score over every movie + the top 10, for random 10-rating profiles of the <c>--pool</c> most-rated
/// movies with random ratings (50: like the profiles of <c>serve</c>). <c>--save</c> writes every profile's scores; <c>--compare</c> reads
/// such a file (from an older build) and prints the largest score difference and how many top-10 lists changed, so a
/// speed-up can be shown to give the same lists.
/// </summary>
internal static class TasteCostBench
{
    public static int Run(string[] args)
    {
        int profiles = Bench.IntOption(args, "--profiles", 300);
        int passes = Bench.IntOption(args, "--passes", 3);
        int pool = Bench.IntOption(args, "--pool", 50);
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset), new LoadOptions { IncludeTmdb = false });
        var training = TrainingData.From(dataset);
        var ratings = dataset.Ratings;
        var clock = Stopwatch.StartNew();
        var model = AlgorithmCatalog.Create("taste");
        model.Fit(training, TrainingContext.Deterministic(0));
        Console.WriteLine($"taste-cost: taste fitted single-threaded in {clock.Elapsed.TotalSeconds:0.0} s; {profiles} profiles of 10 random ratings of the {pool} most-rated movies, {passes} passes (the first warms up). {Bench.Contention}");
        var ties = TieBreak.ByTrainingRatings(ratings);
        var popular = Enumerable.Range(0, ratings.ItemCount).OrderByDescending(i => ratings.ByItem.RowLength(i)).ThenBy(i => i).Take(pool).ToArray();
        var rng = new Random(7);
        var requests = new ItemRating[profiles][];
        for (int p = 0; p < profiles; p++)
        {
            var items = popular.OrderBy(_ => rng.Next()).Take(10).ToArray();
            requests[p] = Array.ConvertAll(items, i => new ItemRating(i, rng.Next(1, 11) / 2f));
        }
        int n = model.ItemCount;
        var scores = new float[profiles][];
        for (int p = 0; p < profiles; p++) scores[p] = new float[n];
        var tops = new ScoredItem[profiles][];
        var table = new BenchTable("pass", "mean ms", "median ms", "p99 ms", "max ms", "requests/s (1 core)", "KiB allocated / request");
        var times = new double[profiles];
        for (int pass = 0; pass < passes; pass++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            for (int p = 0; p < profiles; p++)
            {
                long start = Stopwatch.GetTimestamp();
                var folded = model.FoldIn(requests[p]);
                model.Score(folded, scores[p]);
                var exclude = Array.ConvertAll(requests[p], r => r.Item);
                Array.Sort(exclude);
                tops[p] = TopN.Select(scores[p], 10, ties, exclude);
                times[p] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var sorted = times.Order().ToArray();
            double mean = times.Average();
            table.Add(pass == 0 ? "0 (warm-up)" : pass.ToString(CultureInfo.InvariantCulture), Bench.F(mean, "0.000"), Bench.F(Bench.Median(sorted), "0.000"),
                Bench.F(Bench.Quantile(sorted, 0.99), "0.000"), Bench.F(sorted[^1], "0.000"), Bench.F(1000 / mean, "0"),
                Bench.F(allocated / 1024.0 / profiles, "0.0"));
        }
        table.Print(Console.Out);
        if (Bench.Option(args, "--save") is { } save)
        {
            using var writer = new BinaryWriter(File.Create(save));
            writer.Write(profiles);
            writer.Write(n);
            foreach (var s in scores)
            {
                foreach (float v in s) writer.Write(v);
            }
            Console.WriteLine($"scores of {profiles} profiles saved to {save}");
        }
        if (Bench.Option(args, "--compare") is { } compare)
        {
            using var reader = new BinaryReader(File.OpenRead(compare));
            if (reader.ReadInt32() != profiles || reader.ReadInt32() != n) throw new ArgumentException($"{compare} holds other profiles or items");
            double largest = 0;
            int changedLists = 0;
            for (int p = 0; p < profiles; p++)
            {
                var old = new float[n];
                for (int i = 0; i < n; i++) old[i] = reader.ReadSingle();
                for (int i = 0; i < n; i++) largest = Math.Max(largest, Math.Abs(old[i] - scores[p][i]));
                var exclude = Array.ConvertAll(requests[p], r => r.Item);
                Array.Sort(exclude);
                var oldTop = TopN.Select(old, 10, ties, exclude);
                if (!oldTop.Select(s => s.Item).SequenceEqual(tops[p].Select(s => s.Item))) changedLists++;
            }
            Console.WriteLine($"against {compare}: largest score difference {largest:G3}; top-10 lists changed: {changedLists} of {profiles}");
        }
        return 0;
    }
}
