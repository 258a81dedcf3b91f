using MovieRec.Core.Tests;

namespace MovieRec.Cli.Tests;

/// <summary>
/// Options a user gets wrong (found by exploratory QA): each is one line naming the option, exit code 2, and is
/// caught before the work that it would waste.
/// </summary>
public class MisuseTests
{
    private static string Small => TestData.MovieLensSmallPath;

    [Fact]
    public void An_out_path_that_cannot_be_written_is_refused_before_training_naming_the_option()
    {
        using var tmp = TestData.NewFolder();
        string missing = Path.Combine(tmp.Path, "no-such-folder", "model.mrec");
        var (exit, output, error) = CliRunner.Run("train", "--data", Small, "--algorithm", "popularity", "--out", missing);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--out", error);
        Assert.Contains("no-such-folder", error);
        Assert.DoesNotContain(".tmp", error); // was: Could not find a part of the path '.../model.mrec.1234.tmp'
        Assert.DoesNotContain("trained", output);

        (exit, output, error) = CliRunner.Run("train", "--data", Small, "--algorithm", "popularity", "--out", tmp.Path);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--out", error);
        Assert.Contains("is a folder", error);
        Assert.DoesNotContain("trained", output);

        (exit, _, error) = CliRunner.Run("export", "similarity", "--data", Small, "--out", Path.Combine(tmp.Path, "no-such-folder", "similar.csv"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--out", error);
        Assert.Contains("no-such-folder", error);
    }

    [Theory]
    [InlineData("evaluate", "-a", "svd", "--param", "no-such-option=1")]
    [InlineData("train", "--algorithm", "no-such-algorithm", "--out", "x.mrec")]
    [InlineData("evaluate", "-a", "svd", "--cv", "1000000")]
    public void Messages_do_not_end_in_a_dotnet_parameter_name(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run([.. args, "--data", Small]);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("(Parameter '", error);
    }

    [Fact]
    public void A_data_path_that_does_not_exist_says_so_instead_of_offering_to_download_it()
    {
        using var tmp = TestData.NewFolder();
        string path = Path.Combine(tmp.Path, "my-ratings");
        var (exit, _, error) = CliRunner.Run("data", "info", "--data", path);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains(path, error);
        Assert.Contains("does not exist", error);
        Assert.DoesNotContain("data download", error); // was: Download it with 'movierec data download /tmp/.../my-ratings'
    }

    [Fact]
    public void An_unknown_protocol_lists_every_protocol()
    {
        var (exit, _, error) = CliRunner.Run("evaluate", "-a", "svd", "--protocol", "no-such", "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("new-user", error); // was: Known: kfold, loo, sampled, predefined, temporal.
    }

    [Fact]
    public void Train_refuses_a_negative_thread_count_as_evaluate_does()
    {
        using var tmp = TestData.NewFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", Small, "--algorithm", "popularity", "--threads", "-1", "--out", Path.Combine(tmp.Path, "m.mrec"));
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--threads", error);
        Assert.DoesNotContain("trained", output);
    }

    [Theory]
    [InlineData("--given", "10", "kfold")] // was: exit 0 and 5-fold figures, --given silently ignored
    [InlineData("--users-held", "0.3", "kfold")]
    [InlineData("--given-ratings", "random", "loo")]
    public void A_new_user_option_without_the_new_user_protocol_is_refused(string option, string value, string protocol)
    {
        var (exit, output, error) = CliRunner.Run("evaluate", "-a", "popularity", "--protocol", protocol, option, value, "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Equal($"error: {option} is for --protocol new-user; --protocol {protocol} does not use it.", error.Trim());
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("--cv", "3")] // was: exit 0, the folds silently ignored
    [InlineData("--metrics", "rmse")]
    [InlineData("--metric", "rmse")]
    public void An_option_the_new_user_protocol_does_not_use_is_refused(string option, string value)
    {
        var (exit, output, error) = CliRunner.Run("evaluate", "-a", "popularity", "--protocol", "new-user", option, value, "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.StartsWith($"error: {(option == "--metric" ? "--metrics" : option)} is not used by --protocol new-user", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("-k", "5")] // was: exit 0, the elbow table for k = 2..15 and -k ignored
    [InlineData("--users", null)] // was: exit 0, the movie clusters' elbow although --users asked for users
    public void Clusters_elbow_refuses_options_it_would_ignore(string option, string? value)
    {
        var args = new List<string> { "clusters", "--elbow", option };
        if (value is not null) args.Add(value);
        args.AddRange(["--data", Small]);
        var (exit, output, error) = CliRunner.Run([.. args]);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--elbow", error, StringComparison.Ordinal);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Choosing k", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Movie_clusters_refuse_a_k_above_the_rated_movies_naming_k_and_the_largest()
    {
        // Was: "K (100000) must not exceed the number of points (9724)." naming neither -k nor what the points were.
        var ratings = TestData.MovieLensSmall.Ratings;
        int rated = Enumerable.Range(0, ratings.ItemCount).Count(i => ratings.ByItem.RowLength(i) > 0);
        var (exit, output, error) = CliRunner.Run("clusters", "-k", "100000", "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: -k 100000 is more than the ", error, StringComparison.Ordinal);
        Assert.Contains($"rated movies to cluster: give -k {rated} or less.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void User_clusters_refuse_a_k_above_the_users_clustered_naming_k_and_the_largest()
    {
        // Was: exit 0 and k silently lowered to the users clustered (610 on ml-latest-small for -k 100000).
        // Six users each like five of movies 1-6 (so each is liked by five: the clustering's dimensions); a seventh
        // likes only movie 7, which nobody else likes: not clustered.
        using var tmp = TestData.NewFolder();
        var movies = new System.Text.StringBuilder("movieId,title,genres\n");
        for (int m = 1; m <= 7; m++) movies.Append(System.Globalization.CultureInfo.InvariantCulture, $"{m},Movie {m} (1990),{(m % 2 == 0 ? "Drama" : "Comedy")}\n");
        var ratings = new System.Text.StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= 6; u++)
        {
            for (int m = 1; m <= 6; m++) ratings.Append(System.Globalization.CultureInfo.InvariantCulture, $"{u},{m},{(m == u ? "1.0" : "5.0")},{u * 10 + m}\n");
        }
        ratings.Append("7,7,5.0,100\n");
        tmp.Write("seven/movies.csv", movies.ToString());
        tmp.Write("seven/ratings.csv", ratings.ToString());
        string data = Path.Combine(tmp.Path, "seven");

        var (exit, output, error) = CliRunner.Run("clusters", "--users", "-k", "7", "--data", data);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: -k 7 is more than the 6 users to cluster", error, StringComparison.Ordinal);
        Assert.EndsWith("give -k 6 or less.", error.Trim(), StringComparison.Ordinal);

        (exit, output, error) = CliRunner.Run("clusters", "--users", "--k", "6", "--data", data);
        Assert.True(exit == 0, error);
        Assert.Contains("(k = 6,", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Similar_refuses_a_quality_that_is_not_a_number()
    {
        var (exit, _, error) = CliRunner.Run("similar", "Toy Story", "--quality", "NaN", "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--quality", error);
    }

    [Theory]
    [InlineData("--seed", "abc")]
    [InlineData("--cv", "2.5")]
    public void An_option_value_of_the_wrong_type_is_a_user_error_in_words(string option, string value)
    {
        var (exit, _, error) = CliRunner.Run("evaluate", "-a", "svd", option, value, "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit); // was 1, with the help text
        Assert.Contains(option, error);
        Assert.Contains("integer", error);
        Assert.DoesNotContain("System.Int32", error);
    }

    [Theory]
    [InlineData("--users", "610")] // was: error: Unrecognized command or argument '610'.
    [InlineData("--users=610", null)]
    [InlineData("--elbow", "3")]
    public void A_value_after_a_switch_names_the_switch_and_what_it_does(string option, string? value)
    {
        string[] args = value is null ? ["clusters", option, "--data", Small] : ["clusters", option, value, "--data", Small];
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(MovieRecCli.UserError, exit);
        string name = option.Split('=')[0];
        string given = value ?? option.Split('=')[1];
        Assert.StartsWith($"error: {name} is a switch and takes no value, not '{given}'.", error, StringComparison.Ordinal);
        // What the switch means, from its help: for --users, that -k is how many clusters.
        Assert.Contains(name == "--users" ? "-k sets how many clusters" : "silhouette", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("-k", "abc", "an integer", "Number of clusters")] // was: Cannot parse argument 'abc' for option '--k': it must be an integer.
    [InlineData("--seed", "1.5", "an integer", "Random seed")]
    public void An_option_value_of_the_wrong_type_says_what_the_option_accepts_and_means(string option, string value, string kind, string meaning)
    {
        var (exit, _, error) = CliRunner.Run("clusters", option, value, "--data", Small);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.StartsWith($"error: {option} must be {kind}, not '{value}'. {option}: {meaning}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot parse", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_says_when_the_dataset_for_titles_had_rows_skipped()
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "pop.mrec");
        var (exit, _, error) = CliRunner.Run("train", "--data", Small, "--algorithm", "popularity", "--out", model);
        Assert.True(exit == 0, error);
        string data = Path.Combine(tmp.Path, "ml");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(Small, "ratings.csv"), Path.Combine(data, "ratings.csv"));
        File.WriteAllText(Path.Combine(data, "movies.csv"), File.ReadAllText(Path.Combine(Small, "movies.csv")) + "999999,Broken row without genres\n");
        (exit, _, error) = CliRunner.Run("recommend", "--model", model, "--user", "1", "--data", data);
        Assert.True(exit == 0, error);
        // Titles come from a lenient load: what it skipped is said, not silently dropped.
        Assert.Contains("skipped", error);
        Assert.Contains("movies.csv", error);
    }

    [Theory]
    [InlineData("1=5,260=4,1=1", "twice")] // was: a new user with 2 rating(s), one of movie 1's silently dropped
    [InlineData(",", "no ratings")] // was: None of the rated movies is known to the model.
    public void Recommend_rate_refuses_a_movie_rated_twice_and_an_empty_list(string rate, string expected)
    {
        using var tmp = TestData.NewFolder();
        string model = Path.Combine(tmp.Path, "pop.mrec");
        var (exit, _, error) = CliRunner.Run("train", "--data", Small, "--algorithm", "popularity", "--out", model);
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run("recommend", "--model", model, "--rate", rate);
        Assert.Equal(MovieRecCli.UserError, exit);
        Assert.Contains("--rate", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Data_info_counts_rated_movies_the_movies_file_does_not_list()
    {
        // A ratings.csv naming a movie missing from movies.csv (or an empty movies.dat) loaded with no sign of it:
        // those movies are untitled in every table.
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,7,3.0,11\n2,8,3.0,12\n2,7,5.0,13\n");
        var (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path, "--json");
        Assert.True(exit == 0, error);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("rated_not_in_catalog").GetInt32());
        (exit, output, error) = CliRunner.Run("data", "info", "--data", tmp.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("rated movies not in the catalog", output);
    }
}
