using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms;

/// <summary>
/// Fitted parts shared by every model fitted on the same ratings with the same options. The service serves one EASE
/// as <c>ease</c>, inside <c>hybrid</c> and inside <c>taste</c>, and one recency EASE as <c>ease-recency</c> and inside
/// <c>best-ranking</c>: each B is a dense 3,650² matrix (53 MB on ml-latest-small in float, 27 MB in half precision
/// since issue #18), so fitting each copy separately held five of them (266 MB in float). Parts are immutable once made; they live as long as the ratings instance
/// they were fitted on (a <see cref="ConditionalWeakTable{TKey, TValue}"/>), so a replaced model version or a finished
/// cross-validation fold frees them with its data.
/// </summary>
public static class SharedFits
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<object, Lazy<object>>> Fits = [];

    /// <summary>
    /// The part fitted on <paramref name="ratings"/> under <paramref name="key"/> (a value with equality: the options
    /// record and anything else the fit depends on), made once by <paramref name="fit"/>. Datasets that share their
    /// (user, item) arrays share parts (a recency ranker refits on the same pairs with other values: the key says
    /// whether values matter). A fit that throws (cancelled, bad data) is not kept, so the next caller fits again.
    /// </summary>
    public static T GetOrFit<T>(RatingDataset ratings, object key, Func<T> fit)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fit);
        // The (user, item) pairs identify the data; the item array joins the key in case two datasets share only users.
        var fits = Fits.GetValue(ratings.Users, _ => new ConcurrentDictionary<object, Lazy<object>>());
        key = (key, ratings.Items);
        var lazy = fits.GetOrAdd(key, _ => new Lazy<object>(fit, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return (T)lazy.Value;
        }
        catch
        {
            fits.TryRemove(new KeyValuePair<object, Lazy<object>>(key, lazy));
            throw;
        }
    }
}
