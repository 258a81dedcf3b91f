using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Algorithms.Content;

public class ContentSimilarityTests
{
    private static readonly Lazy<Dataset> Tmdb = new(() => DatasetLoader.Load(TestData.TmdbPath));

    private static List<string> SimilarTitles(ContentSimilarity similarity, MovieCatalog catalog, string title, int n = 10)
    {
        var movie = catalog.FindByTitle(title)[0];
        return [.. similarity.Similar(movie.Id, n).Select(p => p.Movie.Title)];
    }

    private static ContentSimilarityOptions Vectors(bool soup) => soup ? new ContentSimilarityOptions { Fields = null } : new ContentSimilarityOptions();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dark_knight_rises_is_like_the_dark_knight_and_batman_begins(bool soup)
    {
        var catalog = Tmdb.Value.Catalog;
        var similarity = ContentSimilarity.Build(catalog.Movies, Vectors(soup));
        var titles = SimilarTitles(similarity, catalog, "The Dark Knight Rises");
        Assert.Contains("The Dark Knight", titles.Take(3));
        Assert.Contains("Batman Begins", titles.Take(3));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Avengers_is_like_age_of_ultron(bool soup)
    {
        var catalog = Tmdb.Value.Catalog;
        var similarity = ContentSimilarity.Build(catalog.Movies, Vectors(soup));
        var titles = SimilarTitles(similarity, catalog, "The Avengers");
        Assert.Equal("Avengers: Age of Ultron", titles[0]);
    }

    [Fact]
    public void Works_on_the_joined_movielens_catalog_and_for_movies_without_tmdb()
    {
        var d = TestData.MovieLensSmall;
        var similarity = ContentSimilarity.Build(d.Catalog.Movies);
        var titles = SimilarTitles(similarity, d.Catalog, "The Dark Knight Rises");
        Assert.Contains("The Dark Knight", titles);
        // Toy Story without TMDB metadata (not in TMDB 5000? then genres and tags carry it) still has neighbours.
        Assert.NotEmpty(similarity.Similar(1, 10));
    }

    [Fact]
    public void On_the_joined_catalogue_movies_known_only_by_genre_do_not_crowd_out_films_by_the_same_director()
    {
        // The soup's single vector made a movie known only by its MovieLens genres look closer than a film by the
        // same director (a short vector has a large cosine): Toy Story's top 10 were Pixar sequels and six bare
        // animated titles tied at 0.236, without A Bug's Life (co-directed by John Lasseter, listed second).
        var d = TestData.MovieLensSmall;
        var counts = d.Catalog.Movies.ToDictionary(m => m.Id, m => (float)RatingCount(d, m));
        var similarity = ContentSimilarity.Build(d.Catalog.Movies, ratingCount: id => counts.GetValueOrDefault(id));
        var top = similarity.Similar(1, 10);
        Assert.Contains(top.Take(3), p => p.Movie.Title == "A Bug's Life");
        Assert.All(top.Take(5), p => Assert.NotNull(p.Movie.Tmdb));

        // Over every movie with metadata and some ratings: few neighbours without metadata, most with a true link.
        double shown = 0, bare = 0, linked = 0;
        foreach (var m in d.Catalog.Movies.Where(m => m.Tmdb is not null && counts[m.Id] >= 20))
        {
            foreach (var (n, _) in similarity.Similar(m.Id, 10))
            {
                shown++;
                if (n.Tmdb is null) bare++;
                else if (m.Tmdb!.Directors.Intersect(n.Tmdb.Directors).Any() || m.Tmdb.Cast.Take(3).Intersect(n.Tmdb.Cast.Take(3)).Any()
                    || m.Tmdb.Keywords.Where(k => !UninformativeKeywords.Credits.Contains(k)).Intersect(n.Tmdb.Keywords).Any()) linked++;
            }
        }
        Assert.True(shown > 5000, $"{shown} neighbours shown");
        Assert.True(bare / shown < 0.2, $"share without metadata {bare / shown:0.000} (the soup: 0.46)");
        Assert.True(linked / shown > 0.7, $"share sharing a director, lead actor or keyword {linked / shown:0.000} (the soup: 0.54)");
    }

    [Fact]
    public void Credits_keywords_and_verdict_tags_make_no_neighbours()
    {
        // "aftercreditsstinger" and "duringcreditsstinger" are on about a third of TMDB's films: Finding Nemo's "More
        // like this" had Harold & Kumar Escape from Guantanamo Bay (keywords: terrorist and the two stingers) and Me,
        // Myself & Irene (schizophrenia, ex-cop, the two stingers).
        var d = TestData.MovieLensSmall;
        var counts = d.Catalog.Movies.ToDictionary(m => m.Id, m => (float)RatingCount(d, m));
        var similarity = ContentSimilarity.Build(d.Catalog.Movies, ratingCount: id => counts.GetValueOrDefault(id));
        var nemo = d.Catalog.FindByTitle("Finding Nemo")[0];
        var titles = similarity.Similar(nemo.Id, 10).Select(p => p.Movie.Title).ToList();
        Assert.DoesNotContain("Harold & Kumar Escape from Guantanamo Bay", titles);
        Assert.DoesNotContain("Me, Myself & Irene", titles);
        Assert.Contains("WALL·E", titles.Take(3)); // the same director

        // Two movies alike only in a stinger and a verdict tag are not alike at all.
        static Movie Bare(long id, string keyword, string tag)
        {
            var movie = new Movie(id, $"Movie {id} (2000)", ["Drama"]) { Tmdb = new TmdbMetadata { Keywords = [keyword, $"own keyword {id}"] } };
            movie.Tags.AddRange([tag, $"own tag {id}"]);
            return movie;
        }
        var pair = ContentSimilarity.Build([Bare(1, "aftercreditsstinger", "in netflix queue"), Bare(2, "aftercreditsstinger", "in netflix queue"), Bare(3, "war", "tanks")],
            new ContentSimilarityOptions { Fields = new ContentFieldWeights(0, 0, 1, 0, 1, 0) });
        Assert.DoesNotContain(pair.Similar(1, 5), p => p.Movie.Id == 2);
    }

    private static int RatingCount(Dataset d, Movie m)
    {
        int item = d.ItemOf(m);
        return item < 0 ? 0 : d.Ratings.ByItem.RowLength(item);
    }

    [Fact]
    public void Field_vectors_give_the_weighted_mean_of_the_fields_cosines()
    {
        var movies = new List<Movie>
        {
            Tmdb2(1, ["Action", "Drama"], ["a", "b", "c"], ["dir"], ["k1", "k2"]),
            Tmdb2(2, ["Action"], ["a", "x", "y"], ["dir"], ["k1"]),
            new(3, "Bare", ["Action", "Drama"]),
        };
        var w = new ContentFieldWeights(Directors: 2, Cast: 2, Keywords: 2, Genres: 2, Tags: 1, Decade: 0);
        var v = ContentSimilarity.VectorizeFields(movies, w);
        float Dot(int a, int b)
        {
            float sum = 0;
            var ta = v.RowTerms(a); var wa = v.RowWeights(a);
            var tb = v.RowTerms(b); var wb = v.RowWeights(b);
            for (int i = 0; i < ta.Length; i++)
                for (int j = 0; j < tb.Length; j++)
                    if (ta[i] == tb[j]) sum += wa[i] * wb[j];
            return sum;
        }
        // 1 and 2: directors 1, cast 1/3, keywords 1/√2, genres 1/√2; tags absent (0); over Σw = 9.
        double expected = (2 * 1 + 2 * (1.0 / 3) + 2 / Math.Sqrt(2) + 2 / Math.Sqrt(2)) / 9;
        Assert.Equal(expected, Dot(0, 1), 5);
        // 1 and the bare movie: genres alone (cosine 1), at most their share of the weights.
        Assert.Equal(2.0 / 9, Dot(0, 2), 5);
        Assert.Throws<ArgumentException>(() => ContentSimilarity.VectorizeFields(movies, new ContentFieldWeights(0, 0, 0, 0, 0, 0)));
    }

    [Fact]
    public void Familiarity_orders_equally_similar_movies_by_how_many_rated_them()
    {
        var movies = new List<Movie> { new(1, "Seed", ["Horror"]) };
        for (int k = 2; k <= 6; k++) movies.Add(new(k, $"Twin {k}", ["Horror"]));
        var counts = new Dictionary<long, float> { [2] = 1, [3] = 50, [4] = 5, [5] = 0, [6] = 500 };
        var plain = ContentSimilarity.Build(movies).Similar(1, 5).Select(p => p.Movie.Id).ToList();
        Assert.Equal([2L, 3, 4, 5, 6], plain);
        var known = ContentSimilarity.Build(movies, ratingCount: id => counts.GetValueOrDefault(id)).Similar(1, 5);
        Assert.Equal([6L, 3, 4, 2, 5], known.Select(p => p.Movie.Id).ToList());
        // The value is still the similarity: genres alone, 2 of the default weights' 9.5.
        Assert.All(known, p => Assert.Equal(2f / 9.5f, p.Similarity, 5));
        var off = ContentSimilarity.Build(movies, new ContentSimilarityOptions { FamiliarityWeight = 0 }, id => counts.GetValueOrDefault(id));
        Assert.Equal(plain, off.Similar(1, 5).Select(p => p.Movie.Id).ToList());
    }

    private static Movie Tmdb2(long id, string[] genres, string[] cast, string[] directors, string[] keywords) =>
        new(id, $"Movie {id}", genres) { Tmdb = new TmdbMetadata { Cast = cast, Directors = directors, Keywords = keywords } };

    [Fact]
    public void Names_are_joined_so_different_people_do_not_match()
    {
        Assert.Equal("johnnydepp", MovieSoup.Normalize("Johnny Depp"));
        Assert.NotEqual(MovieSoup.Normalize("Johnny Depp"), MovieSoup.Normalize("Johnny Cash"));
    }

    [Fact]
    public void Index_matches_brute_force_cosine_on_random_documents()
    {
        var rng = new Random(5);
        var docs = new List<IReadOnlyList<string>>();
        for (int d = 0; d < 200; d++)
            docs.Add([.. Enumerable.Range(0, rng.Next(1, 8)).Select(_ => "t" + rng.Next(40))]);
        var vectors = SparseVectors.Build(docs, SparseVectors.Weighting.TfIdf);
        var index = SimilarityIndex.Build(vectors, 5, threads: 2);
        for (int row = 0; row < vectors.Rows; row++)
        {
            var expected = Enumerable.Range(0, vectors.Rows).Where(o => o != row)
                .Select(o => (o, s: Dot(vectors, row, o))).Where(p => p.s > 0)
                .OrderByDescending(p => p.s).ThenBy(p => p.o).Take(5).ToList();
            var got = index.Similarities(row).ToArray();
            Assert.Equal(expected.Count, got.Length);
            for (int j = 0; j < got.Length; j++) Assert.Equal(expected[j].s, got[j], 4);
        }
    }

    private static float Dot(SparseVectors v, int a, int b)
    {
        float s = 0;
        var ta = v.RowTerms(a);
        var wa = v.RowWeights(a);
        var tb = v.RowTerms(b);
        var wb = v.RowWeights(b);
        for (int i = 0; i < ta.Length; i++)
        {
            int j = tb.IndexOf(ta[i]);
            if (j >= 0) s += wa[i] * wb[j];
        }
        return s;
    }
}

public class QualityRerankTests
{
    [Fact]
    public void Weight_zero_keeps_similarity_order_and_weight_one_sorts_by_weighted_rating()
    {
        var d = DatasetLoader.Load(TestData.TmdbPath);
        var sim = ContentSimilarity.Build(d.Catalog.Movies, new ContentSimilarityOptions { Neighbours = 30 });
        var wr = WeightedRating.Compute(d);
        var movie = d.Catalog.FindByTitle("Avatar")[0];
        var plain = sim.Similar(movie.Id, 10).Select(p => p.Movie.Id).ToList();
        Assert.Equal(plain, sim.Similar(movie.Id, 10, wr, 0).Select(p => p.Movie.Id).ToList());
        var byQuality = sim.Similar(movie.Id, 10, wr, 1).Select(p => wr[p.Movie.Id]).ToList();
        Assert.Equal(byQuality.OrderByDescending(x => x).ToList(), byQuality);
        var blended = sim.Similar(movie.Id, 10, wr, 0.3).Select(p => p.Movie.Id).ToList();
        Assert.Equal(10, blended.Distinct().Count());
        Assert.True(blended.Average(id => wr[id]) >= plain.Average(id => wr[id]));
        Assert.Throws<ArgumentException>(() => sim.Similar(movie.Id, 10, wr, 1.5));
    }
}
