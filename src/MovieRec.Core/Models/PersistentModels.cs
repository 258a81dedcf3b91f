using System.Runtime.InteropServices;
using System.Text.Json;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.Baselines;
using MovieRec.Core.Algorithms.Hybrid;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Algorithms.Neighborhood;
using MovieRec.Core.Algorithms.Ranking;
using MovieRec.Core.Data;

namespace MovieRec.Core.Models;

/// <summary>
/// Restores any model from a <see cref="ModelFile"/> by the algorithm name its header records. The table is derived
/// from the <see cref="AlgorithmCatalog"/> (every entry saved under its own name, with its restorer) plus the building
/// blocks some entries are saved as: the wrappers (<c>popularity-blend</c> for any ranker with <c>blend</c> &gt; 0,
/// <c>ease-recency</c>'s <c>popularity-fallback</c> over <c>recency-weighted</c> over <c>ease</c>) and imported Spark
/// ALS models. A wrapper stores its inner model's arrays under a prefix (<see cref="ModelWriter.Nested"/>) and its
/// algorithm name and options in its own options JSON, and restores it through this table too.
/// </summary>
public static class PersistentModels
{
    private static readonly Lazy<Dictionary<string, Func<ModelContents, IRecommender>>> Restorers = new(() =>
    {
        var table = new Dictionary<string, Func<ModelContents, IRecommender>>(StringComparer.Ordinal)
        {
            [SparkAlsModel.AlgorithmName] = SparkAlsModel.Restore,
            [PopularityBlend.AlgorithmName] = PopularityBlend.Restore,
            [FallbackRanker.AlgorithmName] = FallbackRanker.Restore,
            [RecencyWeightedRanker.AlgorithmName] = RecencyWeightedRanker.Restore,
        };
        foreach (var entry in AlgorithmCatalog.All)
        {
            if (entry.Persistence.Restore is { } restore) table.Add(entry.Name, restore);
        }
        return table;
    });

    /// <summary>The algorithm names this build can restore (catalogue entries and building blocks).</summary>
    public static IReadOnlyCollection<string> Algorithms => Restorers.Value.Keys;

    /// <summary>A model read from a file, by the algorithm name it records.</summary>
    public static IRecommender Restore(ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Restorers.Value.TryGetValue(contents.Algorithm, out var restore)
            ? restore(contents)
            : throw ModelFileError.Create(contents.Path, $"the algorithm '{contents.Algorithm}' cannot be restored by this build");
    }

    /// <summary>Reads and restores a model file.</summary>
    public static IRecommender Load(string path) => Restore(ModelFile.Read(path));

    /// <summary>
    /// Whether <paramref name="model"/> can be written to a model file: a persistent model, and for a wrapper
    /// (fallback, recency weighting, popularity blend) or a composite (hybrid, blend, stack) persistent parts too.
    /// </summary>
    public static bool CanSave(IRecommender model) => model switch
    {
        FallbackRanker f => CanSave(f.Base),
        RecencyWeightedRanker r => CanSave(r.Base),
        PopularityBlend b => CanSave(b.Base),
        HybridRecommender h => CanSave(h.Collaborative),
        RatingBlend blend => blend.Members.All(CanSave),
        StackedRanker stack => stack.Members.All(CanSave),
        IPersistentModel => true,
        _ => false,
    };

    // ---- helpers for the models' Restore and WriteArrays ----

    /// <summary>The inner model of a wrapper, which must itself be persistent.</summary>
    internal static IPersistentModel Inner(IRecommender inner, string wrapper) =>
        inner as IPersistentModel ?? throw new NotSupportedException($"{wrapper} over {inner.Name} cannot be saved: {inner.Name} is not persistent.");

    /// <summary>A wrapper's header: its own algorithm name and options, the inner model's id maps, scale and mean.</summary>
    internal static ModelHeader WrapperHeader(string algorithm, string optionsJson, IPersistentModel inner)
    {
        var h = inner.Header;
        return new ModelHeader(algorithm, optionsJson, h.UserIds, h.ItemIds, h.Scale, h.GlobalMean);
    }

    /// <summary>The inner model's arrays, prefixed "base.".</summary>
    internal static void WriteInner(ModelWriter writer, IPersistentModel inner) => inner.WriteArrays(writer.Nested("base"));

    /// <summary>The inner model written by <see cref="WriteInner"/>, restored by its own algorithm name and options.</summary>
    internal static T RestoreInner<T>(ModelContents contents, string algorithm, string optionsJson)
        where T : class, IRecommender =>
        Restore(contents.Nested("base", algorithm, optionsJson)) as T
            ?? throw ModelFileError.Create(contents.Path, $"the wrapped model '{algorithm}' is not a {typeof(T).Name}");

    internal static ModelHeader HeaderOf(string algorithm, string optionsJson, RatingDataset train) =>
        new(algorithm, optionsJson, train.UserIds, train.ItemIds, train.Scale, train.GlobalMean);

    internal static ModelHeader HeaderOf(string algorithm, string optionsJson, ModelContents contents) =>
        new(algorithm, optionsJson, contents.UserIds, contents.ItemIds, contents.Scale, contents.GlobalMean);

    internal static string ToJson<T>(T options) => JsonSerializer.Serialize(options);

    internal static T FromJson<T>(ModelContents contents)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(contents.OptionsJson)
                ?? throw ModelFileError.Create(contents.Path, "the options are empty");
        }
        catch (JsonException e)
        {
            throw ModelFileError.Create(contents.Path, e);
        }
    }

    internal static void Check(ModelContents contents, bool ok, string problem)
    {
        if (!ok) throw ModelFileError.Create(contents.Path, problem);
    }

    /// <summary>A fitted model must have been fitted before it is saved.</summary>
    internal static ModelHeader Fitted(ModelHeader? header, string name) =>
        header ?? throw new InvalidOperationException($"{name} must be fitted before it is saved.");

    /// <summary>Each user's rated items (and, when <paramref name="withValues"/>, values) as CSR arrays.</summary>
    internal static void WriteRated(ModelWriter writer, CsrMatrix byUser, bool withValues, string name = "rated")
    {
        writer.Write($"{name}_offsets", byUser.Offsets);
        writer.Write($"{name}_items", byUser.Columns);
        if (withValues) writer.Write($"{name}_values", byUser.Values);
    }

    /// <summary>The CSR written by <see cref="WriteRated"/>, checked against the id maps (values 1 when not stored).</summary>
    internal static CsrMatrix ReadRated(ModelContents contents, bool withValues, string name = "rated")
    {
        var offsets = contents.Ints($"{name}_offsets");
        var items = contents.Ints($"{name}_items");
        float[] values;
        if (withValues) values = contents.Floats($"{name}_values");
        else
        {
            values = new float[items.Length];
            Array.Fill(values, 1f);
        }
        int users = contents.UserIds.Count, itemCount = contents.ItemIds.Count;
        bool ok = offsets.Length == users + 1 && offsets[0] == 0 && offsets[users] == items.Length && values.Length == items.Length;
        for (int u = 0; ok && u < users; u++) ok = offsets[u] <= offsets[u + 1];
        foreach (int i in items) ok &= (uint)i < (uint)itemCount;
        Check(contents, ok, $"the '{name}' arrays do not match the id maps");
        return new CsrMatrix(users, itemCount, offsets, items, values, []);
    }

    /// <summary>
    /// The training ratings as they are (coordinate arrays in their order); the timestamps as their column stores them,
    /// the epoch ("timestamp_epoch", one int64 as raw bytes) and 4-byte offsets ("timestamp_offsets", uint32 as raw
    /// bytes). Files written before the column had 8-byte "timestamps" instead; <see cref="ReadRatings"/> reads both.
    /// </summary>
    internal static void WriteRatings(ModelWriter writer, RatingDataset train)
    {
        writer.Write("users", train.Users);
        writer.Write("items", train.Items);
        writer.Write("values", train.Values);
        long epoch = train.Timestamps.Epoch;
        writer.Write("timestamp_epoch", MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in epoch)).ToArray());
        writer.Write("timestamp_offsets", MemoryMarshal.AsBytes(train.Timestamps.Offsets).ToArray());
    }

    /// <summary>The ratings written by <see cref="WriteRatings"/>, checked against the id maps, as a dataset over them.</summary>
    internal static RatingDataset ReadRatings(ModelContents contents)
    {
        var users = contents.Ints("users");
        var items = contents.Ints("items");
        var values = contents.Floats("values");
        int userCount = contents.UserIds.Count, itemCount = contents.ItemIds.Count;
        bool ok = items.Length == users.Length && values.Length == users.Length;
        foreach (int u in users) ok &= (uint)u < (uint)userCount;
        foreach (int i in items) ok &= (uint)i < (uint)itemCount;
        Check(contents, ok, "the training ratings do not match the id maps");
        return new RatingDataset(contents.UserIds, contents.ItemIds, users, items, values, ReadTimestamps(contents, users.Length), contents.Scale);
    }

    /// <summary>The timestamps written by <see cref="WriteRatings"/>, or by earlier builds as 8-byte "timestamps".</summary>
    private static TimestampColumn ReadTimestamps(ModelContents contents, int count)
    {
        if (!contents.Has("timestamp_offsets"))
        {
            var stamps = contents.Bytes("timestamps");
            Check(contents, stamps.Length == (long)count * sizeof(long), "the training ratings' timestamps do not match the ratings");
            var seconds = MemoryMarshal.Cast<byte, long>(stamps);
            try
            {
                return TimestampColumn.From(seconds);
            }
            catch (OverflowException e)
            {
                throw ModelFileError.Create(contents.Path, e.Message);
            }
        }
        var epochBytes = contents.Bytes("timestamp_epoch");
        var offsetBytes = contents.Bytes("timestamp_offsets");
        Check(contents, epochBytes.Length == sizeof(long) && offsetBytes.Length == (long)count * sizeof(uint),
            "the training ratings' timestamps do not match the ratings");
        long epoch = MemoryMarshal.Read<long>(epochBytes);
        var offsets = MemoryMarshal.Cast<byte, uint>(offsetBytes).ToArray();
        Check(contents, offsets.Length == 0 || epoch <= long.MaxValue - System.Numerics.Tensors.TensorPrimitives.Max<uint>(offsets),
            "the training ratings' timestamps overflow");
        return new TimestampColumn(epoch, offsets);
    }

    /// <summary>A dataset over the rows written by <see cref="WriteRated"/> with values (timestamps 0): what scoring from a user's ratings reads.</summary>
    internal static RatingDataset RatingsOf(ModelContents contents, CsrMatrix rated)
    {
        var users = new int[rated.NonZeros];
        for (int u = 0; u < rated.Rows; u++) users.AsSpan(rated.Offsets[u], rated.RowLength(u)).Fill(u);
        return new RatingDataset(contents.UserIds, contents.ItemIds, users, (int[])rated.Columns.Clone(), (float[])rated.Values.Clone(), new long[users.Length], contents.Scale);
    }

    /// <summary>Which users and items have training ratings, from the rows written by <see cref="WriteRated"/>.</summary>
    internal static (bool[] Users, bool[] Items) Known(CsrMatrix rated)
    {
        var users = new bool[rated.Rows];
        var items = new bool[rated.ColumnCount];
        for (int u = 0; u < rated.Rows; u++) users[u] = rated.RowLength(u) > 0;
        foreach (int i in rated.Columns) items[i] = true;
        return (users, items);
    }

    /// <summary>Strings as UTF-8 bytes ("{name}_utf8") and their end offsets ("{name}_ends"): vocabularies and names.</summary>
    internal static void WriteStrings(ModelWriter writer, string name, IReadOnlyList<string> strings)
    {
        var ends = new int[strings.Count];
        var bytes = new List<byte>();
        for (int s = 0; s < strings.Count; s++)
        {
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(strings[s]));
            ends[s] = bytes.Count;
        }
        writer.Write($"{name}_ends", ends);
        writer.Write($"{name}_utf8", bytes.ToArray());
    }

    /// <summary>The strings written by <see cref="WriteStrings"/>, checked.</summary>
    internal static string[] ReadStrings(ModelContents contents, string name)
    {
        var ends = contents.Ints($"{name}_ends");
        var bytes = contents.Bytes($"{name}_utf8");
        bool ok = ends.Length == 0 ? bytes.Length == 0 : ends[^1] == bytes.Length;
        for (int s = 0; ok && s < ends.Length; s++) ok = ends[s] >= (s == 0 ? 0 : ends[s - 1]);
        Check(contents, ok, $"the strings '{name}' are not laid out as written");
        var strings = new string[ends.Length];
        var utf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
        try
        {
            for (int s = 0; s < ends.Length; s++)
            {
                int start = s == 0 ? 0 : ends[s - 1];
                strings[s] = utf8.GetString(bytes, start, ends[s] - start);
            }
        }
        catch (System.Text.DecoderFallbackException)
        {
            Check(contents, false, $"the strings '{name}' are not UTF-8");
        }
        return strings;
    }

    internal static ReadOnlySpan<int> Row(CsrMatrix? byUser, int user) =>
        byUser is not null && (uint)user < (uint)byUser.Rows ? byUser.RowColumns(user) : default;
}
