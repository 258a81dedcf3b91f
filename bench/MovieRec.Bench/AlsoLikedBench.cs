using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Onboarding;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

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

    private static bool GenresAlike(Dataset dataset, int a, int b)
    {
        if (dataset.MovieOf(a) is not { } x || dataset.MovieOf(b) is not { } y || x.Genres.Count == 0) return false;
        int shared = x.Genres.Count(y.Genres.Contains);
        return 2 * shared >= x.Genres.Count;
    }
}
