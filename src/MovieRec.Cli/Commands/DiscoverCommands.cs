using System.CommandLine;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Clustering;
using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Onboarding;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;
using MovieRec.Core.Search;
using Spectre.Console;

namespace MovieRec.Cli.Commands;

/// <summary>`movierec similar`, `movierec search`, `movierec clusters`: finding movies.</summary>
internal static class DiscoverCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return Similar(context);
        yield return Search(context);
        yield return Clusters(context);
        yield return Onboarding(context);
    }

    private static Command Onboarding(CliContext context)
    {
        var n = CommonOptions.Count("How many movies to ask about.", 15);
        var evaluate = new Option<bool>("--evaluate") { Description = "Simulate new users (20 % of users held out) and compare with random and most-popular sets (HR@10)." };
        var data = CommonOptions.Data();
        var command = new Command("onboarding", "Movies for a new user to rate: well known, informative, covering the movie clusters.") { n, evaluate, data };
        command.SetAction(parse =>
        {
            int count = CommonOptions.Positive(parse, n);
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, acceptsColumns: false);
            RequireRatings(dataset, "onboarding picks well-known movies by their ratings");
            var clusters = MovieClusters.Build(dataset);
            var set = OnboardingSet.Select(dataset, clusters, count);
            var table = new Table().Title("Rate these to start").AddColumn("#").AddColumn("movie").AddColumn("cluster");
            int rank = 1;
            foreach (var m in set)
                table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Movie.ToString()), Markup.Escape(clusters.Clusters[m.Cluster].Name));
            context.Console.Write(table);
            if (!parse.GetValue(evaluate)) return 0;
            var (train, newUsers) = OnboardingEvaluation.HoldOutUsers(dataset.Ratings, 0.2, seed: 0);
            var model = new Core.Algorithms.Ranking.Ease();
            model.Fit(new TrainingData(train), TrainingContext.Default);
            var rng = new Random(0);
            var rated = Enumerable.Range(0, dataset.Ratings.ItemCount).Where(i => train.ByItem.RowLength(i) > 0).ToArray();
            var strategies = new List<(string Name, IReadOnlyList<int> Items)>
            {
                ("clustered pop x std (ours)", set.Select(m => m.Item).ToList()),
                ("most popular", rated.OrderByDescending(i => train.ByItem.RowLength(i)).Take(count).ToList()),
                ("random", rated.OrderBy(_ => rng.Next()).Take(count).ToList()),
            };
            var results = new Table().Title($"Simulated new users ({newUsers.Length}), EASE fold-in from the answers").AddColumn("strategy")
                .AddColumn(new TableColumn("answers per user").RightAligned()).AddColumn(new TableColumn("HR@10").RightAligned()).AddColumn(new TableColumn("precision@10").RightAligned());
            foreach (var r in OnboardingEvaluation.Compare(strategies, model, dataset.Ratings, newUsers, dataset.Ratings.ItemCount))
            {
                results.AddRow(Markup.Escape(r.Strategy), r.MeanAnswers.ToString("0.0", CultureInfo.InvariantCulture),
                    r.HitRate.ToString("0.000", CultureInfo.InvariantCulture), r.Precision.ToString("0.000", CultureInfo.InvariantCulture));
            }
            context.Console.Write(results);
            return 0;
        });
        return command;
    }

    private static Command Similar(CliContext context)
    {
        var title = new Argument<string>("title") { Description = "A movie title, e.g. \"The Dark Knight Rises\" (a year in parentheses picks one of several)." };
        var by = new Option<string>("--by") { Description = "content (directors, top-3 cast, keywords, genres, MovieLens tags, decade), text (TF-IDF of overview and tags), semantic (sentence embeddings), ratings (people who liked this also liked: the movies its likers liked, more than most people do, with at least 3 co-likers; a column says how many).", DefaultValueFactory = _ => "content" };
        var n = CommonOptions.Count("How many.", 10);
        var quality = new Option<double>("--quality") { Description = "With --by content: blend this share (0-1) of the IMDb weighted rating into the order (well-rated, well-known first).", DefaultValueFactory = _ => 0 };
        var data = CommonOptions.Data();
        var command = new Command("similar", "Movies similar to a movie.") { title, by, n, quality, data };
        command.SetAction(parse =>
        {
            // Checked before the load, and NaN is not between 0 and 1 (it passed both range patterns below).
            if (parse.GetValue(quality) is var q && !(q >= 0 && q <= 1))
                throw new CliException($"--quality must be between 0 and 1, not {q.ToString(CultureInfo.InvariantCulture)}.");
            int count = CommonOptions.Positive(parse, n);
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, acceptsColumns: false);
            var (movie, others) = FindMovie(dataset, parse.GetValue(title)!);
            if (others.Count > 0)
            {
                context.Console.MarkupLine(Markup.Escape(
                    $"Several movies match '{parse.GetValue(title)}': using {movie} ({RatingCount(dataset, movie):N0} ratings), the most rated. "
                    + $"Also: {string.Join("; ", others.Take(5).Select(o => $"{o} ({RatingCount(dataset, o):N0} ratings)"))}{(others.Count > 5 ? $" and {others.Count - 5} more" : "")}. "
                    + "Add the year, e.g. \"Title (1998)\", to pick another."));
            }
            IReadOnlyList<string>? coLikers = null;
            string whyNone = "";
            string mode = parse.GetValue(by)!;
            if (mode == "semantic" && !movie.IsDescribed)
            {
                // Its embedding would be its title's: Enter the Dragon's nearest were Double Dragon and Dragonheart 3.
                context.Console.MarkupLine(Markup.Escape($"There is no description of {movie.ShortTitle} (no overview, no tags) to compare by meaning: showing content similarity."));
                mode = "content";
            }
            IReadOnlyList<(Movie Movie, float Similarity)> similar = mode switch
            {
                "content" when parse.GetValue(quality) is > 0 and <= 1 => ContentSimilarity.Build(dataset.Catalog.Movies).Similar(movie.Id, count, WeightedRating.Compute(dataset), parse.GetValue(quality)),
                "content" => ContentWithFamiliarity(dataset).Similar(movie.Id, count),
                "text" => TextSimilarity.Build(dataset).Similar(movie.Id, count),
                "semantic" => SemanticOrExplain(context, dataset).Similar(movie.Id, count),
                "ratings" => CoLiked(dataset, movie, count, out coLikers, out whyNone),
                var other => throw new CliException($"--by must be content, text, semantic or ratings, not '{other}'."),
            };
            var table = new Table().Title($"Like [bold]{Markup.Escape(movie.ToString())}[/] (by {mode})")
                .AddColumn("#").AddColumn("movie").AddColumn(new TableColumn("similarity").RightAligned());
            bool imdb = MovieFacts.AnyImdb(similar.Select(p => p.Movie).Append(movie));
            if (coLikers is not null) table.AddColumn(new TableColumn("liked by").RightAligned());
            if (imdb) table.AddColumn(MovieFacts.ImdbColumn);
            int rank = 1;
            foreach (var (m, s) in similar)
            {
                var cells = new List<string> { rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.ToString()), s.ToString("0.000", CultureInfo.InvariantCulture) };
                if (coLikers is not null) cells.Add(coLikers[rank - 1]);
                rank++;
                if (imdb) cells.Add(Markup.Escape(MovieFacts.Imdb(m)));
                table.AddRow([.. cells]);
            }
            if (imdb) context.Console.MarkupLine(Markup.Escape($"{movie}: {MovieFacts.Imdb(movie)}"));
            context.Console.Write(table);
            if (similar.Count == 0 && coLikers is not null)
                context.Console.MarkupLine(Markup.Escape($"No similar movies: {whyNone}."));
            else if (similar.Count == 0)
                context.Console.MarkupLine("[yellow]No similar movies: this movie has too little metadata for this measure.[/]");
            else if (coLikers is not null)
                context.Console.MarkupLine(Markup.Escape($"liked by: how many of the people who liked {movie.ShortTitle} liked the listed movie too."));
            return 0;
        });
        return command;
    }

    private static Command Search(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "Words, a title, or a description such as \"a giant shark terrorises a beach town\"." };
        var n = CommonOptions.Count("How many.", 10);
        var lexical = new Option<bool>("--lexical") { Description = "BM25 and title matches only: no embedding model." };
        // --embedding-model, not --model: recommend's --model is a .mrec file. search's former --model still parses.
        var model = CommonOptions.WithHiddenAliases(new Option<string?>("--embedding-model")
        {
            Description = $"A sentence-transformer model folder for the embeddings (default: {SentenceEmbedder.ModelVariable}, else the bundled all-MiniLM-L6-v2).",
        }, "--model");
        var data = CommonOptions.Data();
        var command = new Command("search", $"Search movies: BM25, sentence embeddings (the bundled all-MiniLM-L6-v2, or the folder in {SentenceEmbedder.ModelVariable}) and title matches, fused.") { query, n, lexical, model, data };
        command.SetAction(parse =>
        {
            int count = CommonOptions.Positive(parse, n);
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, acceptsColumns: false);
            var text = parse.GetValue(query)!;
            using var search = new HybridSearch(dataset.Catalog.Movies, RatingCounts(dataset));
            // "movies like Ocean's Eleven": that movie's more-like-this list (as `similar` and the movie page give it).
            // "movies like the matrix but funnier": its closest comedies.
            if (NamedMovieQuery.ResolveRequest(search.Titles, text) is { Movies: { Count: > 0 } named, Era: var era, Genres: var genres }
                && ContentWithFamiliarity(dataset) is var content
                && NamedMovieQuery.Neighbours(named, NamedMovieQuery.InEra(NamedMovieQuery.InGenres(content.Similar, content.SimilarAmong, genres), era), count) is { Count: > 0 } similar)
            {
                context.Console.MarkupLine(Markup.Escape(NamedMovieQuery.Note(named, genres)));
                if (era is not null) context.Console.MarkupLine($"[grey]Movies from {Markup.Escape(era.Label)} ({era.From}-{era.To}).[/]");
                var list = new Table().Title($"[bold]{Markup.Escape(text)}[/] (similar)").AddColumn("#").AddColumn("movie").AddColumn(new TableColumn(named.Count == 1 ? "similarity" : "score").RightAligned());
                int place = 1;
                foreach (var (movie, similarity) in similar)
                    list.AddRow((place++).ToString(CultureInfo.InvariantCulture), Markup.Escape(movie.ToString()), similarity.ToString("0.000", CultureInfo.InvariantCulture));
                context.Console.Write(list);
                return 0;
            }
            SentenceEmbedder? embedder = null;
            try
            {
                if (parse.GetValue(lexical)) search.DisableSemantic("semantic search was turned off (--lexical)");
                else if ((embedder = LoadEmbedder(search, parse.GetValue(model))) is not null) BuildSemantic(context, dataset, search, embedder);
                var result = search.Search(text, new HybridSearchRequest { Count = count });
                if (result.Note is not null) context.Console.MarkupLine($"[grey]{Markup.Escape(result.Note)}.[/]");
                if (result.Kinds is { } kinds) context.Console.MarkupLine($"[grey]{Markup.Escape(kinds.Heading)}.[/]");
                if (result.People is { } people) context.Console.MarkupLine($"[grey]Movies with {Markup.Escape(EnglishList.Join(people.Names))}.[/]");
                if (result.Era is { } asked) context.Console.MarkupLine($"[grey]Movies from {Markup.Escape(asked.Label)} ({asked.From}-{asked.To}).[/]");
                var table = new Table().Title($"[bold]{Markup.Escape(text)}[/] ({result.Mode})").AddColumn("#").AddColumn("movie").AddColumn(new TableColumn("score").RightAligned());
                bool imdb = MovieFacts.AnyImdb(result.Hits.Select(h => h.Movie));
                if (imdb) table.AddColumn(MovieFacts.ImdbColumn);
                int rank = 1;
                foreach (var hit in result.Hits)
                {
                    var cells = new List<string> { (rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Movie.ToString()), hit.Score.ToString("0.0000", CultureInfo.InvariantCulture) };
                    if (imdb) cells.Add(Markup.Escape(MovieFacts.Imdb(hit.Movie)));
                    table.AddRow([.. cells]);
                }
                context.Console.Write(table);
                if (result.Hits.Count == 0)
                {
                    var suggestions = search.Titles.Suggest(text, 5);
                    if (suggestions.Count > 0)
                        context.Console.MarkupLine($"Did you mean: {Markup.Escape(string.Join(", ", suggestions.Select(s => s.ToString())))}?");
                }
            }
            finally
            {
                embedder?.Dispose();
            }
            return 0;
        });
        return command;
    }

    /// <summary>Ratings per movie id: the title tie-break and the popularity prior of hybrid search.</summary>
    internal static Func<long, float> RatingCounts(Dataset dataset)
    {
        var ratings = dataset.Ratings;
        var counts = new Dictionary<long, float>(ratings.ItemCount);
        for (int i = 0; i < ratings.ItemCount; i++)
        {
            if (ratings.ItemIds.IsNumeric) counts[ratings.ItemIds.ToRawNumeric(i)] = ratings.ByItem.RowLength(i);
        }
        return id => counts.GetValueOrDefault(id);
    }

    /// <summary>The embedding model (MOVIEREC_EMBEDDING_MODEL, else the bundled one), or null after saying why not.</summary>
    /// <summary>
    /// The embedding model, or null when it cannot be loaded: then the search is turned off with the reason, so the
    /// answer's one note says why it is lexical (it said "has not been started" after the reason before).
    /// </summary>
    private static SentenceEmbedder? LoadEmbedder(HybridSearch search, string? folder)
    {
        var embedder = SentenceEmbedder.TryLoad(folder ?? Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable), out var reason, EmbedderOptions.FromEnvironment());
        if (embedder is null) search.DisableSemantic(reason!);
        return embedder;
    }

    private static Command Clusters(CliContext context)
    {
        var k = CommonOptions.K($"Number of clusters: at most the movies (or users) there are to cluster. Default 9 for movies, {UserClusters.DefaultK} for users as the kmeans recommender (fewer when there are fewer to cluster).");
        // A switch here; `data synth --users` is a number: each help says which.
        var users = new Option<bool>("--users") { Description = "A switch (no value): cluster users by the movies they like (the kmeans recommender's clusters) instead of movies; -k sets how many clusters." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var elbow = new Option<bool>("--elbow") { Description = "Choose k: inertia (elbow) and silhouette of the movie clustering for k = 2..15." };
        var data = CommonOptions.Data();
        var command = new Command("clusters", "K-Means clusters of movies (genres, weighted rating, year, popularity) or of users (by the movies they like).") { k, users, seed, elbow, data };
        command.SetAction(parse =>
        {
            // --elbow tries every k of the movie clusters: a --k or --users beside it was silently ignored.
            if (parse.GetValue(elbow) && parse.GetResult(k) is not null)
                throw new CliException($"--elbow tries k = 2..15 itself: drop {CommonOptions.Spelt(parse, k)}, or drop --elbow to cluster with k = {parse.GetValue(k)}.");
            if (parse.GetValue(elbow) && parse.GetValue(users))
                throw new CliException("--elbow chooses k for the movie clusters, not the user clusters: drop --users or --elbow.");
            int clusterCount = parse.GetResult(k) is null ? (parse.GetValue(users) ? UserClusters.DefaultK : 9) : CommonOptions.Positive(parse, k);
            var dataset = CommonOptions.LoadDataset(parse.GetValue(data)!, lenient: false, acceptsColumns: false);
            RequireRatings(dataset, "clusters are built over the rated movies (their genres, vote-weighted rating, year and popularity)");
            if (parse.GetValue(elbow))
            {
                var features = MovieClusters.BuildFeatures(dataset, WeightedRating.Compute(dataset));
                var rows = MovieClusters.ChooseK(features, Enumerable.Range(2, 14), parse.GetValue(seed));
                var chart = new Table().Title("Choosing k (movie clusters)").AddColumn("k").AddColumn(new TableColumn("inertia").RightAligned()).AddColumn(new TableColumn("silhouette").RightAligned());
                var bestK = rows.MaxBy(r => r.Silhouette).K;
                foreach (var (kk, inertia, silhouette) in rows)
                {
                    chart.AddRow(kk == bestK ? $"[bold]{kk}[/]" : kk.ToString(CultureInfo.InvariantCulture), inertia.ToString("0.0", CultureInfo.InvariantCulture), silhouette.ToString("0.000", CultureInfo.InvariantCulture));
                }
                context.Console.Write(chart);
                context.Console.MarkupLine($"Best silhouette at k = {bestK}; look for the elbow where inertia stops falling fast.");
                return 0;
            }
            // k-means makes at most one cluster per point: a larger -k is refused naming the largest, for users as for
            // movies (user clusters lowered it silently, movie clusters said "K must not exceed the number of points").
            // The default is lowered to what there is.
            int most = parse.GetValue(users)
                ? Math.Max(1, UserClusters.ClusterableUsers(dataset.Ratings))
                : RatedMovies(dataset.Ratings);
            if (clusterCount > most && parse.GetResult(k) is not null)
            {
                string spelt = CommonOptions.Spelt(parse, k);
                string what = parse.GetValue(users)
                    ? string.Create(CultureInfo.InvariantCulture, $"{most:N0} users to cluster (those who liked a movie that at least {new UserClustersOptions().MinimumLikes} users liked)")
                    : string.Create(CultureInfo.InvariantCulture, $"{most:N0} rated movies to cluster");
                throw new CliException($"{spelt} {clusterCount} is more than the {what}: give {spelt} {most} or less.");
            }
            var options = new KMeansOptions { K = Math.Min(clusterCount, most), Seed = parse.GetValue(seed) };
            if (parse.GetValue(users))
            {
                var model = new UserClusters(options);
                model.Fit(TrainingData.From(dataset), new TrainingContext { Seed = options.Seed });
                var table = new Table().Title($"User clusters by liked movies (k = {model.Result.K}, inertia {model.Result.Inertia:0.0})")
                    .AddColumn("cluster").AddColumn(new TableColumn("users").RightAligned()).AddColumn("like more than everyone (lift)").AddColumn("their distinctive movies");
                foreach (var c in model.Clusters)
                {
                    var genres = c.Genres.Count == 0 ? "no genre stands out"
                        : string.Join(", ", c.Genres.Select((g, j) => string.Create(CultureInfo.InvariantCulture, $"{g} ({c.GenreLifts[j]:0.0}x)")));
                    table.AddRow(c.Id.ToString(CultureInfo.InvariantCulture), c.Users.ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(genres), Markup.Escape(string.Join("; ", c.Titles)));
                }
                context.Console.Write(table);
                return 0;
            }
            var clusters = MovieClusters.Build(dataset, options);
            var movieTable = new Table().Title($"Movie clusters (k = {clusters.Result.K}, inertia {clusters.Result.Inertia:0.0})")
                .AddColumn("cluster").AddColumn("name").AddColumn(new TableColumn("movies").RightAligned()).AddColumn("representatives");
            foreach (var c in clusters.Clusters)
            {
                movieTable.AddRow(c.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), c.Size.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join("; ", c.Representatives.Take(3).Select(m => m.ToString()))));
            }
            context.Console.Write(movieTable);
            return 0;
        });
        return command;
    }

    /// <summary>Movies with at least one rating: the points of the movie clusters.</summary>
    private static int RatedMovies(RatingDataset ratings)
    {
        int rated = 0;
        for (int i = 0; i < ratings.ItemCount; i++)
        {
            if (ratings.ByItem.RowLength(i) > 0) rated++;
        }
        return rated;
    }

    /// <summary>A catalogue (no ratings) cannot do what needs ratings: say so in one sentence.</summary>
    internal static void RequireRatings(Dataset dataset, string why)
    {
        if (dataset.IsCatalogue)
            throw new CliException($"{dataset.Name} has no ratings (a catalogue of {dataset.Catalog.Count:N0} movie{(dataset.Catalog.Count == 1 ? "" : "s")}): {why}. Use a dataset with ratings.");
    }

    /// <summary>Content similarity as the movie page shows it: fields, neighbours ordered with familiarity (rating counts).</summary>
    internal static ContentSimilarity ContentWithFamiliarity(Dataset dataset)
    {
        var counts = new Dictionary<long, float>(dataset.Catalog.Movies.Count);
        foreach (var m in dataset.Catalog.Movies) counts[m.Id] = RatingCount(dataset, m);
        return ContentSimilarity.Build(dataset.Catalog.Movies, ratingCount: id => counts.GetValueOrDefault(id));
    }

    /// <summary>How many ratings a movie has in the dataset (0 when unrated).</summary>
    internal static int RatingCount(Dataset dataset, Movie movie)
    {
        int item = dataset.ItemOf(movie);
        return item < 0 ? 0 : dataset.Ratings.ByItem.RowLength(item);
    }

    /// <summary>
    /// "People who liked this also liked" (<see cref="CoLikedMovies"/>), and each listed movie's co-likers as "23 of
    /// 31"; when none is listed, <paramref name="whyNone"/> says why.
    /// </summary>
    internal static IReadOnlyList<(Movie Movie, float Similarity)> CoLiked(Dataset dataset, Movie movie, int count, out IReadOnlyList<string> coLikers, out string whyNone)
    {
        if (dataset.IsCatalogue)
            throw new CliException($"{dataset.Name} has no ratings: --by ratings needs them; use --by content or --by text.");
        var index = new CoLikedMovies(dataset.Ratings);
        int item = dataset.ItemOf(movie);
        var result = new List<(Movie, float)>();
        var counts = new List<string>();
        foreach (var link in index.Top(item, count))
        {
            if (dataset.MovieOf(link.Item) is not { } m) continue;
            result.Add((m, link.Score));
            counts.Add($"{link.Both} of {link.LikedSource}");
        }
        coLikers = counts;
        whyNone = index.WhyNone(item);
        return result;
    }

    /// <summary>
    /// A movie by title (case, accents, punctuation and a leading article do not matter; a few words of the title do
    /// when only one title holds them). Several matches pick the most rated (then the most voted on TMDB/IMDb, then the
    /// oldest: the original before its remakes) and return the others; none lists suggestions.
    /// </summary>
    internal static (Movie Movie, IReadOnlyList<Movie> Others) FindMovie(Dataset dataset, string title)
    {
        var (matches, _) = dataset.Catalog.MatchTitle(title);
        if (matches.Count > 0)
        {
            var ordered = matches
                .OrderByDescending(m => RatingCount(dataset, m))
                .ThenByDescending(m => (long)(m.Tmdb?.VoteCount ?? 0) + (m.Imdb?.NumVotes ?? 0))
                .ThenBy(m => m.Year ?? int.MaxValue)
                .ThenBy(m => m.Id)
                .ToList();
            return (ordered[0], ordered.Skip(1).ToList());
        }
        var suggestions = new TitleSearch(dataset.Catalog.Movies).Suggest(title, 5);
        throw new CliException(suggestions.Count == 0
            ? $"No movie titled '{title}' in {dataset.Name}."
            : $"No movie titled '{title}' in {dataset.Name}. Did you mean: {string.Join("; ", suggestions.Select(s => s.ToString()))}?");
    }

    private static SemanticSearch SemanticOrExplain(CliContext context, Dataset dataset)
    {
        var embedder = SentenceEmbedder.TryLoad(Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable), out var reason, EmbedderOptions.FromEnvironment())
            ?? throw new CliException($"{reason}. Unset {SentenceEmbedder.ModelVariable} for the bundled model, or use --by content.");
        using var search = new HybridSearch(dataset.Catalog.Movies);
        BuildSemantic(context, dataset, search, embedder);
        return search.Semantic!;
    }

    /// <summary>Embeds the catalogue (only what the cache under ~/.cache/movierec/embeddings lacks) with a progress bar.</summary>
    private static void BuildSemantic(CliContext context, Dataset dataset, HybridSearch search, SentenceEmbedder embedder)
    {
        var folder = Path.Combine(DataLocator.CacheDirectory, "embeddings");
        context.Console.Progress().Start(progress =>
        {
            var task = progress.AddTask($"Embedding movies ({Markup.Escape(embedder.Name)})", maxValue: dataset.Catalog.Count);
            search.BuildSemantic(embedder, folder, new Progress<int>(done => task.Value = done));
            task.Value = task.MaxValue;
        });
    }
}
