using Microsoft.Extensions.Options;
using MovieRec.Core.Algorithms;

namespace MovieRec.Web.Hosting;

/// <summary>
/// Checks the algorithm settings at start (registered with ValidateOnStart): the default algorithm and every
/// <c>MovieRec:Algorithms:{name}</c> section must name an algorithm the service serves, and every option must be one
/// the catalogue declares for it, with a valid value. A mistake fails start-up with a sentence naming the setting,
/// instead of a 400 (or a failed training) on the first request that needs it.
/// </summary>
public sealed class MovieRecOptionsValidation : IValidateOptions<MovieRecOptions>
{
    public ValidateOptionsResult Validate(string? name, MovieRecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string section = MovieRecOptions.Section;
        string servable = string.Join(", ", ServingModel.Algorithms.Keys);
        if (ServingModel.Find(options.DefaultAlgorithm) is null)
            failures.Add($"{section}:DefaultAlgorithm: '{options.DefaultAlgorithm}' is not an algorithm the service serves ({Why(options.DefaultAlgorithm)}). Servable: {servable}.");
        foreach (var (algorithm, values) in options.Algorithms)
        {
            string setting = $"{section}:Algorithms:{algorithm}";
            var entry = ServingModel.Find(algorithm);
            if (entry is null)
            {
                failures.Add($"{setting}: '{algorithm}' is not an algorithm the service serves ({Why(algorithm)}). Servable: {servable}.");
                continue;
            }
            try
            {
                entry.Create(new AlgorithmParameters(values));
            }
            catch (ArgumentException e)
            {
                failures.Add($"{setting}{(e.ParamName is { Length: > 0 } option ? ":" + option : "")}: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Why(string? algorithm) =>
        algorithm is null || AlgorithmCatalog.Find(algorithm) is not { } entry ? "no such algorithm" : $"not served: {entry.NotServable}";
}
