using MovieRec.Core.Data;
using MovieRec.Core.Data.Synthetic;

namespace MovieRec.Core.Tests.Data;

public class SyntheticDatasetGeneratorTests
{
    private static readonly SyntheticOptions Options = new() { Users = 400, Items = 3_000, Ratings = 40_000, Seed = 7 };

    [Fact]
    public void Generates_exactly_the_requested_shape_without_duplicate_pairs()
    {
        var data = SyntheticDatasetGenerator.Generate(Options);

        Assert.Equal(40_000, data.Count);
        Assert.Equal(400, data.ActiveUserCount());
        var pairs = new HashSet<long>();
        for (int k = 0; k < data.Count; k++)
            Assert.True(pairs.Add((long)data.Users[k] * Options.Items + data.Items[k]), $"pair {data.Users[k]},{data.Items[k]} twice");
        var byUser = data.ByUser;
        for (int u = 0; u < data.UserCount; u++)
            Assert.True(byUser.RowLength(u) >= 20, $"user {u} has {byUser.RowLength(u)} ratings");
    }

    [Fact]
    public void Popularity_and_activity_are_long_tailed()
    {
        var data = SyntheticDatasetGenerator.Generate(Options);
        var perItem = new int[data.ItemCount];
        foreach (int i in data.Items) perItem[i]++;
        Array.Sort(perItem, (a, b) => b.CompareTo(a));
        double top1 = perItem.Take(data.ItemCount / 100).Sum() / (double)data.Count;
        // ml-latest-small: the top 1% of movies hold 16% of ratings; uniform popularity would give 1%.
        Assert.InRange(top1, 0.10, 0.40);

        var perUser = new int[data.UserCount];
        foreach (int u in data.Users) perUser[u]++;
        Array.Sort(perUser);
        double median = perUser[perUser.Length / 2];
        Assert.True(perUser[^1] > 5 * median, $"max user activity {perUser[^1]} vs median {median}");
    }

    [Fact]
    public void Ratings_look_like_movielens()
    {
        var data = SyntheticDatasetGenerator.Generate(Options);
        Assert.InRange(data.GlobalMean, 3.3, 3.7);
        var histogram = new int[11];
        foreach (float v in data.Values)
        {
            Assert.Equal(v * 2, MathF.Round(v * 2));
            Assert.InRange(v, 0.5f, 5f);
            histogram[(int)(v * 2)]++;
        }
        // 3 and 4 stars are the most common, and half stars are used.
        var top2 = histogram.Select((c, i) => (c, i)).OrderByDescending(p => p.c).Take(2).Select(p => p.i).Order();
        Assert.Equal([6, 8], top2);
        Assert.True(histogram[7] > 0.05 * data.Count);
    }

    [Fact]
    public void Users_taste_is_learnable_from_their_own_ratings()
    {
        // Half of each user's ratings predicts the other half better than the global mean does.
        var data = SyntheticDatasetGenerator.Generate(Options);
        double baseline = 0, userMean = 0;
        int n = 0;
        var byUser = data.ByUser;
        for (int u = 0; u < data.UserCount; u++)
        {
            var values = byUser.RowValues(u);
            int half = values.Length / 2;
            double mean = 0;
            for (int k = 0; k < half; k++) mean += values[k];
            mean /= half;
            for (int k = half; k < values.Length; k++)
            {
                baseline += Math.Pow(values[k] - data.GlobalMean, 2);
                userMean += Math.Pow(values[k] - mean, 2);
                n++;
            }
        }
        Assert.True(userMean < 0.95 * baseline, $"user-mean MSE {userMean / n:0.000} vs global-mean MSE {baseline / n:0.000}");
    }

    [Fact]
    public void Same_seed_same_data_other_seed_other_data()
    {
        var a = SyntheticDatasetGenerator.Generate(Options);
        var b = SyntheticDatasetGenerator.Generate(Options);
        var c = SyntheticDatasetGenerator.Generate(Options with { Seed = 8 });
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.NotEqual(a.Items, c.Items);
    }

    [Fact]
    public void Timestamps_increase_through_each_users_history()
    {
        var data = SyntheticDatasetGenerator.Generate(Options);
        for (int k = 1; k < data.Count; k++)
        {
            if (data.Users[k] == data.Users[k - 1])
                Assert.True(data.Timestamps[k] > data.Timestamps[k - 1], $"row {k}");
        }
        // 1996-02 to 2023-07, even for the most active users.
        Assert.InRange(data.Timestamps.Min(), 828_000_000, 1_690_000_000);
        Assert.InRange(data.Timestamps.Max(), 828_000_000, 1_690_000_000);
    }

    [Fact]
    public void Written_csv_loads_back_to_the_same_ratings()
    {
        using var dir = TestData.NewFolder();
        var result = SyntheticDatasetGenerator.Write(Options, dir.Path, SyntheticFormat.Csv);
        Assert.Equal(["ratings.csv", "movies.csv", "links.csv"], result.Files.Select(Path.GetFileName));

        var loaded = DatasetLoader.Load(dir.Path, new LoadOptions { IncludeTmdb = false });
        var generated = SyntheticDatasetGenerator.Generate(Options);
        Assert.Equal(generated.Count, loaded.Ratings.Count);
        Assert.Equal(0, loaded.Report.DuplicatesMerged);
        Assert.Equal(Options.Items, loaded.Catalog.Count);
        Assert.Equal(generated.Values, loaded.Ratings.Values);
        Assert.Equal(generated.Timestamps, loaded.Ratings.Timestamps);
        for (int k = 0; k < generated.Count; k += 997)
        {
            Assert.Equal(generated.UserIds.ToRawNumeric(generated.Users[k]), loaded.Ratings.UserIds.ToRawNumeric(loaded.Ratings.Users[k]));
            Assert.Equal(generated.ItemIds.ToRawNumeric(generated.Items[k]), loaded.Ratings.ItemIds.ToRawNumeric(loaded.Ratings.Items[k]));
        }
    }

    [Fact]
    public void Written_dat_uses_the_double_colon_format()
    {
        using var dir = TestData.NewFolder();
        SyntheticDatasetGenerator.Write(Options with { Ratings = 8_000 }, dir.Path, SyntheticFormat.Dat);
        var ratings = File.ReadAllLines(Path.Combine(dir.Path, "ratings.dat"));
        Assert.Equal(8_000, ratings.Length);
        Assert.All(ratings, line => Assert.Matches(@"^\d+::\d+::(\d|\d\.5)::\d+$", line));
        var movies = File.ReadAllLines(Path.Combine(dir.Path, "movies.dat"));
        Assert.Equal(Options.Items, movies.Length);
        Assert.Matches(@"^1::Synthetic Movie 1 \(\d{4}\)::[A-Za-z|-]+$", movies[0]);
    }

    [Theory]
    [InlineData(10, 10, 101)]
    [InlineData(10, 10, 5)]
    [InlineData(0, 10, 5)]
    public void Impossible_shapes_are_refused(int users, int items, int ratings)
    {
        var e = Assert.Throws<ArgumentException>(() => SyntheticDatasetGenerator.Generate(new SyntheticOptions { Users = users, Items = items, Ratings = ratings }));
        Assert.False(string.IsNullOrEmpty(e.ParamName));
    }

    [Fact]
    public void A_dense_corner_still_gets_every_pair_once()
    {
        // 30 users x 50 items with 1,400 of the 1,500 pairs: heavy users exercise the without-replacement sampler.
        var data = SyntheticDatasetGenerator.Generate(new SyntheticOptions { Users = 30, Items = 50, Ratings = 1_400, Seed = 3 });
        Assert.Equal(1_400, data.Count);
        Assert.Equal(1_400, data.Users.Zip(data.Items, (u, i) => u * 50 + i).Distinct().Count());
    }
}
