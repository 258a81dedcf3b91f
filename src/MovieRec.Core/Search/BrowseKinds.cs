using MovieRec.Core.Data;

namespace MovieRec.Core.Search;

/// <summary>
/// A language a query asks for by its speakers' adjective ("korean thriller", "french movies", "bollywood"), or any
/// language but English ("foreign films"): TMDB's original language of the movie, so a movie without TMDB metadata is
/// never of it.
/// </summary>
/// <param name="Name">The language as a heading says it: "Korean", "foreign-language".</param>
/// <param name="Codes">TMDB's ISO 639-1 codes ("ko"; Chinese is "zh" and "cn").</param>
/// <param name="AnyBut">Whether the movie's language must be none of <paramref name="Codes"/> instead.</param>
public sealed record LanguageAsked(string Name, IReadOnlySet<string> Codes, bool AnyBut = false)
{
    /// <summary>Whether <paramref name="movie"/>'s original language is the one asked.</summary>
    public bool Accepts(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        return movie.Tmdb?.OriginalLanguage is { Length: > 0 } code && Codes.Contains(code) != AnyBut;
    }
}

/// <summary>
/// What a browse query asks for (<see cref="GenreWords.Browse"/>): movies of all <paramref name="Genres"/>, for children
/// when <paramref name="ForChildren"/>, made by <paramref name="Studio"/> when it names one, from the catalogue's last
/// years when <paramref name="Recent"/> ("new", "latest", "recent"), in <paramref name="Language"/> and about
/// <paramref name="Topic"/> when the query names them.
/// </summary>
public sealed record BrowseKinds(IReadOnlyList<string> Genres, bool ForChildren, Studio? Studio = null, bool Recent = false,
    LanguageAsked? Language = null, Topic? Topic = null)
{
    /// <summary>Whether <paramref name="movie"/> is of every kind asked.</summary>
    public bool Accepts(Movie movie) =>
        (Genres.Count == 0 || GenreWords.Share(movie, Genres) == 1) && (!ForChildren || GenreWords.IsForChildren(movie))
        && (Studio is null || Studio.Made(movie)) && (Language is null || Language.Accepts(movie)) && (Topic is null || Topic.Covers(movie));

    /// <summary>The genres every answer has: those asked, and Children when the movie is for children.</summary>
    public IReadOnlyList<string> AllGenres => ForChildren && !Genres.Contains("Children") ? [.. Genres, "Children"] : Genres;

    /// <summary>What the answer is, for a heading: "The best-known horror movies", "The best-known comedy and children's movies".</summary>
    public string Heading => HeadingFor(AllGenres, Studio?.Name, Language?.Name, Topic?.Words);

    /// <summary>
    /// <see cref="Heading"/> for the genres, studio, language and subject of an answer (the page has only those): "The
    /// best-known animated Disney movies", "The best-known Korean thriller movies", "The best-known comedy movies tagged “zombie”".
    /// </summary>
    public static string HeadingFor(IReadOnlyList<string> genres, string? studio = null, string? language = null, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(genres);
        var words = new List<string> { "The best-known" };
        if (language is not null) words.Add(language);
        if (genres.Count > 0) words.Add(NamedMovieQuery.Kinds(genres));
        if (studio is not null) words.Add(studio);
        words.Add("movies");
        if (topic is not null) words.Add($"tagged “{topic}”");
        return string.Join(' ', words);
    }

    /// <summary>
    /// How much <paramref name="movie"/> is of the kinds asked rather than of others: √(asked genres it has / its
    /// genres), 1 when no genre is asked. "romantic movies" by ratings alone began with Forrest Gump, American Beauty,
    /// True Lies and Speed (Romance one genre of three or four); with the square root a movie that is only a romance
    /// needs about half the familiarity of one that is a quarter romance.
    /// </summary>
    /// <remarks>With a subject, also how much the movie is about it (<see cref="Topic.Strength"/>).</remarks>
    public float Focus(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        float subject = Topic?.Strength(movie) ?? 1;
        if (Genres.Count == 0 || movie.Genres.Count == 0) return subject;
        return subject * MathF.Sqrt(GenreWords.Share(movie, Genres) * Genres.Count / (float)movie.Genres.Count);
    }
}
