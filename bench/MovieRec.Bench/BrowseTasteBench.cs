using System.Globalization;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Search;

namespace MovieRec.Bench;

/// <summary>
/// <c>browse-taste [--seeds 0,1,2] [--scorers svd-rating,taste] [--weights 0,0.3,1,3] [--depths 30,100]</c>: how well the
/// searcher's ratings re-rank a browse answer ("horror movies"), on the new-user protocol's split: each held-out user
/// (>= 15 ratings) gives their 5 favourites and asks for "&lt;genre&gt; movies" for the two genres most common among
/// their other movies rated >= 4; the top 10 (their given movies left out, as they have seen them) is compared with
/// those other movies. Scorers: a servable algorithm's score for the user folded in from the 5 ratings (taste: the
/// service's default, the search's taste now), or "svd-rating": the svd's predicted rating (the search's taste before).
/// Weight 0 is the answer without ratings.
/// </summary>
internal static class BrowseTasteBench
{
    private static readonly Dictionary<string, string> Queries = new(StringComparer.Ordinal)
    {
        ["Action"] = "action movies",
        ["Adventure"] = "adventure movies",
        ["Animation"] = "animated movies",
        ["Children"] = "movies for kids",
        ["Comedy"] = "comedies",
        ["Crime"] = "crime movies",
        ["Documentary"] = "documentaries",
        ["Drama"] = "dramas",
        ["Fantasy"] = "fantasy movies",
        ["Film-Noir"] = "film noir",
        ["Horror"] = "horror movies",
        ["Musical"] = "musicals",
        ["Mystery"] = "mystery movies",
        ["Romance"] = "romantic movies",
        ["Sci-Fi"] = "sci-fi movies",
        ["Thriller"] = "thrillers",
        ["War"] = "war movies",
        ["Western"] = "westerns",
    };

    public static int Run(string[] args)
    {
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        int[] seeds = Ints(Bench.Option(args, "--seeds") ?? "0,1,2");
        string[] scorers = (Bench.Option(args, "--scorers") ?? "svd-rating,taste").Split(',', StringSplitOptions.RemoveEmptyEntries);
        float[] weights = [.. (Bench.Option(args, "--weights") ?? "0,0.3,1,3").Split(',').Select(t => float.Parse(t, CultureInfo.InvariantCulture))];
        int[] depths = Ints(Bench.Option(args, "--depths") ?? "30,100");
        var served = NewUserBench.ServiceOptions();
        var sums = new Dictionary<(string, float, int), (double Precision, double Hits, int Queries)>();
        var movies = dataset.Catalog.Movies;
        var rowOf = new Dictionary<long, Movie>();
        foreach (var m in movies) rowOf[m.Id] = m;
        foreach (int seed in seeds)
        {
            var settings = new NewUserSettings { Seed = seed };
            var split = NewUserProtocol.Split(dataset.Ratings, settings);
            using var tags = TrainingUsersTags.Restrict(dataset, split);
            var train = split.Train;
            var data = new TrainingData(train, dataset.Catalog);
            var counts = new Dictionary<long, float>();
            for (int i = 0; i < train.ItemCount; i++) counts[train.ItemIds.ToRawNumeric(i)] = train.ByItem.RowLength(i);
            Func<long, float> popularity = id => counts.GetValueOrDefault(id);
            var models = scorers.ToDictionary(s => s, s =>
            {
                var entry = AlgorithmCatalog.Get(s.EndsWith(RatingSuffix, StringComparison.Ordinal) ? s[..^RatingSuffix.Length] : s);
                var model = entry.Create(served.GetValueOrDefault(entry.Name));
                model.Fit(data, new TrainingContext { Seed = seed });
                return model;
            });
            // Each user's asks: (given ratings, liked movie ids, query).
            var asks = new List<(ItemRating[] Given, HashSet<long> Liked, HashSet<long> Seen, string Query)>();
            foreach (var user in split.Users)
            {
                if (user.Ordered.Length < settings.MinRatings) continue;
                var given = user.Ordered[..5];
                var liked = new HashSet<long>();
                var genres = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var r in user.Ordered.AsSpan(5))
                {
                    if (r.Rating < settings.RelevanceThreshold) continue;
                    long id = train.ItemIds.ToRawNumeric(r.Item);
                    liked.Add(id);
                    if (!rowOf.TryGetValue(id, out var movie)) continue;
                    foreach (var g in movie.Genres) genres[g] = genres.GetValueOrDefault(g) + 1;
                }
                var seen = given.Select(r => train.ItemIds.ToRawNumeric(r.Item)).ToHashSet();
                foreach (var (genre, _) in genres.Where(g => Queries.ContainsKey(g.Key)).OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal).Take(2))
                    asks.Add((given, liked, seen, Queries[genre]));
            }
            foreach (int depth in depths)
            {
                foreach (float weight in weights)
                {
                    using var search = new HybridSearch(movies, popularity, new HybridSearchOptions { BrowseTasteWeight = weight, BrowseTasteDepth = depth });
                    foreach (var name in weight == 0 ? ["none"] : scorers)
                    {
                        double precision = 0, hits = 0;
                        foreach (var (given, liked, seen, query) in asks)
                        {
                            var taste = weight == 0 ? null : name.EndsWith(RatingSuffix, StringComparison.Ordinal) ? PredictedRating((IRatingPredictor)models[name], given, train)
                                : NewUserRecommendations.Taste(models[name], given, train.Scale, train.ItemIds.ToDense);
                            var result = search.Search(query, new HybridSearchRequest { Count = 15, Taste = taste, Personalise = taste is not null });
                            var top = result.Hits.Select(h => h.Movie.Id).Where(id => !seen.Contains(id)).Take(10).ToList();
                            int hit = top.Count(liked.Contains);
                            precision += hit / 10.0;
                            hits += hit > 0 ? 1 : 0;
                        }
                        sums[(name, weight, depth)] = Add(sums.GetValueOrDefault((name, weight, depth)), precision, hits, asks.Count);
                    }
                }
            }
            Console.Error.WriteLine($"  seed {seed}: {asks.Count} asks");
        }
        var table = new BenchTable("taste", "weight", "depth", "asks", "P@10", "HR@10");
        foreach (var ((name, weight, depth), s) in sums)
            table.Add(name, Bench.F(weight, "0.0"), $"{depth}", $"{s.Queries}", Bench.F(s.Precision / s.Queries, "0.000"), Bench.F(s.Hits / s.Queries, "0.000"));
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>A scorer named "svd-rating" is the svd's predicted rating for the folded-in user: the search's taste before 2026-12-07.</summary>
    private const string RatingSuffix = "-rating";

    private static TasteScorer PredictedRating(IRatingPredictor model, ItemRating[] given, RatingDataset train)
    {
        var user = model.FoldIn(given);
        return (candidates, scores) =>
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                int item = train.ItemIds.ToDense(candidates[i].Id);
                scores[i] = item >= 0 ? model.Predict(user, item) : float.NaN;
            }
        };
    }

    private static (double, double, int) Add((double Precision, double Hits, int Queries) sum, double precision, double hits, int queries) =>
        (sum.Precision + precision, sum.Hits + hits, sum.Queries + queries);

    private static int[] Ints(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
}
