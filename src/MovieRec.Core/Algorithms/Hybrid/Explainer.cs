using System.Globalization;
using System.Text;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Algorithms.Hybrid;

/// <summary>What links a recommended movie to a movie the user liked.</summary>
public enum LinkKind
{
    /// <summary>The two share a director (TMDB crew).</summary>
    Director,

    /// <summary>An actor billed in the top three of both.</summary>
    Actor,

    /// <summary>A TMDB keyword or MovieLens tag of both that few movies carry (<see cref="ExplainerOptions.MaxKeywordShare"/>).</summary>
    Keyword,

    /// <summary>People who liked the one liked the other far more often than everyone did (training ratings).</summary>
    LikedBySamePeople,

    /// <summary>A genre of both that few movies have (<see cref="ExplainerOptions.MaxGenreShare"/>): documentary, western, film noir.</summary>
    Genre,
}

/// <summary>One link that holds between the liked movie and the recommendation, with what it rests on.</summary>
/// <param name="Kind">The kind of link.</param>
/// <param name="Value">The director, actor, keyword or genre (empty for <see cref="LinkKind.LikedBySamePeople"/>).</param>
/// <param name="Both">For <see cref="LinkKind.LikedBySamePeople"/>: training users who liked both movies.</param>
/// <param name="LikedSource">For <see cref="LinkKind.LikedBySamePeople"/>: training users who liked the user's movie.</param>
/// <param name="Lift">For <see cref="LinkKind.LikedBySamePeople"/>: (Both / LikedSource) / (likers of the recommendation / users).</param>
public sealed record ExplanationLink(LinkKind Kind, string Value, int Both = 0, int LikedSource = 0, double Lift = 0);

/// <summary>
/// Why a movie is recommended: the liked movie behind it and the links that hold between them; no movie and an empty
/// text when no link holds (nothing is said rather than something untrue).
/// </summary>
/// <param name="BecauseOf">The dense item id of the user's liked movie, or null.</param>
/// <param name="Text">"because you liked Toy Story: same director (John Lasseter); also starring Tom Hanks", or "".</param>
/// <param name="Links">The links, in the order the text gives them.</param>
public sealed record Explanation(int? BecauseOf, string Text, IReadOnlyList<ExplanationLink> Links)
{
    /// <summary>No liked movie links to the recommendation.</summary>
    public static Explanation None { get; } = new(null, "", []);

    /// <summary>The phrases of the text after "because you liked X: ", e.g. "same director (Christopher Nolan)".</summary>
    public IReadOnlyList<string> SharedFeatures => Explainer.Phrases(Links);
}

/// <summary>Thresholds of <see cref="Explainer"/>.</summary>
public sealed record ExplainerOptions
{
    /// <summary>A co-liking claim needs at least this many training users who liked both movies. Default 10.</summary>
    public int MinimumSupport { get; init; } = 10;

    /// <summary>
    /// ... and their share of the liked movie's fans must be at least this many times the share of all users who liked
    /// the recommendation. Default 1.5: below it, "people who liked X liked this" is true of any popular movie.
    /// </summary>
    public double MinimumLift { get; init; } = 1.5;

    /// <summary>
    /// Keywords on more than this share of the catalogue's movies with keywords (or MovieLens tags) are too generic to say
    /// ("murder", "based on novel"). Default 0.03 (about 102 of ml-latest-small's 3,420 movies with TMDB keywords): 0.025 left out
    /// "sport" (97 movies), so a sports fan's Hustler and Caddyshack, ranked there for it (the taste ranker's theme), had
    /// no reason to give; 0.03 lets in "sport" and "revenge" alone.
    /// </summary>
    public double MaxKeywordShare { get; init; } = 0.03;

    /// <summary>
    /// A genre both movies have is a reason only when at most this share of the catalogue's movies with genres has it.
    /// Default 0.05: on ml-latest-small documentaries (4.5 %), war films, musicals, westerns and film noir, never drama
    /// (45 %) or comedy. Without it a documentary fan's documentaries, which few people rate, had no reason to give.
    /// </summary>
    public double MaxGenreShare { get; init; } = 0.05;

    public void Validate()
    {
        OptionChecks.InRange(MaxGenreShare, 0, 1, nameof(MaxGenreShare));
        OptionChecks.Positive(MinimumSupport, nameof(MinimumSupport));
        OptionChecks.NonNegative(MinimumLift, nameof(MinimumLift));
        OptionChecks.InRange(MaxKeywordShare, 0, 1, nameof(MaxKeywordShare));
    }
}

/// <summary>
/// "Because you liked X": explains any recommendation, whichever model made it, by a link that holds between the
/// recommendation and one of the movies the user liked (rated in the upper third of the scale, <see cref="Likes"/>):
/// the same director, an actor top-billed in both, a distinctive keyword both carry (a TMDB keyword, or a MovieLens tag in
/// TMDB's words, <see cref="TaggedKeywords"/>; no production tags such as
/// "duringcreditsstinger", no vague ones such as "friendship", none shared by more than
/// <see cref="ExplainerOptions.MaxKeywordShare"/> of the catalogue; a keyword inside another one given is left out),
/// or, measured on the training ratings, that the people who liked X liked it much more often than everyone
/// (co-liking lift with a minimum support), or a rare genre both have (<see cref="ExplainerOptions.MaxGenreShare"/>:
/// "both documentaries"; never drama, which half the catalogue is). The liked movie with the strongest links wins
/// (director 3, each actor 2, each keyword or rare genre 1, co-liking 2·log₂ lift); with no link, the explanation is
/// <see cref="Explanation.None"/>.
/// </summary>
public sealed class Explainer
{
    /// <summary>TMDB keywords about how a film was made or marketed (<see cref="UninformativeKeywords.Production"/>): never a reason.</summary>
    public static IReadOnlySet<string> ProductionKeywords => UninformativeKeywords.Production;

    /// <summary>TMDB keywords that say nothing about why two films go together (<see cref="UninformativeKeywords.Vague"/>): never a reason.</summary>
    public static IReadOnlySet<string> VagueKeywords => UninformativeKeywords.Vague;

    private readonly TrainingData _data;
    private readonly ExplainerOptions _options;
    // Who liked each movie, for the co-liking counts: a sorted list of user ids (offsets into _likers), or, for a movie
    // liked by more than 1/32 of the users, a bitset over the users (slot _bitsetSlot[i] of _bits), which is then the
    // smaller of the two and turns a count into bit tests: at 25 million ratings merging the liker lists of popular
    // movies was most of a request's time (10 liked x 10 shown pairs of 10,000s of users each).
    private readonly int[] _likerOffsets;
    private readonly int[] _likers;
    private readonly int[] _likeCounts;
    private readonly int[] _bitsetSlot;
    private readonly ulong[] _bits;
    private readonly int _words;
    private readonly int _users;
    private readonly HashSet<string> _distinctiveKeywords;
    private readonly Dictionary<string, int> _keywordMovies;
    private readonly string[][] _directors;
    private readonly string[][] _cast;
    private readonly string[][] _keywords;
    private readonly string[][] _rareGenres;
    private readonly Dictionary<string, string> _genreWords; // "Film-Noir" -> "film noir", as keywords spell it

    /// <param name="data">The training ratings (the co-liking counts) and the catalogue (directors, cast, keywords).</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    public Explainer(TrainingData data, ExplainerOptions? options = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _options = options ?? new ExplainerOptions();
        _options.Validate();
        var ratings = data.Ratings;
        var byItem = ratings.ByItem;
        float threshold = Likes.Threshold(ratings.Scale);
        int items = ratings.ItemCount;
        _likeCounts = new int[items];
        for (int i = 0; i < items; i++)
        {
            foreach (float v in byItem.RowValues(i))
            {
                if (v >= threshold) _likeCounts[i]++;
            }
        }
        // A bitset takes UserCount / 8 bytes, a list 4 bytes a liker: the bitset is smaller above UserCount / 32 likers.
        _words = (ratings.UserCount + 63) / 64;
        _bitsetSlot = new int[items];
        int slots = 0, listed = 0;
        for (int i = 0; i < items; i++)
        {
            bool dense = _likeCounts[i] > ratings.UserCount / 32;
            _bitsetSlot[i] = dense ? slots++ : -1;
            if (!dense) listed += _likeCounts[i];
        }
        _bits = new ulong[(long)slots * _words];
        _likerOffsets = new int[items + 1];
        _likers = new int[listed];
        int next = 0;
        for (int i = 0; i < items; i++)
        {
            var users = byItem.RowColumns(i);
            var values = byItem.RowValues(i);
            var bits = _bitsetSlot[i] < 0 ? [] : _bits.AsSpan(_bitsetSlot[i] * _words, _words);
            for (int k = 0; k < users.Length; k++)
            {
                if (values[k] < threshold) continue;
                if (bits.IsEmpty) _likers[next++] = users[k];
                else bits[users[k] >> 6] |= 1UL << (users[k] & 63);
            }
            _likerOffsets[i + 1] = next;
        }
        var byUser = ratings.ByUser;
        for (int u = 0; u < ratings.UserCount; u++)
        {
            if (byUser.RowLength(u) > 0) _users++;
        }
        _keywordMovies = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int withKeywords = 0;
        // TMDB keywords and the tags people gave in TMDB's words (TaggedKeywords: one rule with the content vectors).
        var tagged = new TaggedKeywords(data.Catalog?.Movies ?? []);
        var keywordsOf = new Dictionary<Movie, List<string>>(ReferenceEqualityComparer.Instance);
        foreach (var movie in data.Catalog?.Movies ?? [])
        {
            var terms = keywordsOf[movie] = tagged.Of(movie);
            if (terms.Count == 0) continue;
            withKeywords++;
            foreach (var keyword in terms) _keywordMovies[keyword] = _keywordMovies.GetValueOrDefault(keyword) + 1;
        }
        double cap = Math.Max(2, _options.MaxKeywordShare * withKeywords);
        _distinctiveKeywords = new HashSet<string>(
            _keywordMovies.Where(p => p.Value >= 2 && p.Value <= cap && IsWords(p.Key) && !UninformativeKeywords.Contains(p.Key)).Select(p => p.Key),
            StringComparer.OrdinalIgnoreCase);
        // Per item, what a link can rest on: directors, the top-billed three, distinctive keywords (lower case, rarest first).
        _directors = new string[ratings.ItemCount][];
        _cast = new string[ratings.ItemCount][];
        _keywords = new string[ratings.ItemCount][];
        for (int i = 0; i < ratings.ItemCount; i++)
        {
            var movie = data.MovieOf(i);
            var tmdb = movie?.Tmdb;
            _directors[i] = [.. tmdb?.Directors ?? []];
            _cast[i] = [.. (tmdb?.Cast ?? []).Take(MovieSoup.CastCount)];
            _keywords[i] = movie is null ? [] : [.. (keywordsOf.GetValueOrDefault(movie) ?? tagged.Of(movie)).Where(IsDistinctive).Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal)
                .OrderBy(k => _keywordMovies.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal)];
        }
        _rareGenres = RareGenres(data, _options.MaxGenreShare);
        _genreWords = _rareGenres.SelectMany(g => g).Distinct(StringComparer.Ordinal).ToDictionary(g => g, g => g.Replace('-', ' ').ToLowerInvariant(), StringComparer.Ordinal);
    }

    /// <summary>Screen formats the genre column carries that are not a kind of film.</summary>
    private static readonly HashSet<string> NotKinds = new(StringComparer.OrdinalIgnoreCase) { "IMAX" };

    /// <summary>Per item, its genres that at most <paramref name="maxShare"/> of the movies with genres have.</summary>
    private static string[][] RareGenres(TrainingData data, double maxShare)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int withGenres = 0;
        foreach (var movie in data.Catalog?.Movies ?? [])
        {
            if (movie.Genres.Count == 0) continue;
            withGenres++;
            foreach (var genre in movie.Genres) counts[genre] = counts.GetValueOrDefault(genre) + 1;
        }
        double cap = maxShare * withGenres;
        var rare = new string[data.Ratings.ItemCount][];
        for (int i = 0; i < rare.Length; i++)
        {
            var genres = data.MovieOf(i)?.Genres ?? [];
            int n = 0;
            foreach (var g in genres) n += counts.GetValueOrDefault(g) <= cap && !NotKinds.Contains(g) ? 1 : 0;
            if (n == 0)
            {
                rare[i] = [];
                continue;
            }
            rare[i] = new string[n];
            n = 0;
            foreach (var g in genres)
            {
                if (counts.GetValueOrDefault(g) <= cap && !NotKinds.Contains(g)) rare[i][n++] = g;
            }
        }
        return rare;
    }

    /// <summary>
    /// How a shared genre is said: "both documentaries", "both westerns", "both film noir"; "both {genre} films" for a
    /// genre of another dataset.
    /// </summary>
    public static string GenrePhrase(string genre)
    {
        ArgumentNullException.ThrowIfNull(genre);
        return genre.ToLowerInvariant() switch
        {
            "documentary" => "both documentaries",
            "western" => "both westerns",
            "musical" => "both musicals",
            "war" => "both war films",
            "film-noir" or "film noir" => "both film noir",
            "animation" => "both animated",
            var other => $"both {other} films",
        };
    }

    public ExplainerOptions Options => _options;

    /// <summary>The training data the explanations are measured on.</summary>
    public TrainingData Data => _data;

    /// <summary>Movies (with TMDB keywords) that carry <paramref name="keyword"/>.</summary>
    public int KeywordMovies(string keyword) => _keywordMovies.GetValueOrDefault(keyword);

    /// <summary>
    /// Whether <paramref name="keyword"/> may be a reason: on 2 to the cap's movies, in words, neither a production tag
    /// (<see cref="ProductionKeywords"/>), vague (<see cref="VagueKeywords"/>) nor mislabelled
    /// (<see cref="UninformativeKeywords.Mislabelled"/>).
    /// </summary>
    public bool IsDistinctive(string keyword) => _distinctiveKeywords.Contains(keyword);

    /// <summary>Letters (any script), digits, spaces, hyphens and apostrophes only: a keyword a person can read.</summary>
    public static bool IsWords(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (keyword.Length == 0) return false;
        foreach (char c in keyword)
        {
            if (!(char.IsLetterOrDigit(c) || c == ' ' || c == '-' || c == '\'')) return false;
        }
        return true;
    }

    /// <summary>How many training users liked <paramref name="item"/>.</summary>
    public int LikeCount(int item) => (uint)item < (uint)_likeCounts.Length ? _likeCounts[item] : 0;

    /// <summary>How many training users liked both <paramref name="a"/> and <paramref name="b"/> (exact).</summary>
    internal int LikedBoth(int a, int b)
    {
        if (LikeCount(a) == 0 || LikeCount(b) == 0) return 0;
        int sa = _bitsetSlot[a], sb = _bitsetSlot[b];
        if (sa >= 0 && sb >= 0)
        {
            var x = _bits.AsSpan(sa * _words, _words);
            var y = _bits.AsSpan(sb * _words, _words);
            int n = 0;
            for (int w = 0; w < x.Length; w++) n += System.Numerics.BitOperations.PopCount(x[w] & y[w]);
            return n;
        }
        if (sa >= 0 || sb >= 0)
        {
            // One list, one bitset: test the list's users in the bitset.
            var bits = _bits.AsSpan(Math.Max(sa, sb) * _words, _words);
            int n = 0;
            foreach (int u in Listed(sa >= 0 ? b : a))
            {
                if ((bits[u >> 6] & (1UL << (u & 63))) != 0) n++;
            }
            return n;
        }
        return CountCommon(Listed(a), Listed(b));
    }

    /// <summary>Whether <paramref name="item"/>'s likers are held as a bitset (liked by more than 1/32 of the users).</summary>
    internal bool LikersAsBitset(int item) => _bitsetSlot[item] >= 0;

    private ReadOnlySpan<int> Listed(int item) => _likers.AsSpan(_likerOffsets[item], _likerOffsets[item + 1] - _likerOffsets[item]);

    /// <summary>Training users with at least one rating (the base of the co-liking lift).</summary>
    public int Users => _users;

    /// <summary>
    /// Why <paramref name="item"/> suits someone with <paramref name="ratings"/>: the liked movie with the strongest links
    /// to it and those links, or <see cref="Explanation.None"/>.
    /// </summary>
    /// <remarks>
    /// Every liked movie's links are weighed without building them (<see cref="StrengthOf"/>: the same sum, in the same
    /// order, as <see cref="Strength"/> of <see cref="LinksOf"/>); only the winner's are built. A request explains ten
    /// movies against a handful of ratings, and the lists built for the losers were a third of what a request allocated.
    /// </remarks>
    public Explanation Explain(ReadOnlySpan<ItemRating> ratings, int item)
    {
        float threshold = Likes.Threshold(_data.Ratings.Scale);
        int best = -1;
        double bestStrength = 0;
        for (int k = 0; k < ratings.Length; k++)
        {
            var r = ratings[k];
            if (r.Rating < threshold || r.Item == item || SeenBefore(ratings, k, threshold)) continue;
            double strength = StrengthOf(r.Item, item);
            if (strength <= 0) continue;
            if (strength > bestStrength || (strength == bestStrength && best >= 0 && BreaksTie(r.Item, best, item)))
            {
                (best, bestStrength) = (r.Item, strength);
            }
        }
        if (best < 0 || LinksOf(best, item, ratings, threshold) is not { } bestLinks) return Explanation.None;
        var source = _data.MovieOf(best);
        string title = source?.ShortTitle ?? _data.Ratings.ItemIds.ToRaw(best);
        return new Explanation(best, Text(title, bestLinks), bestLinks);
    }

    /// <summary>
    /// Between two liked movies with links of the same strength, the one more of the item's fans also liked (a
    /// documentary fan's documentaries, each "both documentaries", then name the documentary their fans share rather
    /// than always the same one), then the lower id.
    /// </summary>
    private bool BreaksTie(int candidate, int best, int item)
    {
        int a = LikedBoth(candidate, item), b = LikedBoth(best, item);
        return a > b || (a == b && candidate < best);
    }

    /// <summary>
    /// What to say when no link to the person's ratings holds (the explainer never invents one): how the movie stands
    /// with everyone ("rated 4.3 on average by 18 people"), true of every movie that has ratings. The service and
    /// `bench personas` give it beside <see cref="Explain"/>.
    /// </summary>
    public static string Standing(RatingDataset train, int item)
    {
        ArgumentNullException.ThrowIfNull(train);
        var values = train.ByItem.RowValues(item);
        if (values.IsEmpty) return "new in the catalogue";
        float mean = System.Numerics.Tensors.TensorPrimitives.Sum(values) / values.Length;
        return values.Length == 1
            ? string.Create(CultureInfo.InvariantCulture, $"rated {mean:0.0} by one person")
            : string.Create(CultureInfo.InvariantCulture, $"rated {mean:0.0} on average by {values.Length:N0} people");
    }

    /// <summary>Every link that holds between the liked <paramref name="source"/> and <paramref name="item"/>.</summary>
    public IReadOnlyList<ExplanationLink> Links(int source, int item) => LinksOf(source, item) ?? [];

    /// <summary>Whether an earlier liked rating than the k-th names the same item (a profile is a handful: no set).</summary>
    private static bool SeenBefore(ReadOnlySpan<ItemRating> ratings, int k, float threshold)
    {
        for (int j = 0; j < k; j++)
        {
            if (ratings[j].Item == ratings[k].Item && ratings[j].Rating >= threshold) return true;
        }
        return false;
    }

    /// <summary>Actors and keywords said at most (each).</summary>
    private const int MaxSaid = 2;

    /// <summary>
    /// The links between <paramref name="source"/> and <paramref name="item"/>, or null when none holds (no list
    /// allocated). With the person's <paramref name="profile"/>, the keywords said are those more of their liked movies
    /// have first (see <see cref="SaidKeywords"/>).
    /// </summary>
    private List<ExplanationLink>? LinksOf(int source, int item, ReadOnlySpan<ItemRating> profile = default, float threshold = 0)
    {
        List<ExplanationLink>? links = null;
        Span<int> said = stackalloc int[MaxSaid];
        if (HasMetadata(source, item))
        {
            if (SharedDirector(source, item) is { } director) (links ??= []).Add(new ExplanationLink(LinkKind.Director, director));
            int actors = SharedActors(source, item, said);
            for (int a = 0; a < actors; a++) (links ??= []).Add(new ExplanationLink(LinkKind.Actor, _cast[source][said[a]]));
            int keywords = SaidKeywords(source, item, said, profile, threshold);
            for (int w = 0; w < keywords; w++) (links ??= []).Add(new ExplanationLink(LinkKind.Keyword, _keywords[source][said[w]]));
        }
        if (SharedGenre(source, item) is { } genre) (links ??= []).Add(new ExplanationLink(LinkKind.Genre, genre));
        if (CoLiked(source, item, out int both, out int likedSource, out double lift))
            (links ??= []).Add(new ExplanationLink(LinkKind.LikedBySamePeople, "", both, likedSource, lift));
        return links;
    }

    /// <summary>
    /// <see cref="Strength"/> of <see cref="LinksOf"/> (0 when no link holds), without building the links: the same
    /// terms added in the same order, so the same double.
    /// </summary>
    internal double StrengthOf(int source, int item)
    {
        double s = 0;
        Span<int> said = stackalloc int[MaxSaid];
        if (HasMetadata(source, item))
        {
            if (SharedDirector(source, item) is not null) s += 3;
            int actors = SharedActors(source, item, said);
            for (int a = 0; a < actors; a++) s += 2;
            int keywords = SaidKeywords(source, item, said);
            for (int w = 0; w < keywords; w++) s += 1;
        }
        if (SharedGenre(source, item) is not null) s += 1;
        if (CoLiked(source, item, out _, out _, out double lift)) s += 2 * Math.Log2(lift);
        return s;
    }

    private bool HasMetadata(int source, int item) => (uint)source < (uint)_directors.Length && (uint)item < (uint)_directors.Length;

    /// <summary>The first of <paramref name="source"/>'s directors who also directed <paramref name="item"/>, or null.</summary>
    private string? SharedDirector(int source, int item)
    {
        foreach (var director in _directors[source])
        {
            if (Array.IndexOf(_directors[item], director) >= 0) return director;
        }
        return null;
    }

    /// <summary>
    /// The first rare genre of <paramref name="source"/> that <paramref name="item"/> has too, or null; not one a shared
    /// keyword already says ("spaghetti western" for westerns).
    /// </summary>
    private string? SharedGenre(int source, int item)
    {
        if ((uint)source >= (uint)_rareGenres.Length || (uint)item >= (uint)_rareGenres.Length) return null;
        foreach (var genre in _rareGenres[source])
        {
            if (Array.IndexOf(_rareGenres[item], genre) < 0) continue;
            string word = _genreWords[genre];
            bool said = false;
            if (HasMetadata(source, item))
            {
                foreach (var keyword in _keywords[source])
                    said |= ContainsWords(keyword, word) && Array.IndexOf(_keywords[item], keyword) >= 0;
            }
            if (!said) return genre;
        }
        return null;
    }

    /// <summary>Indexes into <paramref name="source"/>'s cast of the first <see cref="MaxSaid"/> actors billed in both.</summary>
    private int SharedActors(int source, int item, Span<int> said)
    {
        var cast = _cast[source];
        int count = 0;
        for (int a = 0; a < cast.Length && count < MaxSaid; a++)
        {
            if (Array.IndexOf(_cast[item], cast[a]) >= 0) said[count++] = a;
        }
        return count;
    }

    /// <summary>
    /// Whether two single-word keywords are one word in two forms ("psychology" and "psychological", "android" and
    /// "androids": Donnie Darko was "both tagged "psychology" and "psychological""): the shorter alike to the other
    /// but for its last two letters at most, six letters at least ("superhero" and "superhuman" are two words).
    /// </summary>
    internal static bool OneWord(string a, string b)
    {
        if (a.Contains(' ', StringComparison.Ordinal) || b.Contains(' ', StringComparison.Ordinal)) return false;
        int common = 0;
        while (common < a.Length && common < b.Length && char.ToLowerInvariant(a[common]) == char.ToLowerInvariant(b[common])) common++;
        return common >= 6 && common >= Math.Min(a.Length, b.Length) - 2;
    }

    /// <summary>
    /// Indexes into <paramref name="source"/>'s keywords of the first <see cref="MaxSaid"/> shared distinctive keywords
    /// worth saying: "toy" says nothing "toy comes to life" does not, so a keyword inside another shared one is a repeat.
    /// Rarest first; with the person's <paramref name="profile"/>, those more of their liked movies have come first
    /// (Underworld for a vampire fan: "vampire", on four of their five, before the rarer "bite" and "fang vamp"). How
    /// many are said does not depend on the order, so <see cref="StrengthOf"/> is the same either way.
    /// </summary>
    private int SaidKeywords(int source, int item, Span<int> said, ReadOnlySpan<ItemRating> profile = default, float threshold = 0)
    {
        var keywords = _keywords[source];
        var other = _keywords[item];
        Span<bool> shared = keywords.Length <= 256 ? stackalloc bool[keywords.Length] : new bool[keywords.Length];
        bool any = false;
        for (int k = 0; k < keywords.Length; k++) any |= shared[k] = Array.IndexOf(other, keywords[k]) >= 0;
        if (!any) return 0;
        Span<int> eligible = keywords.Length <= 256 ? stackalloc int[keywords.Length] : new int[keywords.Length];
        int count = 0;
        for (int k = 0; k < keywords.Length; k++)
        {
            if (!shared[k]) continue;
            var keyword = keywords[k];
            bool inside = false;
            for (int j = 0; j < keywords.Length && !inside; j++)
                inside = shared[j] && (keywords[j].Length > keyword.Length && ContainsWords(keywords[j], keyword) || j < k && OneWord(keywords[j], keyword));
            if (!inside) eligible[count++] = k;
        }
        eligible = eligible[..count];
        int saying = Math.Min(count, MaxSaid);
        if (profile.IsEmpty)
        {
            eligible[..saying].CopyTo(said);
            return saying;
        }
        // The most recurring first, rarest first among equals: MaxSaid passes of a selection over a handful.
        Span<int> recurs = eligible.Length <= 256 ? stackalloc int[eligible.Length] : new int[eligible.Length];
        for (int e = 0; e < eligible.Length; e++) recurs[e] = LikedWith(keywords[eligible[e]], profile, threshold);
        for (int s = 0; s < saying; s++)
        {
            int pick = -1;
            for (int e = 0; e < eligible.Length; e++)
            {
                if (recurs[e] >= 0 && (pick < 0 || recurs[e] > recurs[pick])) pick = e;
            }
            said[s] = eligible[pick];
            recurs[pick] = -1;
        }
        return saying;
    }

    /// <summary>How many of the liked movies of <paramref name="profile"/> carry <paramref name="keyword"/>.</summary>
    private int LikedWith(string keyword, ReadOnlySpan<ItemRating> profile, float threshold)
    {
        int count = 0;
        foreach (var r in profile)
        {
            if (r.Rating >= threshold && (uint)r.Item < (uint)_keywords.Length && Array.IndexOf(_keywords[r.Item], keyword) >= 0) count++;
        }
        return count;
    }

    /// <summary>Whether the co-liking link holds: enough people liked both, far more often than everyone liked the item.</summary>
    private bool CoLiked(int source, int item, out int both, out int likedSource, out double lift)
    {
        both = 0;
        lift = 0;
        likedSource = LikeCount(source);
        int likedTarget = LikeCount(item);
        if (likedSource <= 0 || likedTarget <= 0 || _users <= 0) return false;
        both = LikedBoth(source, item);
        lift = (double)both / likedSource / ((double)likedTarget / _users);
        return both >= _options.MinimumSupport && lift >= _options.MinimumLift;
    }

    /// <summary>
    /// Whether <paramref name="inner"/>'s words appear, in order, as whole words of <paramref name="outer"/>: " inner "
    /// inside " outer ", found without building either.
    /// </summary>
    internal static bool ContainsWords(string outer, string inner)
    {
        if (inner.Length == 0) return (" " + outer + " ").Contains("  ", StringComparison.Ordinal);
        for (int from = 0; from <= outer.Length - inner.Length;)
        {
            int at = outer.IndexOf(inner, from, StringComparison.Ordinal);
            if (at < 0) return false;
            int end = at + inner.Length;
            if ((at == 0 || outer[at - 1] == ' ') && (end == outer.Length || outer[end] == ' ')) return true;
            from = at + 1;
        }
        return false;
    }

    internal static double Strength(IReadOnlyList<ExplanationLink> links)
    {
        double s = 0;
        foreach (var link in links)
        {
            s += link.Kind switch
            {
                LinkKind.Director => 3,
                LinkKind.Actor => 2,
                LinkKind.Keyword or LinkKind.Genre => 1,
                _ => 2 * Math.Log2(link.Lift),
            };
        }
        return s;
    }

    /// <summary>The links as phrases: director, actors together, keywords together, the genre, then the co-liking figures.</summary>
    public static IReadOnlyList<string> Phrases(IReadOnlyList<ExplanationLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var phrases = new List<string>(4);
        var sink = new PhraseSink(new StringBuilder(), phrases);
        WritePhrases(links, ref sink);
        return phrases;
    }

    [ThreadStatic]
    private static StringBuilder? t_text;

    /// <summary>"because you liked {title}: " and the phrases joined by "; ", built in one reused builder.</summary>
    private static string Text(string title, IReadOnlyList<ExplanationLink> links)
    {
        var text = t_text ??= new StringBuilder(256);
        text.Clear().Append("because you liked ").Append(title).Append(": ");
        var sink = new PhraseSink(text, null);
        WritePhrases(links, ref sink);
        string result = text.ToString();
        if (text.Capacity > 4096) t_text = null;
        return result;
    }

    /// <summary>Where phrases go: appended to one text with "; " between them, or (with a list) each its own string.</summary>
    private struct PhraseSink(StringBuilder text, List<string>? list)
    {
        private int _count;

        public StringBuilder Begin()
        {
            if (list is not null) text.Clear();
            else if (_count > 0) text.Append("; ");
            _count++;
            return text;
        }

        public readonly void End() => list?.Add(text.ToString());
    }

    private static void WritePhrases(IReadOnlyList<ExplanationLink> links, ref PhraseSink sink)
    {
        for (int k = 0; k < links.Count; k++)
        {
            if (links[k].Kind == LinkKind.Director)
            {
                sink.Begin().Append("same director (").Append(links[k].Value).Append(')');
                sink.End();
            }
        }
        Span<int> chosen = stackalloc int[links.Count];
        int actors = Distinct(links, LinkKind.Actor, StringComparer.Ordinal, chosen);
        if (actors > 0)
        {
            var text = sink.Begin().Append("also starring ");
            for (int a = 0; a < actors; a++) (a > 0 ? text.Append(" and ") : text).Append(links[chosen[a]].Value);
            sink.End();
        }
        int keywords = Distinct(links, LinkKind.Keyword, StringComparer.OrdinalIgnoreCase, chosen);
        if (keywords > 0)
        {
            var text = sink.Begin().Append("both tagged ");
            for (int w = 0; w < keywords; w++) (w > 0 ? text.Append(" and ") : text).Append('"').Append(links[chosen[w]].Value).Append('"');
            sink.End();
        }
        for (int k = 0; k < links.Count; k++)
        {
            if (links[k].Kind != LinkKind.Genre) continue;
            sink.Begin().Append(GenrePhrase(links[k].Value));
            sink.End();
        }
        for (int k = 0; k < links.Count; k++)
        {
            var link = links[k];
            if (link.Kind != LinkKind.LikedBySamePeople) continue;
            sink.Begin().Append(CultureInfo.InvariantCulture, $"{link.Both} of the {link.LikedSource} people who liked it also liked this, {link.Lift:0.0}× the usual share");
            sink.End();
        }
    }

    /// <summary>
    /// Indexes of the links of <paramref name="kind"/> whose values come first (first spelling kept), in link order,
    /// into <paramref name="chosen"/>; returns how many.
    /// </summary>
    private static int Distinct(IReadOnlyList<ExplanationLink> links, LinkKind kind, StringComparer comparer, Span<int> chosen)
    {
        int count = 0;
        for (int k = 0; k < links.Count; k++)
        {
            var link = links[k];
            if (link.Kind != kind) continue;
            bool repeated = false;
            for (int c = 0; c < count; c++) repeated |= comparer.Equals(links[chosen[c]].Value, link.Value);
            if (!repeated) chosen[count++] = k;
        }
        return count;
    }

    private static int CountCommon(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                n++;
                i++;
                j++;
            }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return n;
    }
}
