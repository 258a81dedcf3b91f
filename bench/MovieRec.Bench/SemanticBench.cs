using System.Diagnostics;
using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Semantic;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Search;

namespace MovieRec.Bench;

/// <summary>
/// <c>semantic embed|quality|query|sweep [--data ml-latest-small] [--precision int8|float32]</c> (issue 15):
/// <list type="bullet">
/// <item><c>embed [--every 10] [--runs 3] [--threads 1] [--intra-op-threads 0] [--batch-tokens 512] [--rows 64] [--compare] [--movies all]</c>: embeds every
/// n-th movie of the catalogue without the cache; prints wall and CPU time, the projection to the whole catalogue
/// (wall, and CPU / cores: what an idle machine would take), the ratio to the 265 s baseline and to the 60 s goal.
/// <c>--compare</c> also embeds with the other precision and prints the cosine between the two models' vectors;
/// <c>--movies described</c> (or <c>undescribed</c>) only the movies with (without) an overview or tags, projected to
/// all of them: the service embeds only the described ones.</item>
/// <item><c>quality [--descriptions FILE]</c>: the description set (tests/MovieRec.Core.Tests/Search/movie-descriptions.tsv):
/// share of descriptions whose movie is in the top 5 (and top 1, MRR) for BM25, embeddings, fused, per half.</item>
/// <item><c>sweep</c>: fusion settings on the tuning half only.</item>
/// <item><c>query [--queries 2000]</c>: one query embedded and ranked over the catalogue (p50/p99), embedding alone and the whole hybrid search.</item>
/// </list>
/// The catalogue's vectors for quality, sweep and query come from the embedding cache (~/.cache/movierec/embeddings).
/// </summary>
internal static class SemanticBench
{
    private const double BaselineSeconds = 265;
    private const double GoalSeconds = 60;
    private const double QueryGoalMs = 15;
    private const double TopGoal = 0.95;

    public static int Run(string[] args)
    {
        var what = args.Length > 1 && !args[1].StartsWith('-') ? args[1] : "all";
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? "ml-latest-small"));
        var options = new EmbedderOptions
        {
            Threads = Bench.IntOption(args, "--threads", EmbedderOptions.Default.Threads),
            IntraOpThreads = Bench.IntOption(args, "--intra-op-threads", EmbedderOptions.Default.IntraOpThreads),
            BatchTokens = Bench.IntOption(args, "--batch-tokens", EmbedderOptions.Default.BatchTokens),
            MaxBatchRows = Bench.IntOption(args, "--rows", EmbedderOptions.Default.MaxBatchRows),
            Quantize = (Bench.Option(args, "--precision") ?? "int8") switch
            {
                "int8" => true,
                "float32" => false,
                var other => throw new ArgumentException($"--precision must be int8 or float32, not '{other}'"),
            },
        };
        using var embedder = SentenceEmbedder.Load(Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable), options);
        Console.WriteLine($"model: {embedder.Name}, {embedder.Dimensions} dimensions, {(embedder.Quantized > 0 ? $"int8 ({embedder.Quantized} matrices)" : "float32")}, " +
            $"{Environment.ProcessorCount} cores; batches of <= {options.BatchTokens} tokens, <= {options.MaxBatchRows} rows, {(options.Threads > 0 ? options.Threads : Environment.ProcessorCount)} at once, each over {(options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount)} threads. {Bench.Contention}");
        switch (what)
        {
            case "embed":
                return Embed(dataset, embedder, options, args);
            case "quality":
                return Quality(dataset, embedder, args);
            case "sweep":
                return Sweep(dataset, embedder, args);
            case "texts":
                return Texts(dataset, embedder, args);
            case "embed-query":
                return EmbedQuery(embedder, options, args);
            case "query":
                return Query(dataset, embedder, args);
            case "explain":
                return Explain(dataset, embedder, args);
            case "topics":
                return Topics(dataset, embedder, args);
            case "prior-features":
                return PriorFeatures(dataset, embedder, args);
            case "prior-sweep":
                return PriorSweep(dataset, embedder, args);
            case "all":
                Embed(dataset, embedder, options, args);
                Quality(dataset, embedder, args);
                return Query(dataset, embedder, args);
            default:
                throw new ArgumentException($"semantic: unknown part '{what}' (embed, quality, sweep, query or all)");
        }
    }

    private static int Embed(Dataset dataset, SentenceEmbedder embedder, EmbedderOptions options, string[] args)
    {
        int every = Bench.IntOption(args, "--every", 10);
        int runs = Bench.IntOption(args, "--runs", 3);
        // --movies described|undescribed: only movies with (or without) an overview or tags (Movie.IsDescribed).
        var which = Bench.Option(args, "--movies") ?? "all";
        bool Chosen(Movie m) => which switch
        {
            "described" => m.IsDescribed,
            "undescribed" => !m.IsDescribed,
            "all" => true,
            _ => throw new ArgumentException($"--movies must be all, described or undescribed, not '{which}'"),
        };
        var texts = dataset.Catalog.Movies.Where((_, i) => i % every == 0).Where(Chosen).Select(SemanticSearch.MovieText).ToList();
        int population = dataset.Catalog.Movies.Count(Chosen); // what the projection is to
        var lengths = texts.Select(t => embedder.Tokenize(t).Length).Order().ToArray();
        // What the service embeds (only described movies) against the whole catalogue: embedding time is linear in tokens.
        long allTokens = 0, describedTokens = 0;
        int described = 0;
        foreach (var movie in dataset.Catalog.Movies)
        {
            int tokens = embedder.Tokenize(SemanticSearch.MovieText(movie)).Length;
            allTokens += tokens;
            if (!movie.IsDescribed) continue;
            described++;
            describedTokens += tokens;
        }
        Console.WriteLine($"catalogue: {dataset.Catalog.Count:N0} movies, {allTokens:N0} tokens; described (overview or tags, what the service embeds): {described:N0} movies, " +
            $"{describedTokens:N0} tokens ({100.0 * describedTokens / allTokens:0} %)");
        Console.WriteLine($"embed: every {every}th movie ({texts.Count:N0} of {population:N0}{(which == "all" ? "" : $" {which}")}); tokens per text: mean {lengths.Average():0.0}, " +
            $"median {lengths[lengths.Length / 2]}, p90 {lengths[lengths.Length * 9 / 10]}, max {lengths[^1]} (truncated at {embedder.MaxTokens}: {lengths.Count(l => l == embedder.MaxTokens)})");
        embedder.Embed(texts.Take(64).ToList()); // warm-up: JIT, ONNX Runtime's arena
        var wall = new double[runs];
        var cpu = new double[runs];
        string whole = which switch { "all" => "whole catalogue", var w => $"all {w}" };
        var table = new BenchTable("run", "wall (s)", "CPU (s)", $"{whole}, wall (s)", $"{whole}, CPU / cores (s)", "vs 265 s", "vs 60 s goal");
        double scale = population / (double)texts.Count;
        for (int r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            embedder.Embed(texts);
            wall[r] = watch.Elapsed.TotalSeconds;
            cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            table.Add((r + 1).ToString(CultureInfo.InvariantCulture), Bench.F(wall[r], "0.00"), Bench.F(cpu[r], "0.00"), Bench.F(wall[r] * scale, "0"),
                Bench.F(cpu[r] * scale / Environment.ProcessorCount, "0"), $"{Bench.F(BaselineSeconds / (wall[r] * scale), "0.00")}x", Bench.F(wall[r] * scale / GoalSeconds, "0.00"));
        }
        double medianWall = Bench.Median([.. wall]), medianCpu = Bench.Median([.. cpu]);
        table.Add("median", Bench.F(medianWall, "0.00"), Bench.F(medianCpu, "0.00"), Bench.F(medianWall * scale, "0"), Bench.F(medianCpu * scale / Environment.ProcessorCount, "0"),
            $"{Bench.F(BaselineSeconds / (medianWall * scale), "0.00")}x", Bench.F(medianWall * scale / GoalSeconds, "0.00"));
        table.Print(Console.Out);
        Console.WriteLine($"  wall spread: min {wall.Min() * scale:0} s, max {wall.Max() * scale:0} s projected; CPU / cores is what 2 idle cores would take if both stayed busy.");
        if (args.Contains("--compare"))
        {
            using var other = SentenceEmbedder.Load(Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable), options with { Quantize = embedder.Quantized == 0 });
            var a = embedder.Embed(texts);
            var b = other.Embed(texts);
            var cos = a.Select((v, i) => System.Numerics.Tensors.TensorPrimitives.Dot(v, b[i])).Order().ToArray();
            Console.WriteLine($"  cosine between {embedder.Recipe} and {other.Recipe} vectors of the same texts: mean {cos.Average():0.0000}, p1 {cos[cos.Length / 100]:0.0000}, min {cos[0]:0.0000}");
        }
        return 0;
    }

    /// <summary>A description, the movie it describes and its part of the set (tune, holdout, fresh or fresh2).</summary>
    private sealed record Description(string Split, long MovieId, string Title, string Text);

    /// <summary>
    /// The parts of the description set: "tune" chooses settings; "holdout" was the first held-out half (its misses
    /// have since been seen, so it is no longer untouched); "fresh" is the second held-out set, written and committed
    /// before any search ran on it; "fresh2" the third, written the same way after "fresh" had been published.
    /// </summary>
    private static readonly string[] Splits = ["tune", "holdout", "fresh", "fresh2"];

    private static string SplitName(string split) => split switch
    {
        "tune" => "tuning",
        "holdout" => "old held-out",
        "fresh" => "fresh held-out",
        _ => "fresh held-out 2",
    };

    /// <summary><c>--splits tune,holdout,fresh,fresh2</c> (all by default): which parts are measured.</summary>
    private static string[] ChosenSplits(string[] args)
    {
        var chosen = (Bench.Option(args, "--splits") ?? string.Join(',', Splits)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var s in chosen)
        {
            if (!Splits.Contains(s)) throw new ArgumentException($"--splits: '{s}' is not one of {string.Join(", ", Splits)}");
        }
        return chosen;
    }

    private static List<Description> Descriptions(string[] args)
    {
        var path = Bench.Option(args, "--descriptions") ?? Path.Combine(RepositoryRoot(), "tests", "MovieRec.Core.Tests", "Search", "movie-descriptions.tsv");
        var result = new List<Description>();
        int line = 0;
        foreach (var row in File.ReadLines(path))
        {
            line++;
            if (row.Length == 0 || row.StartsWith('#')) continue;
            var f = row.Split('\t');
            if (f.Length != 4 || !Splits.Contains(f[0]) || !long.TryParse(f[1], CultureInfo.InvariantCulture, out long id))
                throw new FormatException($"{path}:{line}: expected split (tune|holdout|fresh|fresh2), movieId, title, description separated by tabs");
            result.Add(new Description(f[0], id, f[2], f[3]));
        }
        return result;
    }

    /// <summary><c>semantic explain "words" [--n 15]</c>: one search's results with where each signal ranked them.</summary>
    private static int Explain(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        string query = args.Skip(2).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? throw new ArgumentException("semantic explain needs the query words");
        using var search = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        var result = search.Search(query, new HybridSearchRequest { Count = Bench.IntOption(args, "--n", 15) });
        var table = new BenchTable("#", "movie", "score", "BM25 rank", "embedding rank", "title rank");
        int rank = 1;
        foreach (var h in result.Hits)
            table.Add($"{rank++}", h.Movie.ToString(), Bench.F(h.Score), $"{h.LexicalRank}", $"{h.SemanticRank}", $"{h.TitleRank}");
        Console.WriteLine($"\"{query}\" ({result.Mode}{(result.Note is null ? "" : ", " + result.Note)})");
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>
    /// <c>--semantic-first N</c>: the search as a first start has it while its first stage is all it has embedded: only
    /// the N best-known described movies have vectors (<see cref="HybridSearch.FirstStageMovies"/>).
    /// </summary>
    private static void FirstStageOnly(Dataset dataset, SentenceEmbedder embedder, HybridSearch search, string[] args)
    {
        // --movie-text no-title: each movie embedded from its genres, overview and keywords, without its title.
        if (Bench.Option(args, "--movie-text") is { } variant)
        {
            Func<Movie, string> text = variant switch
            {
                "no-title" => m => SemanticSearch.MovieText(m)[(m.Title.Length + 2)..],
                _ => throw new ArgumentException($"--movie-text must be no-title, not '{variant}'"),
            };
            var watch = Stopwatch.StartNew();
            search.UseSemantic(SemanticSearch.Build(dataset.Catalog.Movies, embedder, EmbeddingCache.For(embedder, Path.Combine(DataLocator.CacheDirectory, "embeddings")),
                embed: m => m.IsDescribed, text: text));
            Console.WriteLine($"  movie texts: {variant} (e.g. \"{text(dataset.Catalog.Movies[0])[..60]}...\"; {watch.Elapsed.TotalSeconds:0} s)");
        }
        if (Bench.IntOption(args, "--semantic-first", 0) is not (> 0 and int first)) return;
        var chosen = search.FirstStageMovies(first).Select(m => m.Id).ToHashSet();
        var partial = SemanticSearch.Build(dataset.Catalog.Movies, embedder, EmbeddingCache.For(embedder, Path.Combine(DataLocator.CacheDirectory, "embeddings")), embed: m => chosen.Contains(m.Id));
        search.UseSemantic(partial);
        Console.WriteLine($"  embeddings of the first stage only: the {partial.EmbeddedCount:N0} best-known described movies");
    }

    private static HybridSearch Hybrid(Dataset dataset, SentenceEmbedder embedder, HybridSearchOptions? options = null, LexicalSearchOptions? lexical = null)
    {
        var search = new HybridSearch(dataset.Catalog.Movies, new LexicalSearch(dataset.Catalog.Movies, lexical), new TitleSearch(dataset.Catalog.Movies, RatingCounts(dataset)), RatingCounts(dataset), options);
        var watch = Stopwatch.StartNew();
        search.BuildSemantic(embedder, Path.Combine(DataLocator.CacheDirectory, "embeddings"));
        if (watch.Elapsed.TotalSeconds > 5) Console.WriteLine($"  (embedded the catalogue into the cache in {watch.Elapsed.TotalSeconds:0} s)");
        return search;
    }

    internal static Func<long, float> RatingCounts(Dataset dataset)
    {
        var counts = new Dictionary<long, float>();
        for (int i = 0; i < dataset.Ratings.ItemCount; i++) counts[dataset.Ratings.ItemIds.ToRawNumeric(i)] = dataset.Ratings.ByItem.RowLength(i);
        return id => counts.GetValueOrDefault(id);
    }

    /// <summary>Rank of the intended movie (1-based; 0 when not in the first 100).</summary>
    private static int RankOf(HybridSearch search, Description d, SearchSignals signals)
    {
        var hits = search.Search(d.Text, new HybridSearchRequest { Count = 100, Signals = signals }).Hits;
        for (int i = 0; i < hits.Count; i++)
        {
            if (hits[i].Movie.Id == d.MovieId) return i + 1;
        }
        return 0;
    }

    private sealed record Scored(int N, int Top5, int Top1, double Mrr)
    {
        public string Top5Text => $"{Top5}/{N} ({Top5 * 100.0 / N:0} %)";
    }

    private static Scored Score(HybridSearch search, IEnumerable<Description> set, SearchSignals signals, List<string>? misses = null)
    {
        int n = 0, top5 = 0, top1 = 0;
        double mrr = 0;
        foreach (var d in set)
        {
            int rank = RankOf(search, d, signals);
            n++;
            if (rank is > 0 and <= 5) top5++;
            else misses?.Add($"{d.Title} ({(rank == 0 ? "not in 100" : $"rank {rank}")})");
            if (rank == 1) top1++;
            if (rank > 0) mrr += 1.0 / rank;
        }
        return new Scored(n, top5, top1, n == 0 ? 0 : mrr / n);
    }

    /// <summary>
    /// <c>quality [--splits tune,holdout,fresh,fresh2] [--show-held-out-misses]</c>: top 5 and MRR per part of the set for
    /// each signal alone and fused, with and without the popularity prior. While tuning, pass <c>--splits tune</c>.
    /// </summary>
    private static int Quality(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        var set = Descriptions(args);
        var splits = ChosenSplits(args);
        using var search = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        Console.WriteLine($"quality: {string.Join(", ", splits.Select(s => $"{set.Count(d => d.Split == s)} {SplitName(s)}"))} descriptions; intended movie in the top 5, and MRR");
        var columns = new List<string> { "signals" };
        columns.AddRange(splits.Select(s => $"{SplitName(s)} top 5"));
        columns.AddRange(splits.Select(s => $"{SplitName(s)} MRR"));
        var table = new BenchTable([.. columns]);
        FirstStageOnly(dataset, embedder, search, args);
        using var plain = new HybridSearch(dataset.Catalog.Movies, search.Lexical, search.Titles, RatingCounts(dataset), search.Options with { PopularityWeight = 0 });
        plain.UseSemantic(search.Semantic!);
        var rows = new (string Name, HybridSearch Search, SearchSignals Signals)[]
        {
            ("BM25", plain, SearchSignals.Lexical),
            ("BM25 + titles (lexical mode), no popularity prior", plain, SearchSignals.Lexical | SearchSignals.Title),
            ("embeddings", plain, SearchSignals.Semantic),
            ("fused, no popularity prior", plain, SearchSignals.All),
            ("BM25 + titles + popularity (lexical mode)", search, SearchSignals.Lexical | SearchSignals.Title),
            ("embeddings + popularity", search, SearchSignals.Semantic),
            ("fused + popularity (the default)", search, SearchSignals.All),
        };
        var misses = splits.ToDictionary(s => s, _ => new List<string>());
        foreach (var (name, engine, signals) in rows)
        {
            bool isDefault = engine == search && signals == SearchSignals.All;
            var rowMisses = new List<string>();
            var scores = splits.Select(s => Score(engine, set.Where(d => d.Split == s), signals, isDefault ? misses[s] : s == "tune" ? rowMisses : null)).ToList();
            if (args.Contains("--tuning-misses") && rowMisses.Count > 0) Console.WriteLine($"  {name}, tuning misses: {string.Join("; ", rowMisses)}");
            var cells = new List<string> { name };
            cells.AddRange(scores.Select(x => x.Top5Text));
            cells.AddRange(scores.Select(x => Bench.F(x.Mrr, "0.000")));
            table.Add([.. cells]);
        }
        table.Print(Console.Out);
        Console.WriteLine($"  fusion: {search.Options}; BM25: {search.Lexical.Options}");
        var withText = set.Where(d => dataset.Catalog[d.MovieId]?.Tmdb?.Overview is { Length: > 0 }).ToList();
        Console.WriteLine($"  movies with a TMDB overview: {string.Join(", ", splits.Select(s => $"{withText.Count(d => d.Split == s)} of {set.Count(d => d.Split == s)} {SplitName(s)}"))} (the others have title, genres and tags only)");
        foreach (var s in splits)
        {
            // Only the tuning half's misses are shown while tuning: held-out misses are for the final report.
            if (misses[s].Count > 0 && (s == "tune" || args.Contains("--show-held-out-misses")))
                Console.WriteLine($"  {SplitName(s)} misses (fused + popularity): {string.Join("; ", misses[s])}");
        }
        return 0;
    }

    /// <summary>
    /// <c>topics [--splits tune,holdout,fresh] [--topics FILE] [--per-query]</c>: the topic set
    /// (tests/MovieRec.Core.Tests/Search/topic-queries.tsv): precision@10, NDCG@10 and the share of the top 10 that are
    /// title-word-only matches (not relevant, a title term shared with the query), per split, for each signal alone and
    /// fused, without and with the popularity prior. While tuning, pass <c>--splits tune</c>.
    /// </summary>
    private static int Topics(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        var path = Bench.Option(args, "--topics") ?? Path.Combine(RepositoryRoot(), "tests", "MovieRec.Core.Tests", "Search", "topic-queries.tsv");
        var set = TopicQuery.Load(path);
        var splits = (Bench.Option(args, "--splits") ?? "tune").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var s in splits)
        {
            if (!TopicQuery.Splits.Contains(s)) throw new ArgumentException($"--splits: '{s}' is not one of {string.Join(", ", TopicQuery.Splits)}");
        }
        using var search = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        FirstStageOnly(dataset, embedder, search, args);
        using var plain = new HybridSearch(dataset.Catalog.Movies, search.Lexical, search.Titles, RatingCounts(dataset), search.Options with { PopularityWeight = 0 });
        plain.UseSemantic(search.Semantic!);
        var relevant = set.ToDictionary(q => q, q => dataset.Catalog.Movies.Count(q.IsRelevant));
        bool eras = !args.Contains("--no-eras"); // --no-eras: years in a query are searched as words, as before EraQuery
        bool people = !args.Contains("--no-people"); // --no-people: names in a query are searched as words, as before PersonIndex
        bool genres = !args.Contains("--no-browse"); // --no-browse: "horror movies" is searched as words, as before GenreWords.Browse
        Console.WriteLine($"topics: {string.Join(", ", splits.Select(s => $"{set.Count(q => q.Split == s)} {s}"))} queries; precision@10, NDCG@10, " +
            "share of the top 10 that are title-word-only matches (not relevant, a title term shared with the query)");
        var rows = new (string Name, HybridSearch Search, SearchSignals Signals)[]
        {
            ("BM25", plain, SearchSignals.Lexical),
            ("BM25 + titles (lexical mode)", plain, SearchSignals.Lexical | SearchSignals.Title),
            ("embeddings", plain, SearchSignals.Semantic),
            ("fused, no popularity prior", plain, SearchSignals.All),
            ("BM25 + popularity", search, SearchSignals.Lexical),
            ("BM25 + titles + popularity (lexical mode)", search, SearchSignals.Lexical | SearchSignals.Title),
            ("embeddings + popularity", search, SearchSignals.Semantic),
            ("fused + popularity (the default)", search, SearchSignals.All),
        };
        var columns = new List<string> { "signals" };
        foreach (var s in splits) columns.AddRange([$"{s} P@10", $"{s} NDCG@10", $"{s} title-word-only"]);
        var table = new BenchTable([.. columns]);
        var perQuery = new BenchTable("query", "split", "relevant movies", "fused P@10", "fused title-word-only", "BM25 + popularity P@10", "embeddings + popularity P@10", "fused top 3 (+ relevant)");
        foreach (var (name, engine, signals) in rows)
        {
            var cells = new List<string> { name };
            foreach (var s in splits)
            {
                double precision = 0, ndcg = 0, titleOnly = 0;
                var queries = set.Where(q => q.Split == s).ToList();
                foreach (var q in queries)
                {
                    var top = engine.Search(q.Text, new HybridSearchRequest { Count = 10, Signals = signals, UnderstandEras = eras, UnderstandPeople = people, UnderstandGenres = genres }).Hits.Select(h => h.Movie).ToList();
                    precision += TopicMetrics.Precision(q, top);
                    ndcg += TopicMetrics.Ndcg(q, top, relevant[q]);
                    titleOnly += top.Count(m => TopicMetrics.IsTitleWordOnly(q, m)) / 10.0;
                    if (args.Contains("--per-query") && engine == search && signals == SearchSignals.All && s == "tune")
                    {
                        List<Movie> Top(HybridSearch e, string text, SearchSignals sig) => e.Search(text, new HybridSearchRequest { Count = 10, Signals = sig, UnderstandEras = eras, UnderstandPeople = people, UnderstandGenres = genres }).Hits.Select(h => h.Movie).ToList();
                        perQuery.Add(q.Text, s, $"{relevant[q]}", Bench.F(TopicMetrics.Precision(q, top), "0.0"), $"{top.Count(m => TopicMetrics.IsTitleWordOnly(q, m))}",
                            Bench.F(TopicMetrics.Precision(q, Top(search, q.Text, SearchSignals.Lexical)), "0.0"), Bench.F(TopicMetrics.Precision(q, Top(search, q.Text, SearchSignals.Semantic)), "0.0"),
                            string.Join("; ", top.Take(3).Select(m => $"{(q.IsRelevant(m) ? "+" : "-")}{m.Title}")));
                    }
                }
                cells.AddRange([Bench.F(precision / queries.Count, "0.000"), Bench.F(ndcg / queries.Count, "0.000"), Percent(titleOnly / queries.Count)]);
            }
            table.Add([.. cells]);
        }
        table.Print(Console.Out);
        Console.WriteLine($"  fusion: {search.Options}; BM25: {search.Lexical.Options}");
        if (args.Contains("--per-query")) perQuery.Print(Console.Out);
        return 0;
    }

    /// <summary>
    /// <c>prior-features</c>: for the tune splits only (descriptions and topics), the query-time signals a
    /// popularity prior could depend on: words, the embeddings' top cosine and its gaps, BM25's and the fused
    /// list's (no prior) first-to-tenth ratios.
    /// </summary>
    private static int PriorFeatures(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        using var search = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        using var plain = new HybridSearch(dataset.Catalog.Movies, search.Lexical, search.Titles, RatingCounts(dataset), search.Options with { PopularityWeight = 0 });
        plain.UseSemantic(search.Semantic!);
        var topics = TopicQuery.Load(Path.Combine(RepositoryRoot(), "tests", "MovieRec.Core.Tests", "Search", "topic-queries.tsv")).Where(q => q.Split == "tune").Select(q => ("topic", q.Text));
        var descriptions = Descriptions(args).Where(d => d.Split == "tune").Select(d => ("description", d.Text));
        var movies = dataset.Catalog.Movies;
        var scores = new float[movies.Count];
        var table = new BenchTable("set", "query", "words", "cos 1", "cos 1 - 2", "cos 1 - 10", "BM25 1/10", "fused 1/10", "fused 1/2");
        foreach (var (set, text) in topics.Concat(descriptions))
        {
            var sem = search.Semantic!;
            sem.Scores(sem.Embedder.EmbedQuery(text), scores);
            for (int r = 0; r < movies.Count; r++)
            {
                if (!movies[r].IsDescribed) scores[r] = float.NaN;
            }
            var top = TopN.Select(scores, 10, TieBreak.ById);
            var bm = search.Lexical.Search(text, 10);
            var fused = plain.Search(text, new HybridSearchRequest { Count = 10 }).Hits;
            table.Add(set, text.Length > 40 ? text[..40] : text, $"{text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length}", Bench.F(top[0].Score, "0.000"), Bench.F(top[0].Score - top[1].Score, "0.000"),
                Bench.F(top[0].Score - top[9].Score, "0.000"), bm.Count >= 10 ? Bench.F(bm[0].Score / bm[9].Score, "0.00") : "-",
                Bench.F(fused[0].Score / fused[9].Score, "0.00"), Bench.F(fused[0].Score / fused[1].Score, "0.00"));
        }
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>
    /// <c>prior-sweep</c>: popularity prior variants (weight, depth, full-weight query length) on the tune splits only:
    /// topic tune precision@10 and NDCG@10, description tune top 5 and MRR.
    /// </summary>
    private static int PriorSweep(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        using var cached = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        var topics = TopicQuery.Load(Path.Combine(RepositoryRoot(), "tests", "MovieRec.Core.Tests", "Search", "topic-queries.tsv")).Where(q => q.Split == "tune").ToList();
        var relevant = topics.ToDictionary(q => q, q => dataset.Catalog.Movies.Count(q.IsRelevant));
        var tune = Descriptions(args).Where(d => d.Split == "tune").ToList();
        var table = new BenchTable("popularity", "depth", "full-weight words", "title match", "topic tune P@10", "topic tune NDCG@10", "description tune top 5", "description tune MRR");
        var candidates = new List<HybridSearchOptions> { cached.Options with { PopularityWeight = 0 } };
        foreach (float w in new[] { 1f, 1.5f, 2f, 3f })
        {
            foreach (int depth in new[] { 0, 10, 20, 30, 50 })
                candidates.Add(cached.Options with { PopularityWeight = w, PopularityDepth = depth });
        }
        foreach (float w in new[] { 1.5f, 2f, 3f })
        {
            foreach (int full in new[] { 4, 6, 8, 10, 12, 16, 20 })
                candidates.Add(cached.Options with { PopularityWeight = w, PopularityFullWords = full });
        }
        foreach (int full in new[] { 6, 8, 10 })
        {
            foreach (float title in new[] { 30f, 50f, 100f })
                candidates.Add(cached.Options with { PopularityFullWords = full, PopularityTitleMatch = title });
        }
        foreach (var o in candidates)
        {
            using var search = new HybridSearch(dataset.Catalog.Movies, cached.Lexical, cached.Titles, RatingCounts(dataset), o);
            search.UseSemantic(cached.Semantic!);
            double precision = 0, ndcg = 0;
            foreach (var q in topics)
            {
                var top = search.Search(q.Text, new HybridSearchRequest { Count = 10 }).Hits.Select(h => h.Movie).ToList();
                precision += TopicMetrics.Precision(q, top);
                ndcg += TopicMetrics.Ndcg(q, top, relevant[q]);
            }
            var score = Score(search, tune, SearchSignals.All);
            table.Add(Bench.F(o.PopularityWeight, "0.0"), $"{o.PopularityDepth}", $"{o.PopularityFullWords}", $"{o.PopularityTitleMatch}", Bench.F(precision / topics.Count, "0.000"),
                Bench.F(ndcg / topics.Count, "0.000"), score.Top5Text, Bench.F(score.Mrr, "0.000"));
        }
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>Fusion settings from the command line (<c>--rrf-k --w-bm25 --w-embeddings --w-titles --popularity --w-genre --not-for-children --fusion rrf|scores</c>), else the defaults.</summary>
    private static HybridSearchOptions FusionOptions(string[] args)
    {
        var d = HybridSearchOptions.Default;
        float F(string name, float fallback) => Bench.Option(args, name) is { } v ? float.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return d with
        {
            RrfK = F("--rrf-k", d.RrfK),
            LexicalWeight = F("--w-bm25", d.LexicalWeight),
            SemanticWeight = F("--w-embeddings", d.SemanticWeight),
            TitleWeight = F("--w-titles", d.TitleWeight),
            PopularityWeight = F("--popularity", d.PopularityWeight),
            PopularityDepth = (int)F("--popularity-depth", d.PopularityDepth),
            PopularityFullWords = (int)F("--popularity-full-words", d.PopularityFullWords),
            PopularityTitleMatch = F("--popularity-title-match", d.PopularityTitleMatch),
            GenreWeight = F("--w-genre", d.GenreWeight),
            NotForChildren = F("--not-for-children", d.NotForChildren),
            SemanticDescribedOnly = Bench.Option(args, "--semantic-described-only") is { } only ? bool.Parse(only) : d.SemanticDescribedOnly,
            Method = Bench.Option(args, "--fusion") switch
            {
                null => d.Method,
                "rrf" => FusionMethod.ReciprocalRank,
                "scores" => FusionMethod.Scores,
                var other => throw new ArgumentException($"--fusion must be rrf or scores, not '{other}'"),
            },
        };
    }

    /// <summary>BM25 settings from the command line (<c>--bm25-k1 --bm25-b --bm25-title</c>), else the defaults.</summary>
    private static LexicalSearchOptions LexicalOptions(string[] args)
    {
        var d = LexicalSearchOptions.Default;
        float F(string name, float fallback) => Bench.Option(args, name) is { } v ? float.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return d with { K1 = F("--bm25-k1", d.K1), B = F("--bm25-b", d.B), TitleWeight = F("--bm25-title", d.TitleWeight) };
    }

    private static string Percent(double share) => $"{share * 100:0} %";

    /// <summary>Fusion settings tried on the tuning half only (the held-out half is never looked at here).</summary>
    private static int Sweep(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        var tune = Descriptions(args).Where(d => d.Split == "tune").ToList();
        using var cached = Hybrid(dataset, embedder);
        var table = new BenchTable("method", "k", "w BM25", "w embeddings", "w titles", "popularity", "tuning top 5", "tuning top 1", "tuning MRR");
        var candidates = new List<HybridSearchOptions>();
        foreach (float k in new[] { 10f, 30f, 60f, 100f })
        {
            foreach (float ws in new[] { 1f, 1.5f, 2f })
            {
                foreach (float pop in new[] { 0f, 0.5f, 1f, 1.5f, 2f })
                    candidates.Add(new HybridSearchOptions { RrfK = k, SemanticWeight = ws, PopularityWeight = pop });
            }
        }
        foreach (float ws in new[] { 1f, 2f, 3f })
        {
            foreach (float pop in new[] { 0f, 0.5f, 1f, 1.5f, 2f })
                candidates.Add(new HybridSearchOptions { Method = FusionMethod.Scores, SemanticWeight = ws, PopularityWeight = pop });
        }
        foreach (var o in candidates)
        {
            using var search = new HybridSearch(dataset.Catalog.Movies, cached.Lexical, cached.Titles, RatingCounts(dataset), o);
            search.UseSemantic(cached.Semantic!);
            var score = Score(search, tune, SearchSignals.All);
            table.Add(o.Method.ToString(), o.Method == FusionMethod.ReciprocalRank ? Bench.F(o.RrfK, "0") : "", Bench.F(o.LexicalWeight, "0.0"), Bench.F(o.SemanticWeight, "0.0"),
                Bench.F(o.TitleWeight, "0.0"), Bench.F(o.PopularityWeight, "0.0"), score.Top5Text, Percent(score.Top1 / (double)score.N), Bench.F(score.Mrr, "0.000"));
        }
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>Extra texts per movie for the embeddings (max-sim over a movie's vectors), on the tuning half only.</summary>
    private static int Texts(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        var tune = Descriptions(args).Where(d => d.Split == "tune").ToList();
        using var cached = Hybrid(dataset, embedder);
        static IEnumerable<string> Overview(Movie m) => m.Tmdb?.Overview is { Length: > 0 } o ? [$"{m.Title}. {o}"] : [];
        static IEnumerable<string> TaglineOverview(Movie m) => m.Tmdb?.Overview is { Length: > 0 } o ? [$"{m.Title}. {m.Tmdb.Tagline} {o}"] : [];
        static IEnumerable<string> Keywords(Movie m)
        {
            var words = (m.Tmdb?.Keywords ?? []).Concat(m.Tags).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return words.Count > 0 ? [$"{m.Title}. {string.Join(", ", m.Tmdb?.Genres is { Count: > 0 } g ? g : m.Genres)}. {string.Join(", ", words)}"] : [];
        }
        static IEnumerable<string> Sentences(Movie m) => m.Tmdb?.Overview is { Length: > 0 } o
            ? System.Text.RegularExpressions.Regex.Split(o, @"(?<=[.!?])\s+").Where(x => x.Length > 20).Select(x => $"{m.Title}. {x}")
            : [];
        var variants = new (string Name, Func<Movie, IEnumerable<string>>? Extra)[]
        {
            ("main text only", null),
            ("+ title. overview", Overview),
            ("+ title. tagline overview", TaglineOverview),
            ("+ title. genres. keywords and tags", Keywords),
            ("+ overview, + keywords and tags", m => Overview(m).Concat(Keywords(m))),
            ("+ overview sentences", Sentences),
        };
        var table = new BenchTable("extra texts", "vectors", "embeddings top 5", "embeddings MRR", "fused top 5", "fused MRR", "fused + popularity top 5", "fused + popularity MRR");
        foreach (var (name, extra) in variants)
        {
            var semantic = SemanticSearch.Build(dataset.Catalog.Movies, embedder, EmbeddingCache.For(embedder, Path.Combine(DataLocator.CacheDirectory, "embeddings")), extraTexts: extra);
            using var plain = new HybridSearch(dataset.Catalog.Movies, cached.Lexical, cached.Titles, RatingCounts(dataset), cached.Options with { PopularityWeight = 0 });
            plain.UseSemantic(semantic);
            using var prior = new HybridSearch(dataset.Catalog.Movies, cached.Lexical, cached.Titles, RatingCounts(dataset), cached.Options);
            prior.UseSemantic(semantic);
            var misses = new List<string>();
            var e = Score(plain, tune, SearchSignals.Semantic, misses);
            var f = Score(plain, tune, SearchSignals.All);
            var p = Score(prior, tune, SearchSignals.All);
            table.Add(name, (dataset.Catalog.Count + semantic.ExtraVectors).ToString(CultureInfo.InvariantCulture), e.Top5Text, Bench.F(e.Mrr, "0.000"), f.Top5Text, Bench.F(f.Mrr, "0.000"), p.Top5Text, Bench.F(p.Mrr, "0.000"));
            Console.WriteLine($"  {name}: embeddings' tuning misses: {string.Join("; ", misses)}");
        }
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>
    /// <c>embed-query [--queries 1000]</c>: one query at a time through the int8 and the float32 model, alternating (so
    /// both see the same machine load): the query side of search.
    /// </summary>
    private static int EmbedQuery(SentenceEmbedder embedder, EmbedderOptions options, string[] args)
    {
        int queries = Bench.IntOption(args, "--queries", 1000);
        using var other = SentenceEmbedder.Load(Environment.GetEnvironmentVariable(SentenceEmbedder.ModelVariable), options with { Quantize = embedder.Quantized == 0 });
        var texts = Descriptions(args).Select(d => d.Text).ToArray();
        var models = new[] { embedder, other };
        var times = new[] { new double[queries], new double[queries] };
        foreach (var m in models)
        {
            for (int i = 0; i < 20; i++) m.EmbedQuery(texts[i % texts.Length]);
        }
        for (int q = 0; q < queries; q++)
        {
            for (int k = 0; k < 2; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                models[k].EmbedQuery(texts[q % texts.Length]);
                times[k][q] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }
        var table = new BenchTable("model", "p50 ms", "p90 ms", "p99 ms");
        for (int k = 0; k < 2; k++)
            table.Add(models[k].Quantized > 0 ? "int8" : "float32", Bench.F(Bench.Quantile(times[k], 0.5), "0.00"), Bench.F(Bench.Quantile(times[k], 0.9), "0.00"), Bench.F(Bench.Quantile(times[k], 0.99), "0.00"));
        Console.WriteLine($"embed-query: {queries:N0} descriptions (mean {texts.Average(t => embedder.Tokenize(t).Length):0} tokens), one at a time, alternating models");
        table.Print(Console.Out);
        return 0;
    }

    private static int Query(Dataset dataset, SentenceEmbedder embedder, string[] args)
    {
        int queries = Bench.IntOption(args, "--queries", 2000);
        using var search = Hybrid(dataset, embedder, FusionOptions(args), LexicalOptions(args));
        var texts = Descriptions(args).Select(d => d.Text).Concat(["space adventure with robots", "a giant shark terrorises a beach town", "the matrix", "heist in las vegas", "romantic comedy in new york"]).ToArray();
        for (int i = 0; i < 50; i++) search.Search(texts[i % texts.Length]); // warm-up
        var embed = new double[queries];
        var rank = new double[queries];
        var bm25 = new double[queries];
        var titles = new double[queries];
        var hybrid = new double[queries];
        var scores = new float[dataset.Catalog.Count];
        long allocated = 0;
        int gen0 = GC.CollectionCount(0);
        for (int q = 0; q < queries; q++)
        {
            var text = texts[q % texts.Length];
            long t0 = Stopwatch.GetTimestamp();
            var vector = embedder.EmbedQuery(text);
            long t1 = Stopwatch.GetTimestamp();
            search.Semantic!.Scores(vector, scores);
            _ = Core.Algorithms.TopN.Select(scores, 100, Core.Algorithms.TieBreak.ById);
            long t2 = Stopwatch.GetTimestamp();
            search.Lexical.Search(text, 100);
            long t3 = Stopwatch.GetTimestamp();
            search.Titles.Search(text, 100);
            long t4 = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            search.Search(text);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            long t5 = Stopwatch.GetTimestamp();
            embed[q] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            rank[q] = Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
            bm25[q] = Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
            titles[q] = Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds;
            hybrid[q] = Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds;
        }
        var table = new BenchTable("per query (ms)", "p50", "p90", "p99", "max", "goal p99 <= 15 ms");
        foreach (var (name, values) in new[] { ("embed the query", embed), ("rank the catalogue by cosine (top 100)", rank), ("BM25 (top 100)", bm25), ("titles (top 100)", titles),
            ("hybrid search (all of it, fused)", hybrid) })
        {
            bool whole = name.StartsWith("hybrid", StringComparison.Ordinal);
            table.Add(name, Bench.F(Bench.Quantile(values, 0.5), "0.00"), Bench.F(Bench.Quantile(values, 0.9), "0.00"), Bench.F(Bench.Quantile(values, 0.99), "0.00"),
                Bench.F(values.Max(), "0.00"), whole ? Bench.YesNo(Bench.Quantile(values, 0.99) <= QueryGoalMs) : "");
        }
        Console.WriteLine($"  hybrid search allocates {allocated / (double)queries / 1024:0} KiB per query; {GC.CollectionCount(0) - gen0} gen0 collections during the run");
        Console.WriteLine($"query: {queries:N0} queries over {dataset.Catalog.Count:N0} movies, one at a time ({texts.Length} texts: the descriptions and short queries)");
        table.Print(Console.Out);
        return 0;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new ArgumentException("MovieRec.slnx not found above the bench binaries: pass --descriptions FILE");
    }
}
