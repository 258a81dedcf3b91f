using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Download;
using MovieRec.Core.Data.Synthetic;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec data list|info|download|synth`.</summary>
internal static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "Find, download, inspect and generate datasets.");
        data.Subcommands.Add(List(context));
        data.Subcommands.Add(Info(context));
        data.Subcommands.Add(Download(context));
        data.Subcommands.Add(Synth(context));
        return data;
    }

    private static Command List(CliContext context)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "Known GroupLens datasets, and which are present (under MOVIEREC_DATA or the download cache).") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                var document = new Dictionary<string, object?>
                {
                    ["datasets"] = DatasetRegistry.All.Select(d => new Dictionary<string, object?>
                    {
                        ["name"] = d.Name,
                        ["ratings"] = d.Ratings,
                        ["users"] = d.Users,
                        ["movies"] = d.Movies,
                        ["zip_bytes"] = d.ApproximateBytes,
                        ["present"] = DataLocator.TryResolve(d.Name),
                    }).ToList(),
                    ["searched"] = DataLocator.SearchRoots,
                    ["download_directory"] = DataLocator.DownloadDirectory,
                };
                context.Output.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
                return 0;
            }
            var table = new Table().Title("[bold]MovieLens datasets[/]")
                .AddColumn("name").AddColumn(new TableColumn("ratings").RightAligned()).AddColumn(new TableColumn("users").RightAligned())
                .AddColumn(new TableColumn("movies").RightAligned()).AddColumn(new TableColumn("zip").RightAligned()).AddColumn("present");
            foreach (var d in DatasetRegistry.All)
            {
                var where = DataLocator.TryResolve(d.Name);
                table.AddRow(
                    Markup.Escape(d.Name),
                    d.Ratings.ToString("N0", CultureInfo.InvariantCulture),
                    d.Users.ToString("N0", CultureInfo.InvariantCulture),
                    d.Movies.ToString("N0", CultureInfo.InvariantCulture),
                    FormatBytes(d.ApproximateBytes),
                    where is null ? "[grey]no[/]" : $"[green]yes[/] {Markup.Escape(where)}");
            }
            context.Console.Write(table);
            context.Console.MarkupLine(Markup.Escape(
                $"Searched: {string.Join(", ", DataLocator.SearchRoots)}. Downloads go to {DataLocator.DownloadDirectory} (set {DataLocator.EnvironmentVariable} to change)."));
            return 0;
        });
        return command;
    }

    private static Command Download(CliContext context)
    {
        var name = new Argument<string>("name") { Description = $"One of: {string.Join(", ", DatasetRegistry.All.Select(d => d.Name))}." };
        var force = new Option<bool>("--force") { Description = "Download again even when the dataset is present." };
        var url = new Option<string?>("--url")
        {
            Description = $"Base address to download from instead of GroupLens (also {DatasetRegistry.BaseUrlVariable}).",
        };
        var command = new Command("download", "Download a GroupLens release over HTTPS, verify its size and MD5, and extract it into the data folder.")
        {
            name, force, url,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var info = DatasetRegistry.Get(parse.GetValue(name)!);
            using var downloader = new DatasetDownloader(baseUrl: parse.GetValue(url));
            if (!parse.GetValue(force) && Directory.Exists(downloader.TargetFolder(info)))
            {
                context.Console.MarkupLine(Markup.Escape($"{info.Name} is already present at {downloader.TargetFolder(info)} (use --force to download it again)."));
                return 0;
            }
            var watch = Stopwatch.StartNew();
            DownloadResult? result = null;
            await context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(info.ZipFileName), maxValue: info.ApproximateBytes);
                    var reporter = new Progress<DownloadProgress>(p =>
                    {
                        if (p.TotalBytes is long total && total > 0) task.MaxValue = total;
                        task.Value = p.BytesReceived;
                    });
                    result = await downloader.DownloadAsync(info, parse.GetValue(force), reporter, cancellationToken).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            var checksum = result!.Md5 is null ? "size checked (no MD5 published)" : $"size and MD5 {result.Md5} verified";
            context.Console.MarkupLine(Markup.Escape(
                $"{info.Name}: {FormatBytes(result.Bytes)} in {watch.Elapsed.TotalSeconds:0.0} s, {checksum}. Extracted to {result.Folder}"));
            return 0;
        });
        return command;
    }

    private static Command Synth(CliContext context)
    {
        // A number here; `clusters --users` is a switch: each help says which.
        var users = new Option<int?>("--users")
        {
            HelpName = "count",
            Description = "How many users to write (ids 1..count). Default: fitted to --ratings as MovieLens grows (610 for 100,836 ratings, 162,541 for ml-25m's 25,000,095).",
        };
        var items = new Option<int?>("--items")
        {
            HelpName = "count",
            Description = "How many movies to write (ids 1..count). Default: fitted to --ratings (9,742 for 100,836 ratings, 59,047 for 25,000,095).",
        };
        var ratings = new Option<int>("--ratings") { Description = "Ratings, exactly; no (user, movie) pair twice.", DefaultValueFactory = _ => 100_836 };
        // 42, unlike every other --seed (0): the synthetic datasets docs/benchmarks.md measures were written without --seed.
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed, 42 by default (not 0 as elsewhere: docs/benchmarks.md measures datasets written with it); the same options give the same files.",
            DefaultValueFactory = _ => 42,
        };
        var format = new Option<string>("--format") { Description = "csv (ratings.csv, movies.csv, links.csv) or dat (ratings.dat, movies.dat with ::).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "dat");
        var output = new Option<string>("--out") { Description = "Folder to write (created if needed).", Required = true };
        var command = new Command("synth", "Write a synthetic MovieLens-format dataset with long-tailed popularity and activity, for scale tests.")
        {
            users, items, ratings, seed, format, output,
        };
        command.SetAction(parse =>
        {
            var options = SyntheticOptions.ForRatings(parse.GetValue(ratings), parse.GetValue(users), parse.GetValue(items)) with
            {
                Seed = parse.GetValue(seed),
            };
            var kind = parse.GetValue(format) == "dat" ? SyntheticFormat.Dat : SyntheticFormat.Csv;
            var watch = Stopwatch.StartNew();
            var result = SyntheticDatasetGenerator.Write(options, parse.GetValue(output)!, kind);
            context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {result.Ratings:N0} ratings by {result.Users:N0} users of {result.Items:N0} movies to {result.Folder} ({string.Join(", ", result.Files.Select(Path.GetFileName))}) in {watch.Elapsed.TotalSeconds:0.0} s.")));
            return 0;
        });
        return command;
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static Command Info(CliContext context)
    {
        var dataOption = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var json = CommonOptions.Json();
        var columns = CommonOptions.Columns();
        var command = new Command("info", "Users, items, ratings, tags, density, rating histogram, activity quantiles and metadata coverage.")
        {
            dataOption, lenient, json, columns,
        };
        command.SetAction(parse =>
        {
            var dataset = CommonOptions.LoadDataset(parse.GetValue(dataOption)!, parse.GetValue(lenient), parse.GetValue(columns));
            var stats = DatasetStatistics.Compute(dataset);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(ToJson(stats, dataset.Report), JsonOptions));
                return 0;
            }
            PrintInfo(context.Console, stats, dataset.Report);
            return 0;
        });
        return command;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static Dictionary<string, object> ToJson(DatasetStatistics s, LoadReport report) => new()
    {
        ["name"] = s.Name,
        ["format"] = s.Format,
        ["users"] = s.Users,
        ["items"] = s.Items,
        ["movies"] = s.Movies,
        ["ratings"] = s.Ratings,
        ["tags"] = s.Tags,
        ["density"] = s.Density,
        ["mean_rating"] = s.MeanRating,
        ["scale"] = s.Scale,
        ["scale_detected"] = s.ScaleDetected,
        ["histogram"] = s.Histogram.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
        ["ratings_per_user"] = s.RatingsPerUser.ToDictionary(p => $"p{p.Key * 100:0}", p => p.Value),
        ["ratings_per_item"] = s.RatingsPerItem.ToDictionary(p => $"p{p.Key * 100:0}", p => p.Value),
        ["catalogue"] = s.IsCatalogue,
        ["movies_with_tmdb"] = s.MoviesWithTmdb,
        ["movies_with_links"] = s.MoviesWithLinks,
        ["movies_with_imdb"] = s.MoviesWithImdb,
        ["movies_with_imdb_rating"] = s.MoviesWithImdbRating,
        ["movies_with_imdb_runtime"] = s.MoviesWithImdbRuntime,
        ["movies_with_imdb_genres"] = s.MoviesWithImdbGenres,
        ["movies_with_runtime"] = s.MoviesWithRuntime,
        ["years"] = s.Years is var (from, to) ? new[] { from, to } : Array.Empty<int>(),
        ["genres"] = s.Genres.ToDictionary(p => p.Key, p => p.Value),
        ["duplicates_merged"] = s.DuplicatesMerged,
        ["rows_skipped"] = s.RowsSkipped,
        ["rated_not_in_catalog"] = s.RatedNotInCatalog,
        ["skipped_by_reason"] = report.SkippedByReason,
    };

    private static void PrintInfo(IAnsiConsole console, DatasetStatistics s, LoadReport report)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(s.Name)}[/] ({Markup.Escape(s.Format)})").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        void Row(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        Row("users", s.Users.ToString("N0", CultureInfo.InvariantCulture));
        Row("items (rated)", s.Items.ToString("N0", CultureInfo.InvariantCulture));
        Row("movies (catalog)", s.Movies.ToString("N0", CultureInfo.InvariantCulture));
        Row("ratings", s.Ratings.ToString("N0", CultureInfo.InvariantCulture));
        Row("tags", s.Tags.ToString("N0", CultureInfo.InvariantCulture));
        if (!s.IsCatalogue)
        {
            Row("density", s.Density.ToString("P3", CultureInfo.InvariantCulture));
            Row("mean rating", s.MeanRating.ToString("0.000", CultureInfo.InvariantCulture));
            Row("scale", s.ScaleDetected ? $"{s.Scale}, detected from the ratings (declare it with scale=min-max[:step])" : s.Scale);
        }
        if (s.Years is var (from, to)) Row("years", from == to ? $"{from}" : $"{from}-{to}");
        if (s.Genres.Count > 0)
            Row("genres", $"{s.Genres.Count}: " + string.Join(", ", s.Genres.Take(5).Select(g => $"{g.Key} {g.Value:N0}")) + (s.Genres.Count > 5 ? ", ..." : ""));
        Row("movies with TMDB metadata", $"{s.MoviesWithTmdb:N0} of {s.Movies:N0}");
        Row("movies with IMDb metadata", $"{s.MoviesWithImdb:N0} of {s.Movies:N0}");
        if (s.MoviesWithImdb > 0)
        {
            Row("  IMDb rating and votes", s.MoviesWithImdbRating.ToString("N0", CultureInfo.InvariantCulture));
            Row("  IMDb runtime", s.MoviesWithImdbRuntime.ToString("N0", CultureInfo.InvariantCulture));
            Row("  IMDb genres", s.MoviesWithImdbGenres.ToString("N0", CultureInfo.InvariantCulture));
        }
        Row("movies with a runtime", $"{s.MoviesWithRuntime:N0} of {s.Movies:N0}");
        Row("load", report.Summary());
        if (s.RatedNotInCatalog > 0)
            Row("rated movies not in the catalog", $"{s.RatedNotInCatalog:N0} (no title, genres or metadata: is the movies file complete?)");
        console.Write(table);
        foreach (var example in report.Examples)
            console.MarkupLine($"[yellow]skipped:[/] {Markup.Escape(example)}");
        if (s.IsCatalogue)
        {
            // Nothing to chart: say what the dataset is good for instead.
            console.MarkupLine(Markup.Escape(
                $"No ratings: {s.Name} is a catalogue of {s.Movies:N0} movie{(s.Movies == 1 ? "" : "s")}. Search, `similar --by content|text` and movie pages work; "
                + "training a recommender needs ratings (a MovieLens release, or an interactions file)."));
            return;
        }

        var chart = new BarChart().Label("[bold]Rating histogram[/]").Width(60);
        foreach (var (value, count) in s.Histogram)
            chart.AddItem(value.ToString("0.0", CultureInfo.InvariantCulture), count, Color.SteelBlue);
        console.Write(chart);

        var quantiles = new Table().Title("Ratings per user and per item").AddColumn("quantile");
        quantiles.AddColumn(new TableColumn("per user").RightAligned()).AddColumn(new TableColumn("per item").RightAligned());
        for (int i = 0; i < s.RatingsPerUser.Count; i++)
        {
            quantiles.AddRow($"p{s.RatingsPerUser[i].Key * 100:0}", s.RatingsPerUser[i].Value.ToString(CultureInfo.InvariantCulture),
                s.RatingsPerItem[i].Value.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(quantiles);
    }
}
