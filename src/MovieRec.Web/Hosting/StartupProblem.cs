using System.Data.Common;
using System.Globalization;
using MovieRec.Core.Data;
using MovieRec.Core.Data.Download;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Why start-up failed, as one sentence for people: what is missing and how to fix it. It is the one log line of the
/// failure, the text of /health/live and /health/ready, the detail of every 503 and what the pages show, so nobody
/// has to read a stack trace to learn that MOVIEREC_DATA is not set.
/// </summary>
public static class StartupProblem
{
    /// <summary>The sentence for <paramref name="error"/>; <paramref name="expected"/> is false for a failure not foreseen here (its stack is logged).</summary>
    public static string Describe(Exception error, MovieRecOptions options, out bool expected)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(options);
        expected = true;
        string dataset = options.Dataset;
        string where = DataLocator.DataRoot is { } root
            ? $"{DataLocator.EnvironmentVariable} ({root}) and {DataLocator.CacheDirectory}"
            : $"{DataLocator.CacheDirectory} ({DataLocator.EnvironmentVariable} is not set)";
        switch (error)
        {
            case DatasetDownloadException download:
                return $"Start-up failed: the dataset {dataset} is not on this machine (looked in {where}) and downloading it failed "
                    + $"({Innermost(download)}). Fix: set {DataLocator.EnvironmentVariable} to a folder holding {dataset}/ (the extracted "
                    + $"GroupLens release), or give the service network access to download it; then restart the service.";
            case DatasetNotFoundException:
                return $"Start-up failed: the dataset {dataset} was not found (looked in {where}) and it is not one the service can "
                    + $"download. Fix: set {DataLocator.EnvironmentVariable} to a folder holding {dataset}/, or MovieRec:Dataset to a "
                    + "dataset path; then restart the service.";
            case DataFormatException format:
                return $"Start-up failed: the dataset {dataset} cannot be read: {Sentence(format.Message)} Fix the file or point "
                    + $"{DataLocator.EnvironmentVariable} at a good copy; then restart the service.";
            case NoRatingsException none:
                return $"Start-up failed: the dataset {none.Dataset} has no ratings (a catalogue of {none.Movies.ToString("N0", CultureInfo.InvariantCulture)} movie{(none.Movies == 1 ? "" : "s")}), and the service "
                    + "recommends from ratings. Fix: set MovieRec:Dataset to a dataset with ratings (a MovieLens release, or an interactions "
                    + "file with a movierec.columns beside it); then restart the service.";
            case DbException db:
                return $"Start-up failed: the ratings database does not answer ({FirstLine(db.Message)}). Check "
                    + "ConnectionStrings:Ratings and that the database is up; the service restarts when /health/live fails.";
            case UnauthorizedAccessException or IOException:
                return $"Start-up failed: a file the service needs cannot be read or written ({FirstLine(error.Message)}). Check "
                    + $"that MovieRec:DataDirectory ({options.DataDirectory}) and the model directory are writable; then restart the service.";
            default:
                expected = false;
                return $"Start-up failed ({error.GetType().Name}: {FirstLine(error.Message)}). The log holds the details; the service "
                    + "restarts when /health/live fails.";
        }
    }

    private static string Innermost(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return FirstLine(inner.Message).TrimEnd('.');
    }

    /// <summary>
    /// Registered on <see cref="AppDomain.UnhandledException"/> by Program.cs: a setting the service cannot run with
    /// (<see cref="BadSetting"/>) ends the process with one line naming it on standard error and exit code 1, instead of
    /// the runtime's "Unhandled exception" and a stack trace (and an abort). Any other exception is left to the runtime.
    /// </summary>
    public static void ExitOnBadSetting(object? sender, UnhandledExceptionEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (BadSetting(e.ExceptionObject as Exception) is not { } sentence) return;
        Console.Error.WriteLine($"Start-up failed: {sentence} Fix the setting; then restart the service.");
        Console.Error.Flush();
        Environment.Exit(1);
    }

    /// <summary>The sentence of a setting the service cannot run with, or null when <paramref name="error"/> is something else.</summary>
    public static string? BadSetting(Exception? error) => error switch
    {
        Microsoft.Extensions.Options.OptionsValidationException invalid => string.Join(" ", invalid.Failures.Select(Sentence)),
        // Configuration binding: "Failed to convert configuration value at 'MovieRec:RateLimitPerMinute' to type 'System.Int32'."
        InvalidOperationException conversion when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => Sentence(FirstLine(conversion.Message)),
        AggregateException all when all.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(e => BadSetting(e) is not null) => string.Join(" ", inner.Select(BadSetting)),
        _ => null,
    };

    /// <summary>A loader's message ends a sentence here; most carry no full stop of their own.</summary>
    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        string line = end < 0 ? message : message[..end];
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}

/// <summary>The dataset holds no ratings (a catalogue: TMDB or IMDb alone, a header-only ratings.csv): nothing to train or serve.</summary>
public sealed class NoRatingsException(string dataset, int movies)
    : Exception($"The dataset {dataset} has no ratings (a catalogue of {movies} movie{(movies == 1 ? "" : "s")}).")
{
    /// <summary>The dataset's name.</summary>
    public string Dataset { get; } = dataset;

    /// <summary>How many movies its catalogue holds.</summary>
    public int Movies { get; } = movies;
}
