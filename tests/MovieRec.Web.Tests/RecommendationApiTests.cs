using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MovieRec.Web.Tests;

/// <summary>POST /recommendations and GET /users/{id}/recommendations: every algorithm, fold-in, filters, bad input.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RecommendationApiTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Client;

    // Pixar/Disney animated family films (MovieLens ids).
    internal static readonly long[] AnimatedFamily = [1, 2355, 3114, 4886, 6377, 8961, 50872, 60069, 68954, 78499];

    private static object Ratings(IEnumerable<long> ids, float rating, int n = 10, string? algorithm = null) =>
        new { ratings = ids.Select(id => new { movieId = id, rating }).ToArray(), n, algorithm };

    /// <summary>
    /// The stars shown beside each recommendation are the SVD's prediction for the person folded in from their ratings,
    /// shrunk towards everyone's: five favourites at 5 stars do not make every movie a 5 (they did: 4.84-5.00 for the
    /// horror fan), and one movie at 1 star does not make every movie a 1 (1.19-1.67 for the ten shown).
    /// </summary>
    [Fact]
    public async Task The_stars_shown_are_not_the_ends_of_the_scale_after_a_handful_of_ratings()
    {
        static async Task<List<float>> Shown(HttpClient client, object body)
        {
            var response = await client.PostJson("/api/v1/recommendations", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("predictedRating").GetSingle())];
        }
        // The Shining, Psycho, The Exorcist, Friday the 13th, A Nightmare on Elm Street.
        var fan = await Shown(Client, Ratings([1258, 1219, 1997, 1974, 1347], 5));
        Assert.Equal(10, fan.Count);
        Assert.True(fan.Count(p => p >= 4.95f) <= 2 && fan.Average() is > 3.5f and < 4.7f, string.Join(", ", fan));
        var dislike = await Shown(Client, Ratings([1], 1)); // Toy Story
        Assert.True(dislike.Average() > 3 && dislike.Min() > 2.5f, string.Join(", ", dislike));
    }

    [Theory]
    [InlineData("taste")]
    [InlineData("knn")]
    [InlineData("kmeans")]
    [InlineData("content")]
    [InlineData("hybrid")]
    public async Task Every_algorithm_recommends_unrated_movies_with_a_reason_and_the_model_version(string algorithm)
    {
        var response = await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily[..5], 5, 10, algorithm));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(algorithm, body.GetProperty("algorithm").GetString());
        string version = body.GetProperty("modelVersion").GetString()!;
        Assert.Equal(version, response.Headers.GetValues("X-Model-Version").Single());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        Assert.Equal(10, items.Select(i => i.GetProperty("movieId").GetInt64()).Distinct().Count());
        Assert.DoesNotContain(items, i => AnimatedFamily[..5].Contains(i.GetProperty("movieId").GetInt64()));
        var scores = items.Select(i => i.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.All(items, i => Assert.InRange(i.GetProperty("predictedRating").GetSingle(), 0.5f, 5f));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("reason").GetString())));
        // A reason names a movie the user rated (and its id) or says how the movie stands with everyone, nothing else.
        var rated = new HashSet<long>(AnimatedFamily[..5]);
        foreach (var item in items)
        {
            string reason = item.GetProperty("reason").GetString()!;
            if (item.GetProperty("becauseOf").ValueKind == JsonValueKind.Number)
            {
                Assert.Contains(item.GetProperty("becauseOf").GetInt64(), rated);
                Assert.StartsWith("because you liked ", reason, StringComparison.Ordinal);
            }
            else Assert.Matches(@"^(rated \d\.\d (on average by [\d,]+ people|by one person)|new in the catalogue)$", reason);
        }
    }

    [Theory]
    [InlineData("content", 6)]
    [InlineData("hybrid", 4)]
    [InlineData("knn", 3)]
    public async Task Rating_animated_family_films_high_puts_animation_on_top(string algorithm, int atLeast)
    {
        // Liked: the animated films; disliked: two horror films (a top-N model must not read those as liked).
        var ratings = AnimatedFamily.Select(id => new { movieId = id, rating = 5f }).Append(new { movieId = 1258L, rating = 1f }).Append(new { movieId = 1387L, rating = 0.5f });
        var body = await (await Client.PostJson("/api/v1/recommendations", new { ratings, n = 10, algorithm })).Json();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        static bool Animated(JsonElement i) => i.GetProperty("genres").EnumerateArray().Any(g => g.GetString() == "Animation");
        int animated = items.Count(Animated);
        string titles = string.Join("; ", items.Select(i => i.GetProperty("title").GetString()));
        Assert.True(Animated(items[0]), $"{algorithm}: the top movie is not animated: {titles}");
        Assert.True(animated >= atLeast, $"{algorithm}: only {animated} of 10 are animated: {titles}");
        Assert.DoesNotContain(items, i => i.GetProperty("genres").EnumerateArray().Any(g => g.GetString() == "Horror"));
        Assert.Contains(items, i => i.GetProperty("reason").GetString()!.StartsWith("because you liked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Different_ratings_give_different_lists_and_the_same_ratings_the_same_list()
    {
        var family = await (await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily, 5))).Json();
        var horror = await (await Client.PostJson("/api/v1/recommendations", Ratings([1258, 1387, 1997, 2710, 1350, 2455], 5))).Json();
        var again = await (await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily.Reverse(), 5))).Json();
        static string Ids(JsonElement list) => string.Join(",", list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()));
        Assert.NotEqual(Ids(family), Ids(horror));
        Assert.Equal(Ids(family), Ids(again));
    }

    [Fact]
    public async Task Filters_restrict_the_candidates()
    {
        var body = await (await Client.PostJson("/api/v1/recommendations",
            new { ratings = new[] { new { movieId = 1, rating = 5 } }, n = 8, genre = "Comedy", year = "1980s" })).Json();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, items.Count);
        Assert.All(items, i =>
        {
            Assert.Contains("Comedy", i.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
            Assert.InRange(i.GetProperty("year").GetInt32(), 1980, 1989);
        });
    }

    [Fact]
    public async Task No_ratings_still_recommends_well_liked_movies()
    {
        var body = await (await Client.PostJson("/api/v1/recommendations", new { ratings = Array.Empty<object>(), n = 5 })).Json();
        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Dataset_users_get_recommendations_without_their_rated_movies()
    {
        var body = await (await Client.GetAsync("/api/v1/users/1/recommendations?n=20&algorithm=svd")).Json();
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()).ToList();
        Assert.Equal(20, ids.Count);
        var rated = Core.Tests.TestData.MovieLensSmall.Ratings;
        int user = rated.UserIds.ToDense(1);
        var ratedIds = rated.ByUser.RowColumns(user).ToArray().Select(i => rated.ItemIds.ToRawNumeric(i)).ToHashSet();
        Assert.DoesNotContain(ids, ratedIds.Contains);
        var hybrid = await Client.GetAsync("/api/v1/users/1/recommendations?n=5&algorithm=hybrid");
        Assert.Equal(HttpStatusCode.OK, hybrid.StatusCode);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"ratings":[{"movieId":1,"rating":4.5}],"algorithm":"magic"}""", "algorithm" },
        { """{"ratings":[{"movieId":1,"rating":7}]}""", "ratings[0].rating" },
        { """{"ratings":[{"movieId":1,"rating":4.3}]}""", "ratings[0].rating" },
        { """{"ratings":[{"movieId":1,"rating":4},{"movieId":123456789,"rating":4}]}""", "ratings[1].movieId" },
        { """{"ratings":[{"rating":4}]}""", "ratings[0].movieId" },
        { """{"ratings":[{"movieId":1}]}""", "ratings[0].rating" },
        { """{"ratings":[null]}""", "ratings[0]" },
        { """{"ratings":[{"movieId":1,"rating":"high"}]}""", "$.ratings[0].rating" },
        { """{"ratings":[{"movieId":"1; DROP TABLE ratings","rating":4}]}""", "ratings[0].movieId" },
        { """{"ratings":[{"movieId":true,"rating":4}]}""", "$.ratings[0].movieId" },
        { """{"ratings":[{"movieId":1.5,"rating":4}]}""", "$.ratings[0].movieId" },
        { """{"ratings":[{"movieId":"","rating":4}]}""", "$.ratings[0].movieId" },
        { """{"ratings":[],"n":0}""", "n" },
        { """{"ratings":[],"n":100000}""", "n" },
        { """{"ratings":[],"n":1e40}""", "$.n" },
        { """{"ratings":[],"n":"ten"}""", "$.n" },
        { """{"ratings":{"movieId":1}}""", "$.ratings" },
        { """{"ratings":[{"movieId":1,"rating":4.5}""", "JSON" },
        { """not json""", "JSON" },
        { """{"ratings":[],"genre":"Cartoons"}""", "genre" },
        { """{"ratings":[],"year":"199x"}""", "year" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_400_problems_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        await (await Client.PostAsync("/api/v1/recommendations", content)).AssertProblem(400, field);
    }

    [Fact]
    public async Task Movie_ids_are_numbers_in_answers_and_numbers_or_strings_in_requests()
    {
        var asNumbers = await (await Client.PostJson("/api/v1/recommendations", Ratings([1, 2355], 5, 5))).Json();
        var asText = await (await Client.PostJson("/api/v1/recommendations",
            new { ratings = new[] { new { movieId = "1", rating = 5f }, new { movieId = "2355", rating = 5f } }, n = 5 })).Json();
        var items = asNumbers.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.Equal(JsonValueKind.Number, i.GetProperty("movieId").ValueKind));
        Assert.Equal(items.Select(i => i.GetProperty("movieId").GetInt64()), asText.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("movieId").GetInt64()));
        var movie = await (await Client.GetAsync("/api/v1/movies/1")).Json();
        Assert.Equal(JsonValueKind.Number, movie.GetProperty("movieId").ValueKind);
        Assert.Equal("/api/v1/movies/1/poster", movie.GetProperty("posterUrl").GetString());
        await (await Client.GetAsync("/api/v1/movies/toy-story")).AssertProblem(404);
        await (await Client.GetAsync("/api/v1/movies/toy-story/similar")).AssertProblem(404);

        // The document says a movie id is either.
        var openapi = await (await Client.GetAsync("/openapi/v1.json")).Json();
        var schemas = openapi.GetProperty("components").GetProperty("schemas");
        Assert.Equal("#/components/schemas/MovieId", schemas.GetProperty("MovieSummary").GetProperty("properties").GetProperty("movieId").GetProperty("$ref").GetString());
        var id = schemas.GetProperty("MovieId");
        Assert.Equal(["integer", "string"], id.GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Empty_body_and_wrong_content_type_are_4xx_problems()
    {
        using var empty = new StringContent("", Encoding.UTF8, "application/json");
        var response = await Client.PostAsync("/api/v1/recommendations", empty);
        Assert.Equal(400, (int)response.StatusCode);
        using var text = new StringContent("""{"ratings":[]}""", Encoding.UTF8, "text/plain");
        var wrongType = await Client.PostAsync("/api/v1/recommendations", text);
        Assert.InRange((int)wrongType.StatusCode, 400, 499);
    }

    [Fact]
    public async Task More_than_1000_ratings_is_400_and_a_body_over_64_KiB_is_413()
    {
        var movies = Core.Tests.TestData.MovieLensSmall.Catalog.Movies.Take(1001).Select(m => new { movieId = m.Id, rating = 4 }).ToArray();
        var many = JsonSerializer.Serialize(new { ratings = movies });
        Assert.True(many.Length < 64 * 1024);
        using var manyContent = new StringContent(many, Encoding.UTF8, "application/json");
        await (await Client.PostAsync("/api/v1/recommendations", manyContent)).AssertProblem(400, "ratings");
        using var huge = new StringContent("{\"ratings\":[],\"algorithm\":\"" + new string('x', 70 * 1024) + "\"}", Encoding.UTF8, "application/json");
        await (await Client.PostAsync("/api/v1/recommendations", huge)).AssertProblem(413);
    }

    [Fact]
    public async Task Repeated_requests_hit_the_cache_once_a_profile_came_twice()
    {
        // A profile's first sighting is not kept in memory (all-miss traffic would only churn the cache and the young
        // generations); the second is computed and kept, the third is a hit.
        var metrics = fixture.Factory.Services.GetService(typeof(Hosting.ServiceMetrics)) as Hosting.ServiceMetrics;
        var body = Ratings([296, 593, 2571], 4.5f, 7);
        await Client.PostJson("/api/v1/recommendations", body);
        double hits = metrics!.CacheHits;
        var second = await Client.PostJson("/api/v1/recommendations", body);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(hits, metrics.CacheHits);
        var third = await Client.PostJson("/api/v1/recommendations", body);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(hits + 1, metrics.CacheHits);
        Assert.Equal(await second.Content.ReadAsStringAsync(), await third.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_servable_catalogue_entries_are_listed()
    {
        var algorithms = await Client.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/algorithms");
        var servable = Core.Algorithms.AlgorithmCatalog.All.Where(e => e.Servable).ToList();
        Assert.Equal(servable.Select(e => e.Name), algorithms!.Keys);
        Assert.Equal(servable.Select(e => e.Description), algorithms.Values);
        // The service's earlier names still work: knn is item-knn's alias.
        Assert.Contains("item-knn", algorithms.Keys);
        Assert.DoesNotContain("normal", algorithms.Keys);
    }

    [Theory]
    [InlineData("ease")]
    [InlineData("ease-recency")]
    [InlineData("sequential")]
    public async Task Other_servable_algorithms_recommend_too(string algorithm)
    {
        var response = await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily[..5], 5, 10, algorithm));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Json()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        Assert.DoesNotContain(items, i => AnimatedFamily[..5].Contains(i.GetProperty("movieId").GetInt64()));
    }

    [Theory]
    [InlineData("svd")]
    [InlineData("svdpp")]
    [InlineData("popularity")]
    [InlineData("baseline")]
    public async Task Rating_models_and_the_same_list_for_everyone_are_not_offered_for_a_handful_of_ratings_but_serve_dataset_users(string algorithm)
    {
        var refused = await (await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily[..5], 5, 10, algorithm))).AssertProblem(400, "algorithm");
        string detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains($"'{algorithm}' is not offered for recommendations from your ratings: ", detail, StringComparison.Ordinal);
        Assert.Contains("Offered: ", detail, StringComparison.Ordinal);
        var user = await Client.GetAsync($"/api/v1/users/1/recommendations?n=10&algorithm={algorithm}");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var items = (await user.Json()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        Assert.All(items, i => Assert.InRange(i.GetProperty("predictedRating").GetSingle(), 0.5f, 5f));
    }

    [Fact]
    public async Task An_algorithm_the_service_does_not_serve_is_a_client_mistake()
    {
        var response = await Client.PostJson("/api/v1/recommendations", Ratings(AnimatedFamily[..5], 5, 10, "normal"));
        await response.AssertProblem(400, "algorithm");
    }
}
