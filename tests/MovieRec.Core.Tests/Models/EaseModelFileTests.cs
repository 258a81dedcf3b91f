using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;
using MovieRec.Core.Models;
using MovieRec.Core.Tests.Algorithms.MatrixFactorization;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// EASE keeps its weight matrix B in half precision, and its files hold it so (format version 2, f16 arrays); files of
/// earlier builds, with B in float32, still load (rounded to half on the way in), and files without an f16 array stay
/// version 1 so builds that read only version 1 still read them. A pruned B (the default) is written as sparse rows;
/// a dense B read with options that prune is pruned on load.
/// </summary>
public sealed class EaseModelFileTests
{
    private static readonly Lazy<(RatingDataset Data, Ease Model)> Fitted = new(() =>
    {
        var data = MfTestData.FirstRatings(5_000);
        var model = new Ease(new EaseOptions { MinItemCount = 2, KeepPerRow = 0 });
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        return (data, model);
    });

    private static readonly Lazy<Ease> Pruned = new(() =>
    {
        var model = new Ease(new EaseOptions { MinItemCount = 2, KeepPerRow = 40 });
        model.Fit(new TrainingData(Fitted.Value.Data), TrainingContext.Deterministic(0));
        return model;
    });

    [Fact]
    public void A_pruned_B_is_written_as_sparse_rows_and_reads_back_the_same()
    {
        var (data, dense) = Fitted.Value;
        var model = Pruned.Value;
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "ease.mrec");
        ModelFile.Save(path, model, ModelFile.Fingerprint(data));
        var contents = ModelFile.Read(path);
        var weights = Assert.IsType<Half[]>(contents.Arrays["weights"]);
        int n = model.ModelItemCount;
        Assert.True(n > 200, $"{n} items in the model");
        Assert.InRange(weights.LongLength, 30L * n, 40L * n);
        Assert.Equal(n + 1, contents.Ints("row_starts").Length);
        Assert.Equal(weights.Length, contents.Ints("columns").Length);
        AssertScoresEqual(model, PersistentModels.Restore(contents), data);

        // The kept weights are the largest: a movie's top 10 by the pruned B is mostly the dense B's top 10.
        var a = new float[dense.ItemCount];
        var b = new float[model.ItemCount];
        int shared = 0, lists = 0;
        for (int u = 0; u < data.UserCount; u += 5, lists++)
        {
            dense.Score(u, a);
            model.Score(u, b);
            shared += TopTen(a).Intersect(TopTen(b)).Count();
        }
        Assert.True(shared >= 7 * lists, $"{shared} of {10 * lists} top-10 places shared with the dense B");
    }

    [Fact]
    public void A_dense_B_read_with_options_that_prune_is_pruned_on_load()
    {
        var (data, dense) = Fitted.Value;
        var model = Pruned.Value;
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "ease.mrec");
        // As a build before pruning wrote it, read by one whose options prune: the pruned model's header, dense arrays.
        ModelFile.Save(path, new Rewritten(model, dense.WriteArrays), ModelFile.Fingerprint(data));
        var contents = ModelFile.Read(path);
        Assert.False(contents.Has("row_starts"));
        AssertScoresEqual(model, PersistentModels.Restore(contents), data);
    }

    private static IEnumerable<int> TopTen(float[] scores) =>
        Enumerable.Range(0, scores.Length).Where(i => !float.IsNaN(scores[i])).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(10);

    [Fact]
    public void The_weights_are_written_in_half_precision_as_format_version_2()
    {
        var (data, model) = Fitted.Value;
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "ease.mrec");
        ModelFile.Save(path, model, ModelFile.Fingerprint(data));
        var contents = ModelFile.Read(path);
        Assert.Equal(2, contents.FormatVersion);
        var weights = Assert.IsType<Half[]>(contents.Arrays["weights"]);
        Assert.Equal((long)model.ModelItemCount * model.ModelItemCount, weights.LongLength);
        Assert.True(new FileInfo(path).Length < weights.LongLength * 3, "B takes 2 bytes a weight in the file");
        AssertScoresEqual(model, PersistentModels.Restore(contents), data);
    }

    [Fact]
    public void A_file_of_earlier_builds_with_float_weights_loads_rounded_to_half()
    {
        var (data, model) = Fitted.Value;
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "old.mrec");
        // As builds before half precision wrote it: B in float32 (here each weight nudged by less than half a half-ulp,
        // 2^-14 relative, so rounding to the nearest half gives back the fitted weight), and format version 1.
        ModelFile.Save(path, new Rewritten(model, model.WriteArrays, (name, array) =>
            name == "weights" ? Array.ConvertAll((Half[])array, h => (float)h * (1 + 1f / 16_384)) : array));
        var contents = ModelFile.Read(path);
        Assert.Equal(1, contents.FormatVersion);
        Assert.IsType<float[]>(contents.Arrays["weights"]);
        AssertScoresEqual(model, PersistentModels.Restore(contents), data);
    }

    [Fact]
    public void A_file_without_half_arrays_stays_version_1_and_a_version_1_file_with_one_is_refused()
    {
        var (_, model) = Fitted.Value;
        using var folder = TestData.NewFolder();
        string popularity = Path.Combine(folder.Path, "popularity.mrec");
        var ranker = AlgorithmCatalog.Create("popularity");
        ranker.Fit(new TrainingData(Fitted.Value.Data), TrainingContext.Deterministic(0));
        ModelFile.Save(popularity, (IPersistentModel)ranker);
        Assert.Equal(1, ModelFile.Read(popularity).FormatVersion);

        string path = Path.Combine(folder.Path, "ease.mrec");
        ModelFile.Save(path, model);
        var bytes = File.ReadAllBytes(path);
        bytes[4] = 1; // the version (the checksum covers the payload only)
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("array 'weights' has unknown type 4", e.Message, StringComparison.Ordinal);
    }

    private static void AssertScoresEqual(IRecommender expected, IRecommender actual, RatingDataset data)
    {
        var a = new float[expected.ItemCount];
        var b = new float[actual.ItemCount];
        for (int u = 0; u < data.UserCount; u += 7)
        {
            expected.Score(u, a);
            actual.Score(u, b);
            Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
        }
        var profile = new[] { new ItemRating(0, 4), new ItemRating(3, 5), new ItemRating(11, 2) };
        expected.Score(expected.FoldIn(profile), a);
        actual.Score(actual.FoldIn(profile), b);
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
    }
}
