using System.Reflection;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("MovieRec.Web.Tests.LongRunningFirst", "MovieRec.Web.Tests")]

namespace MovieRec.Web.Tests;

/// <summary>
/// Marks a test class (or a collection definition) whose tests together take tens of seconds: it is started before
/// the others (<see cref="LongRunningFirst"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LongRunningAttribute : Attribute;

/// <summary>
/// Starts the collections marked <see cref="LongRunningAttribute"/> first, the others after in xunit's usual order.
/// xunit runs as many collections at once as there are cores and starts the next as one ends; started last, a
/// collection of a minute or two ran alone on an otherwise idle machine at the end of the run (ModelLifecycleTests: the
/// last 2 of the service tests' 5.5 minutes on 2 cores, 2026-12-07).
/// </summary>
public sealed class LongRunningFirst : ITestCollectionOrderer
{
    private const string DefaultPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        return [.. all.Where(IsLong), .. all.Where(c => !IsLong(c))];
    }

    private static bool IsLong(ITestCollection collection)
    {
        // A named collection: its definition class; a class's own collection: the class, named in the display name.
        string? name = collection.CollectionDefinition?.Name
            ?? (collection.DisplayName.StartsWith(DefaultPrefix, StringComparison.Ordinal) ? collection.DisplayName[DefaultPrefix.Length..] : null);
        var type = name is null ? null : typeof(LongRunningFirst).Assembly.GetType(name);
        return type?.GetCustomAttribute<LongRunningAttribute>() is not null;
    }
}
