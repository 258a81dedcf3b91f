using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// <c>newuser [--seeds 0,1,2] [--only a,b] [--curve 1,3,5,10,20|none] [--param algorithm:name=value]... [--update-docs docs/benchmarks.md]</c>: the new-user
/// protocol (<see cref="NewUserProtocol"/>: 20 % of users held out, each gives 5 favourites) for every algorithm the
/// service serves, with the options the service gives them (src/MovieRec.Web/appsettings.json), averaged over seeds;
/// the floor every algorithm offered to new users must meet (precision@10 at least the most-rated list's,
/// personalization >= 0.8) and the default's goals (precision@10 >= 0.40, HR@10 >= 0.92, personalization >= 0.9,
/// popularity share <= 0.5); then the default's curve over the number of favourites, and the variant with random
/// ratings given instead of favourites.
/// </summary>
internal static class NewUserBench
{
    private const string Default = "taste";

    private const string Usage = """
        usage: newuser [--seeds 0,1,2] [--only a,b] [--curve 1,3,5,10,20|none] [--param algorithm:name=value]... [--data X] [--update-docs FILE]
          --seeds    the protocol's seeds (figures are their means; default 0,1,2)
          --only     these algorithms (and the most-rated list) instead of every servable one
          --curve    numbers of ratings given for the default's curve, favourites and random; none skips it
          --param    an algorithm's option over the service's (repeatable), e.g. --param taste:popular-share=0.5
          --per-seed print each seed's precision@10, HR@10 and personalization as well
          --all-tags keep the held-out users' own MovieLens tags in the catalogue (by default only the training
                     users' tags are: a person's tags say what they watched)
        """;

    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var seeds = Counts(Bench.Option(args, "--seeds") ?? "0,1,2", allowZero: true);
        string curveText = Bench.Option(args, "--curve") ?? "1,3,5,10,20";
        var curve = curveText == "none" ? [] : Counts(curveText, allowZero: false);
        var entries = Bench.Option(args, "--only") is { } only ? AlgorithmCatalog.Resolve(only) : [.. AlgorithmCatalog.Servable];
        if (!entries.Any(e => e.Name == "popularity")) entries = [AlgorithmCatalog.Get("popularity"), .. entries];
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        var served = ServiceOptions();
        Override(served, args);
        PerSeed = args.Contains("--per-seed");
        AllTags = args.Contains("--all-tags");
        Console.WriteLine($"newuser: {dataset.Name}, seeds {string.Join(',', seeds)}, the service's options ({string.Join("; ", served.Select(p => $"{p.Key}: {p.Value}"))}). {Bench.Contention}");

        var main = Measure(dataset, entries, served, seeds, [5], GivenSelection.Favourites);
        double popularPrecision = main[("popularity", 5)].Precision;
        var table = new BenchTable("algorithm", "offered", "P@10", "R@10", "HR@10", "NDCG@10", "personal.", "top-100 share", "coverage", "fit s", "floor met");
        foreach (var entry in entries)
        {
            var p = main[(entry.Name, 5)];
            bool floor = p.Precision >= popularPrecision && p.Personalization >= 0.8;
            table.Add(entry.Name + (entry.Name == Default ? " (default)" : ""), entry.ForNewUsers ? "yes" : "no", Bench.F(p.Precision, "0.000"), Bench.F(p.Recall, "0.000"),
                Bench.F(p.HitRate, "0.000"), Bench.F(p.Ndcg, "0.000"), Bench.F(p.Personalization, "0.000"), Bench.F(p.PopularityShare, "0.000"),
                Bench.F(p.Coverage, "0.000"), Bench.F(p.FitSeconds, "0.0"), entry.ForNewUsers ? Bench.YesNo(floor) : "not offered");
        }
        table.Print(Console.Out);
        if (!main.TryGetValue((Default, 5), out var d)) return 0;
        Console.WriteLine($"default {Default}: P@10 {d.Precision:0.000} (goal >= 0.40, {d.Precision / popularPrecision:0.00}x the most-rated list), HR@10 {d.HitRate:0.000} (goal >= 0.92), " +
            $"personalization {d.Personalization:0.000} (goal >= 0.9), top-100 share {d.PopularityShare:0.000} (goal <= 0.5)");

        if (curve.Length == 0)
        {
            if (Bench.Option(args, "--update-docs") is not null) throw new ArgumentException("--update-docs needs the curve.");
            return 0;
        }
        var curveEntries = new[] { AlgorithmCatalog.Get("popularity"), AlgorithmCatalog.Get(Default) };
        var byCount = Measure(dataset, curveEntries, served, seeds, curve, GivenSelection.Favourites);
        var random = Measure(dataset, curveEntries, served, seeds, curve, GivenSelection.Random);
        var curveTable = new BenchTable("given", "favourites: most-rated P@10", $"{Default} P@10", $"{Default} HR@10", $"{Default} personal.", "better",
            "random: most-rated P@10", $"{Default} P@10", $"{Default} HR@10", "better");
        foreach (int g in curve)
        {
            var (pf, tf, pr, tr) = (byCount[("popularity", g)], byCount[(Default, g)], random[("popularity", g)], random[(Default, g)]);
            curveTable.Add(g.ToString(CultureInfo.InvariantCulture), Bench.F(pf.Precision, "0.000"), Bench.F(tf.Precision, "0.000"), Bench.F(tf.HitRate, "0.000"),
                Bench.F(tf.Personalization, "0.000"), Bench.YesNo(tf.Precision > pf.Precision), Bench.F(pr.Precision, "0.000"), Bench.F(tr.Precision, "0.000"),
                Bench.F(tr.HitRate, "0.000"), Bench.YesNo(tr.Precision > pr.Precision));
        }
        Console.WriteLine();
        curveTable.Print(Console.Out);

        if (Bench.Option(args, "--update-docs") is { } doc)
        {
            DocSection.Replace(doc, "newuser-table", table.Markdown());
            DocSection.Replace(doc, "newuser-curve", curveTable.Markdown());
            Console.WriteLine($"updated {doc}");
        }
        return 0;
    }

    private sealed record Point(double Precision, double Recall, double HitRate, double Ndcg, double Personalization, double PopularityShare, double Coverage, double FitSeconds);

    /// <summary>Each (algorithm, given) averaged over the seeds.</summary>
    private static Dictionary<(string, int), Point> Measure(Dataset dataset, IReadOnlyList<AlgorithmEntry> entries, Dictionary<string, AlgorithmParameters> served,
        int[] seeds, int[] given, GivenSelection selection)
    {
        var sums = new Dictionary<(string, int), List<(NewUserPoint Point, double Fit)>>();
        foreach (int seed in seeds)
        {
            var settings = new NewUserSettings { Seed = seed, Given = given, Selection = selection };
            var split = NewUserProtocol.Split(dataset.Ratings, settings);
            // The held-out users' own tags would tell content models what they watched (--all-tags: measure with them).
            using var tags = AllTags ? null : TrainingUsersTags.Restrict(dataset, split);
            var data = new TrainingData(split.Train, dataset.Catalog);
            var ties = TieBreak.ByTrainingRatings(split.Train);
            foreach (var entry in entries)
            {
                var model = entry.Create(served.GetValueOrDefault(entry.Name));
                var watch = Stopwatch.StartNew();
                model.Fit(data, new TrainingContext { Seed = seed });
                double fit = watch.Elapsed.TotalSeconds;
                var points = NewUserProtocol.Evaluate(split, settings, (ratings, k) =>
                    Array.ConvertAll(NewUserRecommendations.Recommend(model, ratings, split.Train.Scale, k, ties), s => s.Item));
                foreach (var p in points)
                {
                    if (PerSeed) Console.Error.WriteLine($"    seed {seed} given {p.Given}: P@10 {p.Precision:0.000} HR@10 {p.HitRate:0.000} personal. {p.Personalization:0.000} top-100 {p.PopularityShare:0.000}");
                    if (!sums.TryGetValue((entry.Name, p.Given), out var list)) sums[(entry.Name, p.Given)] = list = [];
                    list.Add((p, fit));
                }
                Console.Error.WriteLine($"  seed {seed} {selection.ToString().ToLowerInvariant()} {entry.Name} done");
            }
        }
        return sums.ToDictionary(s => s.Key, s => new Point(
            s.Value.Average(v => v.Point.Precision), s.Value.Average(v => v.Point.Recall), s.Value.Average(v => v.Point.HitRate), s.Value.Average(v => v.Point.Ndcg),
            s.Value.Average(v => v.Point.Personalization), s.Value.Average(v => v.Point.PopularityShare), s.Value.Average(v => v.Point.Coverage), s.Value.Average(v => v.Fit)));
    }

    /// <summary>The options the service gives each algorithm: MovieRec:Algorithms in src/MovieRec.Web/appsettings.json.</summary>
    internal static Dictionary<string, AlgorithmParameters> ServiceOptions()
    {
        var result = new Dictionary<string, AlgorithmParameters>(StringComparer.OrdinalIgnoreCase);
        var dir = new DirectoryInfo(Environment.CurrentDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) dir = dir.Parent;
        var path = dir is null ? null : Path.Combine(dir.FullName, "src", "MovieRec.Web", "appsettings.json");
        if (path is null || !File.Exists(path)) return result;
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("MovieRec", out var movieRec) || !movieRec.TryGetProperty("Algorithms", out var algorithms)) return result;
        foreach (var algorithm in algorithms.EnumerateObject())
            result[algorithm.Name] = AlgorithmParameters.Parse(algorithm.Value.EnumerateObject().Select(o => $"{o.Name}={o.Value.GetString() ?? o.Value.GetRawText()}"));
        return result;
    }

    private static bool PerSeed;

    /// <summary>Keep the held-out users' own tags in the catalogue (leaks what they watched; for comparison only).</summary>
    private static bool AllTags;

    /// <summary>--param algorithm:name=value: options over the service's, for trying a change before it becomes the default.</summary>
    private static void Override(Dictionary<string, AlgorithmParameters> served, string[] args)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] != "--param") continue;
            string text = args[i + 1];
            int colon = text.IndexOf(':', StringComparison.Ordinal), eq = text.IndexOf('=', StringComparison.Ordinal);
            if (colon <= 0 || eq < colon + 2) throw new ArgumentException($"--param takes algorithm:name=value, not '{text}'.");
            string name = AlgorithmCatalog.Get(text[..colon]).Name;
            served[name] = served.GetValueOrDefault(name, AlgorithmParameters.Empty).With(text[(colon + 1)..eq], text[(eq + 1)..]);
        }
    }

    private static int[] Counts(string text, bool allowZero) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
        {
            int v = int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture);
            return v > 0 || (allowZero && v == 0) ? v : throw new ArgumentException($"'{t}' is not a valid count.");
        })];
}
