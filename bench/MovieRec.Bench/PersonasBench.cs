using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>personas [--only taste,ease] [--persona zombie,heist] [--show] [--data X] [--update-docs FILE]</c>: what a person
/// sees. Each persona rates five favourites at 5 stars (and the drama lover four action films at 1); the algorithm, fitted
/// as the service fits it (all of the dataset, the service's options, seed 0, here on one thread so the lists are the
/// same every run), gives its top 10 through the service's fold-in path, and each movie gets the reason the service
/// would show (<see cref="Explainer"/>, else "rated X on average by N people": a weak reason). Per persona: how many
/// of the 10 fit the taste (<see cref="Fit"/>: MovieLens genres, TMDB keywords and MovieLens tags, directors, years),
/// how many share a director or a top-3 actor with a liked movie, how many have a reason, and how many are among the
/// 100 most-rated movies; and what the data allows (liked movies with TMDB metadata, fitting movies in the catalogue).
/// </summary>
internal static class PersonasBench
{
    private const string Usage = """
        usage: personas [--only taste,ease] [--persona name,...] [--show] [--threads N] [--data X] [--update-docs FILE]
          --only     these algorithms (names or aliases) instead of the service's default (taste)
          --persona  only these personas (names as in the table)
          --show     print each list with its reasons
          --threads  training threads (default 1: the same lists every run; the service trains on every core)
          --update-docs  write the table into FILE's personas-table block (docs/benchmarks.md)
        """;

    private const string Default = "taste";
    private const int K = 10;

    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var entries = AlgorithmCatalog.Resolve(Bench.Option(args, "--only") ?? Default);
        var personas = Select(Bench.Option(args, "--persona"));
        bool show = args.Contains("--show");
        int threads = Bench.IntOption(args, "--threads", 1);
        if (threads < 1) throw new ArgumentException("--threads must be at least 1.");
        var watch = Stopwatch.StartNew();
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        var data = TrainingData.From(dataset);
        var train = dataset.Ratings;
        // Resolved before any fit: a title that is not in the dataset stops the run at once.
        var missing = new List<string>();
        var resolved = personas.Select(p => (Persona: p, Ratings: Resolve(dataset, p, missing))).ToList();
        if (missing.Count > 0) throw new ArgumentException($"{missing.Count} persona titles do not resolve:\n  {string.Join("\n  ", missing)}");
        var served = NewUserBench.ServiceOptions();
        var explainer = new Explainer(data);
        var ties = TieBreak.ByTrainingRatings(train);
        var mostRated = MostRated(train, 100);
        float liked = Likes.Threshold(train.Scale);
        Console.WriteLine($"personas: {dataset.Name} ({train.Count:N0} ratings, {dataset.Catalog.Count:N0} movies, " +
            $"{dataset.Catalog.Movies.Count(m => m.Tmdb is not null):N0} with TMDB metadata), {resolved.Count} personas, top {K}; loaded in {watch.Elapsed.TotalSeconds:0.0} s");

        string? markdown = null;
        foreach (var entry in entries)
        {
            var model = entry.Create(served.GetValueOrDefault(entry.Name));
            watch.Restart();
            model.Fit(data, new TrainingContext { Seed = 0, Threads = threads });
            Console.WriteLine();
            Console.WriteLine($"{entry.Name}{(entry.Name == Default ? " (the service's default)" : "")}: fitted in {watch.Elapsed.TotalSeconds:0.0} s ({threads} training thread(s), seed 0; options: {Describe(served.GetValueOrDefault(entry.Name))})");
            var table = new BenchTable("persona", "fit", "dir/cast", "reason", "co-liked only", "weak", "top-100", "liked that fit", "liked w/ TMDB", "fitting in catalogue");
            int fitSum = 0, fitting6 = 0, weakSum = 0, reasonSum = 0, popularSum = 0, shown = 0;
            foreach (var (persona, ratings) in resolved)
            {
                var top = NewUserRecommendations.Recommend(model, ratings, train.Scale, K, ties);
                var likedItems = ratings.Where(r => r.Rating >= liked).Select(r => r.Item).ToArray();
                var likedMovies = likedItems.Select(i => data.MovieOf(i)!).ToArray();
                int fit = 0, people = 0, reasons = 0, coLikedOnly = 0, weak = 0, popular = 0;
                var lines = new List<string>();
                for (int rank = 0; rank < top.Length; rank++)
                {
                    int item = top[rank].Item;
                    var movie = data.MovieOf(item)!;
                    bool fits = persona.Fit.Test(movie);
                    bool shares = likedMovies.Any(l => SharesPeople(l, movie));
                    var why = explainer.Explain(ratings, item);
                    bool strong = why.Text.Length > 0;
                    string reason = strong ? why.Text : Explainer.Standing(train, item);
                    fit += fits ? 1 : 0;
                    people += shares ? 1 : 0;
                    reasons += strong ? 1 : 0;
                    weak += strong ? 0 : 1;
                    coLikedOnly += strong && why.Links.All(l => l.Kind == LinkKind.LikedBySamePeople) ? 1 : 0;
                    popular += mostRated.Contains(item) ? 1 : 0;
                    if (show)
                    {
                        lines.Add(string.Create(CultureInfo.InvariantCulture,
                            $"  {rank + 1,2}. {(fits ? "fits" : "    ")} {(mostRated.Contains(item) ? "top100" : "      ")} {movie.Title} ({movie.Year}) [{string.Join('|', movie.Genres)}] - {(strong ? "" : "weak: ")}{reason}"));
                    }
                }
                var rated = ratings.Select(r => r.Item).ToHashSet();
                int catalogue = 0;
                for (int i = 0; i < train.ItemCount; i++)
                {
                    if (!rated.Contains(i) && data.MovieOf(i) is { } m && persona.Fit.Test(m)) catalogue++;
                }
                int withTmdb = likedMovies.Count(m => m.Tmdb is not null);
                int likedFit = likedMovies.Count(persona.Fit.Test);
                table.Add(persona.Name, Of(fit), Of(people), Of(reasons), Of(coLikedOnly), Of(weak), Of(popular),
                    $"{likedFit}/{likedMovies.Length}", $"{withTmdb}/{likedMovies.Length}", catalogue.ToString("N0", CultureInfo.InvariantCulture));
                fitSum += fit;
                fitting6 += fit >= 6 ? 1 : 0;
                weakSum += weak;
                reasonSum += reasons;
                popularSum += popular;
                shown += top.Length;
                if (show)
                {
                    Console.WriteLine($"{persona.Name}: {string.Join(", ", persona.Liked)}{(persona.Disliked.Length > 0 ? $"; 1 star: {string.Join(", ", persona.Disliked)}" : "")}");
                    Console.WriteLine($"  fits: {persona.Fit.Description}");
                    foreach (var line in lines) Console.WriteLine(line);
                }
            }
            if (show) Console.WriteLine();
            table.Print(Console.Out);
            int n = resolved.Count;
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{entry.Name}: mean fit {(double)fitSum / n:0.0} of {K}; {fitting6} of {n} personas with fit >= 6; reasons {reasonSum} of {shown}, weak (\"rated X on average\") {weakSum} of {shown}; top-100 {(double)popularSum / n:0.0} of {K} on average");
            Console.WriteLine(summary);
            markdown ??= table.Markdown() + "\n" + summary + "\n";
        }

        if (Bench.Option(args, "--update-docs") is { } doc)
        {
            if (entries.Count != 1 || entries[0].Name != Default || resolved.Count != Personas.Count || threads != 1)
                throw new ArgumentException($"--update-docs writes the {Default} table for every persona on one thread: drop --only, --persona and --threads.");
            DocSection.Replace(doc, "personas-table", markdown!);
            Console.WriteLine($"updated {doc}");
        }
        return 0;
    }

    private static string Of(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Describe(AlgorithmParameters? parameters) =>
        parameters is null ? "catalogue defaults" : parameters.ToString() is { Length: > 0 } s ? s : "catalogue defaults";

    /// <summary>The liked movie and the recommendation share a director, or an actor billed in the top three of both.</summary>
    private static bool SharesPeople(Movie a, Movie b) =>
        a.Tmdb is { } x && b.Tmdb is { } y
        && (x.Directors.Any(d => y.Directors.Contains(d)) || x.Cast.Take(MovieSoup.CastCount).Any(c => y.Cast.Take(MovieSoup.CastCount).Contains(c)));

    /// <summary>The <paramref name="count"/> movies with the most training ratings (ties: the lower item id).</summary>
    private static HashSet<int> MostRated(RatingDataset train, int count)
    {
        var byItem = train.ByItem;
        return [.. Enumerable.Range(0, train.ItemCount).OrderByDescending(i => byItem.RowLength(i)).ThenBy(i => i).Take(count)];
    }

    private static IReadOnlyList<Persona> Select(string? names)
    {
        if (names is null) return Personas;
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(w => !Personas.Any(p => p.Name.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"no persona {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the personas: {string.Join(", ", Personas.Select(p => p.Name))}");
        return [.. Personas.Where(p => wanted.Contains(p.Name, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The persona's ratings as dense items: each title must name exactly one rated movie of that year.</summary>
    private static ItemRating[] Resolve(Dataset dataset, Persona persona, List<string> missing) =>
        [.. persona.Liked.Select(t => new ItemRating(Item(dataset, persona, t, missing), 5f)), .. persona.Disliked.Select(t => new ItemRating(Item(dataset, persona, t, missing), 1f))];

    /// <summary>The dense item of "Title|year", or -1 with the reason added to <paramref name="missing"/>.</summary>
    private static int Item(Dataset dataset, Persona persona, string titleAndYear, List<string> missing)
    {
        try
        {
            return Item(dataset, persona, titleAndYear);
        }
        catch (ArgumentException e)
        {
            missing.Add(e.Message);
            return -1;
        }
    }

    private static int Item(Dataset dataset, Persona persona, string titleAndYear)
    {
        int bar = titleAndYear.LastIndexOf('|');
        if (bar < 0) throw new ArgumentException($"persona {persona.Name}: '{titleAndYear}' is not 'Title|year'");
        string title = titleAndYear[..bar];
        int year = int.Parse(titleAndYear[(bar + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture);
        var matches = dataset.Catalog.FindByTitle(title).Where(m => m.Year == year).ToList();
        if (matches.Count != 1)
        {
            var near = dataset.Catalog.FindByTitle(title).Select(m => $"{m.Title} ({m.Year})");
            throw new ArgumentException($"persona {persona.Name}: '{title}' ({year}) matches {matches.Count} movies of {dataset.Name} " +
                $"(same title: {string.Join(", ", near.DefaultIfEmpty("none"))})");
        }
        int item = dataset.Ratings.ItemIds.ToDense(matches[0].Id);
        if (item < 0) throw new ArgumentException($"persona {persona.Name}: {matches[0].Title} ({year}) has no ratings in {dataset.Name}");
        return item;
    }

    /// <summary>A new user: five favourites (at 5 stars), dislikes (at 1), and what a movie that fits them is.</summary>
    internal sealed record Persona(string Name, string[] Liked, Fit Fit, string[]? Dislikes = null)
    {
        public string[] Disliked => Dislikes ?? [];
    }

    /// <summary>What fits a taste, with a description for the report.</summary>
    internal sealed record Fit(string Description, Func<Movie, bool> Test)
    {
        /// <summary>Has one of these MovieLens genres.</summary>
        public static Fit Genre(params string[] genres) =>
            new($"genre {string.Join(" or ", genres)}", m => m.Genres.Any(g => genres.Contains(g, StringComparer.OrdinalIgnoreCase)));

        /// <summary>A TMDB keyword or a MovieLens tag contains one of these words.</summary>
        public static Fit Words(params string[] words) =>
            new($"keyword/tag containing {string.Join(", ", words.Select(w => $"'{w}'"))}",
                m => (m.Tmdb?.Keywords ?? []).Concat(m.Tags).Any(k => words.Any(w => k.Contains(w, StringComparison.OrdinalIgnoreCase))));

        /// <summary>Directed by one of these (TMDB crew).</summary>
        public static Fit Director(params string[] names) =>
            new($"directed by {string.Join(" or ", names)}", m => m.Tmdb?.Directors.Any(d => names.Contains(d, StringComparer.OrdinalIgnoreCase)) == true);

        /// <summary>Released in these years (inclusive).</summary>
        public static Fit Years(int from, int to) => new($"released {from}-{to}", m => m.Year >= from && m.Year <= to);

        public Fit Or(Fit other) => new($"{Description} or {other.Description}", m => Test(m) || other.Test(m));

        public Fit And(Fit other) => new($"({Description}) and ({other.Description})", m => Test(m) && other.Test(m));

        public Fit Except(Fit other) => new($"{Description}, not {other.Description}", m => Test(m) && !other.Test(m));
    }

    private static readonly string[] SportWords = ["sport", "boxing", "boxer", "baseball", "basketball", "football", "golf", "wrestl", "hockey", "soccer", "surfing", "racing"];

    /// <summary>The personas: titles as the dataset spells them (the display title, an alternative or TMDB's) with the year.</summary>
    internal static IReadOnlyList<Persona> Personas { get; } =
    [
        new("horror", ["The Shining|1980", "Psycho|1960", "The Exorcist|1973", "Halloween|1978", "A Nightmare on Elm Street|1984"], Fit.Genre("Horror")),
        new("animation", ["Toy Story|1995", "The Lion King|1994", "Finding Nemo|2003", "Monsters, Inc.|2001", "Up|2009"], Fit.Genre("Animation")),
        new("drama-not-action", ["The Shawshank Redemption|1994", "Forrest Gump|1994", "Schindler's List|1993", "Good Will Hunting|1997", "Dead Poets Society|1989"],
            Fit.Genre("Drama").Except(Fit.Genre("Action")), ["Die Hard|1988", "Terminator 2: Judgment Day|1991", "Rambo: First Blood Part II|1985", "Lethal Weapon|1987"]),
        new("science-fiction", ["Alien|1979", "Blade Runner|1982", "2001: A Space Odyssey|1968", "Star Wars: Episode IV - A New Hope|1977", "The Matrix|1999"], Fit.Genre("Sci-Fi")),
        new("western", ["The Good, the Bad and the Ugly|1966", "Unforgiven|1992", "Once Upon a Time in the West|1968", "Tombstone|1993", "True Grit|2010"], Fit.Genre("Western")),
        new("documentary", ["Bowling for Columbine|2002", "Super Size Me|2004", "March of the Penguins|2005", "An Inconvenient Truth|2006", "Fahrenheit 9/11|2004"], Fit.Genre("Documentary")),
        new("romantic-comedy", ["When Harry Met Sally...|1989", "Notting Hill|1999", "Pretty Woman|1990", "Sleepless in Seattle|1993", "You've Got Mail|1998"],
            Fit.Genre("Romance").And(Fit.Genre("Comedy"))),
        new("crime", ["Pulp Fiction|1994", "Reservoir Dogs|1992", "Goodfellas|1990", "The Godfather|1972", "Fargo|1996"], Fit.Genre("Crime")),
        new("musical", ["The Sound of Music|1965", "Singin' in the Rain|1952", "West Side Story|1961", "Mary Poppins|1964", "Chicago|2002"], Fit.Genre("Musical")),
        new("war", ["Saving Private Ryan|1998", "Apocalypse Now|1979", "Full Metal Jacket|1987", "Platoon|1986", "Das Boot|1981"], Fit.Genre("War")),
        new("sports", ["Rocky|1976", "Remember the Titans|2000", "Hoosiers (a.k.a. Best Shot)|1986", "Moneyball|2011", "Raging Bull|1980"], Fit.Words(SportWords)),
        new("zombie", ["Night of the Living Dead|1968", "Dawn of the Dead|1978", "28 Days Later|2002", "Shaun of the Dead|2004", "Zombieland|2009"], Fit.Words("zombie")),
        new("vampire", ["Interview with the Vampire: The Vampire Chronicles|1994", "Dracula|1931", "Let the Right One In (Låt den rätte komma in)|2008", "Blade|1998", "Twilight|2008"],
            Fit.Words("vampire", "dracula")),
        new("christmas", ["Home Alone|1990", "Elf|2003", "It's a Wonderful Life|1946", "A Christmas Story|1983", "Christmas Vacation (National Lampoon's Christmas Vacation)|1989"],
            Fit.Words("christmas", "santa claus")),
        new("superhero", ["The Dark Knight|2008", "Iron Man|2008", "Spider-Man|2002", "The Avengers|2012", "X-Men|2000"],
            Fit.Words("superhero", "super powers", "marvel comic", "dc comics")),
        new("james-bond", ["Goldfinger|1964", "Dr. No|1962", "Casino Royale|2006", "Skyfall|2012", "GoldenEye|1995"],
            Fit.Words("james bond", "british secret service", "secret intelligence service", "mi6", "spy", "secret agent", "espionage")),
        new("studio-ghibli", ["Spirited Away|2001", "My Neighbor Totoro (Tonari no Totoro)|1988", "Princess Mononoke|1997", "Howl's Moving Castle|2004", "Kiki's Delivery Service (Majo no takkyûbin)|1989"],
            Fit.Director("Hayao Miyazaki", "Isao Takahata", "Hiromasa Yonebayashi", "Gorō Miyazaki", "Goro Miyazaki").Or(Fit.Words("ghibli", "miyazaki"))),
        new("tarantino", ["Pulp Fiction|1994", "Reservoir Dogs|1992", "Kill Bill: Vol. 1|2003", "Inglourious Basterds|2009", "Django Unchained|2012"],
            Fit.Director("Quentin Tarantino").Or(Fit.Words("tarantino"))),
        new("christopher-nolan", ["Memento|2000", "The Dark Knight|2008", "Inception|2010", "Interstellar|2014", "The Prestige|2006"],
            Fit.Director("Christopher Nolan").Or(Fit.Words("christopher nolan"))),
        new("heist", ["Ocean's Eleven|2001", "Heat|1995", "The Italian Job|2003", "Inside Man|2006", "The Thomas Crown Affair|1999"],
            Fit.Words("heist", "robbery", "robber", "thief", "theft", "stolen", "burglar", "caper", "con artist", "con man")),
        new("1940s-hollywood", ["Casablanca|1942", "Citizen Kane|1941", "The Philadelphia Story|1940", "Rebecca|1940", "Notorious|1946"], Fit.Years(1935, 1955)),
        new("teen-comedy", ["American Pie|1999", "Superbad|2007", "Mean Girls|2004", "Ferris Bueller's Day Off|1986", "Clueless|1995"],
            Fit.Genre("Comedy").And(Fit.Words("high school", "teen", "prom", "coming of age", "college"))),
        new("kung-fu", ["Enter the Dragon|1973", "Crouching Tiger, Hidden Dragon|2000", "Fist of Legend (Jing wu ying xiong)|1994", "Ip Man|2008", "Kung Fu Hustle|2004"],
            Fit.Words("kung fu", "martial art", "wuxia", "karate", "bruce lee", "jackie chan", "jet li")),
        new("film-noir", ["Double Indemnity|1944", "The Big Sleep|1946", "The Maltese Falcon|1941", "Out of the Past|1947", "Touch of Evil|1958"],
            Fit.Genre("Film-Noir").Or(Fit.Words("noir"))),
        new("space-opera", ["Star Wars: Episode V - The Empire Strikes Back|1980", "Guardians of the Galaxy|2014", "Star Trek II: The Wrath of Khan|1982", "Serenity|2005", "Dune|1984"],
            Fit.Words("space opera", "outer space", "spaceship", "space travel", "spacecraft", "space battle", "space war", "starship", "galaxy", "alien planet", "space marine")),
        new("samurai", ["Seven Samurai|1954", "Yojimbo|1961", "Sanjuro (Tsubaki Sanjûrô)|1962", "Harakiri (Seppuku)|1962", "13 Assassins (Jûsan-nin no shikaku)|2010"], Fit.Words("samurai", "ronin", "feudal japan", "jidaigeki")),
        new("anime", ["Akira|1988", "Ghost in the Shell (Kôkaku kidôtai)|1995", "Perfect Blue|1997", "Paprika (Papurika)|2006", "Cowboy Bebop: The Movie (Cowboy Bebop: Tengoku no Tobira)|2001"],
            Fit.Genre("Animation").And(Fit.Words("anime", "japan", "manga"))),
        new("hitchcock", ["Vertigo|1958", "Rear Window|1954", "North by Northwest|1959", "The Birds|1963", "Strangers on a Train|1951"],
            Fit.Director("Alfred Hitchcock").Or(Fit.Words("hitchcock"))),
        new("period-drama", ["Sense and Sensibility|1995", "The Age of Innocence|1993", "Pride & Prejudice|2005", "Atonement|2007", "Little Women|1994"],
            Fit.Words("period drama", "costume drama", "jane austen", "19th century", "18th century", "victorian", "edwardian", "regency", "georgian",
                "e.m. forster", "e. m. forster", "louisa may alcott", "edith wharton", "henry james", "charlotte bront", "charles dickens")),
        new("time-travel", ["Back to the Future|1985", "Twelve Monkeys (a.k.a. 12 Monkeys)|1995", "Looper|2012", "Primer|2004", "Groundhog Day|1993"], Fit.Words("time travel", "time loop", "time machine")),
    ];
}
