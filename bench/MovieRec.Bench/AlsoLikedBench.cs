using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Onboarding;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Synthetic;

namespace MovieRec.Bench;

/// <summary>
/// <c>also-liked [--data ml-latest-small] [--n 8] [--seeds 0,1,2] [--min-held 5] [--max-held N] [--variants beta/lambda/min,...]</c>: what the movie
/// page's "People who liked this also liked" shows, judged by people the lists never saw. 20 % of the users are held
/// out; the lists come from the other 80 %; for every movie that at least 5 held-out users liked, each listed movie
/// is scored by the share of those held-out likers who liked it too ("also liked": what the heading promises), by the added share (that share less the share of all held-out users who liked it), by
/// its lift (that share over the share of all held-out users who liked it: how specific the list is to this movie,
/// geometric mean), by whether it is among the 100 most-rated movies, whether it shares at least half of the movie's
/// genres, and how many lists are shorter than asked (too few co-likers).
/// </summary>
internal static class AlsoLikedBench
{
    public static int Run(string[] args)
    {
        if (Array.IndexOf(args, "--time") >= 0) return Time(args);
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        int n = Bench.IntOption(args, "--n", 8);
        int minHeld = Bench.IntOption(args, "--min-held", 5), maxHeld = Bench.IntOption(args, "--max-held", int.MaxValue);
        var seeds = (Bench.Option(args, "--seeds") ?? "0,1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var variants = (Bench.Option(args, "--variants") ?? "0.5/0/1,0.5/5/3,0.6/5/3,0.7/5/3,0.8/5/3,0.7/10/3,0.7/5/5,1/5/3")
            .Split(',').Select(v => v.Split('/').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var all = dataset.Ratings;
        float threshold = Likes.Threshold(all.Scale);
        var table = new BenchTable("list", "also liked (held out)", "added (share − base)", "lift (geo. mean)", "among 100 most-rated", "genres alike", "short lists");
        var sums = new Dictionary<string, double[]>();
        var order = new List<string>();
        foreach (int seed in seeds)
        {
            var (train, held) = OnboardingEvaluation.HoldOutUsers(all, 0.2, seed);
            // Held-out likers per item.
            var heldLikers = new HashSet<int>[all.ItemCount];
            foreach (int u in held)
            {
                var items = all.ByUser.RowColumns(u);
                var values = all.ByUser.RowValues(u);
                for (int k = 0; k < items.Length; k++)
                {
                    if (values[k] >= threshold) (heldLikers[items[k]] ??= []).Add(u);
                }
            }
            var trainCounts = new int[all.ItemCount];
            for (int k = 0; k < train.Count; k++) trainCounts[train.Items[k]]++;
            var mostRated = new HashSet<int>(Enumerable.Range(0, all.ItemCount).OrderByDescending(i => trainCounts[i]).ThenBy(i => i).Take(100));
            var sources = Enumerable.Range(0, all.ItemCount).Where(i => heldLikers[i]?.Count >= minHeld && heldLikers[i].Count <= maxHeld).ToArray();

            var lists = new List<(string Name, Func<int, IReadOnlyList<int>> List)>();
            var knn = new ItemKnnRanker(new ItemKnnRankerOptions { Neighbors = 50 });
            knn.Fit(new TrainingData(train), TrainingContext.Default);
            lists.Add(("item-knn cosine of who rated (before)", i => knn.Neighbours(i).Items.ToArray().Take(n).ToArray()));
            foreach (var v in variants)
            {
                var options = new CoLikedMoviesOptions { CandidateExponent = v[0], Shrinkage = v[1], MinimumBoth = (int)v[2] };
                var coLiked = new CoLikedMovies(train, options);
                lists.Add(($"co-liked β {v[0]}, λ {v[1]}, at least {v[2]}", i => [.. coLiked.Top(i, n).Select(c => c.Item)]));
            }
            foreach (var (name, list) in lists)
            {
                if (!sums.ContainsKey(name)) { sums[name] = new double[8]; order.Add(name); }
                var s = sums[name];
                foreach (int i in sources)
                {
                    var likers = heldLikers[i];
                    var shown = list(i);
                    if (shown.Count < n) s[5]++;
                    s[6]++;
                    foreach (int j in shown)
                    {
                        int both = heldLikers[j] is { } lj ? likers.Count(lj.Contains) : 0;
                        double share = (double)both / likers.Count;
                        double baseRate = (double)(heldLikers[j]?.Count ?? 0) / held.Length;
                        s[0] += share;
                        s[7] += share - baseRate;
                        s[1] += Math.Log((share + 0.5 / likers.Count) / (baseRate + 0.5 / held.Length));
                        if (mostRated.Contains(j)) s[2]++;
                        if (GenresAlike(dataset, i, j)) s[3]++;
                        s[4]++;
                    }
                }
            }
        }
        Console.WriteLine($"also-liked: seeds {string.Join(',', seeds)}, 20 % of users held out, top {n}; movies that {minHeld} to {(maxHeld == int.MaxValue ? "any" : maxHeld.ToString(CultureInfo.InvariantCulture))} held-out users liked.");
        foreach (string name in order)
        {
            var s = sums[name];
            table.Add(name, Bench.F(s[0] / s[4], "0.000"), Bench.F(s[7] / s[4], "0.000"), Bench.F(Math.Exp(s[1] / s[4]), "0.00"), Bench.F(s[2] / s[4], "0.000"), Bench.F(s[3] / s[4], "0.000"), Bench.F(s[5] / s[6], "0.000"));
        }
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>
    /// <c>also-liked --time [--synthetic RATINGS]</c>: the cost of one list (computed per request, nothing precomputed)
    /// for every movie at least one person liked, on ml-latest-small or a generated dataset of the given size
    /// (the ml-25m shape at 25,000,000), and the most expensive movies.
    /// </summary>
    private static int Time(string[] args)
    {
        RatingDataset ratings;
        if (Bench.Option(args, "--synthetic") is { } size)
        {
            var options = SyntheticOptions.ForRatings(int.Parse(size, CultureInfo.InvariantCulture));
            var started = System.Diagnostics.Stopwatch.StartNew();
            ratings = SyntheticDatasetGenerator.Generate(options);
            Console.WriteLine($"generated {ratings.Count:N0} ratings ({options.Users:N0} users, {options.Items:N0} items) in {started.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            ratings = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset)).Ratings;
        }
        var coLiked = new CoLikedMovies(ratings, new CoLikedMoviesOptions { CachedMovies = 0 }); // every list computed
        var items = Enumerable.Range(0, ratings.ItemCount).Where(i => coLiked.LikeCount(i) > 0).ToArray();
        int limit = Bench.IntOption(args, "--items", 2000);
        // The most-liked movies first (the expensive ones), then a spread of the rest.
        var ordered = items.OrderByDescending(coLiked.LikeCount).ToArray();
        var chosen = ordered.Take(limit / 2).Concat(ordered.Skip(limit / 2).Where((_, k) => k % Math.Max(1, (ordered.Length - limit / 2) / (limit / 2)) == 0).Take(limit / 2)).ToArray();
        foreach (int i in chosen.Take(20)) coLiked.Top(i, 10); // JIT and caches
        var ms = new double[chosen.Length];
        for (int k = 0; k < chosen.Length; k++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            coLiked.Top(chosen[k], 10);
            ms[k] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        var most = ms.Take(Math.Min(10, ms.Length)).ToArray();
        Console.WriteLine($"also-liked --time: {chosen.Length:N0} movies (the {limit / 2:N0} most liked and a spread of the rest; most liked: {coLiked.LikeCount(ordered[0]):N0} likers)");
        Console.WriteLine($"  per list: p50 {Bench.F(Bench.Quantile((double[])ms.Clone(), 0.5), "0.000")} ms, p90 {Bench.F(Bench.Quantile((double[])ms.Clone(), 0.9), "0.000")} ms, p99 {Bench.F(Bench.Quantile((double[])ms.Clone(), 0.99), "0.000")} ms, max {Bench.F(ms.Max(), "0.000")} ms; the 10 most liked movies: mean {Bench.F(most.Average(), "0.000")} ms");
        return 0;
    }

    private static bool GenresAlike(Dataset dataset, int a, int b)
    {
        if (dataset.MovieOf(a) is not { } x || dataset.MovieOf(b) is not { } y || x.Genres.Count == 0) return false;
        int shared = x.Genres.Count(y.Genres.Contains);
        return 2 * shared >= x.Genres.Count;
    }
}
