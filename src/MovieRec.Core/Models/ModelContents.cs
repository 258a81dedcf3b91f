using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Models;

/// <summary>A model file's contents as read: the header fields and the named arrays.</summary>
public sealed class ModelContents
{
    internal readonly Dictionary<string, Array> Arrays = new(StringComparer.Ordinal);

    public required string Path { get; init; }
    public required int FormatVersion { get; init; }
    public required string Algorithm { get; init; }
    public required string OptionsJson { get; init; }
    public required string DatasetFingerprint { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required IdMap UserIds { get; init; }
    public required IdMap ItemIds { get; init; }
    public required RatingScale Scale { get; init; }
    public required double GlobalMean { get; init; }

    public IReadOnlyCollection<string> ArrayNames => Arrays.Keys;

    public float[] Floats(string name) => Get<float>(name);

    public int[] Ints(string name) => Get<int>(name);

    public byte[] Bytes(string name) => Get<byte>(name);

    /// <summary>
    /// Half-precision values: an f16 array as written, or a float array (as files of earlier builds hold it) rounded to
    /// the nearest half.
    /// </summary>
    public Half[] Halves(string name)
    {
        if (Arrays.TryGetValue(name, out var a) && a is float[] floats)
        {
            var halves = GC.AllocateUninitializedArray<Half>(floats.Length);
            System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(floats, halves);
            return halves;
        }
        return Get<Half>(name);
    }

    /// <summary>Doubles written by <see cref="ModelWriter.Write(string, double[])"/>.</summary>
    public double[] Doubles(string name)
    {
        var bytes = Bytes(name);
        if (bytes.Length % sizeof(double) != 0) throw ModelFileError.Create(Path, $"the array '{name}' is not a whole number of doubles");
        return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    /// <summary>Whether the file holds an array of that name.</summary>
    public bool Has(string name) => Arrays.ContainsKey(name);

    /// <summary>
    /// The contents of a model wrapped inside this one: the arrays written through
    /// <see cref="ModelWriter.Nested"/> with <paramref name="prefix"/> (prefix stripped), the same id maps, scale
    /// and mean, and the inner model's own algorithm name and options.
    /// </summary>
    public ModelContents Nested(string prefix, string algorithm, string optionsJson)
    {
        var inner = new ModelContents
        {
            Path = Path,
            FormatVersion = FormatVersion,
            Algorithm = algorithm,
            OptionsJson = optionsJson,
            DatasetFingerprint = DatasetFingerprint,
            Created = Created,
            UserIds = UserIds,
            ItemIds = ItemIds,
            Scale = Scale,
            GlobalMean = GlobalMean,
        };
        string start = prefix + ".";
        foreach (var (name, data) in Arrays)
        {
            if (name.StartsWith(start, StringComparison.Ordinal)) inner.Arrays[name[start.Length..]] = data;
        }
        return inner;
    }

    private T[] Get<T>(string name) =>
        Arrays.TryGetValue(name, out var a) && a is T[] typed ? typed : throw ModelFileError.Create(Path, $"the array '{name}' is missing or of the wrong type");
}
