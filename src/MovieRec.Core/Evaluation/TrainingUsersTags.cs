using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>
/// While it lives, every movie's MovieLens tags are only those the training users applied: a held-out user's tags are
/// evidence of what they watched (ml-latest-small's most active tagger tagged 1,235 movies, 712 of them rated 4 or
/// more), so a model that reads tags as content would otherwise see the held-out answers. Dispose restores the tags.
/// Movies are shared objects: do not fit or serve anything else on the same dataset while a scope is open.
/// </summary>
public sealed class TrainingUsersTags : IDisposable
{
    private readonly List<(Movie Movie, string[] Tags)> _saved = [];

    private TrainingUsersTags()
    {
    }

    /// <summary>
    /// Keeps the tag applications of users who are not held out in <paramref name="split"/> (a tag applied by both
    /// stays); <paramref name="dataset"/>'s tag applications name users by raw id, as its ratings do.
    /// </summary>
    public static TrainingUsersTags Restrict(Dataset dataset, NewUserSplit split)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        var scope = new TrainingUsersTags();
        if (dataset.Tags.Count == 0) return scope;
        var ids = split.Train.UserIds;
        // Tag files (MovieLens) name users by number, as their ratings do.
        if (!ids.IsNumeric) throw new ArgumentException("Tag applications name users by number; this dataset's user ids are not numbers.", nameof(dataset));
        var held = new HashSet<long>();
        foreach (var user in split.Users) held.Add(ids.ToRawNumeric(user.User));
        var kept = new Dictionary<long, List<string>>();
        foreach (var tag in dataset.Tags)
        {
            if (held.Contains(tag.UserId)) continue;
            if (!kept.TryGetValue(tag.MovieId, out var list)) kept[tag.MovieId] = list = [];
            if (!list.Contains(tag.Tag, StringComparer.OrdinalIgnoreCase)) list.Add(tag.Tag);
        }
        foreach (var movie in dataset.Catalog.Movies)
        {
            if (movie.Tags.Count == 0) continue;
            scope._saved.Add((movie, [.. movie.Tags]));
            var training = kept.GetValueOrDefault(movie.Id);
            // The loader's spelling and order: keep a tag when a training user applied it.
            movie.Tags.RemoveAll(t => training is null || !training.Contains(t, StringComparer.OrdinalIgnoreCase));
        }
        return scope;
    }

    /// <summary>How many movies had tags taken away (0 when no held-out user tagged anything).</summary>
    public int ChangedMovies => _saved.Count(s => s.Movie.Tags.Count != s.Tags.Length);

    public void Dispose()
    {
        foreach (var (movie, tags) in _saved)
        {
            movie.Tags.Clear();
            movie.Tags.AddRange(tags);
        }
        _saved.Clear();
    }
}
