using System.Runtime.InteropServices;

namespace MovieRec.Core.Models;

/// <summary>Collects named arrays for a model file; each is written as raw little-endian bytes.</summary>
public sealed class ModelWriter
{
    internal readonly List<(string Name, byte Type, Array Data)> Arrays;
    private readonly string _prefix;

    public ModelWriter()
        : this([], "")
    {
    }

    private ModelWriter(List<(string Name, byte Type, Array Data)> arrays, string prefix)
    {
        Arrays = arrays;
        _prefix = prefix;
    }

    /// <summary>A writer whose arrays are named "<paramref name="prefix"/>.name" (a wrapped model's arrays).</summary>
    public ModelWriter Nested(string prefix) => new(Arrays, $"{_prefix}{prefix}.");

    public void Write(string name, float[] data) => Arrays.Add((_prefix + name, ModelFile.FloatType, data));

    public void Write(string name, int[] data) => Arrays.Add((_prefix + name, ModelFile.IntType, data));

    public void Write(string name, byte[] data) => Arrays.Add((_prefix + name, ModelFile.ByteType, data));

    /// <summary>Half-precision floats (format version 2: a file holding one is written as version 2).</summary>
    public void Write(string name, Half[] data) => Arrays.Add((_prefix + name, ModelFile.HalfType, data));

    /// <summary>Doubles as their raw bytes (a byte array, so the format keeps its three element types).</summary>
    public void Write(string name, double[] data) => Write(name, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
}
