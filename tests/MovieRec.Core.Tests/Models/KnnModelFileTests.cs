using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;
using MovieRec.Core.Models;
using Xunit;
using Xunit.Abstractions;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// Item-based k-NN files keep only the similarities a prediction can read (the positive ones above the diagonal, and
/// the diagonal): on ml-latest-small the file of knn-baseline item pearson-baseline (Surprise's best) is at most 30 MB
/// instead of 363 MB, and the restored model predicts every held-out rating bit for bit as the fitted one.
/// </summary>
public sealed class KnnModelFileTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Item_based_pearson_baseline_file_is_small_and_predicts_exactly_on_ml_latest_small()
    {
        var split = Splits.Random(TestData.MovieLensSmall.Ratings, 0.2, seed: 0);
        var model = AlgorithmCatalog.Create("knn-baseline", AlgorithmParameters.Parse(["sim=pearson-baseline,user-based=false"]));
        model.Fit(new TrainingData(split.Train), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "knn.mrec");
        ModelFile.Save(path, (IPersistentModel)model, ModelFile.Fingerprint(split.Train));
        long bytes = new FileInfo(path).Length;
        var restored = (KnnAlgorithm)PersistentModels.Load(path);
        var fitted = (KnnAlgorithm)model;

        var test = split.Test;
        double seFitted = 0, seRestored = 0;
        for (int k = 0; k < test.Count; k++)
        {
            float a = fitted.Predict(test.Users[k], test.Items[k]), b = restored.Predict(test.Users[k], test.Items[k]);
            Assert.True(BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b), $"rating {k}: {a:R} fitted, {b:R} restored");
            seFitted += (a - test.Values[k]) * (a - test.Values[k]);
            seRestored += (b - test.Values[k]) * (b - test.Values[k]);
        }
        double rmseFitted = Math.Sqrt(seFitted / test.Count), rmseRestored = Math.Sqrt(seRestored / test.Count);
        output.WriteLine($"file {bytes / 1e6:0.0} MB; holdout RMSE fitted {rmseFitted:0.00000}, restored {rmseRestored:0.00000}");
        Assert.Equal(rmseFitted, rmseRestored);
        Assert.InRange(rmseFitted, 0.80, 0.90);
        Assert.True(bytes <= 30_000_000, $"the item-based file takes {bytes / 1e6:0.0} MB (goal: at most 30 MB)");

        // A new user: every score the same.
        var byUser = split.Train.ByUser;
        var profile = new ItemRating[byUser.RowLength(7)];
        for (int p = 0; p < profile.Length; p++) profile[p] = new ItemRating(byUser.RowColumns(7)[p], byUser.RowValues(7)[p]);
        var expected = new float[fitted.ItemCount];
        var actual = new float[fitted.ItemCount];
        fitted.Score(fitted.FoldIn(profile), expected);
        restored.Score(restored.FoldIn(profile), actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

        // Every similarity a prediction can use survives; the others read back as 0.
        var a0 = fitted.Similarity;
        var b0 = restored.Similarity;
        for (int x = 0; x < a0.Size; x += 97)
        {
            for (int y = 0; y < a0.Size; y++)
            {
                float s = a0[x, y];
                float expectedValue = x == y || s > 0 ? s : 0;
                Assert.True(BitConverter.SingleToInt32Bits(expectedValue) == BitConverter.SingleToInt32Bits(b0[x, y]), $"sim({x}, {y}) = {s:R} fitted, {b0[x, y]:R} restored");
            }
        }
    }

    /// <summary>
    /// Issue 17: the item-based file of the default measure (msd, positive for nearly every co-rated pair: 12.8M pairs,
    /// 102.5 MB in the plain layout) is at most 30 MB, and the restored model is the fitted one bit for bit: every
    /// held-out prediction, a folded-in user's scores and every stored similarity.
    /// </summary>
    [Fact]
    public void Item_based_msd_file_is_at_most_30_mb_and_restores_bit_identically_on_ml_latest_small()
    {
        var split = Splits.Random(TestData.MovieLensSmall.Ratings, 0.2, seed: 1);
        var fitted = (KnnAlgorithm)AlgorithmCatalog.Create("knn-basic", AlgorithmParameters.Parse(["user-based=false"]));
        fitted.Fit(new TrainingData(split.Train), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "knn-basic-item.mrec");
        ModelFile.Save(path, fitted, ModelFile.Fingerprint(split.Train));
        long bytes = new FileInfo(path).Length;
        output.WriteLine($"knn-basic item msd: {bytes / 1e6:0.0} MB");
        Assert.True(bytes <= 30_000_000, $"the item-based msd file takes {bytes / 1e6:0.0} MB (goal: at most 30 MB)");

        var restored = (KnnAlgorithm)PersistentModels.Load(path);
        var test = split.Test;
        for (int k = 0; k < test.Count; k += 7)
        {
            float a = fitted.Predict(test.Users[k], test.Items[k]), b = restored.Predict(test.Users[k], test.Items[k]);
            Assert.True(BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b), $"rating {k}: {a:R} fitted, {b:R} restored");
        }
        var profile = new[] { new ItemRating(0, 5f), new ItemRating(10, 3.5f), new ItemRating(100, 4f) };
        var expected = new float[fitted.ItemCount];
        var actual = new float[fitted.ItemCount];
        fitted.Score(fitted.FoldIn(profile), expected);
        restored.Score(restored.FoldIn(profile), actual);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        var a0 = fitted.Similarity.Values;
        var b0 = restored.Similarity.Values;
        for (long p = 0; p < a0.Length; p++)
        {
            float want = a0[p] > 0 || p % (fitted.Similarity.Size + 1) == 0 ? a0[p] : 0;
            if (BitConverter.SingleToInt32Bits(want) != BitConverter.SingleToInt32Bits(b0[p])) Assert.Fail($"similarity {p}: {a0[p]:R} fitted, {b0[p]:R} restored");
        }
    }

    [Fact]
    public void A_file_with_the_plain_sparse_layout_still_loads_and_a_damaged_packed_one_is_refused()
    {
        // Id maps of only these ratings' users and items: the item-based matrix is items².
        var first = MovieRec.Core.Tests.Algorithms.MatrixFactorization.MfTestData.FirstRatings(2_000);
        var builder = new RatingDatasetBuilder();
        for (int k = 0; k < first.Count; k++)
            builder.Add(first.UserIds.ToRawNumeric(first.Users[k]), first.ItemIds.ToRawNumeric(first.Items[k]), first.Values[k], first.Timestamps[k]);
        var data = builder.Build(first.Scale);
        var model = (KnnAlgorithm)AlgorithmCatalog.Create("knn-means", AlgorithmParameters.Parse(["user-based=false"]));
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string plain = Path.Combine(folder.Path, "plain.mrec");
        ModelFile.Save(plain, new Rewritten(model, all => model.WriteArrays(all, packed: false)));
        var restored = (KnnAlgorithm)PersistentModels.Load(plain);
        Assert.Equal(model.Similarity.Values.Select(v => v > 0 ? v : 0), restored.Similarity.Values.Select(v => v > 0 ? v : 0));

        // The packed frame cut in half, then one that decompresses to more than the offsets count.
        string cut = Path.Combine(folder.Path, "cut.mrec");
        ModelFile.Save(cut, new Rewritten(model, all => model.WriteArrays(all), Packed(packed => packed[..(packed.Length / 2)])));
        var e = Assert.Throws<InvalidDataException>(() => PersistentModels.Load(cut));
        Assert.Contains("cut.mrec", e.Message, StringComparison.Ordinal);
        Assert.Contains("packed similarities", e.Message, StringComparison.Ordinal);
        string longer = Path.Combine(folder.Path, "longer.mrec");
        ModelFile.Save(longer, new Rewritten(model, all => model.WriteArrays(all), Packed(packed => [.. packed, .. packed])));
        e = Assert.Throws<InvalidDataException>(() => PersistentModels.Load(longer));
        Assert.Contains("packed similarities", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Passes the packed similarities through <paramref name="damage"/> and keeps every other array.</summary>
    private static Func<string, object, object?> Packed(Func<byte[], byte[]> damage) =>
        (name, array) => name == "similarity_packed" ? damage((byte[])array) : array;

    [Fact]
    public void A_file_with_the_dense_matrix_of_earlier_builds_still_loads()
    {
        var data = MovieRec.Core.Tests.Algorithms.MatrixFactorization.MfTestData.FirstRatings(2_000);
        var model = (KnnAlgorithm)AlgorithmCatalog.Create("knn-means", AlgorithmParameters.Parse(["user-based=true,sim=pearson"]));
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "old.mrec");
        // As builds before the sparse layout wrote it: the dense n × n matrix as "similarities".
        ModelFile.Save(path, new Rewritten(
            model,
            all => model.WriteArrays(all),
            (name, array) => name.StartsWith("similarity_", StringComparison.Ordinal) ? null : array,
            writer => writer.Write("similarities", model.Similarity.Values)));
        var restored = (KnnAlgorithm)PersistentModels.Load(path);
        AssertKnownUsersScoreBitForBit(model, restored, data);
        Assert.Equal(model.Similarity.Values, restored.Similarity.Values);
    }

    [Fact]
    public void A_file_with_the_8_byte_timestamps_of_earlier_builds_still_loads_with_the_same_timestamps()
    {
        var first = MovieRec.Core.Tests.Algorithms.MatrixFactorization.MfTestData.FirstRatings(2_000);
        // Before 1970 and after 2038, 4.0e9 s apart: within the 4-byte offsets, beyond an int32 of seconds since 1970.
        var seconds = new long[first.Count];
        for (int k = 0; k < seconds.Length; k++) seconds[k] = -1_000_000_000 + (k * 1_999_999L);
        seconds[^1] = 3_000_000_000;
        var data = new RatingDataset(first.UserIds, first.ItemIds, first.Users, first.Items, first.Values, seconds, first.Scale);
        var model = (KnnAlgorithm)AlgorithmCatalog.Create("knn-means", AlgorithmParameters.Parse(["user-based=false,sim=msd"]));
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string current = Path.Combine(folder.Path, "current.mrec"), old = Path.Combine(folder.Path, "old.mrec");
        ModelFile.Save(current, model);
        // As builds before the 4-byte column wrote it: "timestamps", each an int64 as raw bytes.
        ModelFile.Save(old, new Rewritten(
            model,
            all => model.WriteArrays(all),
            (name, array) => name.StartsWith("timestamp_", StringComparison.Ordinal) ? null : array,
            writer => writer.Write("timestamps", System.Runtime.InteropServices.MemoryMarshal.AsBytes(seconds.AsSpan()).ToArray())));
        var oldContents = ModelFile.Read(old);
        Assert.False(oldContents.Has("timestamp_offsets"));
        Assert.Equal(seconds, PersistentModels.ReadRatings(oldContents).Timestamps.ToArray());
        var currentContents = ModelFile.Read(current);
        Assert.False(currentContents.Has("timestamps"));
        Assert.Equal(seconds, PersistentModels.ReadRatings(currentContents).Timestamps.ToArray());
        var restored = (KnnAlgorithm)PersistentModels.Load(old);
        AssertKnownUsersScoreBitForBit(model, restored, data);
    }

    /// <summary>Every user with training ratings scores every item with the same bits in both models.</summary>
    private static void AssertKnownUsersScoreBitForBit(KnnAlgorithm model, KnnAlgorithm restored, RatingDataset data)
    {
        var expected = new float[model.ItemCount];
        var actual = new float[model.ItemCount];
        for (int u = 0; u < data.UserCount; u++)
        {
            if (data.ByUser.RowLength(u) == 0) continue;
            model.Score(u, expected);
            restored.Score(u, actual);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
