namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// TMDB keywords that say nothing about what a film is like: never a reason in an explanation, never a theme of a
/// person's taste (<see cref="ContentTaste.Theme"/>).
/// </summary>
public static class UninformativeKeywords
{
    /// <summary>
    /// How a film was credited or released: never its subject, not even when a person asks for it by name (search's
    /// subjects, <see cref="Search.TopicIndex"/>, leave these out; "based on true story" or "silent film" they keep).
    /// </summary>
    public static IReadOnlySet<string> Credits { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "duringcreditsstinger", "aftercreditsstinger", "woman director", "independent film", "3d", "imax", "short",
    };

    /// <summary>How a film was made or marketed, not what it is about: <see cref="Credits"/> and more.</summary>
    public static IReadOnlySet<string> Production { get; } = new HashSet<string>(Credits, StringComparer.OrdinalIgnoreCase)
    {
        "sequel", "remake", "based on novel", "based on comic book", "based on true story", "nudity", "female nudity", "male nudity",
        "sex", "sex scene", "softcore", "anime", "live action remake", "silent film", "black and white",
    };

    /// <summary>
    /// Below any frequency cap, still nothing about why two films go together: relationships, feelings and everyday
    /// things almost every story has ("friendship" is on three of five romantic comedies and on Toy Story).
    /// </summary>
    public static IReadOnlySet<string> Vague { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "family", "friends", "friendship", "best friend", "love", "new love", "love of one's life", "lovesickness",
        "relationship", "marriage", "husband wife relationship", "father son relationship", "father daughter relationship",
        "mother son relationship", "mother daughter relationship", "brother brother relationship", "brother sister relationship",
        "sister sister relationship", "daughter", "son", "mother", "father", "daughter of protagonist", "money", "party",
        "secret", "death", "dying and death", "life", "loss of loved one", "hope", "fear", "kiss", "dream", "night", "individual",
        "usa",
    };

    /// <summary>
    /// Keywords TMDB 5000 attaches where they do not mean what they say: "transporter" is on nine boxing films (Rocky,
    /// Raging Bull, Million Dollar Baby, Cinderella Man, Ali ...) and on Pulp Fiction, beside "boxer", so "Million Dollar
    /// Baby: both tagged "transporter"" read as nonsense to a sports fan.
    /// </summary>
    public static IReadOnlySet<string> Mislabelled { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "transporter",
    };

    /// <summary>
    /// MovieLens tags that are a verdict or bookkeeping, not what a film is about ("in netflix queue" is on 131 movies,
    /// one person's list; "imdb top 250", "overrated", "great acting"): never content, never a theme, even where a
    /// person's liked movies share them (<see cref="ContentTaste"/> reads tags beside the keywords).
    /// </summary>
    public static IReadOnlySet<string> Opinions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "in netflix queue", "netflix", "netflix finland", "imdb top 250", "dvd", "dvd-video", "bd-r", "bd-video", "clv",
        "seen", "seen more than once", "to see", "watched", "owned", "must see", "should see", "awesome", "bad", "bad plot",
        "bad acting", "boring", "overrated", "underrated", "predictable", "plot holes", "masterpiece", "great acting",
        "good acting", "good dialogue", "great dialogue", "good soundtrack", "great soundtrack", "soundtrack", "highly quotable",
        "quotable", "interesting", "beautiful", "cinematography", "great cinematography", "visually appealing",
        "visually stunning", "unique", "classic", "cult film", "cult classic", "oscar (best actress)", "oscar (best actor)",
        "oscar (best picture)", "oscar (best directing)", "oscar (best supporting actor)", "oscar (best supporting actress)",
        "06 oscar nominated best movie - animation", "good", "great", "great movie", "excellent", "amazing", "favorite",
        "movies", "entertaining", "enjoyable", "worth watching", "not funny", "stupid", "waste of time",
        // Words TMDB also uses as keywords, but as people's tags they praise: Pulp Fiction is tagged "genius".
        "genius", "intelligent", "iconic", "moving", "funny", "humor", "strange", "crazy", "epic", "dialogue", "storytelling",
    };

    /// <summary>
    /// Keywords true to a film but no reason to give anyone for a recommendation: Tarantino's fan heard American History
    /// X was there because it and Pulp Fiction were "both tagged "rape"". Still content and themes; never said.
    /// </summary>
    public static IReadOnlySet<string> Distressing { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "rape", "sexual abuse", "child abuse", "incest", "pedophilia", "suicide", "suicide attempt",
    };

    /// <summary>Whether <paramref name="keyword"/> is in any of the lists: never a reason (and, but for <see cref="Distressing"/>, never a theme).</summary>
    public static bool Contains(string keyword) =>
        Production.Contains(keyword) || Vague.Contains(keyword) || Mislabelled.Contains(keyword) || Distressing.Contains(keyword);
}
