using System.IO.Compression;
using System.Net;
using System.Text;
using MovieRec.Core.Tests;

namespace MovieRec.Web.Tests;

/// <summary>
/// IMDb's TSVs beside the dataset reach the API and the movie page: ml-latest-small (without TMDB, so nothing else
/// knows Toy Story's runtime) with an imdb/ folder holding title.basics and title.ratings.
/// </summary>
public sealed class ImdbServiceTests : IAsyncLifetime
{
    private readonly TempFolder _data = TestData.NewFolder();
    private ServiceFactory _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var ml = Path.Combine(_data.Path, "ml-latest-small");
        Directory.CreateDirectory(ml);
        foreach (var file in Directory.GetFiles(TestData.MovieLensSmallPath, "*.csv"))
            File.Copy(file, Path.Combine(ml, Path.GetFileName(file)));
        WriteGz(Path.Combine(_data.Path, "imdb", "title.basics.tsv.gz"),
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
            + "tt0114709\tmovie\tToy Story\tToy Story\t0\t1995\t\\N\t81\tAdventure,Animation,Comedy\n");
        WriteGz(Path.Combine(_data.Path, "imdb", "title.ratings.tsv.gz"), "tconst\taverageRating\tnumVotes\ntt0114709\t8.3\t1100000\n");
        _factory = new ServiceFactory(new Dictionary<string, string?> { ["MovieRec:Dataset"] = ml });
        _client = await _factory.ReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    private static void WriteGz(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task Movie_details_carry_imdb_runtime_rating_and_votes()
    {
        var movie = await (await _client.GetAsync("/api/v1/movies/1")).Json();
        Assert.Equal(81, movie.GetProperty("runtime").GetInt32());
        Assert.Equal(8.3, movie.GetProperty("imdbRating").GetDouble());
        Assert.Equal(1100000, movie.GetProperty("imdbVotes").GetInt32());
        // A movie IMDb's files do not list has none of it.
        var other = await (await _client.GetAsync("/api/v1/movies/2")).Json();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, other.GetProperty("runtime").ValueKind);
    }

    [Fact]
    public async Task The_movie_page_shows_them()
    {
        var response = await _client.GetAsync("/movies/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("81 min", html, StringComparison.Ordinal);
        Assert.Contains("8.3/10 from 1,100,000 votes", html, StringComparison.Ordinal);
    }
}
