using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec import spark-als`: a model trained elsewhere becomes a .mrec file that serves like ours.</summary>
internal static class ImportCommands
{
    public static Command Create(CliContext context)
    {
        var import = new Command("import", "Import a model trained by another system into a MovieRec model file.");
        import.Subcommands.Add(SparkAls(context));
        return import;
    }

    private static Command SparkAls(CliContext context)
    {
        var path = new Option<string>("--path") { Description = "The folder Spark's ALSModel.save wrote (metadata/, userFactors/, itemFactors/).", Required = true };
        var output = new Option<string>("--out") { Description = "The model file to write (.mrec).", Required = true };
        var scale = new Option<string>("--scale")
        {
            Description = "The rating scale predictions are clipped to, as MIN,MAX[,STEP] (without a step: the largest of 1, 0.5, 0.25, ... both ends sit on) "
                + "or as a column mapping's scale=, MIN-MAX[:STEP] (step 1 unless given; 0 = continuous). A negative end works in both: --scale -10,10, --scale=-10-10.",
            DefaultValueFactory = _ => "0.5,5",
        };
        var reg = new Option<double?>("--reg")
        {
            Description = "The regParam the Spark job trained with, for folding in new users (default: the hyperparameters.json the job writes beside the model, else the metadata's if it records one, else Spark's default 0.1).",
        };
        var data = new Option<string?>("--data")
        {
            Description = "Align user and movie ids to this dataset (what the service needs: its models share the dataset's ids) and record its fingerprint.",
        };
        var command = new Command("spark-als", "Import a Spark MLlib ALSModel (explicit ratings) saved with model.save(path).") { path, output, scale, reg, data };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(path)!, file = parse.GetValue(output)!;
            double? lambda = parse.GetValue(reg);
            if (lambda is < 0 or double.NaN) throw new CliException($"--reg must be non-negative, not {lambda}.");
            var parsedScale = ParseScale(parse.GetValue(scale)!);
            CommonOptions.CheckOutput(file, "--out");
            Dataset? dataset = parse.GetValue(data) is { } dataPath ? CommonOptions.LoadDataset(dataPath, lenient: false, acceptsColumns: false) : null;
            var options = new SparkAlsImportOptions { Scale = parsedScale, RegParam = lambda, AlignTo = dataset?.Ratings };
            var clock = Stopwatch.StartNew();
            SparkAlsImportResult result;
            try
            {
                result = SparkAlsImport.Import(folder, options);
            }
            catch (InvalidDataException e)
            {
                throw new CliException(e.Message, e);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            var (model, meta) = (result.Model, result.Metadata);
            var inv = CultureInfo.InvariantCulture;
            string fingerprint = dataset is not null
                ? ModelFile.Fingerprint(dataset.Ratings)
                : string.Create(inv, $"spark-als;uid={meta.Uid};users={model.UserCount};items={model.ItemCount}");
            CommonOptions.WriteOutput(file, "--out", () => ModelFile.Save(file, model, fingerprint));
            context.Output.WriteLine(string.Create(inv, $"imported {model} from {folder} in {seconds:0.000} s"));
            context.Output.WriteLine(string.Create(inv, $"users {result.SparkUsers:N0}, items {result.SparkItems:N0}, rank {model.Factors}, scale {model.Scale}"));
            if (dataset is not null)
            {
                int withFactors = result.SparkItems - result.DroppedItems;
                int extraUsers = model.UserCount - dataset.Ratings.UserCount;
                context.Output.WriteLine(string.Create(inv,
                    $"aligned to {dataset.Name}: {withFactors:N0} of its {dataset.Ratings.ItemCount:N0} movies have factors, {result.DroppedItems:N0} Spark item(s) not in it left out, {extraUsers:N0} user(s) not in it appended"));
                context.Output.WriteLine($"dataset fingerprint {fingerprint}");
            }
            if (lambda is null && meta.RegParam is null)
                context.Output.WriteLine("regParam 0.1 is Spark's default (the ALSModel metadata does not record it): pass --reg if the job used another value.");
            context.Output.WriteLine(string.Create(inv, $"saved {file} ({new FileInfo(file).Length / 1024.0 / 1024.0:0.0} MB)"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// MIN,MAX[,STEP] (without a step, the largest of 1, 0.5, ... that both ends sit on), or MIN-MAX[:STEP] as a column
    /// mapping declares a scale (<see cref="RatingScale.Parse"/>): "-10,10" and "-10-10" are the same scale.
    /// </summary>
    internal static RatingScale ParseScale(string text)
    {
        const string Forms = "MIN,MAX[,STEP] or MIN-MAX[:STEP] (e.g. 0.5,5 or -10-10:0.5)";
        RatingScale result;
        if (!text.Contains(',', StringComparison.Ordinal))
        {
            try
            {
                result = RatingScale.Parse(text.Trim());
            }
            catch (FormatException)
            {
                throw new CliException($"--scale expects {Forms}, not '{text}'.");
            }
            if (!(result.Max > result.Min)) throw new CliException($"--scale: the maximum {result.Max.ToString(CultureInfo.InvariantCulture)} must be above the minimum {result.Min.ToString(CultureInfo.InvariantCulture)}.");
            return result;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (!float.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]) || !float.IsFinite(values[k]))
                throw new CliException($"--scale expects {Forms}, not '{text}'.");
        }
        if (values.Length is < 2 or > 3) throw new CliException($"--scale expects {Forms}, not '{text}'.");
        if (!(values[1] > values[0])) throw new CliException($"--scale: the maximum {parts[1]} must be above the minimum {parts[0]}.");
        if (values.Length == 3)
        {
            if (values[2] < 0) throw new CliException($"--scale: the step must be non-negative, not {parts[2]}.");
            return new RatingScale(values[0], values[1], values[2]);
        }
        return RatingScale.Detect([values[0], values[1]]);
    }
}
