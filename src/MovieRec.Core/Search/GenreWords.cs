using System.Text;
using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// The kinds of movie a query's words ask for, as MovieLens genres: "funny movie for a family night" asks for Comedy
/// and Children, "scary movie about a haunted house" for Horror. Searched as words only, "funny" matched the title
/// Funny Games (a thriller) first; <see cref="HybridSearch"/> lifts the fused score of movies of the genres asked for
/// (<see cref="HybridSearchOptions.GenreWeight"/>) without leaving the others out.
/// </summary>
public static class GenreWords
{
    // Words and phrases (lower case, hyphens kept inside words: "war-torn" is not "war") -> genres. A lookup, not a
    // regular expression: the generated matcher for these alternations was thousands of lines, and compiling such
    // matchers kept megabytes resident in the service (docs/benchmarks.md, memory).
    private static readonly Dictionary<string, string[]> Phrases = Build(new (string Genres, string[] Words)[]
    {
        ("Comedy", ["funny", "funnier", "comedy", "comedies", "comic", "hilarious", "laugh", "laughs", "laughing", "humor", "humour", "humorous", "humourous", "feel-good", "feelgood", "feel good"]),
        ("Horror", ["scary", "scarier", "horror", "frightening", "terrifying", "creepy", "spooky", "slasher", "slashers"]),
        // "family" alone is not Children ("mafia family crime saga"); these phrases are.
        ("Children", ["kid", "kids", "children", "child-friendly", "family-friendly", "family movie", "family movies", "family film", "family films", "family night", "family fun",
            "family friendly", "for the family", "for the whole family"]),
        ("Animation", ["animated", "animation", "cartoon", "cartoons", "anime"]),
        ("Romance", ["romantic", "romance", "love story", "love stories"]),
        ("Sci-Fi", ["sci-fi", "scifi", "science fiction", "futuristic"]),
        ("War", ["war", "wartime"]),
        ("Western", ["western", "westerns", "cowboy", "cowboys"]),
        ("Musical", ["musical", "musicals"]),
        ("Documentary", ["documentary", "documentaries"]),
        ("Thriller", ["thriller", "thrillers", "suspense", "suspenseful"]),
        ("Crime", ["crime", "gangster", "gangsters", "mafia", "mob"]),
        ("Fantasy", ["fantasy", "magical", "fairy tale", "fairy tales"]),
        ("Mystery", ["mystery", "mysteries", "whodunit", "whodunnit"]),
        // "sad movie about a dog": a person asking for sadness asks for a drama.
        ("Drama", ["drama", "dramas", "sad", "tearjerker", "tearjerkers", "tear-jerker", "tear-jerkers", "tear jerker", "tear jerkers", "heartbreaking", "weepie", "weepies",
            "make you cry", "makes you cry", "make me cry", "made me cry"]),
        ("Action", ["action"]),
        ("Adventure", ["adventure", "adventures"]),
        ("Film-Noir", ["noir", "film noir"]),
        ("Comedy|Romance", ["rom-com", "rom-coms", "romcom", "romcoms"]),
    });

    private const int LongestPhrase = 4;

    private static Dictionary<string, string[]> Build((string Genres, string[] Words)[] table)
    {
        var phrases = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (genres, words) in table)
        {
            foreach (var word in words) phrases[word] = genres.Split('|');
        }
        return phrases;
    }

    /// <summary>The genres <paramref name="query"/> asks for, in the order its words say them (empty when none).</summary>
    public static IReadOnlyList<string> Of(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = Tokens(query);
        var genres = new List<string>();
        for (int i = 0; i < words.Count;)
        {
            int used = 1;
            for (int n = Math.Min(LongestPhrase, words.Count - i); n >= 1; n--)
            {
                if (!Phrases.TryGetValue(n == 1 ? words[i] : string.Join(' ', words.GetRange(i, n)), out var found)) continue;
                foreach (var genre in found)
                {
                    if (!genres.Contains(genre)) genres.Add(genre);
                }
                used = n;
                break;
            }
            i += used;
        }
        return genres;
    }

    // Phrases that say who the movie is for, not what it is like: "for kids", "a family movie". "kids" or "children"
    // alone is not one ("a group of kids find a treasure map", "the two children of a stern banker" describe a plot).
    private static readonly string[][] ForChildrenPhrases =
    [
        .. new[] { "kids", "the kids", "my kids", "our kids", "children", "the children", "my children", "young children", "a child", "a kid", "little kids", "small children", "the family", "the whole family", "all the family", "a family night", "family night", "a family movie night", "family movie night" }
            .Select(p => ("for " + p).Split(' ')),
        .. new[] { "kids movie", "kids movies", "kids film", "kids films", "kid movie", "children s movie", "children s movies", "children s film", "children s films", "childrens movie", "family movie", "family movies", "family film", "family films", "family night", "family movie night", "kid-friendly", "kid friendly", "child-friendly", "child friendly", "family-friendly", "family friendly", "suitable for kids", "safe for kids" }
            .Select(p => p.Split(' ')),
    ];

    /// <summary>
    /// Whether <paramref name="query"/> says the movie is for children ("funny movie for a family night", "ghost story
    /// for kids", "family movies"): a constraint on who may watch, which <see cref="HybridSearch"/> applies more strongly
    /// than a genre asked for (<see cref="HybridSearchOptions.NotForChildren"/>).
    /// </summary>
    public static bool ForChildren(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = Tokens(query);
        for (int i = 0; i < words.Count; i++)
        {
            if (ChildrenPhraseAt(words, i) > 0) return true;
        }
        return false;
    }

    /// <summary>
    /// The kinds a query asks for when it asks for nothing else ("horror movies", "a good western", "funny movie for
    /// kids", "animated films for the whole family", "best movies": any kind): the genres, whether the movie is for
    /// children, the original language ("korean thriller"), and the studio or subject the other words name through
    /// <paramref name="studios"/> ("pixar movies") or <paramref name="topics"/> ("dog movies"); null when any other word
    /// remains ("horror movie set in space"; "sad movie about a dog" without <paramref name="topics"/>) or the words ask
    /// for nothing at all ("the", "show me").
    /// </summary>
    public static BrowseKinds? Browse(string query, Func<string, Studio?>? studios = null, Func<string, Topic?>? topics = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = Tokens(query);
        bool forChildren = false;
        var genres = new List<string>();
        var rest = new List<string>();
        var subject = new List<string>();
        bool recent = false;
        LanguageAsked? language = null;
        for (int i = 0; i < words.Count;)
        {
            if (ChildrenPhraseAt(words, i) is int length and > 0)
            {
                forChildren = true;
                i += length;
                continue;
            }
            int used = 0;
            for (int n = Math.Min(LongestPhrase, words.Count - i); n >= 1 && used == 0; n--)
            {
                if (!Phrases.TryGetValue(n == 1 ? words[i] : string.Join(' ', words.GetRange(i, n)), out var found)) continue;
                foreach (var genre in found)
                {
                    if (!genres.Contains(genre)) genres.Add(genre);
                }
                used = n;
            }
            // A subject may hold filler, language and recent words ("time travel movies": "time" of "all time";
            // "romantic comedy in new york").
            if (used == 0 && !MovieWords.Contains(words[i])) subject.Add(words[i]);
            if (used == 0 && language is null && Languages.TryGetValue(words[i], out var named)) language = named;
            else if (used == 0 && RecentWords.Contains(words[i])) recent = true;
            else if (used == 0 && !BrowseFiller.Contains(words[i])) rest.Add(words[i]);
            i += Math.Max(used, 1);
        }
        // "pixar movies", "disney animated movies": the other words name a studio; "dog movies", "zombie comedies",
        // "movies based on a true story": a subject.
        Studio? studio = null;
        Topic? topic = null;
        if (rest.Count > 0)
        {
            var other = string.Join(' ', rest);
            if ((studio = studios?.Invoke(other)) is null)
            {
                if (subject.Count > rest.Count && topics?.Invoke(string.Join(' ', subject)) is { } whole)
                {
                    // The subject took the language and recent words too: "new york" is no recent movie.
                    topic = whole;
                    language = null;
                    recent = false;
                }
                else if ((topic = topics?.Invoke(other)) is null) return null;
            }
        }
        // "best movies", "good films", "movies": any kind, when a word says movies or the best of them. A subject alone
        // ("zombie apocalypse", "dogs") is a description, searched as words.
        return genres.Count > 0 || forChildren || studio is not null || language is not null || words.Exists(AnyKind.Contains)
            ? new BrowseKinds(genres, forChildren, studio, recent, language, topic) : null;
    }

    // "korean thriller", "french movies", "bollywood", "foreign films": TMDB's original language (ISO 639-1).
    private static readonly Dictionary<string, LanguageAsked> Languages = BuildLanguages(
    [
        ("Korean", "ko", ["korean"]), ("Japanese", "ja", ["japanese"]), ("French", "fr", ["french"]), ("Italian", "it", ["italian"]),
        ("Spanish-language", "es", ["spanish"]), ("German", "de", ["german"]), ("Chinese", "zh|cn", ["chinese", "mandarin", "cantonese"]),
        ("Hindi", "hi", ["hindi", "bollywood"]), ("Russian", "ru", ["russian"]), ("Danish", "da", ["danish"]), ("Swedish", "sv", ["swedish"]),
        ("Norwegian", "no|nb", ["norwegian"]), ("Dutch", "nl", ["dutch"]), ("Portuguese-language", "pt", ["portuguese"]), ("Persian", "fa", ["persian", "iranian", "farsi"]),
        ("Thai", "th", ["thai"]), ("Turkish", "tr", ["turkish"]), ("Polish", "pl", ["polish"]), ("Czech", "cs", ["czech"]), ("Hebrew", "he", ["hebrew", "israeli"]),
        ("Greek", "el", ["greek"]), ("Finnish", "fi", ["finnish"]),
    ]);

    private static Dictionary<string, LanguageAsked> BuildLanguages((string Name, string Codes, string[] Words)[] table)
    {
        var languages = new Dictionary<string, LanguageAsked>(StringComparer.Ordinal);
        foreach (var (name, codes, words) in table)
        {
            var asked = new LanguageAsked(name, codes.Split('|').ToHashSet(StringComparer.Ordinal));
            foreach (var word in words) languages[word] = asked;
        }
        languages["foreign"] = new LanguageAsked("foreign-language", new HashSet<string>(StringComparer.Ordinal) { "en" }, AnyBut: true);
        return languages;
    }

    private static readonly HashSet<string> MovieWords = new(StringComparer.Ordinal) { "movie", "movies", "film", "films", "flick", "flicks", "cinema" };

    /// <summary>
    /// <paramref name="query"/> without the words that only say "movie" (<see cref="MovieWords"/>: movie, movies, film,
    /// films, flick, flicks, cinema; whole words, any case), when other words remain; else the query itself (the same
    /// instance). Matched as words, "uplifting movies" began with Disaster Movie, American Movie, The Lego Batman Movie
    /// and Scary Movie, which share only that word.
    /// </summary>
    public static string WithoutMovieWords(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var kept = new StringBuilder(query.Length);
        bool dropped = false, hasWord = false;
        for (int i = 0; i < query.Length;)
        {
            if (!char.IsLetterOrDigit(query[i]))
            {
                // One space where a dropped word leaves two.
                if (!(char.IsWhiteSpace(query[i]) && kept.Length > 0 && char.IsWhiteSpace(kept[^1]))) kept.Append(query[i]);
                i++;
                continue;
            }
            int start = i;
            while (i < query.Length && char.IsLetterOrDigit(query[i])) i++;
            var word = query.AsSpan(start, i - start);
            if (MovieWords.Contains(word.ToString().ToLowerInvariant())) dropped = true;
            else
            {
                kept.Append(word);
                hasWord = true;
            }
        }
        return dropped && hasWord ? kept.ToString().Trim() : query;
    }

    // "new horror movies", "the latest comedies": the catalogue's last years (HybridSearch.RecentYears).
    private static readonly HashSet<string> RecentWords = new(StringComparer.Ordinal) { "new", "newer", "newest", "latest", "recent" };

    private static readonly HashSet<string> AnyKind = new(StringComparer.Ordinal)
    {
        "movie", "movies", "film", "films", "flick", "flicks", "best", "top", "good", "great", "popular", "classic", "classics", "famous",
    };

    // Words that ask for nothing in a browse: "show me some good horror movies", "a classic western".
    private static readonly HashSet<string> BrowseFiller = new(StringComparer.Ordinal)
    {
        "movie", "movies", "film", "films", "flick", "flicks", "cinema", "the", "a", "an", "some", "any", "best", "good", "great", "top",
        "classic", "classics", "famous", "popular", "show", "me", "find", "recommend", "list", "of", "all", "time", "and", "or", "something",
        "to", "watch", "i", "want", "need", "please", "genre", "by", "from", "made", "that", "which", "will",
    };

    private static int ChildrenPhraseAt(List<string> words, int i)
    {
        int longest = 0;
        foreach (var phrase in ForChildrenPhrases)
        {
            if (phrase.Length <= longest || i + phrase.Length > words.Count) continue;
            int k = 0;
            while (k < phrase.Length && words[i + k] == phrase[k]) k++;
            if (k == phrase.Length) longest = phrase.Length;
        }
        return longest;
    }

    /// <summary>Lower-cased words: runs of letters, digits and inner hyphens.</summary>
    private static List<string> Tokens(string text) => QueryWords.Of(text, innerHyphens: true);

    private static readonly string[] ChildrenGenre = ["Children"];

    /// <summary>Whether MovieLens files <paramref name="movie"/> under Children (what a movie "for kids" must be).</summary>
    public static bool IsForChildren(Movie movie) => Share(movie, ChildrenGenre) == 1;

    /// <summary>The share of <paramref name="genres"/> that <paramref name="movie"/> has (0 to 1).</summary>
    public static float Share(Movie movie, IReadOnlyList<string> genres)
    {
        ArgumentNullException.ThrowIfNull(movie);
        ArgumentNullException.ThrowIfNull(genres);
        if (genres.Count == 0) return 0;
        int has = 0;
        foreach (var genre in genres)
        {
            foreach (var g in movie.Genres)
            {
                if (string.Equals(g, genre, StringComparison.OrdinalIgnoreCase))
                {
                    has++;
                    break;
                }
            }
        }
        return has / (float)genres.Count;
    }
}
