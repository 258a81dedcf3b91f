namespace MovieRec.Core.Data;

/// <summary>A movie as shown to people and as content-based models see it.</summary>
public sealed class Movie
{
    public Movie(long id, string rawTitle, IReadOnlyList<string> genres)
    {
        Id = id;
        RawTitle = rawTitle;
        var parsed = MovieTitle.Parse(rawTitle);
        Title = parsed.Display;
        Year = parsed.Year;
        Genres = genres;
    }

    /// <summary>
    /// The dataset's movie id (MovieLens movieId; the TMDB id for a TMDB-only catalog). In a dataset of string ids
    /// (an interactions file) it is the dense item id, and <see cref="RawId"/> holds the id as the dataset spells it.
    /// </summary>
    public long Id { get; }

    /// <summary>The id as a dataset of string ids spells it ("track-123"); null where <see cref="Id"/> is the dataset's own.</summary>
    public string? RawId { get; init; }

    /// <summary>The title exactly as the dataset has it, e.g. "Matrix, The (1999)".</summary>
    public string RawTitle { get; }

    /// <summary>The title for display, e.g. "The Matrix".</summary>
    public string Title { get; set; }

    /// <summary>
    /// The title as a sentence says it ("because you liked Das Boot"): <see cref="Title"/> without the alternative and
    /// original titles MovieLens appends in parentheses ("Das Boot (Boat, The)", "Spirited Away (Sen to Chihiro no
    /// kamikakushi)", "Seven (a.k.a. Se7en)"). The whole title where the parentheses are part of it ("Birdman: Or (The
    /// Unexpected Virtue of Ignorance)", "(500) Days of Summer").
    /// </summary>
    public string ShortTitle
    {
        get
        {
            var title = Title.AsSpan().TrimEnd();
            while (title.Length > 0 && title[^1] == ')')
            {
                int open = title.LastIndexOf('(');
                if (open <= 0 || title[(open + 1)..^1].Contains('(')) break;
                var before = title[..open].TrimEnd();
                if (before.Length == 0 || before[^1] == ':' || before.EndsWith(" or", StringComparison.OrdinalIgnoreCase)) break;
                title = before;
            }
            return title.Length == Title.Length ? Title : title.ToString();
        }
    }

    public int? Year { get; set; }

    /// <summary>Genres as the dataset names them; empty for "(no genres listed)".</summary>
    public IReadOnlyList<string> Genres { get; set; }

    /// <summary>IMDb numeric id (links.csv imdbId; "tt" + 7 digits on the web).</summary>
    public int? ImdbId { get; set; }

    public int? TmdbId { get; set; }

    /// <summary>
    /// Whether there is text about what the movie is (a TMDB overview or user tags) beyond its title and genres: without
    /// it, a sentence embedding of the movie is one of its title, and its nearest movies share a word of the title.
    /// </summary>
    public bool IsDescribed => !string.IsNullOrWhiteSpace(Tmdb?.Overview) || Tags.Count > 0;

    /// <summary>User tags (MovieLens tags.csv), in file order, without duplicates.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>TMDB metadata when joined, or null.</summary>
    public TmdbMetadata? Tmdb { get; set; }

    /// <summary>IMDb metadata (rating, votes, runtime, genres) when joined through <see cref="ImdbId"/>, or null.</summary>
    public ImdbMetadata? Imdb { get; set; }

    /// <summary>Runtime in minutes: TMDB's when it has one, else IMDb's (title.basics runtimeMinutes), else null.</summary>
    public int? RuntimeMinutes => Tmdb?.Runtime is int t and > 0 ? t : Imdb?.RuntimeMinutes is int i and > 0 ? i : null;

    /// <summary>IMDb's weighted average rating (1-10) when joined, else null.</summary>
    public double? ImdbRating => Imdb?.AverageRating;

    /// <summary>IMDb's vote count when joined, else null.</summary>
    public int? ImdbVotes => Imdb?.NumVotes;

    /// <summary>IMDb "tt0133093" form, or null.</summary>
    public string? ImdbTconst => ImdbId is int id ? $"tt{id:D7}" : null;

    public override string ToString() => Year is int y ? $"{Title} ({y})" : Title;
}

/// <summary>The Movie Database's metadata for a movie (TMDB 5000 columns).</summary>
public sealed class TmdbMetadata
{
    public int TmdbId { get; init; }
    public string Title { get; init; } = "";
    public string? OriginalTitle { get; init; }
    public string? Overview { get; init; }
    public string? Tagline { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];

    /// <summary>Cast names in billing order.</summary>
    public IReadOnlyList<string> Cast { get; init; } = [];

    /// <summary>
    /// The crew credits whose job is "Director", in credit order, without duplicates. The rest of the crew (producers,
    /// writers, composers...: 113,314 credits for ml-latest-small's 3,537 TMDB movies, 21 MiB) is shown and used
    /// nowhere, so it is not kept (issue #18).
    /// </summary>
    public IReadOnlyList<string> Directors { get; init; } = [];

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The production companies, as TMDB lists them ("Pixar Animation Studios"): "pixar movies" searches by them.</summary>
    public IReadOnlyList<string> Companies { get; init; } = [];
    public string? OriginalLanguage { get; init; }
    public double VoteAverage { get; init; }
    public int VoteCount { get; init; }
    public double Popularity { get; init; }
    public DateOnly? ReleaseDate { get; init; }
    public int? Runtime { get; init; }
    public string? PosterPath { get; init; }
}

/// <summary>One user tag applied to a movie.</summary>
public readonly record struct TagApplication(long UserId, long MovieId, string Tag, long Timestamp);
