using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Bench;

/// <summary>
/// <c>similar [--data ml-latest-small] [--n 10] [--fields d/c/k/g/t/y,...]</c>: what the movie page's "More like this" (content similarity) shows,
/// over every movie with TMDB metadata that at least 10 people liked (rated 4 or more): the share of its likers who
/// also liked each listed movie (what a person who liked it would think of the list), the share of listed movies that
/// at least 10 people rated (recognisable), the share that shares a director, a top-3 actor or a keyword with it (a
/// content link that holds; not a credits keyword such as "aftercreditsstinger"), and the share without TMDB metadata (compared on genres and tags alone).
/// </summary>
internal static class SimilarBench
{
    public static int Run(string[] args)
    {
        var dataset = DatasetLoader.Load(DataLocator.Resolve(Bench.Option(args, "--data") ?? DataLocator.DefaultDataset));
        int n = Bench.IntOption(args, "--n", 10);
        var ratings = dataset.Ratings;
        var movies = dataset.Catalog.Movies;
        // Likers per movie id, and rating counts.
        var likers = new Dictionary<long, HashSet<int>>();
        var counts = new Dictionary<long, int>();
        for (int k = 0; k < ratings.Count; k++)
        {
            long id = ratings.ItemIds.ToRawNumeric(ratings.Items[k]);
            counts[id] = counts.GetValueOrDefault(id) + 1;
            if (ratings.Values[k] < 4) continue;
            if (!likers.TryGetValue(id, out var set)) likers[id] = set = [];
            set.Add(ratings.Users[k]);
        }
        var seeds = movies.Where(m => m.Tmdb is not null && likers.TryGetValue(m.Id, out var l) && l.Count >= 10).ToList();
        Console.WriteLine($"similar: {seeds.Count:N0} movies with TMDB metadata and >= 10 likers; top {n} by content.");
        var similarity = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Fields = null });
        var quality = WeightedRating.Compute(dataset);
        var table = new BenchTable("variant", "also liked", "known (>= 10 ratings)", "content link", "genres alike", "no TMDB metadata");
        void Measure(string name, Func<long, IReadOnlyList<(Movie Movie, float Similarity)>> list)
        {
            double also = 0, known = 0, link = 0, bare = 0, shown = 0, alike = 0;
            foreach (var seed in seeds)
            {
                var l = likers[seed.Id];
                foreach (var (m, _) in list(seed.Id))
                {
                    shown++;
                    if (likers.TryGetValue(m.Id, out var lj)) also += (double)l.Count(lj.Contains) / l.Count;
                    if (counts.GetValueOrDefault(m.Id) >= 10) known++;
                    if (Linked(seed, m)) link++;
                    if (m.Tmdb is null) bare++;
                    // Genres alike: at least half of the seed's MovieLens genres (Jaccard-free, what a person notices).
                    int shared = seed.Genres.Count(m.Genres.Contains);
                    if (seed.Genres.Count > 0 && 2 * shared >= seed.Genres.Count) alike++;
                }
            }
            table.Add(name, Bench.F(also / shown, "0.000"), Bench.F(known / shown, "0.000"), Bench.F(link / shown, "0.000"), Bench.F(alike / shown, "0.000"), Bench.F(bare / shown, "0.000"));
        }
        Measure("the first seed's soup, cosine", id => similarity.Similar(id, n));
        foreach (double w in new[] { 0.5 })
            Measure($"weighted-rating blend {w}", id => similarity.Similar(id, n, quality, w));
        float Count(long id) => counts.GetValueOrDefault(id);
        var soupFamiliar = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Fields = null }, Count);
        Measure("familiarity blend 0.1", id => soupFamiliar.Similar(id, n));
        foreach (var spec in (Bench.Option(args, "--fields") ?? "3/2/2/2/1/0.5,2/2/2/2/1/0.5,2/2/2/2/1/1,1/1/2/2/1/0.5").Split(','))
        {
            var w = Array.ConvertAll(spec.Split('/'), x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture));
            var fields = new ContentFieldWeights(w[0], w[1], w[2], w[3], w[4], w[5]);
            var fielded = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Fields = fields });
            Measure($"fields d/c/k/g/t/y {spec}", id => fielded.Similar(id, n));
            var familiar = ContentSimilarity.Build(movies, new ContentSimilarityOptions { Fields = fields }, Count);
            Measure("  + familiarity 0.1", id => familiar.Similar(id, n));
        }
        table.Print(Console.Out);
        return 0;
    }

    private static bool Linked(Movie a, Movie b)
    {
        if (a.Tmdb is not { } x || b.Tmdb is not { } y) return false;
        if (x.Directors.Intersect(y.Directors).Any()) return true;
        if (x.Cast.Take(3).Intersect(y.Cast.Take(3)).Any()) return true;
        // A credits stinger or "woman director" says nothing about what a film is: no link.
        return x.Keywords.Where(k => !UninformativeKeywords.Credits.Contains(k)).Intersect(y.Keywords).Any();
    }
}
