using System.Text;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Web.Hosting;

/// <summary>
/// How the ratings table's integer movie column holds a movie. Numeric datasets store the movie id itself. Datasets of
/// string ids store a 64-bit hash of the id as the dataset spells it (FNV-1a, <see cref="ModelFile.Checksum"/>, made
/// non-negative): the dense item id would point at another track once the dataset file changes, the hash keeps naming
/// the same one, and the table keeps one column for both kinds. With n ids a collision has probability about
/// n² / 2⁶⁴ (2 × 10⁻⁸ for 600,000 ids); <see cref="ItemsByStoredId"/> refuses a dataset where one occurs.
/// </summary>
public static class StoredMovieIds
{
    /// <summary>The stored id of the movie with catalogue key <paramref name="movieId"/> (for string ids, its dense item id).</summary>
    public static long Of(IdMap items, long movieId)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.IsNumeric ? movieId : Hash(items.ToRaw(checked((int)movieId)));
    }

    /// <summary>The stored id of a string id.</summary>
    public static long Hash(string rawId)
    {
        ArgumentNullException.ThrowIfNull(rawId);
        return (long)(ModelFile.Checksum(Encoding.UTF8.GetBytes(rawId)) & long.MaxValue);
    }

    /// <summary>Dense item by stored id, for a map of string ids (empty for numeric ones, whose stored id is the raw id).</summary>
    public static Dictionary<long, int> ItemsByStoredId(IdMap items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var result = new Dictionary<long, int>(items.IsNumeric ? 0 : items.Count);
        if (items.IsNumeric) return result;
        for (int item = 0; item < items.Count; item++)
        {
            if (!result.TryAdd(Hash(items.ToRaw(item)), item))
                throw new InvalidOperationException($"The item ids '{items.ToRaw(result[Hash(items.ToRaw(item))])}' and '{items.ToRaw(item)}' hash alike; stored ratings could not tell them apart.");
        }
        return result;
    }

    /// <summary>The dense item of a stored id, or -1 when the dataset has no such movie.</summary>
    public static int ItemOf(IdMap items, Dictionary<long, int> byStoredId, long storedId)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(byStoredId);
        return items.IsNumeric ? items.ToDense(storedId) : byStoredId.TryGetValue(storedId, out int item) ? item : -1;
    }
}
