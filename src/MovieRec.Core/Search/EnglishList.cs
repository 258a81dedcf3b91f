namespace MovieRec.Core.Search;

/// <summary>Names in a sentence: "A", "A and B", "A, B and C" (search answers, the page's headings, the CLI).</summary>
public static class EnglishList
{
    public static string Join(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count <= 1 ? string.Join("", items) : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
    }
}
