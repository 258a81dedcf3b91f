using System.Net;
using System.Text.Json;
using MovieRec.Core.Tests;

namespace MovieRec.Web.Tests;

/// <summary>Movies, search, onboarding and clusters endpoints on ml-latest-small + TMDB 5000, error paths included.</summary>
[Collection(ServiceCollection.Name)]
public sealed class CatalogApiTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static IEnumerable<string> Titles(JsonElement items) =>
        items.EnumerateArray().Select(i => (i.TryGetProperty("movie", out var m) ? m : i).GetProperty("title").GetString()!);

    [Fact]
    public async Task Title_search_finds_prefixes_typos_and_accents()
    {
        var prefix = await (await Client.GetAsync("/api/v1/movies?q=toy sto")).Json();
        Assert.Contains("Toy Story", Titles(prefix.GetProperty("items")));
        var typo = await (await Client.GetAsync("/api/v1/movies?q=toy stroy")).Json();
        Assert.Contains("Toy Story", Titles(typo.GetProperty("items")));
        // MovieLens spells it "Amelie"; a visitor types the accent.
        var accent = await (await Client.GetAsync("/api/v1/movies?q=am%C3%A9lie")).Json();
        Assert.Contains(Titles(accent.GetProperty("items")), t => t.StartsWith("Amelie", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("movies like oceans eleven", "Ocean's Eleven", "Ocean's Twelve")]
    [InlineData("Films similar to Alien?", "Alien", "Aliens")]
    [InlineData("more like the matrix", "The Matrix", "The Matrix Reloaded")]
    [InlineData("show me something like Toy Story", "Toy Story", "Toy Story 2")]
    public async Task Search_for_movies_like_a_named_one_gives_its_neighbours(string query, string named, string expected)
    {
        // Searched as words, "oceans eleven" gave The Life Aquatic, Sphere and Deep Rising after the three Ocean's films.
        var answer = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(query))).Json();
        Assert.Equal("similar", answer.GetProperty("mode").GetString());
        Assert.StartsWith($"Movies like {named} (", answer.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(named, answer.GetProperty("similarTo").GetProperty("title").GetString());
        var titles = Titles(answer.GetProperty("items")).ToList();
        Assert.Contains(expected, titles);
        Assert.DoesNotContain(named, titles);
        // The movie page's own list ("more like this"), in its order.
        long id = answer.GetProperty("similarTo").GetProperty("movieId").GetInt64();
        var similar = await (await Client.GetAsync($"/api/v1/movies/{id}/similar")).Json();
        Assert.Equal(Titles(similar.GetProperty("items")), titles);
    }

    [Fact]
    public async Task Search_for_movies_like_several_named_ones_gives_those_close_to_all_of_them()
    {
        var answer = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("movies like toy story and shrek"))).Json();
        Assert.Equal("similar", answer.GetProperty("mode").GetString());
        Assert.Equal(["Toy Story", "Shrek"], answer.GetProperty("similarToAll").EnumerateArray().Select(m => m.GetProperty("title").GetString()!));
        Assert.Equal("Toy Story", answer.GetProperty("similarTo").GetProperty("title").GetString());
        var titles = Titles(answer.GetProperty("items")).ToList();
        Assert.Contains("Toy Story 2", titles);
        Assert.Contains("Shrek 2", titles);
        Assert.DoesNotContain("Toy Story", titles);
        Assert.DoesNotContain("Shrek", titles);
        var nineties = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("movies like die hard from the 90s"))).Json();
        Assert.Equal("similar", nineties.GetProperty("mode").GetString());
        Assert.Equal("the 1990s", nineties.GetProperty("era").GetProperty("label").GetString());
        Assert.All(nineties.GetProperty("items").EnumerateArray(), i => Assert.InRange(i.GetProperty("movie").GetProperty("year").GetInt32(), 1990, 1999));
        Assert.Contains("Die Hard: With a Vengeance", Titles(nineties.GetProperty("items")));
        // "but funnier": the closest comedies, from the years asked for too; the note and genres say so.
        var funnier = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("movies like die hard but funnier from the 90s"))).Json();
        Assert.Equal("similar", funnier.GetProperty("mode").GetString());
        Assert.Equal(["Comedy"], funnier.GetProperty("genres").EnumerateArray().Select(g => g.GetString()!));
        Assert.StartsWith("Comedy movies like Die Hard (1988)", funnier.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, funnier.GetProperty("items").GetArrayLength());
        Assert.All(funnier.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Contains("Comedy", i.GetProperty("movie").GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
            Assert.InRange(i.GetProperty("movie").GetProperty("year").GetInt32(), 1990, 1999);
        });
        var one = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("movies like beauty and the beast"))).Json();
        Assert.Equal(["Beauty and the Beast"], one.GetProperty("similarToAll").EnumerateArray().Select(m => m.GetProperty("title").GetString()!));
    }

    /// <summary>
    /// "horror movies" asks only for a kind of movie: the best-known horror movies, not the titles with "movies" in them
    /// (Scary Movie 3 and Disaster Movie were first); the genres say what was read. "Scary Movie" is a title and stays one.
    /// </summary>
    [Fact]
    public async Task Search_for_a_kind_of_movie_gives_the_best_known_of_that_kind()
    {
        var horror = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("horror movies"))).Json();
        Assert.Equal("browse", horror.GetProperty("mode").GetString());
        Assert.Equal(["Horror"], horror.GetProperty("genres").EnumerateArray().Select(g => g.GetString()!));
        Assert.Equal(10, horror.GetProperty("items").GetArrayLength());
        Assert.All(horror.GetProperty("items").EnumerateArray(), i => Assert.Contains("Horror", i.GetProperty("movie").GetProperty("genres").EnumerateArray().Select(g => g.GetString())));
        var titles = Titles(horror.GetProperty("items")).ToList();
        Assert.Contains("The Shining", titles);
        var kids = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("funny movie for kids"))).Json();
        Assert.Equal(["Comedy", "Children"], kids.GetProperty("genres").EnumerateArray().Select(g => g.GetString()!));
        Assert.All(kids.GetProperty("items").EnumerateArray(), i =>
        {
            var genres = i.GetProperty("movie").GetProperty("genres").EnumerateArray().Select(g => g.GetString()).ToList();
            Assert.Contains("Comedy", genres);
            Assert.Contains("Children", genres);
        });
        var pixar = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("pixar movies"))).Json();
        Assert.Equal("Pixar", pixar.GetProperty("studio").GetString());
        Assert.Equal("Toy Story", Titles(pixar.GetProperty("items")).First());
        Assert.Equal(JsonValueKind.Null, horror.GetProperty("studio").ValueKind);
        var dogs = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("dog movies"))).Json();
        Assert.Equal("dog", dogs.GetProperty("topic").GetString());
        Assert.DoesNotContain("The Truth About Cats & Dogs", Titles(dogs.GetProperty("items")));
        var korean = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("korean thriller"))).Json();
        Assert.Equal("Korean", korean.GetProperty("language").GetString());
        Assert.Contains("Old Boy", Titles(korean.GetProperty("items")));
        Assert.Equal(JsonValueKind.Null, horror.GetProperty("topic").ValueKind);
        Assert.Equal(JsonValueKind.Null, horror.GetProperty("language").ValueKind);
        var title = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("scary movie"))).Json();
        Assert.Equal(JsonValueKind.Null, title.GetProperty("genres").ValueKind);
        Assert.Contains("Scary Movie", Titles(title.GetProperty("items")).Take(3));
    }

    [Theory]
    [InlineData("movies like a boxer who never gives up")] // no title: a description
    [InlineData("a movie like a dream")]                   // not a request for a named movie's neighbours
    public async Task Search_that_names_no_movie_is_searched_as_words(string query)
    {
        var answer = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(query))).Json();
        Assert.NotEqual("similar", answer.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("similarTo").ValueKind);
        Assert.True(answer.GetProperty("items").GetArrayLength() > 0);
    }

    /// <summary>"sci-fi from the 50s": the years are read, not searched as words ("50s" matched 50/50), and the answer says which.</summary>
    [Fact]
    public async Task Search_for_a_decade_answers_with_its_movies_and_names_the_years()
    {
        var answer = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("sci-fi from the 50s"))).Json();
        var era = answer.GetProperty("era");
        Assert.Equal(1950, era.GetProperty("from").GetInt32());
        Assert.Equal(1959, era.GetProperty("to").GetInt32());
        Assert.Equal("the 1950s", era.GetProperty("label").GetString());
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        Assert.All(items, i => Assert.InRange(i.GetProperty("movie").GetProperty("year").GetInt32(), 1950, 1959));
        int sciFi = items.Count(i => i.GetProperty("movie").GetProperty("genres").EnumerateArray().Any(g => g.GetString() == "Sci-Fi"));
        Assert.True(sciFi >= 7, string.Join("; ", Titles(answer.GetProperty("items"))));
        var plain = await (await Client.GetAsync("/api/v1/search?q=space%20adventure")).Json();
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("era").ValueKind);
    }

    [Fact]
    public async Task Search_naming_people_answers_with_their_movies_and_names_them()
    {
        var answer = await (await Client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("movies with tom hanks and meg ryan"))).Json();
        Assert.Equal(["Tom Hanks", "Meg Ryan"], answer.GetProperty("people").EnumerateArray().Select(p => p.GetString()!));
        Assert.Equal("You've Got Mail", Titles(answer.GetProperty("items")).First());
        var plain = await (await Client.GetAsync("/api/v1/search?q=space%20adventure")).Json();
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("people").ValueKind);
    }

    [Fact]
    public async Task Movie_list_filters_by_genre_and_decade_and_pages()
    {
        var page1 = await (await Client.GetAsync("/api/v1/movies?genre=animation&year=1990s&pageSize=5")).Json();
        var items = page1.GetProperty("items");
        Assert.Equal(5, items.GetArrayLength());
        foreach (var movie in items.EnumerateArray())
        {
            Assert.Contains("Animation", movie.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
            Assert.InRange(movie.GetProperty("year").GetInt32(), 1990, 1999);
        }
        var counts = items.EnumerateArray().Select(m => m.GetProperty("ratingCount").GetInt32()).ToList();
        Assert.Equal(counts.OrderByDescending(c => c), counts);
        var page2 = await (await Client.GetAsync("/api/v1/movies?genre=animation&year=1990s&pageSize=5&page=2")).Json();
        Assert.Empty(Titles(page2.GetProperty("items")).Intersect(Titles(items)));
        Assert.Equal(page1.GetProperty("total").GetInt32(), page2.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/movies?page=0", "page")]
    [InlineData("/api/v1/movies?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/movies?page=-3", "page")]
    [InlineData("/api/v1/movies?page=abc", "page")]
    [InlineData("/api/v1/movies?genre=notagenre", "genre")]
    [InlineData("/api/v1/movies?year=nineties", "year")]
    [InlineData("/api/v1/movies/1/similar?by=colour", "by")]
    [InlineData("/api/v1/movies/1/similar?n=0", "n")]
    [InlineData("/api/v1/movies/1/similar?n=99999999999", "n")]
    [InlineData("/api/v1/search", "q")]
    [InlineData("/api/v1/onboarding?n=0", "n")]
    [InlineData("/api/v1/onboarding?n=5000", "n")]
    [InlineData("/api/v1/clusters/0/movies?pageSize=0", "pageSize")]
    public async Task Bad_query_values_are_400_problems_naming_the_field(string url, string field) =>
        await (await Client.GetAsync(url)).AssertProblem(400, field);

    [Theory]
    [InlineData("/api/v1/movies/999999999")]
    [InlineData("/api/v1/movies/999999999/similar")]
    [InlineData("/api/v1/clusters/99/movies")]
    [InlineData("/api/v1/users/99999999/recommendations")]
    public async Task Unknown_ids_are_404_problems(string url) =>
        await (await Client.GetAsync(url)).AssertProblem(404);

    [Fact]
    public async Task Movie_details_carry_metadata_statistics_and_histogram()
    {
        var response = await Client.GetAsync("/api/v1/movies/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var movie = await response.Json();
        Assert.Equal("Toy Story", movie.GetProperty("title").GetString());
        Assert.Equal(1995, movie.GetProperty("year").GetInt32());
        Assert.Contains("John Lasseter", movie.GetProperty("directors").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("Tom Hanks", movie.GetProperty("cast").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("tt0114709", movie.GetProperty("imdbId").GetString());
        int count = movie.GetProperty("ratingCount").GetInt32();
        Assert.Equal(215, count);
        var bars = movie.GetProperty("histogram").EnumerateArray().ToList();
        Assert.Equal(10, bars.Count);
        Assert.Equal(count, bars.Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(0.5f, bars[0].GetProperty("rating").GetSingle());
        Assert.Equal(5f, bars[^1].GetProperty("rating").GetSingle());
        Assert.InRange(movie.GetProperty("ratingMean").GetDouble(), 3.8, 4.0);
        Assert.True(movie.GetProperty("cluster").GetProperty("name").GetString()!.Length > 0);
    }

    [Fact]
    public async Task Similar_movies_by_content_ratings_and_text()
    {
        var content = await (await Client.GetAsync("/api/v1/movies/1/similar?by=content&n=10")).Json();
        Assert.Contains("Toy Story 2", Titles(content.GetProperty("items")));
        var ratings = await (await Client.GetAsync("/api/v1/movies/1/similar?by=ratings&n=10")).Json();
        Assert.Equal(10, ratings.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain("Toy Story", Titles(ratings.GetProperty("items")));
        // People who liked Toy Story also liked: family films, each with the count that makes the heading true.
        var likers = Likers();
        int family = 0;
        foreach (var item in ratings.GetProperty("items").EnumerateArray())
        {
            var movie = item.GetProperty("movie");
            if (movie.GetProperty("genres").EnumerateArray().Any(g => g.GetString() is "Animation" or "Children")) family++;
            int both = likers[1].Count(likers.GetValueOrDefault(movie.GetProperty("movieId").GetInt64(), []).Contains);
            Assert.Equal($"{both} of the {likers[1].Count} people who liked Toy Story liked this too", item.GetProperty("reason").GetString());
        }
        Assert.True(family >= 7, $"{family} of 10 animated or for children");
        // A movie few people liked lists nothing rather than films one or two of them rated, and says why.
        var niche = (await (await Client.GetAsync("/api/v1/movies/2851/similar?by=ratings")).Json());
        Assert.Empty(niche.GetProperty("items").EnumerateArray());
        Assert.Equal("only 1 person liked this movie: too few to say what its fans also liked", niche.GetProperty("note").GetString());
        var text = await (await Client.GetAsync("/api/v1/movies/1/similar?by=text&n=5")).Json();
        Assert.Equal("text", text.GetProperty("by").GetString());
        Assert.True(text.GetProperty("items").GetArrayLength() > 0);
    }

    /// <summary>Who liked each movie (rated it 3.5 or more), read from ratings.csv apart from the service.</summary>
    private static Dictionary<long, HashSet<int>> Likers()
    {
        var likers = new Dictionary<long, HashSet<int>>();
        foreach (var line in File.ReadLines(Path.Combine(TestData.MovieLensSmallPath, "ratings.csv")).Skip(1))
        {
            var f = line.Split(',');
            if (double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) < 3.5) continue;
            long movie = long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
            if (!likers.TryGetValue(movie, out var set)) likers[movie] = set = [];
            set.Add(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture));
        }
        return likers;
    }

    [Fact]
    public async Task Semantic_requests_without_a_model_say_they_fell_back()
    {
        // The test services turn semantic search off (ServiceFactory).
        var search = await (await Client.GetAsync("/api/v1/search?q=space%20adventure%20with%20robots")).Json();
        Assert.Equal("lexical", search.GetProperty("mode").GetString());
        Assert.Contains("these are lexical matches", search.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(search.GetProperty("items").GetArrayLength() > 0);
        var similar = await (await Client.GetAsync("/api/v1/movies/1/similar?by=semantic")).Json();
        Assert.Equal("text", similar.GetProperty("by").GetString());
        Assert.Contains("unavailable", similar.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onboarding_covers_several_clusters_with_known_movies()
    {
        var items = (await (await Client.GetAsync("/api/v1/onboarding?n=18")).Json()).EnumerateArray().ToList();
        Assert.Equal(18, items.Count);
        Assert.True(items.Select(i => i.GetProperty("cluster").GetInt32()).Distinct().Count() >= 4);
        Assert.All(items, i => Assert.True(i.GetProperty("movie").GetProperty("ratingCount").GetInt32() >= 20));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("clusterName").GetString())));
    }

    [Fact]
    public async Task Clusters_are_nine_named_groups_with_their_movies()
    {
        var clusters = (await (await Client.GetAsync("/api/v1/clusters")).Json()).EnumerateArray().ToList();
        Assert.Equal(9, clusters.Count);
        // Every movie with features is in exactly one cluster (a few without any rating or genre are left out).
        Assert.InRange(clusters.Sum(c => c.GetProperty("size").GetInt32()), 9700, 9742);
        // Names say what sets a cluster apart: distinct, and no rating level shared by every cluster ("well liked").
        var names = clusters.Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.Equal(9, names.Distinct().Count());
        Assert.DoesNotContain(names, n => n.Contains("well liked", StringComparison.Ordinal));
        Assert.True(clusters.Select(c => c.GetProperty("ratingLevel").GetString()).Distinct().Count() > 1, string.Join(" | ", names));
        var page = await (await Client.GetAsync("/api/v1/clusters/0/movies?pageSize=7")).Json();
        Assert.Equal(7, page.GetProperty("items").GetArrayLength());
        Assert.Equal(clusters[0].GetProperty("size").GetInt32(), page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Posters_fall_back_to_a_generated_svg_without_an_omdb_key()
    {
        var response = await Client.GetAsync("/api/v1/movies/1/poster");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        Assert.Contains("Toy Story", svg, StringComparison.Ordinal);
        Assert.Contains("1995", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openapi_document_and_interactive_docs_are_served()
    {
        var openapi = await (await Client.GetAsync("/openapi/v1.json")).Json();
        var paths = openapi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/recommendations", out _));
        Assert.True(paths.TryGetProperty("/api/v1/movies/{id}", out _));
        var docs = await Client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_metrics()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Json();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        await Client.PostJson("/api/v1/recommendations", new { ratings = new[] { new { movieId = 1, rating = 5 } } });
        string metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("http_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("movierec_model_info{version=\"" + fixture.Factory.Host.Current!.Version + "\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("movierec_recommendation_cache_lookups_total", metrics, StringComparison.Ordinal);
        Assert.Contains("movierec_stored_ratings", metrics, StringComparison.Ordinal);
        Assert.Contains("movierec_recommendation_cache_hit_ratio", metrics, StringComparison.Ordinal);
    }
}

/// <summary>
/// One service, with the product's default algorithm, shared by the test classes of <see cref="ServiceCollection"/>:
/// it starts and trains each algorithm once for all of them, instead of once per class.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new(new Dictionary<string, string?> { ["MovieRec:DefaultAlgorithm"] = new Hosting.MovieRecOptions().DefaultAlgorithm });

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await Factory.ReadyClientAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// The test classes that use the one <see cref="ServiceFixture"/>. They run one after another (a collection is never run
/// in parallel with itself), so a test that counts (cache hits, stored ratings) sees only its own requests.
/// </summary>
[CollectionDefinition(Name)]
[LongRunning]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "one service";
}
