using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Models;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec train` (fit a model, save a .mrec file) and `movierec recommend` (top-N from a saved model).</summary>
internal static class ModelCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return Train(context);
        yield return Recommend(context);
    }

    private static Command Train(CliContext context)
    {
        var data = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var columns = CommonOptions.Columns();
        var algorithm = new Option<string>("--algorithm") { Description = "Algorithm name, e.g. svd, svd-tuned, svdpp, nmf, baseline, popularity, ease, ease-recency, ials, item-knn, sequential.", DefaultValueFactory = _ => "svd" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "A hyperparameter as name=value (repeatable), e.g. --param factors=200 --param epochs=30.",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "The model file to write (.mrec).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Training threads: 0 = every core, 1 = deterministic.", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a model on a dataset and save it to a model file.") { data, lenient, columns, algorithm, parameters, output, seed, threads };
        command.SetAction(parse =>
        {
            var info = AlgorithmRegistry.Get(parse.GetValue(algorithm)!);
            var model = info.Create(ParseParameters(parse.GetValue(parameters)));
            if (!PersistentModels.CanSave(model) || model is not IPersistentModel persistent)
                throw new CliException(PersistentModels.NotPersistent.TryGetValue(info.Name, out var reason)
                    ? $"{info.Name} cannot be saved to a model file yet: {reason}."
                    : $"{info.Name} cannot be saved to a model file yet.");
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, parse.GetValue(lenient), parse.GetValue(columns));
            var ratings = dataset.Ratings;
            if (ratings.Count == 0)
            {
                throw new CliException(dataset.Report.Skipped > 0
                    ? $"Nothing to train on: every rating row of {dataset.Name} was skipped ({dataset.Report.Summary()}); fix the file or drop --lenient to see the first problem."
                    : $"Nothing to train on: {dataset.Name} has no ratings (a catalogue of {dataset.Catalog.Count:N0} movies), and a model learns from ratings. "
                        + "Give a dataset with ratings, e.g. --data ml-latest-small.");
            }
            string path = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            context.Console.Progress().AutoClear(false).Start(progress =>
            {
                var task = progress.AddTask($"training {Markup.Escape(info.Name)}", maxValue: 1);
                var training = new TrainingContext
                {
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                    Progress = new SynchronousProgress(p =>
                    {
                        task.MaxValue = p.Steps;
                        task.Value = p.Step;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"{Markup.Escape(info.Name)} epoch {p.Step}/{p.Steps} loss {p.Loss:0.0000}");
                    }),
                };
                ModelTraining.Fit(model, ratings, training);
                task.Value = task.MaxValue;
            });
            double seconds = clock.Elapsed.TotalSeconds;
            ModelFile.Save(path, persistent, ModelFile.Fingerprint(ratings));
            var inv = CultureInfo.InvariantCulture;
            context.Output.WriteLine(string.Create(inv, $"trained {model} on {ratings.Count:N0} ratings ({dataset.Name}) in {seconds:0.000} s"));
            if (model is IIterativeModel { EpochLoss.Count: > 0 } iterative)
                context.Output.WriteLine(string.Create(inv, $"training loss: first epoch {iterative.EpochLoss[0]:0.0000}, last epoch {iterative.EpochLoss[^1]:0.0000}"));
            context.Output.WriteLine(string.Create(inv, $"saved {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:0.0} MB)"));
            return 0;
        });
        return command;
    }

    private static Command Recommend(CliContext context)
    {
        var modelOption = new Option<string>("--model") { Description = "A model file written by `movierec train`.", Required = true };
        var user = new Option<string?>("--user") { Description = "A user of the training set, by raw id: recommends movies they have not rated." };
        var rate = new Option<string?>("--rate") { Description = "Ratings of a new user as movieId=rating,... (fold-in, no retraining), e.g. 1=5,260=4.5." };
        var count = new Option<int>("-n", "--count") { Description = "How many movies.", DefaultValueFactory = _ => 10 };
        var data = new Option<string?>("--data") { Description = "The dataset, for movie titles (optional: ids only without it)." };
        var command = new Command("recommend", "Top-N movies from a saved model for a known user or for new ratings.") { modelOption, user, rate, count, data };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(modelOption)!;
            string? userId = parse.GetValue(user), ratings = parse.GetValue(rate);
            int n = parse.GetValue(count);
            if (n <= 0) throw new CliException($"-n must be positive, not {n}.");
            if ((userId is null) == (ratings is null)) throw new CliException("Give exactly one of --user and --rate.");
            var loaded = Load(path);
            if (loaded is not (IPersistentModel persistent and IItemScorer model and IFoldIn foldIn and IUserHistory history))
                throw new CliException($"{path}: this model cannot recommend.");
            var header = persistent.Header;
            bool predictsRatings = loaded is IRatingPredictor;
            var scores = new float[model.ItemCount];
            int[] exclude;
            string who;
            if (userId is not null)
            {
                int dense = header.UserIds.ToDense(userId);
                bool known = dense >= 0 && (loaded is RatingPredictorBase predictor ? predictor.IsUserKnown(dense) : history.RatedBy(dense).Length > 0);
                if (!known)
                    throw new CliException($"User {userId} is not in the model's training set; use --rate to fold in a new user.");
                model.Score(dense, scores);
                exclude = [.. history.RatedBy(dense).ToArray().Order()];
                who = $"user {userId}";
            }
            else
            {
                var profile = ParseRatings(ratings!, loaded, header, context.Error);
                var folded = foldIn.FoldIn(profile);
                foldIn.Score(folded, scores);
                exclude = [.. folded.Ratings.Select(r => r.Item).Order()];
                who = $"a new user with {folded.Ratings.Length} rating(s)";
            }
            var top = TopN.Select(scores, n, exclude);
            Dataset? titles = null;
            if (parse.GetValue(data) is { } dataPath)
                titles = CommonOptions.LoadDataset(dataPath, lenient: true, acceptsColumns: false);
            // Titles are found through the raw id, the one thing model and dataset share for both kinds of id.
            var movies = top.Select(t => titles is null ? null : MovieByRawId(titles, header.ItemIds.ToRaw(t.Item))).ToList();
            bool imdb = MovieFacts.AnyImdb(movies);
            context.Output.WriteLine($"Top {n} for {who} ({model.Name})");
            var table = new Table()
                .AddColumn(new TableColumn("#").RightAligned()).AddColumn(new TableColumn("movie id").RightAligned());
            if (titles is not null) table.AddColumn("title");
            if (imdb) table.AddColumn(MovieFacts.ImdbColumn);
            // Ranking models' scores only order the movies: they are shown as they are, not as ratings.
            table.AddColumn(new TableColumn(predictsRatings ? "predicted" : "score").RightAligned());
            for (int k = 0; k < top.Length; k++)
            {
                string raw = header.ItemIds.ToRaw(top[k].Item);
                var cells = new List<string> { (k + 1).ToString(CultureInfo.InvariantCulture), raw };
                if (titles is not null)
                    cells.Add(movies[k]?.ToString() ?? "?");
                if (imdb)
                    cells.Add(movies[k] is { } m ? MovieFacts.Imdb(m) : "");
                cells.Add(predictsRatings
                    ? header.Scale.Clip(top[k].Score).ToString("0.00", CultureInfo.InvariantCulture)
                    : top[k].Score.ToString("0.0000", CultureInfo.InvariantCulture));
                table.AddRow([.. cells.Select(Markup.Escape)]);
            }
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>The dataset's movie with this raw id ("1196", "song-42"), or null.</summary>
    internal static Movie? MovieByRawId(Dataset dataset, string raw)
    {
        int item = dataset.Ratings.ItemIds.ToDense(raw);
        if (item >= 0) return dataset.MovieOf(item);
        // A catalogue movie nobody rated: numeric catalogs are keyed by raw id.
        return dataset.Ratings.ItemIds.IsNumeric && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) ? dataset.Catalog[id] : null;
    }

    private static IRecommenderModel Load(string path)
    {
        try
        {
            return PersistentModels.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static AlgorithmParameters ParseParameters(string[]? pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs ?? [])
        {
            foreach (var part in pair.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new CliException($"--param expects name=value, not '{part}'.");
                values[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }
        return new AlgorithmParameters(values);
    }

    private static ItemRating[] ParseRatings(string text, IRecommenderModel model, ModelHeader header, TextWriter error)
    {
        var result = new List<ItemRating>();
        var unknown = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !float.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out float rating))
                throw new CliException($"--rate expects movieId=rating pairs, not '{part}'.");
            if (header.Scale.Check(rating) is { } problem) throw new CliException($"--rate: {problem}.");
            string id = part[..eq].Trim();
            int item = header.ItemIds.ToDense(id);
            bool known = item >= 0 && (model is RatingPredictorBase predictor ? predictor.IsItemKnown(item) : item < header.ItemIds.Count);
            if (!known) unknown.Add(id);
            else result.Add(new ItemRating(item, rating));
        }
        if (unknown.Count > 0) error.WriteLine($"warning: ignored movie id(s) the model does not know: {string.Join(", ", unknown)}");
        if (result.Count == 0) throw new CliException("None of the rated movies is known to the model.");
        return [.. result];
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to a thread pool and arrive late).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
