using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Bench;

/// <summary>
/// <c>newuser-predict [--seeds 0,1,2] [--priors 0,2,5,10,20] [--given 1,3,5,10,20] [--algorithm svd|svdpp|svd-tuned]</c>: how well the stars shown beside a new
/// user's recommendations ("predicted 4.5") match what they rated (<see cref="NewUserProtocol.EvaluatePredictions"/>):
/// the service's SVD (its options from src/MovieRec.Web/appsettings.json) folds in the given ratings, favourites or
/// random, for each fold-in prior strength (<see cref="SvdOptions.FoldInPrior"/>), against the training mean and
/// the item baseline (μ + b_i, no user term) as references.
/// </summary>
internal static class NewUserPredictionsBench
{
    public static int Run(string[] args)
    {
        var seeds = Ints(Bench.Option(args, "--seeds") ?? "0,1,2");
        var priors = (Bench.Option(args, "--priors") ?? "0,2,5,10,20").Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var given = Ints(Bench.Option(args, "--given") ?? "1,3,5,10,20");
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        var served = NewUserBench.ServiceOptions();
        string algorithm = AlgorithmCatalog.Get(Bench.Option(args, "--algorithm") ?? "svd").Name;
        var svdParameters = served.GetValueOrDefault(algorithm, AlgorithmParameters.Empty);
        Console.WriteLine($"newuser-predict: {dataset.Name}, seeds {string.Join(',', seeds)}, the service's {algorithm} ({svdParameters}); RMSE / MAE / mean signed error (predicted - actual) of every other rating of each held-out user. {Bench.Contention}");
        foreach (var selection in new[] { GivenSelection.Favourites, GivenSelection.Random })
        {
            var rows = new Dictionary<string, List<NewUserPredictionPoint>>();
            foreach (int seed in seeds)
            {
                var settings = new NewUserSettings { Seed = seed, Given = given, Selection = selection };
                var split = NewUserProtocol.Split(dataset.Ratings, settings);
                var data = new TrainingData(split.Train, dataset.Catalog);
                double mean = split.Train.GlobalMean;
                Add(rows, "training mean", NewUserProtocol.EvaluatePredictions(split, settings, _ => _ => mean));
                foreach (double prior in priors)
                {
                    var model = (FactorModel)AlgorithmCatalog.Get(algorithm).Create(svdParameters.With("fold-in-prior", prior.ToString(CultureInfo.InvariantCulture)));
                    model.Fit(data, new TrainingContext { Seed = seed });
                    if (prior == priors[0])
                        Add(rows, "item baseline (mu + b_i)", NewUserProtocol.EvaluatePredictions(split, settings, _ => item => model.Predict(model.FoldIn([]), item)));
                    Add(rows, $"{algorithm} fold-in, prior {prior.ToString(CultureInfo.InvariantCulture)}", NewUserProtocol.EvaluatePredictions(split, settings, ratings =>
                    {
                        var user = model.FoldIn(ratings);
                        return item => model.Predict(user, item);
                    }));
                }
            }
            var table = new BenchTable([$"{selection.ToString().ToLowerInvariant()} given", .. given.Select(g => $"{g}: RMSE / MAE / bias")]);
            foreach (var (name, points) in rows)
                table.Add([name, .. given.Select(g => points.Where(p => p.Given == g).ToList()).Select(ps =>
                    $"{ps.Average(p => p.Rmse):0.000} / {ps.Average(p => p.Mae):0.000} / {Math.Round(ps.Average(p => p.MeanError), 2):+0.00;-0.00;0.00}")]);
            Console.WriteLine();
            table.Print(Console.Out);
        }
        return 0;
    }

    private static void Add(Dictionary<string, List<NewUserPredictionPoint>> rows, string name, IReadOnlyList<NewUserPredictionPoint> points)
    {
        if (!rows.TryGetValue(name, out var list)) rows[name] = list = [];
        list.AddRange(points);
    }

    private static int[] Ints(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
}
