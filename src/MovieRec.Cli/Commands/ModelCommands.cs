using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Import;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Models;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>
/// `movierec algorithms` (the catalogue), `movierec train` (fit a model, save a .mrec file) and `movierec recommend`
/// (top-N from a saved model).
/// </summary>
internal static class ModelCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return Algorithms(context);
        yield return Train(context);
        yield return Recommend(context);
    }

    private static Command Algorithms(CliContext context)
    {
        var name = new Argument<string?>("algorithm") { Description = "One algorithm (name or alias): its description and every option.", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("algorithms", "The algorithm catalogue: names, aliases, kind, whether a model file and the service can hold each, its options.") { name, json };
        command.SetAction(parse =>
        {
            var entries = parse.GetValue(name) is { } one ? [AlgorithmCatalog.Get(one)] : AlgorithmCatalog.All;
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(entries.Select(Describe).ToArray(), DataCommands.JsonOptions));
                return 0;
            }
            if (entries.Count > 1)
            {
                var table = new Table().AddColumn("algorithm").AddColumn("kind").AddColumn("saves").AddColumn("served").AddColumn("catalogue").AddColumn("description");
                foreach (var e in entries)
                {
                    table.AddRow(Markup.Escape(e.Aliases.Count == 0 ? e.Name : $"{e.Name} ({string.Join(", ", e.Aliases)})"), e.PredictsRatings ? "ratings" : "ranking",
                        e.Persistence.CanSave ? "yes" : "no", e.Servable ? "yes" : "no", e.NeedsCatalog ? "needed" : "-", Markup.Escape(e.Description));
                }
                context.Console.Write(table);
                context.Output.WriteLine("`movierec algorithms NAME` shows an algorithm's options; give them as --param name=value.");
                return 0;
            }
            var entry = entries[0];
            context.Output.WriteLine($"{entry.Name}{(entry.Aliases.Count > 0 ? $" (also {string.Join(", ", entry.Aliases)})" : "")}: {(entry.PredictsRatings ? "predicts ratings" : "ranks items")}");
            context.Output.WriteLine(entry.Description);
            context.Output.WriteLine($"model file: {(entry.Persistence.CanSave ? "" : "no, ")}{entry.Persistence.Description}");
            context.Output.WriteLine($"service: {(entry.Servable ? "served" : "not served: " + entry.NotServable)}");
            if (entry.NeedsCatalog) context.Output.WriteLine("needs the movie catalogue");
            if (entry.Options.Count == 0)
            {
                context.Output.WriteLine("no options");
                return 0;
            }
            var options = new Table().AddColumn("option").AddColumn("type").AddColumn(new TableColumn("default").RightAligned()).AddColumn("what");
            foreach (var o in entry.Options)
            {
                string type = o.Type == OptionType.Choice ? string.Join("|", o.Choices) : o.Type.ToString().ToLowerInvariant();
                options.AddRow(Markup.Escape(o.Spellings), Markup.Escape(type), Markup.Escape(o.Default ?? "-"), Markup.Escape(o.Description));
            }
            context.Console.Write(options);
            return 0;
        });
        return command;
    }

    private static Dictionary<string, object?> Describe(AlgorithmEntry e) => new()
    {
        ["name"] = e.Name,
        ["aliases"] = e.Aliases,
        ["kind"] = e.PredictsRatings ? "rating-predictor" : "ranker",
        ["description"] = e.Description,
        ["saves"] = e.Persistence.CanSave,
        ["model_file"] = e.Persistence.Description,
        ["servable"] = e.Servable,
        ["not_servable"] = e.NotServable,
        ["needs_catalog"] = e.NeedsCatalog,
        ["options"] = e.Options.Select(o => new Dictionary<string, object?>
        {
            ["name"] = o.Name,
            ["aliases"] = o.Aliases,
            ["type"] = o.Type.ToString().ToLowerInvariant(),
            ["choices"] = o.Choices,
            ["default"] = o.Default,
            ["description"] = o.Description,
        }).ToArray(),
    };

    private static Command Train(CliContext context)
    {
        var data = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var columns = CommonOptions.Columns();
        var algorithm = CommonOptions.Algorithm("Algorithm name: any the catalogue can save (`movierec algorithms` lists them).");
        algorithm.DefaultValueFactory = _ => "svd";
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
            var info = AlgorithmCatalog.Get(parse.GetValue(algorithm)!);
            if (!info.Persistence.CanSave) throw new CliException($"{info.Name} cannot be saved to a model file: {info.Persistence.Description}.");
            var model = info.Create(ParseParameters(parse.GetValue(parameters)));
            if (!PersistentModels.CanSave(model) || model is not IPersistentModel persistent)
                throw new CliException($"{model} cannot be saved to a model file: a part of it does not persist.");
            if (parse.GetValue(threads) is var threadCount and < 0) throw new CliException($"--threads must not be negative, not {threadCount}.");
            string path = parse.GetValue(output)!;
            CommonOptions.CheckOutput(path, "--out");
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, parse.GetValue(lenient), parse.GetValue(columns));
            var ratings = dataset.Ratings;
            if (ratings.Count == 0)
            {
                throw new CliException(dataset.Report.Skipped > 0
                    ? $"Nothing to train on: every rating row of {dataset.Name} was skipped ({dataset.Report.Summary()}); fix the file or drop --lenient to see the first problem."
                    : $"Nothing to train on: {dataset.Name} has no ratings (a catalogue of {dataset.Catalog.Count:N0} movie{(dataset.Catalog.Count == 1 ? "" : "s")}), and a model learns from ratings. "
                        + "Give a dataset with ratings, e.g. --data ml-latest-small.");
            }
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
                model.Fit(TrainingData.From(dataset), training);
                task.Value = task.MaxValue;
            });
            double seconds = clock.Elapsed.TotalSeconds;
            CommonOptions.WriteOutput(path, "--out", () => ModelFile.Save(path, persistent, ModelFile.Fingerprint(ratings)));
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
        var user = new Option<string?>("--user") { Description = "A user of the training set, by raw id: recommends movies they have not rated (in the model file, and in --data when given)." };
        var rate = new Option<string?>("--rate") { Description = "Ratings of a new user as movieId=rating,... (fold-in, no retraining), e.g. 1=5,260=4.5." };
        var ratingsFile = new Option<string?>("--ratings-file")
        {
            Description = "A new user's ratings exported elsewhere: IMDb's or Letterboxd's CSV (or Letterboxd's whole export, .zip), or a CSV of movieId / imdbId / tmdbId / title and year with rating (needs --data: matched by id, else title and year).",
        };
        var count = CommonOptions.Count("How many movies.", 10);
        var data = new Option<string?>("--data")
        {
            Description = "The dataset, for movie titles and, with --user, to leave out what the user rated in it (an imported spark-als model holds no ratings) (optional: ids only without it).",
        };
        var command = new Command("recommend", "Top-N movies from a saved model for a known user or for new ratings.") { modelOption, user, rate, ratingsFile, count, data };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(modelOption)!;
            string? userId = parse.GetValue(user), ratings = parse.GetValue(rate);
            int n = CommonOptions.Positive(parse, count);
            string? file = parse.GetValue(ratingsFile);
            if ((userId is null ? 0 : 1) + (ratings is null ? 0 : 1) + (file is null ? 0 : 1) != 1) throw new CliException("Give exactly one of --user, --rate and --ratings-file.");
            var loaded = Load(path);
            if (loaded is not (IPersistentModel persistent and IUserHistory history))
                throw new CliException($"{path}: this model cannot recommend.");
            var model = loaded;
            var header = persistent.Header;
            bool predictsRatings = loaded is IRatingPredictor;
            var scores = new float[model.ItemCount];
            Dataset? titles = null;
            if (parse.GetValue(data) is { } dataPath)
            {
                // Titles only: a bad row costs one title, not the recommendation; but what was skipped is said.
                titles = CommonOptions.LoadDataset(dataPath, lenient: true, acceptsColumns: false);
                if (titles.Report.Skipped > 0)
                    context.Error.WriteLine($"warning: reading titles from {titles.Name}: {titles.Report.Summary()}; the first: {titles.Report.Examples[0]}");
            }
            if (file is not null) ratings = ReadRatingsFile(file, titles ?? throw new CliException("--ratings-file needs --data: the file's movies are matched to the dataset's by id, else by title and year."), header.Scale, context.Error);
            ScoredItem[] top;
            string who;
            ItemRating[] liked; // the user's ratings in the model's ids, for the reasons
            if (userId is not null)
            {
                int dense = header.UserIds.ToDense(userId);
                bool known = dense >= 0 && (loaded is RatingPredictorBase predictor ? predictor.IsUserKnown(dense) : history.RatedBy(dense).Length > 0);
                if (!known)
                    throw new CliException($"User {userId} is not in the model's training set; use --rate to fold in a new user.");
                model.Score(dense, scores);
                int[] exclude = [.. history.RatedBy(dense).ToArray().Concat(RatedIn(titles, userId, header)).Distinct().Order()];
                top = TopN.Select(scores, n, TrainingRatingsTieBreak(history, header), exclude);
                who = $"user {userId}";
                liked = [];
            }
            else
            {
                var profile = ParseRatings(ratings!, loaded, header, context.Error);
                // The service's one path for a new user (NewUserRecommendations): a top-N model folds in the liked
                // ratings only (a 1-star rating is not a reason to show more of the same), a rating model every one.
                top = NewUserRecommendations.Recommend(model, profile, header.Scale, n, TrainingRatingsTieBreak(history, header));
                who = $"a new user with {profile.Length} rating(s)";
                liked = profile;
                if (AlgorithmCatalog.Find(header.Algorithm)?.NotForNewUsers is { } why)
                    context.Error.WriteLine($"note: the service does not offer {header.Algorithm} for a handful of ratings: {why}. For new users, train taste (the service's default).");
            }
            // Titles are found through the raw id, the one thing model and dataset share for both kinds of id.
            var movies = top.Select(t => titles is null ? null : MovieByRawId(titles, header.ItemIds.ToRaw(t.Item))).ToList();
            bool imdb = MovieFacts.AnyImdb(movies);
            var reasons = titles is null ? null : Reasons(titles, header, top, userId, liked);
            context.Output.WriteLine($"Top {n} for {who} ({model.Name})");
            var table = new Table()
                .AddColumn(new TableColumn("#").RightAligned()).AddColumn(new TableColumn("movie id").RightAligned());
            if (titles is not null) table.AddColumn("title");
            if (imdb) table.AddColumn(MovieFacts.ImdbColumn);
            // Ranking models' scores only order the movies: they are shown as they are, not as ratings.
            table.AddColumn(new TableColumn(predictsRatings ? "predicted" : "score").RightAligned());
            if (reasons is not null) table.AddColumn("why");
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
                if (reasons is not null) cells.Add(reasons[k]);
                table.AddRow([.. cells.Select(Markup.Escape)]);
            }
            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Why each movie suits the user, as the service says it: "because you liked X: ..." (<see cref="Explainer"/>, on
    /// <paramref name="dataset"/>'s ratings and metadata), or how the movie stands with everyone when no link holds.
    /// The user's ratings are theirs in the dataset (--user) or the folded-in ones (--rate), matched by raw id.
    /// </summary>
    private static string[] Reasons(Dataset dataset, ModelHeader header, ReadOnlySpan<ScoredItem> top, string? userId, ItemRating[] folded)
    {
        var ratings = dataset.Ratings;
        var profile = new List<ItemRating>();
        if (userId is not null)
        {
            int user = ratings.UserIds.ToDense(userId);
            if (user >= 0)
            {
                var items = ratings.ByUser.RowColumns(user);
                var values = ratings.ByUser.RowValues(user);
                for (int k = 0; k < items.Length; k++) profile.Add(new ItemRating(items[k], values[k]));
            }
        }
        foreach (var r in folded)
        {
            int item = ratings.ItemIds.ToDense(header.ItemIds.ToRaw(r.Item));
            if (item >= 0) profile.Add(new ItemRating(item, r.Rating));
        }
        var explainer = new Explainer(TrainingData.From(dataset));
        var reasons = new string[top.Length];
        for (int k = 0; k < top.Length; k++)
        {
            int item = ratings.ItemIds.ToDense(header.ItemIds.ToRaw(top[k].Item));
            if (item < 0)
            {
                reasons[k] = "";
                continue;
            }
            var why = explainer.Explain(CollectionsMarshal.AsSpan(profile), item);
            reasons[k] = why.Text.Length > 0 ? why.Text : Explainer.Standing(ratings, item);
        }
        return reasons;
    }

    /// <summary>
    /// The model's item ids of the movies <paramref name="userId"/> rated in <paramref name="dataset"/> (by raw ids, which
    /// model and dataset share): what a file without the user's ratings (an imported spark-als model) cannot leave out.
    /// </summary>
    private static IEnumerable<int> RatedIn(Dataset? dataset, string userId, ModelHeader header)
    {
        if (dataset is null) return [];
        var ratings = dataset.Ratings;
        int user = ratings.UserIds.ToDense(userId);
        if (user < 0) return [];
        var items = new List<int>(ratings.ByUser.RowLength(user));
        foreach (int item in ratings.ByUser.RowColumns(user))
        {
            int inModel = header.ItemIds.ToDense(ratings.ItemIds.ToRaw(item));
            if (inModel >= 0) items.Add(inModel);
        }
        return items;
    }

    /// <summary>Equal scores go to the movie with more training ratings, counted from the users' histories in the file.</summary>
    private static TieBreak TrainingRatingsTieBreak(IUserHistory history, ModelHeader header)
    {
        var counts = new int[header.ItemIds.Count];
        for (int u = 0; u < header.UserIds.Count; u++)
        {
            foreach (int i in history.RatedBy(u))
            {
                if ((uint)i < (uint)counts.Length) counts[i]++;
            }
        }
        return TieBreak.ByTrainingRatings(counts);
    }

    /// <summary>The dataset's movie with this raw id ("1196", "song-42"), or null.</summary>
    internal static Movie? MovieByRawId(Dataset dataset, string raw)
    {
        int item = dataset.Ratings.ItemIds.ToDense(raw);
        if (item >= 0) return dataset.MovieOf(item);
        // A catalogue movie nobody rated: numeric catalogs are keyed by raw id.
        return dataset.Ratings.ItemIds.IsNumeric && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) ? dataset.Catalog[id] : null;
    }

    private static IRecommender Load(string path)
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
        try
        {
            return AlgorithmParameters.Parse(pairs ?? []);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--param: {e.Message}", e);
        }
    }

    /// <summary>
    /// A ratings export (<see cref="RatingsImporter"/>, or Letterboxd's whole export, <see cref="ExportArchive"/>) as --rate's movieId=rating pairs; the rows no movie of the
    /// dataset matches are counted on standard error with the first few.
    /// </summary>
    private static string ReadRatingsFile(string path, Dataset dataset, RatingScale scale, TextWriter error)
    {
        var byRawId = dataset.Catalog.Movies.ToDictionary(m => m.RawId ?? m.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var importer = new RatingsImporter(dataset.Catalog.Movies, scale, id => byRawId.GetValueOrDefault(id));
        RatingsImport import;
        string source = path;
        using (var stream = File.OpenRead(path))
        {
            // Letterboxd's export as downloaded: its ratings.csv.
            if (ExportArchive.IsZip(stream))
            {
                var archive = ExportArchive.Read(stream, path);
                source = archive.RatingsName;
                import = importer.Read(new MemoryStream(archive.Ratings, writable: false), source);
            }
            else
            {
                import = importer.Read(stream, path);
            }
        }
        if (import.Unmatched.Count > 0)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: {import.Unmatched.Count} of the {import.Rows} rated rows of {source} match no movie of {dataset.Name}; the first: ")
                + string.Join("; ", import.Unmatched.Take(3).Select(u => string.Create(CultureInfo.InvariantCulture, $"line {u.Line}, {u.Movie} ({u.Why})"))));
        }
        if (import.Ratings.Count == 0) throw new CliException($"{source}: none of its {import.Rows} rated rows matches a movie of {dataset.Name}.");
        return string.Join(',', import.Ratings.Select(r => (r.Movie.RawId ?? r.Movie.Id.ToString(CultureInfo.InvariantCulture)) + "=" + r.Rating.ToString(CultureInfo.InvariantCulture)));
    }

    private static ItemRating[] ParseRatings(string text, IRecommender model, ModelHeader header, TextWriter error)
    {
        var result = new List<ItemRating>();
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new CliException("--rate has no ratings: give movieId=rating pairs, e.g. --rate 1=5,260=4.5.");
        foreach (var part in parts)
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !float.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out float rating))
                throw new CliException($"--rate expects movieId=rating pairs, not '{part}'.");
            if (header.Scale.Check(rating) is { } problem) throw new CliException($"--rate: {problem}.");
            string id = part[..eq].Trim();
            // One rating per movie, as in a dataset: which of two would count is not for the parser to guess.
            if (!seen.Add(id)) throw new CliException($"--rate rates movie {id} twice.");
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
