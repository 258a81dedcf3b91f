using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Models;
using Xunit;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

public sealed class ModelFileTests
{
    public static TheoryData<string> Models => new() { "svd", "svd-tuned", "svdpp", "nmf" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Round_trip_predicts_identically(string algorithm)
    {
        using var folder = TestData.NewFolder();
        var data = MfTestData.FirstRatings(20_000);
        var model = (FactorModel)AlgorithmCatalog.Create(algorithm, AlgorithmParameters.Empty.With("epochs", "3"));
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        string path = Path.Combine(folder.Path, "model.mrec");
        ModelFile.Save(path, model, ModelFile.Fingerprint(data));
        var contents = ModelFile.Read(path);
        Assert.Equal(algorithm, contents.Algorithm);
        Assert.Equal(ModelFile.Fingerprint(data), contents.DatasetFingerprint);
        var loaded = (FactorModel)PersistentModels.Restore(contents);
        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(model.GlobalMean, loaded.GlobalMean);
        for (int u = 0; u < data.UserCount; u += 3)
        {
            for (int i = 0; i < data.ItemCount; i += 41)
                Assert.Equal(model.Predict(u, i), loaded.Predict(u, i));
        }
        Assert.Equal(model.Predict(-1, 3), loaded.Predict(-1, 3));
        Assert.Equal(data.UserIds.NumericIds.ToArray(), loaded.UserIds.NumericIds.ToArray());
        var profile = new[] { new ItemRating(1, 5f), new ItemRating(7, 2f), new ItemRating(20, 4f) };
        Assert.Equal(model.Predict(model.FoldIn(profile), 30), loaded.Predict(loaded.FoldIn(profile), 30));
    }

    private static (string Path, byte[] Bytes) Saved(TempFolder folder)
    {
        var model = new Svd(new SvdOptions { Factors = 8, Epochs = 2 });
        model.Fit(new TrainingData(MfTestData.FirstRatings(2_000)), TrainingContext.Deterministic(0));
        string path = Path.Combine(folder.Path, "m.mrec");
        ModelFile.Save(path, model);
        return (path, File.ReadAllBytes(path));
    }

    [Fact]
    public void Wrong_magic_unknown_version_truncation_and_corruption_are_refused_naming_the_file()
    {
        using var folder = TestData.NewFolder();
        var (path, bytes) = Saved(folder);

        void Refused(byte[] content, string expected)
        {
            File.WriteAllBytes(path, content);
            var e = Assert.ThrowsAny<InvalidDataException>(() => ModelFile.Read(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }

        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Refused(wrongMagic, "magic");
        var version = (byte[])bytes.Clone();
        version[4] = 99;
        Refused(version, "version 99");
        Refused(bytes[..(bytes.Length - 100)], "truncated");
        var corrupt = (byte[])bytes.Clone();
        corrupt[bytes.Length / 2] ^= 0x40;
        Refused(corrupt, "checksum");
        Refused([1, 2, 3], "magic");
    }

    [Fact]
    public void String_id_maps_survive_the_round_trip()
    {
        var source = MfTestData.FirstRatings(3_000);
        var users = Core.Data.IdMap.FromStrings(Enumerable.Range(0, source.UserCount).Select(u => $"user-{u}"));
        var data = new Core.Data.RatingDataset(users, source.ItemIds, source.Users, source.Items, source.Values, source.Timestamps, source.Scale);
        var model = new Svd(new SvdOptions { Factors = 5, Epochs = 2 });
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "s.mrec");
        ModelFile.Save(path, model);
        var loaded = (Svd)PersistentModels.Restore(ModelFile.Read(path));
        Assert.Equal("user-3", loaded.UserIds.ToRaw(3));
        Assert.Equal(model.Predict(3, 4), loaded.Predict(3, 4));
    }

    [Fact]
    public void The_checksum_of_data_read_in_pieces_is_that_of_the_whole()
    {
        var rng = new Random(5);
        var data = new byte[1003];
        rng.NextBytes(data);
        ulong whole = ModelFile.Checksum(data);
        for (int trial = 0; trial < 20; trial++)
        {
            var hash = new WordHash();
            int at = 0;
            while (at < data.Length)
            {
                int n = Math.Min(data.Length - at, rng.Next(0, 20));
                hash.Append(data.AsSpan(at, n));
                at += n;
            }
            Assert.Equal(whole, hash.Finish());
        }
        data[500] ^= 1;
        Assert.NotEqual(whole, ModelFile.Checksum(data));
    }
}
