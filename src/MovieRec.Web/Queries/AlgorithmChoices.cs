using Microsoft.Extensions.Options;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Queries;

/// <summary>An algorithm a request may name, with a short label for people and what it is.</summary>
public sealed record AlgorithmInfo(string Name, string Label, string Description);

/// <summary>
/// The algorithms the service serves and the default one (setting <c>MovieRec:DefaultAlgorithm</c>): the one place the
/// API, the pages and the options validation learn them, so the page's switcher, the names a request may use and the
/// start-up check always agree.
/// </summary>
public sealed class AlgorithmChoices
{
    // The only reference to the served list: when it comes from the algorithm catalogue, this line changes.
    private static IReadOnlyDictionary<string, string> Served => ServingModel.Algorithms;

    // Short names for the page's switcher (an algorithm without one is shown by its name), until the catalogue has them.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["hybrid"] = "Hybrid",
        ["svd"] = "SVD",
        ["svdpp"] = "SVD++",
        ["knn"] = "Item kNN",
        ["kmeans"] = "K-Means cluster",
        ["content"] = "Content",
    };

    public AlgorithmChoices(IOptions<MovieRecOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Default = Normalize(options.Value.DefaultAlgorithm);
        var all = All;
        Ordered = [.. all.Where(a => a.Name == Default), .. all.Where(a => a.Name != Default)];
    }

    /// <summary>Every servable algorithm in the served list's order (what GET /algorithms returns).</summary>
    public static IReadOnlyList<AlgorithmInfo> All => [.. Served.Select(a => new AlgorithmInfo(a.Key, Labels.GetValueOrDefault(a.Key, a.Key), a.Value))];

    /// <summary>Whether <paramref name="name"/> (any case, surrounding spaces ignored) is a servable algorithm.</summary>
    public static bool IsServable(string? name) => !string.IsNullOrWhiteSpace(name) && Served.ContainsKey(Normalize(name));

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string KnownNames => string.Join(", ", Served.Keys);

    /// <summary>The algorithm used when a request names none.</summary>
    public string Default { get; }

    /// <summary>The algorithms in the order a person chooses from: the default first, then the served list's order.</summary>
    public IReadOnlyList<AlgorithmInfo> Ordered { get; }

    /// <summary>The servable algorithm called <paramref name="name"/>.</summary>
    public static AlgorithmInfo Get(string name) => All.Single(a => a.Name == name);

    /// <summary>The algorithm a request named (the default when it named none), or the "algorithm" field error.</summary>
    public QueryResult<string> Resolve(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return Default;
        string name = Normalize(requested);
        return Served.ContainsKey(name) ? name : QueryError.Invalid("algorithm", $"unknown algorithm '{requested}'. Known: {KnownNames}.");
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
