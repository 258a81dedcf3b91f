using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// <c>ranking [--data X] [--only svd,ease]</c>: leave-latest-out HR@10 and NDCG@10 on ml-latest-small, full catalogue
/// and sampled (100 never-rated negatives), against ../shared/reference (Surprise SVD and most-popular) and the
/// issue's goals for the best top-N model (full HR@10 &gt;= 0.085, sampled HR@10 &gt;= 0.80).
/// </summary>
internal static class Ranking
{
    private const double FullGoal = 0.085;
    private const double SampledGoal = 0.80;

    public static int Run(string[] args)
    {
        var data = Bench.Option(args, "--data") ?? DataLocator.DefaultDataset;
        // Default: Surprise's SVD for reference, then every ranker of the catalogue that needs no content features.
        var names = Bench.Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? ["svd", .. AlgorithmCatalog.All.Where(e => e.Kind == AlgorithmKind.Ranker && !e.NeedsCatalog).Select(e => e.Name)];
        var dataset = DatasetLoader.Load(DataLocator.Resolve(data), new LoadOptions { IncludeTmdb = false, IncludeTags = false });
        var ratings = dataset.Ratings;
        var metrics = new[] { Metric.Parse("hr@10"), Metric.Parse("ndcg@10") };
        var full = new EvaluationSettings { Protocol = EvaluationProtocol.LeaveLatestOut, Seed = 0, Metrics = metrics };
        var sampled = full with { Protocol = EvaluationProtocol.Sampled };
        var split = CrossValidation.SplitsFor(ratings, full);
        Console.WriteLine($"ranking: leave-latest-out on {ratings.Count:N0} ratings ({split[0].Test.Count} held out). {Bench.Contention}");
        Console.WriteLine("reference: Surprise SVD full 0.0197/0.0083, sampled 0.3393/0.2020; most popular full 0.0426/0.0194, sampled 0.6115/0.3474.");
        var table = new BenchTable("model", "full HR@10", "ref", "x ref", "goal", "x goal", "full NDCG@10", "ref", "sampled HR@10", "ref", "goal", "x goal", "sampled NDCG@10", "ref", "fit s", "goal met");
        foreach (var name in names)
        {
            if (AlgorithmCatalog.Find(name) is not { } info)
            {
                table.Add(name, "not in the catalogue", "", "", "", "", "", "", "", "", "", "", "", "", "", "no");
                continue;
            }
            // The catalogue of movies.csv (genres, release years) feeds best-ranking's context features.
            var f = CrossValidation.Run(info.Name, () => info.Create(), split, full, dataset.Catalog);
            var s = CrossValidation.Run(info.Name, () => info.Create(), split, sampled, dataset.Catalog);
            bool popular = info.Name == "popularity";
            (double hr, double ndcg, double shr, double sndcg) = popular ? (0.0426, 0.0194, 0.6115, 0.3474) : (0.0197, 0.0083, 0.3393, 0.2020);
            double fh = f.Mean["hr@10"], sh = s.Mean["hr@10"];
            table.Add(name, Bench.F(fh), Bench.F(hr), Bench.F(fh / hr, "0.00"), Bench.F(FullGoal, "0.000"), Bench.F(fh / FullGoal, "0.00"),
                Bench.F(f.Mean["ndcg@10"]), Bench.F(ndcg), Bench.F(sh), Bench.F(shr), Bench.F(SampledGoal, "0.00"), Bench.F(sh / SampledGoal, "0.00"),
                Bench.F(s.Mean["ndcg@10"]), Bench.F(sndcg), Bench.F(f.FitSeconds, "0.00"), Bench.YesNo(fh >= FullGoal && sh >= SampledGoal));
            Console.WriteLine($"  done {name}");
        }
        Console.WriteLine();
        table.Print(Console.Out);
        Console.WriteLine("ref: Surprise SVD's figure, or most-popular's for popularity. The goals are for the best top-N model; other rows show how far each is.");
        return 0;
    }
}
