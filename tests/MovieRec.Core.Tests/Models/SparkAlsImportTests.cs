using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using MovieRec.Core.Models;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// Imports Spark ALSModel folders written in Spark's layout (SparkAlsFixture) with factors for every user and movie
/// id of ml-latest-small (610 users, 9,724 rated movies, rank 10, seeded random values).
/// </summary>
public class SparkAlsImportTests
{
    private const int Rank = 10;

    private sealed class Factors
    {
        public required int[] UserIds { get; init; }
        public required int[] ItemIds { get; init; }
        public required float[] Users { get; init; }
        public required float[] Items { get; init; }

        public ReadOnlySpan<float> User(int k) => Users.AsSpan(k * Rank, Rank);

        public ReadOnlySpan<float> Item(int k) => Items.AsSpan(k * Rank, Rank);
    }

    private static readonly Lazy<Factors> Small = new(() =>
    {
        var ratings = TestData.MovieLensSmall.Ratings;
        // Spark's partitions arrive in no particular order: shuffle the ids so the import must not rely on it.
        var users = Enumerable.Range(0, ratings.UserIds.Count).Select(u => (int)ratings.UserIds.ToRawNumeric(u)).ToArray();
        var items = Enumerable.Range(0, ratings.ItemIds.Count).Select(i => (int)ratings.ItemIds.ToRawNumeric(i)).ToArray();
        new Random(7).Shuffle(users);
        new Random(8).Shuffle(items);
        return new Factors
        {
            UserIds = users,
            ItemIds = items,
            Users = SparkAlsFixture.RandomFactors(users.Length, Rank, 1),
            Items = SparkAlsFixture.RandomFactors(items.Length, Rank, 2),
        };
    });

    private static string WriteSmall(TempFolder tmp, string? metadata = null)
    {
        var f = Small.Value;
        string folder = Path.Combine(tmp.Path, "als-model");
        SparkAlsFixture.Write(folder, Rank, f.UserIds, f.Users, f.ItemIds, f.Items, parts: 4, metadata);
        return folder;
    }

    private static double DirectDot(ReadOnlySpan<float> p, ReadOnlySpan<float> q)
    {
        double s = 0;
        for (int c = 0; c < p.Length; c++) s += (double)p[c] * q[c];
        return s;
    }

    [Fact]
    public void Metadata_is_read_as_Spark_writes_it()
    {
        using var tmp = TestData.NewFolder();
        string folder = WriteSmall(tmp);
        var meta = SparkAlsImport.ReadMetadata(folder);
        Assert.Equal(SparkAlsImport.AlsModelClass, meta.Class);
        Assert.Equal("3.5.1", meta.SparkVersion);
        Assert.Equal(SparkAlsFixture.Uid, meta.Uid);
        Assert.Equal(Rank, meta.Rank);
        Assert.Equal("userId", meta.UserCol);
        Assert.Equal("movieId", meta.ItemCol);
        Assert.Equal("drop", meta.ColdStartStrategy);
        Assert.Null(meta.RegParam);
        Assert.Null(meta.ImplicitPrefs);
    }

    [Fact]
    public async Task Factors_round_trip_exactly_through_several_part_files()
    {
        using var tmp = TestData.NewFolder();
        string folder = WriteSmall(tmp);
        var f = Small.Value;
        var model = SparkAlsImport.Load(folder);
        Assert.Equal(f.UserIds.Length, model.UserCount);
        Assert.Equal(f.ItemIds.Length, model.ItemCount);
        Assert.Equal(Rank, model.Factors);
        Assert.False(model.Biased);
        for (int k = 0; k < f.UserIds.Length; k++)
        {
            int dense = model.UserIds.ToDense(f.UserIds[k]);
            Assert.True(model.IsUserKnown(dense));
            Assert.True(f.User(k).SequenceEqual(model.UserFactorsOf(dense)), $"user {f.UserIds[k]}");
        }
        for (int k = 0; k < f.ItemIds.Length; k++)
        {
            int dense = model.ItemIds.ToDense(f.ItemIds[k]);
            Assert.True(model.IsItemKnown(dense));
            Assert.True(f.Item(k).SequenceEqual(model.ItemFactorsOf(dense)), $"item {f.ItemIds[k]}");
        }
        // Dense ids follow the raw ids in ascending order, whatever order the part files held them in.
        Assert.Equal(f.UserIds.Min(), model.UserIds.ToRawNumeric(0));
        Assert.Equal(f.ItemIds.Max(), model.ItemIds.ToRawNumeric(model.ItemCount - 1));
        var table = await SparkAlsImport.ReadFactorsAsync(Path.Combine(folder, "itemFactors"), Rank);
        Assert.Equal(4, table.FileCount);
        Assert.Equal("spark-als(rank=10, regParam=0.1, spark=3.5.1)", model.ToString());
    }

    [Fact]
    public void Recommendations_equal_a_direct_dot_product_ranking()
    {
        using var tmp = TestData.NewFolder();
        var f = Small.Value;
        var model = SparkAlsImport.Load(WriteSmall(tmp));
        var scores = new float[model.ItemCount];
        foreach (int k in new[] { 0, 17, 303, 609 })
        {
            int user = model.UserIds.ToDense(f.UserIds[k]);
            model.Score(user, scores);
            var direct = new double[f.ItemIds.Length];
            for (int j = 0; j < direct.Length; j++) direct[j] = DirectDot(f.User(k), f.Item(j));
            var expected = Enumerable.Range(0, direct.Length).OrderByDescending(j => direct[j]).Take(20).Select(j => (long)f.ItemIds[j]).ToArray();
            var top = TopN.Select(scores, 20, TieBreak.ById, []);
            var actual = top.Select(t => model.ItemIds.ToRawNumeric(t.Item)).ToArray();
            Assert.Equal(expected, actual);
            for (int j = 0; j < direct.Length; j += 97)
            {
                int item = model.ItemIds.ToDense(f.ItemIds[j]);
                Assert.Equal(direct[j], scores[item], 1e-5);
                Assert.Equal(Math.Clamp(direct[j], 0.5, 5), model.Predict(user, item), 1e-5);
            }
        }
    }

    [Fact]
    public void Fold_in_solves_the_ALS_WR_normal_equations_with_the_items_fixed()
    {
        using var tmp = TestData.NewFolder();
        var f = Small.Value;
        const double reg = 0.05;
        string folder = WriteSmall(tmp, SparkAlsFixture.Metadata(Rank, ",\"regParam\":0.05"));
        var model = SparkAlsImport.Load(folder);
        Assert.Equal(reg, model.Options.RegParam);
        // A new user rates the items user 1 rated in ml-latest-small with their real ratings.
        var data = TestData.MovieLensSmall.Ratings;
        int u1 = data.UserIds.ToDense(1);
        var row = data.ByUser;
        var ratings = new List<ItemRating>();
        for (int k = row.Offsets[u1]; k < row.Offsets[u1 + 1]; k++)
            ratings.Add(new ItemRating(model.ItemIds.ToDense(data.ItemIds.ToRawNumeric(row.Columns[k])), row.Values[k]));
        var folded = (FactorModel.FoldedFactorUser)model.FoldIn(ratings.ToArray());
        Assert.True(folded.HasRatings);
        // (QᵀQ + λ n I) p = Qᵀ r, checked row by row in double precision.
        int n = ratings.Count;
        var p = folded.Vector;
        for (int r = 0; r < Rank; r++)
        {
            double lhs = reg * n * p[r], rhs = 0;
            foreach (var x in ratings)
            {
                var q = model.ItemFactorsOf(x.Item);
                lhs += q[r] * DirectDot(q, p);
                rhs += q[r] * x.Rating;
            }
            Assert.Equal(rhs, lhs, Math.Max(1e-3, Math.Abs(rhs) * 1e-4));
        }
        // The folded user's scores are dot products with their vector, clipped only in Predict.
        var scores = new float[model.ItemCount];
        model.Score(folded, scores);
        for (int i = 0; i < model.ItemCount; i += 101)
        {
            Assert.Equal(DirectDot(p, model.ItemFactorsOf(i)), scores[i], 1e-5);
            Assert.Equal(Math.Clamp(DirectDot(p, model.ItemFactorsOf(i)), 0.5, 5), model.Predict(folded, i), 1e-5);
        }
        // Ratings made by an existing user's vector are fitted far better by the folded vector than by their mean.
        var hidden = f.User(5).ToArray();
        var made = new List<ItemRating>();
        for (int j = 0; j < 300; j++)
        {
            int item = model.ItemIds.ToDense(f.ItemIds[j]);
            made.Add(new ItemRating(item, (float)DirectDot(hidden, model.ItemFactorsOf(item))));
        }
        var again = (FactorModel.FoldedFactorUser)model.FoldIn(made.ToArray());
        double mean = made.Average(x => x.Rating), err = 0, spread = 0;
        foreach (var x in made)
        {
            err += Math.Pow(x.Rating - DirectDot(again.Vector, model.ItemFactorsOf(x.Item)), 2);
            spread += Math.Pow(x.Rating - mean, 2);
        }
        Assert.True(err < 0.25 * spread, $"fit {err} vs spread {spread}");
    }

    [Fact]
    public void Saved_and_restored_model_predicts_identically()
    {
        using var tmp = TestData.NewFolder();
        var model = SparkAlsImport.Load(WriteSmall(tmp), new SparkAlsImportOptions { Scale = new RatingScale(1, 5, 1), RegParam = 0.2 });
        string file = Path.Combine(tmp.Path, "spark.mrec");
        ModelFile.Save(file, model);
        var restored = Assert.IsType<SparkAlsModel>(PersistentModels.Restore(ModelFile.Read(file)));
        Assert.Equal(model.ToString(), restored.ToString());
        Assert.Equal(0.2, restored.Options.RegParam);
        Assert.Equal(new RatingScale(1, 5, 1), restored.Scale);
        Assert.Equal(model.GlobalMean, restored.GlobalMean);
        var a = new float[model.ItemCount];
        var b = new float[model.ItemCount];
        for (int u = 0; u < model.UserCount; u += 7)
        {
            model.Score(u, a);
            restored.Score(u, b);
            Assert.True(a.AsSpan().SequenceEqual(b), $"user {u}");
            Assert.Equal(model.Predict(u, u % model.ItemCount), restored.Predict(u, u % model.ItemCount));
        }
        var profile = new[] { new ItemRating(3, 4.5f), new ItemRating(40, 2f), new ItemRating(900, 5f) };
        model.Score(model.FoldIn(profile), a);
        restored.Score(restored.FoldIn(profile), b);
        Assert.True(a.AsSpan().SequenceEqual(b));
    }

    [Fact]
    public void Unknown_users_fall_back_to_the_mean_prediction()
    {
        using var tmp = TestData.NewFolder();
        var f = Small.Value;
        var model = SparkAlsImport.Load(WriteSmall(tmp));
        double total = 0;
        for (int u = 0; u < f.UserIds.Length; u++)
            for (int i = 0; i < f.ItemIds.Length; i += 1)
                total += DirectDot(f.User(u), f.Item(i));
        double mean = total / ((double)f.UserIds.Length * f.ItemIds.Length);
        Assert.Equal(Math.Clamp(mean, 0.5, 5), model.GlobalMean, 1e-4);
        Assert.Equal((float)model.GlobalMean, model.Predict(-1, 0));
        Assert.Throws<NotSupportedException>(() => new SparkAlsModel().Fit(new TrainingData(TestData.MovieLensSmall.Ratings), TrainingContext.Deterministic(0)));
    }

    [Fact]
    public void Aligned_to_a_dataset_the_model_shares_its_ids()
    {
        using var tmp = TestData.NewFolder();
        var f = Small.Value;
        var ratings = TestData.MovieLensSmall.Ratings;
        // Spark saw two users and three movies the dataset lacks, and missed the first five movies of the list.
        int[] users = [.. f.UserIds, 900_001, 900_002];
        float[] userRows = [.. f.Users, .. SparkAlsFixture.RandomFactors(2, Rank, 5)];
        int[] items = [.. f.ItemIds[5..], 990_001, 990_002, 990_003];
        float[] itemRows = [.. f.Items.AsSpan(5 * Rank), .. SparkAlsFixture.RandomFactors(3, Rank, 6)];
        string folder = Path.Combine(tmp.Path, "als");
        SparkAlsFixture.Write(folder, Rank, users, userRows, items, itemRows, parts: 3);
        var result = SparkAlsImport.Import(folder, new SparkAlsImportOptions { AlignTo = ratings });
        var model = result.Model;
        Assert.Equal(3, result.DroppedItems);
        Assert.Equal(users.Length, result.SparkUsers);
        Assert.Equal(ratings.ItemCount, model.ItemCount);
        for (int i = 0; i < ratings.ItemCount; i++) Assert.Equal(ratings.ItemIds.ToRawNumeric(i), model.ItemIds.ToRawNumeric(i));
        for (int u = 0; u < ratings.UserCount; u++) Assert.Equal(ratings.UserIds.ToRawNumeric(u), model.UserIds.ToRawNumeric(u));
        Assert.Equal(ratings.UserCount + 2, model.UserCount);
        Assert.Equal(ratings.UserCount, model.UserIds.ToDense(900_001));
        foreach (int missing in f.ItemIds[..5]) Assert.False(model.IsItemKnown(model.ItemIds.ToDense(missing)));
        Assert.True(model.ItemIds.ToDense(990_001) < 0);
        for (int k = 5; k < f.ItemIds.Length; k += 13)
            Assert.True(f.Item(k).SequenceEqual(model.ItemFactorsOf(model.ItemIds.ToDense(f.ItemIds[k]))));
        for (int k = 0; k < f.UserIds.Length; k += 13)
            Assert.True(f.User(k).SequenceEqual(model.UserFactorsOf(model.UserIds.ToDense(f.UserIds[k]))));
        // A movie without factors scores the fallback; the others the dot product.
        var scores = new float[model.ItemCount];
        int user = model.UserIds.ToDense(f.UserIds[0]);
        model.Score(user, scores);
        Assert.Equal((float)model.GlobalMean, scores[model.ItemIds.ToDense(f.ItemIds[0])]);
        Assert.Equal(DirectDot(f.User(0), f.Item(9)), scores[model.ItemIds.ToDense(f.ItemIds[9])], 1e-5);
    }

    [Fact]
    public async Task Legacy_list_layout_reads_the_same()
    {
        using var tmp = TestData.NewFolder();
        string folder = Path.Combine(tmp.Path, "legacy");
        Directory.CreateDirectory(folder);
        float[][] rows = [[0.5f, -1.25f, 2f], [3f, 0f, -0.125f], [1f, 1f, 1f]];
        SparkAlsFixture.WriteLegacyPart(Path.Combine(folder, "part-00000-x-c000.snappy.parquet"), [30, 10, 20], rows);
        var table = await SparkAlsImport.ReadFactorsAsync(folder, 3);
        Assert.Equal([10L, 20, 30], table.Ids);
        Assert.Equal(rows[1], table.Row(0).ToArray());
        Assert.Equal(rows[2], table.Row(1).ToArray());
        Assert.Equal(rows[0], table.Row(2).ToArray());
    }

    // ---- malformed input: each names the file and the problem ----

    private static InvalidDataException ImportFails(string folder) =>
        Assert.Throws<InvalidDataException>(() => SparkAlsImport.Load(folder));

    private static string TinyModel(TempFolder tmp, string name, int rank = 3, string? metadata = null)
    {
        string folder = Path.Combine(tmp.Path, name);
        int[] users = [1, 2, 3, 4, 5];
        int[] items = [10, 20, 30, 40, 50, 60];
        SparkAlsFixture.Write(folder, rank, users, SparkAlsFixture.RandomFactors(users.Length, rank, 3), items,
            SparkAlsFixture.RandomFactors(items.Length, rank, 4), parts: 2, metadata);
        return folder;
    }

    [Fact]
    public void Missing_folders_are_named()
    {
        using var tmp = TestData.NewFolder();
        Assert.Throws<DirectoryNotFoundException>(() => SparkAlsImport.Load(Path.Combine(tmp.Path, "nowhere")));
        string a = TinyModel(tmp, "a");
        Directory.Delete(Path.Combine(a, "metadata"), true);
        Assert.Contains("metadata folder is missing", ImportFails(a).Message);
        string b = TinyModel(tmp, "b");
        Directory.Delete(Path.Combine(b, "userFactors"), true);
        var e = ImportFails(b);
        Assert.Contains("userFactors", e.Message);
        Assert.Contains("missing", e.Message);
        string c = TinyModel(tmp, "c");
        foreach (var part in Directory.GetFiles(Path.Combine(c, "itemFactors"), "*.parquet")) File.Delete(part);
        e = ImportFails(c);
        Assert.Contains("itemFactors", e.Message);
        Assert.Contains("no Parquet part files", e.Message);
    }

    [Fact]
    public void Bad_metadata_is_refused()
    {
        using var tmp = TestData.NewFolder();
        string a = TinyModel(tmp, "a", metadata: SparkAlsFixture.Metadata(3).Replace("recommendation.ALSModel", "classification.LogisticRegressionModel", StringComparison.Ordinal));
        var e = ImportFails(a);
        Assert.Contains(Path.Combine("metadata", "part-00000"), e.Message);
        Assert.Contains("LogisticRegressionModel", e.Message);
        string b = TinyModel(tmp, "b", metadata: "{\"class\":\"org.apache.spark.ml.recommendation.ALSModel\"");
        Assert.Contains("not valid JSON", ImportFails(b).Message);
        string c = TinyModel(tmp, "c", metadata: SparkAlsFixture.Metadata(3).Replace(",\"rank\":3", "", StringComparison.Ordinal));
        Assert.Contains("no \"rank\"", ImportFails(c).Message);
        string d = TinyModel(tmp, "d", metadata: SparkAlsFixture.Metadata(3, ",\"rank\":4"));
        Assert.Contains("disagrees", ImportFails(d).Message);
        string i = TinyModel(tmp, "i", metadata: SparkAlsFixture.Metadata(3, ",\"implicitPrefs\":true"));
        Assert.Contains("implicitPrefs", ImportFails(i).Message);
    }

    [Fact]
    public void Rank_mismatch_names_the_part_file_and_the_id()
    {
        using var tmp = TestData.NewFolder();
        // The metadata says rank 4, the factors have 3 values each.
        string a = TinyModel(tmp, "a", rank: 3, metadata: SparkAlsFixture.Metadata(4));
        var e = ImportFails(a);
        Assert.Contains("userFactors", e.Message);
        Assert.Contains(".parquet", e.Message);
        Assert.Contains("have 3 values but the metadata's rank is 4", e.Message);
        // One row one value short.
        string b = TinyModel(tmp, "b");
        string part = Path.Combine(b, "itemFactors", "part-00099-x-c000.snappy.parquet");
        SparkAlsFixture.WritePart(part, 3, [70, 80], [[0.1f, 0.2f, 0.3f], [0.1f, 0.2f]]);
        e = ImportFails(b);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("id 80 have 2 values", e.Message);
    }

    [Fact]
    public void Duplicate_ids_are_refused_even_across_part_files()
    {
        using var tmp = TestData.NewFolder();
        string a = TinyModel(tmp, "a");
        SparkAlsFixture.WritePart(Path.Combine(a, "userFactors", "part-00007-x-c000.snappy.parquet"), 3, [9, 2], [[1, 1, 1], [1, 1, 1]]);
        var e = ImportFails(a);
        Assert.Contains("the id 2 appears again", e.Message);
        Assert.Contains("part-0000", e.Message);
        string b = TinyModel(tmp, "b");
        string part = Path.Combine(b, "itemFactors", "part-00000-x-c000.parquet");
        foreach (var old in Directory.GetFiles(Path.Combine(b, "itemFactors"), "*.parquet")) File.Delete(old);
        SparkAlsFixture.WritePart(part, 3, [5, 6, 5], [[1, 1, 1], [1, 1, 1], [2, 2, 2]]);
        e = ImportFails(b);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("the id 5 appears twice", e.Message);
    }

    [Fact]
    public void NaN_and_infinite_factors_are_refused()
    {
        using var tmp = TestData.NewFolder();
        string a = TinyModel(tmp, "a");
        string part = Path.Combine(a, "userFactors", "part-00005-x-c000.snappy.parquet");
        SparkAlsFixture.WritePart(part, 3, [11, 12], [[0.1f, 0.2f, 0.3f], [0.1f, float.NaN, 0.3f]]);
        var e = ImportFails(a);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("id 12 hold NaN at position 1", e.Message);
        string b = TinyModel(tmp, "b");
        part = Path.Combine(b, "itemFactors", "part-00005-x-c000.parquet");
        SparkAlsFixture.WritePart(part, 3, [99], [[float.PositiveInfinity, 0, 0]]);
        Assert.Contains("id 99 hold Infinity", ImportFails(b).Message);
    }

    [Fact]
    public void Wrong_columns_and_broken_files_are_named()
    {
        using var tmp = TestData.NewFolder();
        string a = TinyModel(tmp, "a");
        string part = Path.Combine(a, "userFactors", "part-00009-x-c000.parquet");
        SparkAlsFixture.WriteOddPart(part, "user", [1], [[1, 2, 3]]);
        var e = ImportFails(a);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("no \"id\" column (columns: user, features)", e.Message);
        string b = TinyModel(tmp, "b");
        part = Path.Combine(b, "itemFactors", "part-00009-x-c000.parquet");
        SparkAlsFixture.WriteOddPart(part, "id", [1], [[1, 2, 3]]);
        e = ImportFails(b);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("array of 32-bit floats, not a list of Double", e.Message);
        string c = TinyModel(tmp, "c");
        part = Path.Combine(c, "itemFactors", "part-00009-x-c000.parquet");
        File.WriteAllText(part, "this is not parquet at all, just text that is long enough");
        e = ImportFails(c);
        Assert.StartsWith(part, e.Message);
        Assert.Contains("not a readable Parquet factor file", e.Message);
    }
}
