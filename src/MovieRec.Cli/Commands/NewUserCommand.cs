using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec evaluate --protocol new-user`: what a person who rates a handful of movies gets (<see cref="NewUserProtocol"/>).</summary>
internal static class NewUserCommand
{
    public static bool IsNewUser(string protocol) =>
        protocol.Trim().ToLowerInvariant() is "new-user" or "newuser" or "cold-start";

    public static NewUserSettings Settings(string given, double usersHeld, string selection, int seed)
    {
        var counts = new List<int>();
        foreach (var part in given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int g) || g <= 0)
                throw new CliException($"--given takes positive counts (5, or 1,3,5,10,20), not '{given}'.");
            if (!counts.Contains(g)) counts.Add(g);
        }
        if (counts.Count == 0) throw new CliException("--given needs at least one count.");
        var chosen = selection.Trim().ToLowerInvariant() switch
        {
            "favourites" or "favorites" or "top" => GivenSelection.Favourites,
            "random" => GivenSelection.Random,
            _ => throw new CliException($"--given-ratings must be favourites or random, not '{selection}'."),
        };
        if (!(usersHeld > 0 && usersHeld < 1)) throw new CliException($"--users-held must be between 0 and 1 (exclusive), not {usersHeld}.");
        return new NewUserSettings { Given = counts, UsersHeld = usersHeld, Selection = chosen, Seed = seed };
    }

    public static int Run(CliContext context, IReadOnlyList<AlgorithmEntry> algorithms, IReadOnlyDictionary<string, AlgorithmParameters> parameters, Dataset dataset,
        NewUserSettings settings, int threads, bool json)
    {
        if (threads < 0) throw new CliException($"--threads must not be negative, not {threads}.");
        var split = NewUserProtocol.Split(dataset.Ratings, settings);
        settings = UsableGiven(context, split, settings);
        // The held-out users' own tags would tell content models what they watched.
        using var tags = TrainingUsersTags.Restrict(dataset, split);
        var rows = new List<(string Algorithm, string Model, double FitSeconds, NewUserPoint Point)>();
        foreach (var info in algorithms)
        {
            var model = info.Create(parameters.TryGetValue(info.Name, out var p) ? p : AlgorithmParameters.Empty);
            var watch = Stopwatch.StartNew();
            model.Fit(new TrainingData(split.Train, dataset.Catalog), new TrainingContext { Seed = settings.Seed, Threads = threads });
            double fit = watch.Elapsed.TotalSeconds;
            var scale = split.Train.Scale;
            var ties = TieBreak.ByTrainingRatings(split.Train);
            var points = NewUserProtocol.Evaluate(split, settings, (ratings, k) =>
                Array.ConvertAll(NewUserRecommendations.Recommend(model, ratings, scale, k, ties), s => s.Item));
            foreach (var point in points) rows.Add((info.Name, model.ToString() ?? info.Name, fit, point));
        }
        if (json)
        {
            var list = rows.Select(r => new Dictionary<string, object?>
            {
                ["algorithm"] = r.Algorithm,
                ["model"] = r.Model,
                ["protocol"] = "new-user",
                ["given"] = r.Point.Given,
                ["given_ratings"] = settings.Selection.ToString().ToLowerInvariant(),
                ["users"] = r.Point.Users,
                [$"precision@{settings.K}"] = Number(r.Point.Precision),
                [$"recall@{settings.K}"] = Number(r.Point.Recall),
                [$"hr@{settings.K}"] = Number(r.Point.HitRate),
                [$"ndcg@{settings.K}"] = Number(r.Point.Ndcg),
                ["personalization"] = Number(r.Point.Personalization),
                ["popularity_share"] = Number(r.Point.PopularityShare),
                ["coverage"] = Number(r.Point.Coverage),
                ["fit_seconds"] = r.FitSeconds,
            }).ToArray();
            context.Output.WriteLine(JsonSerializer.Serialize(list, DataCommands.JsonOptions));
            return 0;
        }
        string k = settings.K.ToString(CultureInfo.InvariantCulture);
        var table = new Table()
            .Title($"[bold]{Markup.Escape(dataset.Name)}[/]: new users ({settings.UsersHeld:P0} of users held out, {settings.Selection.ToString().ToLowerInvariant()} given), seed {settings.Seed}")
            .AddColumn(new TableColumn("algorithm").NoWrap()).AddColumn(new TableColumn("given").RightAligned()).AddColumn(new TableColumn("users").RightAligned())
            .AddColumn(new TableColumn($"P@{k}").RightAligned()).AddColumn(new TableColumn($"R@{k}").RightAligned()).AddColumn(new TableColumn($"HR@{k}").RightAligned())
            .AddColumn(new TableColumn($"NDCG@{k}").RightAligned()).AddColumn(new TableColumn("personal.").RightAligned())
            .AddColumn(new TableColumn($"top-{settings.PopularTop} share").RightAligned()).AddColumn(new TableColumn("coverage").RightAligned())
            .AddColumn(new TableColumn("fit s").RightAligned());
        foreach (var (algorithm, _, fit, point) in rows)
        {
            table.AddRow(Markup.Escape(algorithm), point.Given.ToString(CultureInfo.InvariantCulture), point.Users.ToString(CultureInfo.InvariantCulture),
                Format(point.Precision), Format(point.Recall), Format(point.HitRate), Format(point.Ndcg), Format(point.Personalization),
                Format(point.PopularityShare), Format(point.Coverage), fit.ToString("0.00", CultureInfo.InvariantCulture));
        }
        context.Console.Write(table);
        return 0;
    }

    /// <summary>
    /// The settings with only the given counts some held-out user can give (with a liked rating left to find): a count
    /// none can give printed a row of 0 users and "-" figures. Alone it is refused; in a curve it is dropped with a
    /// warning and the other points are kept. Either way the largest usable count is named.
    /// </summary>
    private static NewUserSettings UsableGiven(CliContext context, NewUserSplit split, NewUserSettings settings)
    {
        int largest = NewUserProtocol.LargestGiven(split, settings);
        string liked = settings.RelevanceThreshold.ToString("0.#", CultureInfo.InvariantCulture);
        if (largest == 0)
        {
            throw new CliException($"--protocol new-user: none of the {split.Users.Count} held-out users has {settings.MinRatings} or more ratings "
                + $"with one rated {liked} or more to find after those given; use a larger dataset or a larger --users-held.");
        }
        var dropped = settings.Given.Where(g => g > largest).ToList();
        if (dropped.Count == 0) return settings;
        string counts = string.Join(",", dropped.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        string why = $"no held-out user has that many ratings and one rated {liked} or more left to find";
        if (dropped.Count == settings.Given.Count)
            throw new CliException($"--given {counts}: {why}; the largest usable --given is {largest}.");
        context.Error.WriteLine($"warning: --given {counts} dropped: {why} (the largest usable --given is {largest}).");
        return settings with { Given = settings.Given.Where(g => g <= largest).ToList() };
    }

    private static double? Number(double v) => double.IsFinite(v) ? v : null;

    private static string Format(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
