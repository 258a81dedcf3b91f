using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>
/// Every kind of dataset through the CLI (issue #17): string ids (a music play log), IMDb fields, catalogues without
/// ratings, a release with a file missing, and titles typed loosely.
/// </summary>
public class DatasetSurfaceTests
{
    /// <summary>A music play log with string ids, a song file and a movierec.columns mapping; 40 listeners, 12 songs.</summary>
    private static string WriteMusic(TempFolder tmp, bool withSongs = true)
    {
        var plays = new StringBuilder("listener,song,plays,ts\n");
        var random = new Random(7);
        for (int u = 0; u < 40; u++)
        {
            // Two tastes: jazz listeners (even) play j-songs, rock listeners (odd) r-songs, and a few of the other.
            string[] own = u % 2 == 0 ? ["j-1", "j-2", "j-3", "j-4", "j-5", "j-6"] : ["r-1", "r-2", "r-3", "r-4", "r-5", "r-6"];
            foreach (var song in own.Where(_ => random.NextDouble() < 0.7))
                plays.Append(System.Globalization.CultureInfo.InvariantCulture, $"user-{u},{song},{random.Next(1, 30)},{1_700_000_000 + plays.Length}\n");
        }
        var folder = Path.Combine(tmp.Path, "music");
        tmp.Write("music/plays.csv", plays.ToString());
        if (withSongs)
        {
            tmp.Write("music/songs.csv", "song,title,genre\nj-1,Blue in Green,Jazz\nj-2,So What,Jazz\nj-3,Take Five,Jazz\nj-4,Naima,Jazz\nj-5,Round Midnight,Jazz\n"
                + "j-6,Solar,Jazz\nr-1,Heroes,Rock\nr-2,Paranoid Android,Rock\nr-3,Black Dog,Rock\nr-4,Sultans of Swing,Rock\nr-5,Creep,Rock\nr-6,Roxanne,Rock\n");
            tmp.Write("music/movierec.columns", "user=listener\nitem=song\nrating=none\ntimestamp=ts\nitems=songs.csv, title=title, category=genre\n");
        }
        else
        {
            tmp.Write("music/movierec.columns", "user=listener\nitem=song\nrating=none\ntimestamp=ts\n");
        }
        return folder;
    }

    [Fact]
    public void String_id_datasets_show_titles_find_similar_songs_by_ratings_and_cluster()
    {
        using var tmp = TestData.NewFolder();
        var music = WriteMusic(tmp);
        var model = Path.Combine(tmp.Path, "music.mrec");
        var (exit, output, error) = CliRunner.Run("train", "--data", music, "--algorithm", "ease", "--out", model);
        Assert.True(exit == 0, error);

        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--user", "user-0", "-n", "3", "--data", music);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("?", output);
        Assert.Matches("j-[1-6] +│ (Blue in Green|So What|Take Five|Naima|Round Midnight|Solar)", output);

        (exit, output, error) = CliRunner.Run("recommend", "--model", model, "--rate", "r-1=1,r-2=1", "-n", "3", "--data", music);
        Assert.True(exit == 0, error);
        Assert.Matches("r-[3-6] +│ (Black Dog|Sultans of Swing|Creep|Roxanne)", output);

        (exit, output, error) = CliRunner.Run("similar", "blue in green", "--by", "ratings", "-n", "3", "--data", music);
        Assert.True(exit == 0, error);
        Assert.Contains("Like Blue in Green", output);
        Assert.Matches("│ 1 +│ (So What|Take Five|Naima|Round Midnight|Solar)", output);
        Assert.DoesNotContain("No similar movies", output);

        (exit, output, error) = CliRunner.Run("clusters", "--k", "2", "--data", music);
        Assert.True(exit == 0, error);
        Assert.Contains("Movie clusters (k = 2", output);
        Assert.Contains("Jazz", output);
        Assert.Contains("Rock", output);
    }

    [Fact]
    public void Songs_without_an_item_file_are_titled_by_their_id()
    {
        using var tmp = TestData.NewFolder();
        var music = WriteMusic(tmp, withSongs: false);
        var model = Path.Combine(tmp.Path, "music.mrec");
        var (exit, _, error) = CliRunner.Run("train", "--data", music, "--algorithm", "ease", "--out", model);
        Assert.True(exit == 0, error);
        var (code, output, err) = CliRunner.Run("recommend", "--model", model, "--user", "user-1", "-n", "2", "--data", music);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("?", output);
        Assert.Matches("(r-[1-6]) +│ \\1 ", output);
        (code, output, err) = CliRunner.Run("similar", "r-1", "--by", "ratings", "-n", "2", "--data", music);
        Assert.True(code == 0, err);
        Assert.Matches("│ 1 +│ r-[2-6]", output);
    }

    private static void WriteGz(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }

    private const string Basics = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        + "tt0114709\tmovie\tToy Story\tToy Story\t0\t1995\t\\N\t81\tAdventure,Animation,Comedy\n"
        + "tt0120363\tmovie\tToy Story 2\tToy Story 2\t0\t1999\t\\N\t92\tAdventure,Animation,Comedy\n";

    private const string ImdbRatings = "tconst\taverageRating\tnumVotes\ntt0114709\t8.3\t1100000\ntt0120363\t7.9\t650000\n";

    [Fact]
    public void Imdb_fields_show_in_similar_and_are_counted_by_data_info()
    {
        using var tmp = TestData.NewFolder();
        var ml = Path.Combine(tmp.Path, "ml-latest-small");
        Directory.CreateDirectory(ml);
        foreach (var file in Directory.GetFiles(TestData.MovieLensSmallPath, "*.csv"))
            File.Copy(file, Path.Combine(ml, Path.GetFileName(file)));
        WriteGz(Path.Combine(tmp.Path, "imdb", "title.basics.tsv.gz"), Basics);
        WriteGz(Path.Combine(tmp.Path, "imdb", "title.ratings.tsv.gz"), ImdbRatings);

        var (exit, output, error) = CliRunner.Run("similar", "Toy Story", "--by", "ratings", "-n", "30", "--data", ml);
        Assert.True(exit == 0, error);
        Assert.Contains("Toy Story (1995): 8.3 (1.1M votes), 81 min, Adventure/Animation/Comedy", output);
        Assert.Contains("7.9 (650k votes), 92 min", output); // Toy Story 2 among the neighbours, with its IMDb facts

        (exit, output, error) = CliRunner.Run("data", "info", "--data", ml, "--json");
        Assert.True(exit == 0, error);
        var info = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, info.GetProperty("movies_with_imdb").GetInt32());
        Assert.Equal(2, info.GetProperty("movies_with_imdb_rating").GetInt32());
        Assert.Equal(2, info.GetProperty("movies_with_imdb_runtime").GetInt32());
        Assert.Equal(2, info.GetProperty("movies_with_imdb_genres").GetInt32());
    }

    [Fact]
    public void Catalogues_without_ratings_are_described_and_training_on_them_is_refused()
    {
        using var tmp = TestData.NewFolder();
        WriteGz(Path.Combine(tmp.Path, "imdb", "title.basics.tsv.gz"), Basics);
        WriteGz(Path.Combine(tmp.Path, "imdb", "title.ratings.tsv.gz"), ImdbRatings);
        tmp.Write("empty/ratings.csv", "userId,movieId,rating,timestamp\r\n");
        tmp.Write("empty/movies.csv", "movieId,title,genres\r\n1,Toy Story (1995),Animation|Children\r\n");
        var catalogues = new[] { (Path.Combine(tmp.Path, "imdb"), 2), (TestData.TmdbPath, 4803), (Path.Combine(tmp.Path, "empty"), 1) };
        foreach (var (data, movies) in catalogues)
        {
            var (exit, output, error) = CliRunner.Run("data", "info", "--data", data);
            Assert.True(exit == 0, $"{data}: {error}");
            Assert.Contains("is a catalogue of", output);
            (exit, output, error) = CliRunner.Run("data", "info", "--data", data, "--json");
            Assert.True(exit == 0, error);
            var info = JsonDocument.Parse(output).RootElement;
            Assert.True(info.GetProperty("catalogue").GetBoolean());
            Assert.Equal(movies, info.GetProperty("movies").GetInt32());
            Assert.Equal(0, info.GetProperty("ratings").GetInt32());

            (exit, _, error) = CliRunner.Run("train", "--data", data, "--algorithm", "svd", "--out", Path.Combine(tmp.Path, "m.mrec"));
            Assert.Equal(MovieRecCli.UserError, exit);
            Assert.Contains("Nothing to train on", error);
            Assert.Contains("has no ratings", error);
            if (movies == 1) Assert.Contains("(a catalogue of 1 movie)", error); // not "1 movies"
            Assert.False(File.Exists(Path.Combine(tmp.Path, "m.mrec")));
        }
        var (code, _, err) = CliRunner.Run("clusters", "--data", Path.Combine(tmp.Path, "imdb"));
        Assert.Equal(MovieRecCli.UserError, code);
        Assert.Contains("has no ratings", err);
    }

    [Fact]
    public void Training_when_lenient_skipped_every_row_says_so()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("bad/ratings.csv", "userId,movieId,rating,timestamp\n1,1,nine,964982703\n1,2,ten,964982703\n");
        tmp.Write("bad/movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation\n2,Jumanji (1995),Adventure\n");
        var (exit, _, error) = CliRunner.Run("train", "--data", Path.Combine(tmp.Path, "bad"), "--lenient", "--out", Path.Combine(tmp.Path, "m.mrec"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("every rating row", error);
        Assert.Contains("2 rows skipped", error);
    }

    [Fact]
    public void A_release_with_a_file_missing_names_the_file()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("ml-1m/movies.dat", "1::Toy Story (1995)::Animation|Children's|Comedy\n");
        tmp.Write("ml-1m/users.dat", "1::F::1::10::48067\n");
        var (exit, _, error) = CliRunner.Run("data", "info", "--data", Path.Combine(tmp.Path, "ml-1m"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("ratings.dat is missing", error);
        Assert.Contains("movies.dat, users.dat", error);

        tmp.Write("csv/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,1\n");
        tmp.Write("csv/links.csv", "movieId,imdbId,tmdbId\n1,114709,862\n");
        (exit, _, error) = CliRunner.Run("data", "info", "--data", Path.Combine(tmp.Path, "csv"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("movies.csv is missing", error);
    }

    [Fact]
    public void Similar_takes_an_unambiguous_loose_title_and_picks_the_most_rated_of_several()
    {
        var (exit, output, error) = CliRunner.Run("similar", "dark knight rises", "--by", "ratings", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Like The Dark Knight Rises (2012)", output);
        Assert.DoesNotContain("Several movies match", output);

        (exit, output, error) = CliRunner.Run("similar", "knight rises", "--by", "ratings", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Like The Dark Knight Rises (2012)", output);

        (exit, output, error) = CliRunner.Run("similar", "Psycho", "--by", "ratings", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Like Psycho (1960)", output);
        Assert.Contains("Several movies match 'Psycho': using Psycho (1960)", output);
        Assert.Contains("Also: Psycho (1998)", output);

        (exit, output, error) = CliRunner.Run("similar", "Psycho (1998)", "--by", "ratings", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Like Psycho (1998)", output);
    }

    [Fact]
    public void Similar_by_meaning_of_a_movie_with_no_description_says_so_and_compares_content()
    {
        // Enter the Dragon has no overview and no tags: by embeddings its nearest were Double Dragon and Dragonheart 3.
        var (exit, output, error) = CliRunner.Run("similar", "Enter the Dragon", "--by", "semantic", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("There is no description of Enter the Dragon (no overview, no tags) to compare by meaning", output);
        Assert.Contains("(by content)", output);
        Assert.DoesNotContain("Dragonheart", output);
    }
}
