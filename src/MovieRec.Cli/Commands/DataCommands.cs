using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MovieRec.Core.Data;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec data list|info|download|synth`.</summary>
internal static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "Find, download, inspect and generate datasets.");
        data.Subcommands.Add(Info(context));
        return data;
    }

    private static Command Info(CliContext context)
    {
        var dataOption = CommonOptions.Data();
        var lenient = CommonOptions.Lenient();
        var json = CommonOptions.Json();
        var command = new Command("info", "Users, items, ratings, tags, density, rating histogram, activity quantiles and metadata coverage.")
        {
            dataOption, lenient, json,
        };
        command.SetAction(parse =>
        {
            var dataset = CommonOptions.LoadDataset(parse.GetValue(dataOption)!, parse.GetValue(lenient));
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
        ["histogram"] = s.Histogram.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
        ["ratings_per_user"] = s.RatingsPerUser.ToDictionary(p => $"p{p.Key * 100:0}", p => p.Value),
        ["ratings_per_item"] = s.RatingsPerItem.ToDictionary(p => $"p{p.Key * 100:0}", p => p.Value),
        ["movies_with_tmdb"] = s.MoviesWithTmdb,
        ["movies_with_links"] = s.MoviesWithLinks,
        ["duplicates_merged"] = s.DuplicatesMerged,
        ["rows_skipped"] = s.RowsSkipped,
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
        Row("density", s.Density.ToString("P3", CultureInfo.InvariantCulture));
        Row("mean rating", s.MeanRating.ToString("0.000", CultureInfo.InvariantCulture));
        Row("scale", s.Scale);
        Row("movies with TMDB metadata", $"{s.MoviesWithTmdb:N0} of {s.Movies:N0}");
        Row("load", report.Summary());
        console.Write(table);

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
        foreach (var example in report.Examples)
            console.MarkupLine($"[yellow]skipped:[/] {Markup.Escape(example)}");
    }
}
