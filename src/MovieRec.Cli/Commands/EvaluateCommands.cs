using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>
/// `movierec evaluate` (a Surprise-style benchmark table of algorithms under one protocol) and `movierec tune`
/// (grid or randomized search with cross-validation).
/// </summary>
public static class EvaluateCommands
{
    /// <summary>Adds `evaluate` and `tune`; <paramref name="algorithms"/> defaults to the whole <see cref="AlgorithmCatalog"/>.</summary>
    internal static void AddTo(RootCommand root, CliContext context, Func<IReadOnlyCollection<AlgorithmEntry>>? algorithms = null)
    {
        algorithms ??= () => AlgorithmCatalog.All;
        root.Subcommands.Add(Evaluate(context, algorithms));
        root.Subcommands.Add(Tune(context, algorithms));
    }

    /// <summary>
    /// Runs `evaluate` or `tune` against <paramref name="algorithms"/> instead of the whole catalogue (the seam tests
    /// and embedders use), with the CLI's handling of user mistakes: one line on stderr, exit code 2.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, IReadOnlyCollection<AlgorithmEntry> algorithms)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Detect });
        var context = new CliContext(console, output, error);
        var root = new RootCommand("MovieRec evaluation commands.");
        AddTo(root, context, () => algorithms);
        var parse = MovieRecCli.Parse(root, args);
        if (MovieRecCli.ParseErrors(parse, error) is int code) return code;
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or CliException or DataFormatException or DatasetNotFoundException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {MovieRecCli.MessageOf(e)}");
            return MovieRecCli.UserError;
        }
    }

    private static Option<string[]> ParamOption() => new("--param")
    {
        Description = "A hyperparameter, name=value (repeatable); algorithm:name=value sets it for one algorithm only.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<int> SeedOption() => new("--seed") { Description = "Seeds the split, negative sampling and training.", DefaultValueFactory = _ => 0 };

    private static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Thread budget (0 = every core). Folds run in parallel, each training on one thread, so figures do not depend on it.",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>--protocol; <paramref name="newUser"/>: whether the command takes new-user (evaluate does, tune does not).</summary>
    private static Option<string> ProtocolOption(bool newUser) => new("--protocol")
    {
        Description = "kfold: rating metrics per fold, ranking metrics with test ratings >= 4 relevant among all unrated items; "
            + "loo: leave-latest-out, the held-out item ranked against the full catalogue (plus RMSE for rating predictors); "
            + "sampled: leave-latest-out, the held-out item among 100 sampled never-rated items; "
            + "predefined: the dataset's own splits (ml-100k u1..u5), measured like kfold; temporal: the latest 20% of ratings held out, measured like kfold"
            + (newUser
                ? "; new-user: --users-held of the users held out entirely, each gives --given ratings (favourites or random) and gets a top 10 by fold-in "
                    + "(precision, recall, HR, NDCG at 10, personalization, popularity share, coverage)."
                : "."),
        DefaultValueFactory = _ => "kfold",
    };

    private static Command Evaluate(CliContext context, Func<IReadOnlyCollection<AlgorithmEntry>> algorithms)
    {
        var data = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var columns = CommonOptions.Columns();
        var json = CommonOptions.Json();
        var names = CommonOptions.Algorithms(
            "Comma-separated algorithm names (`movierec algorithms` lists them), or all; best is our most accurate rating model, best-ranking our best top-N model for the next movie (on random k-fold holdouts ease ranks better).");
        names.Required = true;
        var cv = new Option<int>("--cv") { Description = "Folds for --protocol kfold.", DefaultValueFactory = _ => 5 };
        var seed = SeedOption();
        var metrics = CommonOptions.WithHiddenAliases(new Option<string?>("--metrics")
        {
            Description = "Comma-separated: rmse, mae, fcp, hr@K, precision@K, recall@K, ndcg@K, map@K, mrr@K, coverage@K, novelty@K. "
                + "Default: rmse,mae for kfold, predefined and temporal (plus hr@10,ndcg@10 when an algorithm only ranks); "
                + "rmse,mae,hr@10,ndcg@10 for loo; hr@10,ndcg@10 for sampled. RMSE and MAE are always reported: - (null in --json) for a model that only ranks.",
        }, "--metric");
        var protocol = ProtocolOption(newUser: true);
        var parameters = ParamOption();
        var threads = ThreadsOption();
        var given = new Option<string>("--given")
        {
            Description = "new-user protocol: how many ratings each held-out user gives, or a comma-separated list for the curve (1,3,5,10,20).",
            DefaultValueFactory = _ => "5",
        };
        var usersHeld = new Option<double>("--users-held") { Description = "new-user protocol: share of users held out entirely.", DefaultValueFactory = _ => 0.2 };
        var givenRatings = new Option<string>("--given-ratings")
        {
            Description = "new-user protocol: which ratings a held-out user gives: favourites (their highest-rated, what a new user rates first) or random.",
            DefaultValueFactory = _ => "favourites",
        };
        var command = new Command("evaluate", "Benchmark algorithms: metric means, fit and test seconds per fold (like Surprise's benchmark).")
        {
            data, lenient, columns, json, names, cv, seed, metrics, protocol, parameters, threads, given, usersHeld, givenRatings,
        };
        command.SetAction(parse =>
        {
            var chosen = AlgorithmCatalog.Resolve(parse.GetValue(names)!, algorithms());
            CheckProtocol(parse.GetValue(protocol)!, "evaluate");
            // An option the protocol does not read is refused, not ignored: `--given 10` without `--protocol new-user`
            // printed k-fold figures as if it had been understood.
            bool isNewUser = NewUserCommand.IsNewUser(parse.GetValue(protocol)!);
            foreach (var option in isNewUser ? new Option[] { cv, metrics } : [given, usersHeld, givenRatings])
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    throw new CliException(isNewUser
                        ? $"{CommonOptions.Spelt(parse, option)} is not used by --protocol new-user (it holds out users, not folds, and reports precision, recall, HR and NDCG at 10, personalization, popularity share and coverage)."
                        : $"{CommonOptions.Spelt(parse, option)} is for --protocol new-user; --protocol {parse.GetValue(protocol)} does not use it.");
                }
            }
            if (isNewUser)
            {
                var newUser = NewUserCommand.Settings(parse.GetValue(given)!, parse.GetValue(usersHeld), parse.GetValue(givenRatings)!, parse.GetValue(seed));
                var newUserParameters = ParseParameters(parse.GetValue(parameters) ?? [], chosen);
                var newUserData = CommonOptions.LoadDataset(parse.GetValue(data)!, parse.GetValue(lenient), parse.GetValue(columns));
                return NewUserCommand.Run(context, chosen, newUserParameters, newUserData, newUser, parse.GetValue(threads), parse.GetValue(json));
            }
            // Top-N-only models have no RMSE: without --metrics they get hit rate and NDCG as well.
            string? metricList = parse.GetValue(metrics) ?? (chosen.Any(a => !a.PredictsRatings) ? DefaultMetrics(parse.GetValue(protocol)!) + ",hr@10,ndcg@10" : null);
            var settings = Settings(parse.GetValue(protocol)!, parse.GetValue(cv), parse.GetValue(seed), parse.GetValue(threads), metricList);
            var perAlgorithm = ParseParameters(parse.GetValue(parameters) ?? [], chosen);
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, parse.GetValue(lenient), parse.GetValue(columns));
            var results = RunAll(context, chosen, perAlgorithm, dataset, settings, showProgress: !parse.GetValue(json));
            if (parse.GetValue(json))
                context.Output.WriteLine(JsonSerializer.Serialize(ToJson(results), DataCommands.JsonOptions));
            else
                PrintTable(context.Console, results, settings, dataset.Name);
            return 0;
        });
        return command;
    }

    private static Command Tune(CliContext context, Func<IReadOnlyCollection<AlgorithmEntry>> algorithms)
    {
        var data = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var columns = CommonOptions.Columns();
        var json = CommonOptions.Json();
        var name = CommonOptions.Algorithm("The algorithm to tune.");
        name.Required = true;
        var grid = new Option<string[]>("--grid")
        {
            Description = "A parameter and the values to try, name=v1,v2,v3 (repeatable; the grid is their product).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var cv = new Option<int>("--cv") { Description = "Folds.", DefaultValueFactory = _ => 3 };
        var metric = CommonOptions.WithHiddenAliases(
            new Option<string>("--metric") { Description = "The metric to optimise (lowest rmse/mae, highest otherwise).", DefaultValueFactory = _ => "rmse" }, "--metrics");
        var random = new Option<int>("--random") { Description = "Randomized search: try this many combinations drawn from the grid (0 = the whole grid)." };
        var seed = SeedOption();
        var protocol = ProtocolOption(newUser: false);
        var parameters = ParamOption();
        var threads = ThreadsOption();
        var command = new Command("tune", "Grid (or randomized) search of hyperparameters with cross-validation.")
        {
            data, lenient, columns, json, name, grid, cv, metric, random, seed, protocol, parameters, threads,
        };
        command.SetAction(parse =>
        {
            var info = AlgorithmCatalog.Resolve(parse.GetValue(name)!, algorithms());
            if (info.Count != 1) throw new CliException("tune takes one algorithm.");
            CheckProtocol(parse.GetValue(protocol)!, "tune");
            var target = Metric.Parse(parse.GetValue(metric)!);
            var settings = Settings(parse.GetValue(protocol)!, parse.GetValue(cv), parse.GetValue(seed), parse.GetValue(threads), target.Name);
            var entries = (parse.GetValue(grid) ?? []).Select(GridSearch.ParseEntry).ToArray();
            var fixedParameters = ParseParameters(parse.GetValue(parameters) ?? [], info)[info[0].Name];
            int iterations = parse.GetValue(random);
            if (iterations < 0) throw new CliException($"--random must not be negative, not {iterations}.");
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, parse.GetValue(lenient), parse.GetValue(columns));
            var splits = CrossValidation.SplitsFor(dataset, settings);
            var combos = GridSearch.Expand(entries, fixedParameters).Count;
            int total = (iterations > 0 ? Math.Min(iterations, combos) : combos) * splits.Count;
            var result = WithProgress(context, !parse.GetValue(json), total, progress => iterations > 0
                ? GridSearch.RunRandomized(info[0], entries, iterations, parse.GetValue(seed), splits, settings, target, dataset.Catalog, fixedParameters, progress)
                : GridSearch.Run(info[0], entries, splits, settings, target, dataset.Catalog, fixedParameters, progress));
            if (parse.GetValue(json))
                context.Output.WriteLine(JsonSerializer.Serialize(ToJson(result), DataCommands.JsonOptions));
            else
                PrintSearch(context.Console, result, settings);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// An unknown --protocol lists what <paramref name="command"/> takes: evaluate also runs new-user (handled here, not
    /// by <see cref="EvaluationSettings.ParseProtocol"/>), tune does not.
    /// </summary>
    private static void CheckProtocol(string text, string command)
    {
        if (NewUserCommand.IsNewUser(text))
        {
            if (command == "evaluate") return;
            throw new CliException($"--protocol {text} is for evaluate; {command} takes kfold, loo, sampled, predefined or temporal.");
        }
        try
        {
            EvaluationSettings.ParseProtocol(text);
        }
        catch (ArgumentException)
        {
            throw new CliException($"Unknown protocol '{text}'. Known: kfold, loo, sampled, predefined, temporal{(command == "evaluate" ? ", new-user" : "")}.");
        }
    }

    private static EvaluationSettings Settings(string protocolText, int folds, int seed, int threads, string? metricsText)
    {
        var protocol = EvaluationSettings.ParseProtocol(protocolText);
        if (protocol == EvaluationProtocol.KFold && folds < 2) throw new CliException($"--cv must be at least 2, not {folds}.");
        if (threads < 0) throw new CliException($"--threads must not be negative, not {threads}.");
        metricsText ??= DefaultMetrics(protocolText);
        var metrics = Metric.ParseList(metricsText).ToList();
        // Every result carries rmse and mae (NaN, i.e. null in JSON, for top-N-only models).
        if (!metrics.Contains(Metric.Mae)) metrics.Insert(0, Metric.Mae);
        if (!metrics.Contains(Metric.Rmse)) metrics.Insert(0, Metric.Rmse);
        return new EvaluationSettings { Protocol = protocol, Folds = folds, Seed = seed, Threads = threads, Metrics = metrics };
    }

    private static string DefaultMetrics(string protocolText) => EvaluationSettings.ParseProtocol(protocolText) switch
    {
        EvaluationProtocol.LeaveLatestOut => "rmse,mae,hr@10,ndcg@10",
        EvaluationProtocol.Sampled => "hr@10,ndcg@10",
        _ => "rmse,mae",
    };

    /// <summary>name=value applies to every algorithm; algorithm:name=value to that one (by name or alias).</summary>
    private static Dictionary<string, AlgorithmParameters> ParseParameters(string[] values, IReadOnlyList<AlgorithmEntry> algorithms)
    {
        var result = algorithms.ToDictionary(a => a.Name, _ => AlgorithmParameters.Empty, StringComparer.OrdinalIgnoreCase);
        foreach (var text in values)
        {
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliException($"--param takes name=value, not '{text}'.");
            string key = text[..eq].Trim(), value = text[(eq + 1)..].Trim();
            int colon = key.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                string given = key[..colon];
                var algorithm = algorithms.FirstOrDefault(a => a.IsCalled(given))?.Name;
                if (algorithm is null || !result.TryGetValue(algorithm, out var p))
                    throw new CliException($"--param {text}: '{given}' is not among the algorithms evaluated ({string.Join(", ", result.Keys)}).");
                result[algorithm] = p.With(key[(colon + 1)..], value);
            }
            else
            {
                foreach (var name in result.Keys.ToArray()) result[name] = result[name].With(key, value);
            }
        }
        return result;
    }

    /// <summary>Evaluates each algorithm in turn (folds in parallel), with a progress bar on an interactive console.</summary>
    internal static IReadOnlyList<EvaluationResult> RunAll(CliContext context, IReadOnlyList<AlgorithmEntry> algorithms, IReadOnlyDictionary<string, AlgorithmParameters> parameters,
        Dataset data, EvaluationSettings settings, bool showProgress)
    {
        var splits = CrossValidation.SplitsFor(data, settings);
        return WithProgress(context, showProgress, algorithms.Count * splits.Count, progress =>
        {
            var results = new List<EvaluationResult>();
            foreach (var info in algorithms)
            {
                var p = parameters.TryGetValue(info.Name, out var given) ? given : AlgorithmParameters.Empty;
                results.Add(CrossValidation.Run(info.Name, () => info.Create(p), splits, settings, data.Catalog, progress));
            }
            return results;
        });
    }

    private static T WithProgress<T>(CliContext context, bool show, int total, Func<IProgress<FoldCompleted>?, T> run)
    {
        if (!show || !context.Console.Profile.Capabilities.Interactive) return run(null);
        T result = default!;
        context.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("folds", maxValue: total);
                result = run(new FoldProgress(task));
            });
        return result;
    }

    /// <summary>Advances the bar from worker threads (ProgressTask is thread-safe).</summary>
    private sealed class FoldProgress(ProgressTask task) : IProgress<FoldCompleted>
    {
        public void Report(FoldCompleted value)
        {
            task.Description = value.Algorithm;
            task.Increment(1);
        }
    }

    /// <summary>
    /// The JSON `evaluate --json` prints: one object per algorithm with `algorithm`, `model`, `protocol`, `folds`, each
    /// metric's mean under its own name (`rmse`, `hr@10`; null when it does not apply), `fit_seconds` and `test_seconds`
    /// (means per fold), `std` per metric and `fold_results`.
    /// </summary>
    public static IReadOnlyList<Dictionary<string, object?>> ToJson(IReadOnlyList<EvaluationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = new List<Dictionary<string, object?>>();
        foreach (var r in results)
        {
            var o = new Dictionary<string, object?>
            {
                ["algorithm"] = r.Algorithm,
                ["model"] = r.Model,
                ["protocol"] = r.Protocol,
                ["folds"] = r.Folds.Count,
            };
            foreach (var m in r.MetricNames) o[m] = Number(r.Mean[m]);
            o["fit_seconds"] = r.FitSeconds;
            o["test_seconds"] = r.TestSeconds;
            o["std"] = r.MetricNames.ToDictionary(m => m, m => Number(r.Std[m]));
            o["fold_results"] = r.Folds.Select(f =>
            {
                var fo = new Dictionary<string, object?> { ["split"] = f.Split, ["train_ratings"] = f.TrainRatings, ["test_ratings"] = f.TestRatings };
                foreach (var m in r.MetricNames) fo[m] = Number(f.Metrics[m]);
                fo["fit_seconds"] = f.FitSeconds;
                fo["test_seconds"] = f.TestSeconds;
                return fo;
            }).ToArray();
            list.Add(o);
        }
        return list;
    }

    /// <summary>The JSON `tune --json` prints: the metric, the best parameters and the whole table, best first.</summary>
    public static Dictionary<string, object?> ToJson(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string metric = result.Metric.Name;
        return new Dictionary<string, object?>
        {
            ["algorithm"] = result.Algorithm,
            ["metric"] = metric,
            ["best_parameters"] = result.Best.Parameters.Values,
            ["best"] = Number(result.Best.Result.Mean[metric]),
            ["results"] = result.Candidates.Select(c => new Dictionary<string, object?>
            {
                ["parameters"] = c.Parameters.Values,
                [metric] = Number(c.Result.Mean[metric]),
                ["std"] = Number(c.Result.Std[metric]),
                ["fit_seconds"] = c.Result.FitSeconds,
                ["test_seconds"] = c.Result.TestSeconds,
            }).ToArray(),
        };
    }

    private static double? Number(double v) => double.IsFinite(v) ? v : null;

    private static string Format(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Seconds(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static void PrintTable(IAnsiConsole console, IReadOnlyList<EvaluationResult> results, EvaluationSettings settings, string dataset)
    {
        string split = settings.Protocol switch
        {
            EvaluationProtocol.KFold => $"{settings.Folds}-fold CV",
            EvaluationProtocol.LeaveLatestOut => "leave-latest-out, full catalogue",
            EvaluationProtocol.Sampled => $"leave-latest-out, {settings.SampledNegatives} sampled negatives",
            EvaluationProtocol.Predefined => $"predefined splits ({results.FirstOrDefault()?.Folds.Count ?? 0})",
            _ => $"temporal, latest {settings.TemporalTestFraction:P0} held out",
        };
        var table = new Table().Title($"[bold]{Markup.Escape(dataset)}[/]: {Markup.Escape(split)}, seed {settings.Seed}").AddColumn(new TableColumn("algorithm").NoWrap());
        foreach (var m in settings.Metrics) table.AddColumn(new TableColumn(Markup.Escape(m.Name.ToUpperInvariant())).RightAligned());
        table.AddColumn(new TableColumn("fit s / fold").RightAligned()).AddColumn(new TableColumn("test s / fold").RightAligned());
        foreach (var r in results)
        {
            var row = new List<string> { Markup.Escape(r.Algorithm) };
            row.AddRange(settings.Metrics.Select(m => Format(r.Mean[m.Name])));
            row.Add(Seconds(r.FitSeconds));
            row.Add(Seconds(r.TestSeconds));
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        foreach (var r in results) console.MarkupLine($"[grey]{Markup.Escape(r.Algorithm)}: {Markup.Escape(r.Model)}[/]");
    }

    private static void PrintSearch(IAnsiConsole console, SearchResult result, EvaluationSettings settings)
    {
        string metric = result.Metric.Name;
        var table = new Table().Title($"[bold]{Markup.Escape(result.Algorithm)}[/]: {Markup.Escape(metric.ToUpperInvariant())} ({Markup.Escape(settings.Protocol == EvaluationProtocol.KFold ? $"{settings.Folds}-fold" : settings.ProtocolName)}), best first")
            .AddColumn("#").AddColumn(new TableColumn("parameters").NoWrap()).AddColumn(new TableColumn(Markup.Escape(metric.ToUpperInvariant())).RightAligned())
            .AddColumn(new TableColumn("std").RightAligned()).AddColumn(new TableColumn("fit s / fold").RightAligned()).AddColumn(new TableColumn("test s / fold").RightAligned());
        int rank = 1;
        foreach (var c in result.Candidates)
        {
            table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Parameters.ToString()), Format(c.Result.Mean[metric]),
                Format(c.Result.Std[metric]), Seconds(c.Result.FitSeconds), Seconds(c.Result.TestSeconds));
        }
        console.Write(table);
        console.MarkupLine($"best: [bold]{Markup.Escape(result.Best.Parameters.ToString())}[/] ({Markup.Escape(metric)} {Format(result.Best.Result.Mean[metric])})");
    }
}
