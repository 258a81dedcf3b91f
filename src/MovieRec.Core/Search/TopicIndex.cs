using System.Collections.Concurrent;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>A subject a browse query names ("dog", "true story", "zombies"), with the catalogue's movies about it.</summary>
/// <param name="Words">The subject as the query wrote it ("dogs", "a true story").</param>
/// <param name="Strengths">The movies with a TMDB keyword or MovieLens tag that says it, by id, each with how much it
/// is about the subject (<see cref="TopicIndex.Strength"/>).</param>
public sealed record Topic(string Words, IReadOnlyDictionary<long, float> Strengths)
{
    /// <summary>Whether <paramref name="movie"/> is about the subject.</summary>
    public bool Covers(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        return Strengths.ContainsKey(movie.Id);
    }

    /// <summary>How much <paramref name="movie"/> is about the subject, 0 to 1 (0: not at all).</summary>
    public float Strength(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        return Strengths.GetValueOrDefault(movie.Id);
    }
}

/// <summary>
/// The subjects of the catalogue's movies, by their TMDB keywords and MovieLens tags, as a browse query names them:
/// "dog movies", "zombie comedies", "movies based on a true story", "christmas movies". Searched as words, "dog movies"
/// began with The Truth About Cats &amp; Dogs, Stray Dog and Man Bites Dog (title words) and "movies based on a true
/// story" with Ghostbusters II. A subject matches a keyword or tag that says exactly it, compared without small words
/// and plurals ("dogs" is "dog", "based on a true story" is "based on true story"); a keyword that only holds the words
/// does not ("loan shark" is not about sharks, "christmas party" puts Die Hard and Harry Potter among Christmas
/// movies; "york" is not "new york").
/// </summary>
public sealed class TopicIndex
{
    /// <summary>The fewest movies a subject needs to be browsed.</summary>
    public const int MinMovies = 5;

    // Small words left out on both sides: "movies about a dog" is "dog", "based on a true story" is "based true story".
    private static readonly HashSet<string> SmallWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "about", "with", "on", "of", "in", "and", "or", "to", "for", "is", "are", "set", "involving", "featuring", "s",
    };

    // Normalised keyword or tag -> the ids of its movies.
    private readonly Dictionary<string, long[]> _movies;
    private readonly Dictionary<long, Movie> _byId;
    private readonly ConcurrentDictionary<string, Dictionary<long, float>> _strengths = new(StringComparer.Ordinal);

    public TopicIndex(IReadOnlyList<Movie> movies)
    {
        ArgumentNullException.ThrowIfNull(movies);
        var building = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        void Add(string phrase, long id)
        {
            var key = Key(phrase);
            if (key.Length == 0) return;
            if (!building.TryGetValue(key, out var set)) building[key] = set = [];
            set.Add(id);
        }
        foreach (var movie in movies)
        {
            if (movie.Tmdb is { } tmdb)
            {
                foreach (var keyword in tmdb.Keywords)
                {
                    if (!UninformativeKeywords.Credits.Contains(keyword)) Add(keyword, movie.Id);
                }
            }
            foreach (var tag in movie.Tags)
            {
                if (!UninformativeKeywords.Opinions.Contains(tag)) Add(tag, movie.Id);
            }
        }
        _movies = building.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        _byId = new Dictionary<long, Movie>(movies.Count);
        foreach (var movie in movies) _byId[movie.Id] = movie;
    }

    /// <summary>The subject <paramref name="words"/> name, with at least <see cref="MinMovies"/> movies, or null.</summary>
    public Topic? Find(string words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var key = Key(words);
        if (key.Length == 0) return null;
        if (!_movies.TryGetValue(key, out var exact) || exact.Length < MinMovies) return null;
        // Worked out once per subject: the overviews' words are read for each of its movies.
        var strengths = _strengths.GetOrAdd(key, static (k, index) =>
        {
            var byMovie = new Dictionary<long, float>(index.exact.Length);
            foreach (long id in index.exact) byMovie[id] = Strength(index.self._byId[id], k);
            return byMovie;
        }, (self: this, exact));
        return new Topic(Shown(words), strengths);
    }

    /// <summary>TMDB keywords a movie may have before each weighs less as evidence (<see cref="Strength"/>).</summary>
    public const int FullKeywords = 8;

    /// <summary>
    /// How much <paramref name="movie"/> is about the subject <paramref name="key"/> (<see cref="Key"/>), 0 to 1: the
    /// evidence that says it, each worth 1: a MovieLens tag (someone thought it worth saying), the overview and the
    /// title (the subject's words in them, in order), and a TMDB keyword, worth 1 only among at most
    /// <see cref="FullKeywords"/> keywords and proportionally less among more (TMDB lists incidental things too:
    /// Broken Arrow's 22 keywords hold "boxing" for one scene, so by ratings alone "boxing movies" began with it,
    /// before Rocky and Raging Bull); the sum over 4, square-rooted, so evidence reorders films of like familiarity
    /// without burying the best-known under obscure ones with more words.
    /// </summary>
    internal static float Strength(Movie movie, string key)
    {
        float evidence = 0;
        if (movie.Tmdb is { } tmdb)
        {
            foreach (var keyword in tmdb.Keywords)
            {
                if (Key(keyword) != key) continue;
                evidence += Math.Min(1f, FullKeywords / (float)tmdb.Keywords.Count);
                break;
            }
            if (tmdb.Overview is { Length: > 0 } overview && Says(overview, key)) evidence += 1;
        }
        foreach (var tag in movie.Tags)
        {
            if (Key(tag) != key) continue;
            evidence += 1;
            break;
        }
        if (Says(movie.Title, key)) evidence += 1;
        return MathF.Sqrt(evidence / 4);
    }

    /// <summary>Whether <paramref name="text"/>'s words (<see cref="Key"/>) hold <paramref name="key"/>'s words in order.</summary>
    private static bool Says(string text, string key)
    {
        var words = Key(text);
        int at = words.IndexOf(key, StringComparison.Ordinal);
        while (at >= 0)
        {
            // Whole words only: "dog" is not in "underdog" or "dogma".
            if ((at == 0 || words[at - 1] == ' ') && (at + key.Length == words.Length || words[at + key.Length] == ' ')) return true;
            at = words.IndexOf(key, at + 1, StringComparison.Ordinal);
        }
        return false;
    }

    /// <summary>The words as written, without small words before and after ("about dogs" -> "dogs").</summary>
    private static string Shown(string words)
    {
        var all = QueryWords.Of(words);
        int first = 0, last = all.Count - 1;
        while (first <= last && SmallWords.Contains(all[first])) first++;
        while (last >= first && SmallWords.Contains(all[last])) last--;
        return string.Join(' ', all.GetRange(first, last - first + 1));
    }

    /// <summary>The words of <paramref name="phrase"/> without small words, each in the singular, space-separated.</summary>
    internal static string Key(string phrase)
    {
        var words = QueryWords.Of(phrase);
        var kept = new List<string>(words.Count);
        foreach (var word in words)
        {
            if (!SmallWords.Contains(word)) kept.Add(Singular(word));
        }
        return string.Join(' ', kept);
    }

    // One form for singular and plural, the same on both sides: "dogs" -> "dog", "zombies" and "zombie" -> "zombie",
    // "stories" and "story" -> "storie", "heroes" -> "hero", "witches" -> "witch" ("christmas" -> "christma" is harmless).
    private static string Singular(string word)
    {
        if (word.Length <= 3) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal)) return word[..^1];
        if (word.EndsWith('y') && !IsVowel(word[^2])) return word[..^1] + "ie";
        if (word.EndsWith("oes", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) || word.EndsWith("ches", StringComparison.Ordinal)
            || word.EndsWith("shes", StringComparison.Ordinal) || word.EndsWith("sses", StringComparison.Ordinal))
            return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)) return word[..^1];
        return word;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
