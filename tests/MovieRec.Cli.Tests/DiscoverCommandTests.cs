using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

public class DiscoverCommandTests
{
    [Fact]
    public void Similar_by_content_lists_the_batman_films()
    {
        var (exit, output, error) = CliRunner.Run("similar", "The Dark Knight Rises", "--by", "content", "-n", "5", "--data", TestData.TmdbPath);
        Assert.True(exit == 0, error);
        Assert.Contains("The Dark Knight (2008)", output);
        Assert.Contains("Batman Begins (2005)", output);
    }

    [Fact]
    public void Similar_with_a_misspelled_title_suggests_instead_of_failing()
    {
        var (exit, _, error) = CliRunner.Run("similar", "The Dark Knigt Rises", "--data", TestData.TmdbPath);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("Did you mean: The Dark Knight Rises (2012)", error);
    }

    [Fact]
    public void Similar_by_ratings_uses_co_ratings()
    {
        var (exit, output, error) = CliRunner.Run("similar", "Toy Story", "--by", "ratings", "-n", "5", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        // The table's title wraps on a narrow console, so check its words and the rows.
        Assert.Contains("Toy Story", output);
        Assert.Contains("ratings", output);
        Assert.Contains("similarity", output);
        Assert.Matches(@"│ 5 │", output);
        // People who liked Toy Story also liked Toy Story 2 first; the column says how many of them (of 165 who liked it).
        Assert.Matches(@"│ 1 │ Toy Story 2 \(1999\) +│ +[0-9.]+ │ +58 of 165 │", output);
        Assert.Contains("liked by: how many of the people who liked Toy Story liked the listed movie too.", output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal));
    }

    [Fact]
    public void Search_lexical_says_it_is_lexical()
    {
        var (exit, output, error) = CliRunner.Run("search", "space adventure with robots", "-n", "5", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("(lexical)", output);
        Assert.Contains("turned off (--lexical)", output);
    }

    [Fact]
    public void Search_for_movies_like_a_named_one_lists_its_neighbours()
    {
        // Searched as words, "oceans eleven" gave The Life Aquatic, Sphere and Deep Rising after the three Ocean's films.
        var (exit, output, error) = CliRunner.Run("search", "movies like oceans eleven", "-n", "5", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Movies like Ocean's Eleven (2001)", output);
        Assert.Contains("(similar)", output);
        Assert.Contains("Ocean's Twelve (2004)", output);
        Assert.DoesNotContain("Deep Rising", output);
        // Two named movies: those close to both.
        (exit, var both, error) = CliRunner.Run("search", "movies like toy story and shrek", "-n", "5", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Movies like Toy Story (1995) and Shrek (2001)", both);
        Assert.Contains("Toy Story 2 (1999)", both);
        // A description that names no movie is searched as words.
        var (_, words, _) = CliRunner.Run("search", "movies like a boxer who never gives up", "-n", "5", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.Contains("(lexical)", words);
    }

    [Fact]
    public void Search_for_a_decade_says_which_years_and_lists_only_them()
    {
        var (exit, output, error) = CliRunner.Run("search", "westerns from the 1960s", "-n", "5", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Movies from the 1960s (1960-1969).", output);
        (exit, var people, error) = CliRunner.Run("search", "movies with tom hanks and meg ryan", "-n", "3", "--lexical", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Movies with Tom Hanks and Meg Ryan.", people);
        Assert.Contains("│ 1 │ You've Got Mail (1998)", people);
        var years = System.Text.RegularExpressions.Regex.Matches(output, @"│ \d+ │ .*\((\d{4})\)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, years.Count);
        Assert.All(years, y => Assert.InRange(y, 1960, 1969));
    }

    [Theory]
    [InlineData("--embedding-model")]
    [InlineData("--model")] // search's former name, kept for scripts
    public void Search_with_a_broken_model_folder_falls_back_to_lexical_and_says_why(string option)
    {
        var (exit, output, error) = CliRunner.Run("search", "space adventure with robots", "-n", "5", option, "/nonexistent/model", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("(lexical)", output);
        Assert.Contains("does not exist", output);
        // One explanation, the real one: the engine's note used to add "semantic search has not been started".
        Assert.DoesNotContain("has not been started", output);
        Assert.Single(output.Split('\n'), line => line.Contains("semantic search", StringComparison.Ordinal));
    }

    [Core.Tests.Algorithms.Semantic.ModelFact]
    public void Search_with_a_model_folder_is_hybrid()
    {
        var (exit, output, error) = CliRunner.Run("search", "toy story", "-n", "3", "--embedding-model", Core.Tests.Algorithms.Semantic.TinyBertModel.Path, "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("(hybrid)", output);
        Assert.Contains("Toy Story (1995)", output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Search_uses_the_bundled_model_by_default()
    {
        var (exit, output, error) = CliRunner.Run("search", "a giant shark terrorises a beach town", "-n", "3", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("(hybrid)", output);
        Assert.Contains("Jaws (1975)", output);
    }

    [Fact]
    public void Clusters_prints_nine_named_clusters()
    {
        var (exit, output, error) = CliRunner.Run("clusters", "--k", "9", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("k = 9", output);
        Assert.Contains("Documentary", output);
    }

    [Fact]
    public void Clusters_elbow_reports_inertia_and_silhouette_per_k()
    {
        var (exit, output, error) = CliRunner.Run("clusters", "--elbow", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Choosing k", output);
        Assert.Contains("Best silhouette at k =", output);
    }

    [Fact]
    public void Onboarding_lists_movies_to_rate()
    {
        var (exit, output, error) = CliRunner.Run("onboarding", "-n", "10", "--data", TestData.MovieLensSmallPath);
        Assert.True(exit == 0, error);
        Assert.Contains("Rate these to start", output);
        Assert.Contains("(199", output);
    }

    [Fact]
    public void Export_similarity_writes_npy_and_csv()
    {
        using var tmp = TestData.NewFolder();
        var npy = Path.Combine(tmp.Path, "sim.npy");
        var (exit, _, error) = CliRunner.Run("export", "similarity", "--format", "npy", "--out", npy, "--data", TestData.TmdbPath);
        Assert.True(exit == 0, error);
        // Header (128 bytes for this shape) + 4803^2 float32.
        Assert.Equal(128 + 4803L * 4803 * 4, new FileInfo(npy).Length);
        var csv = Path.Combine(tmp.Path, "sim.csv");
        (exit, _, error) = CliRunner.Run("export", "similarity", "--format", "csv", "-k", "5", "--out", csv, "--data", TestData.TmdbPath);
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("movieId,rank,similarMovieId,similarity", lines[0]);
        Assert.True(lines.Length > 4803 * 4);
    }
}
