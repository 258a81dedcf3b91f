using System.Buffers.Binary;
using MovieRec.Core.Models;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// Model files crafted to attack the reader: a well-formed header and a valid checksum around a body that declares
/// far more than it holds, so only the reader's own size checks stand between it and a huge allocation.
/// </summary>
public static class CraftedModelFile
{
    /// <summary>A file whose user id map (string ids) declares 0x7FFFFFFF ids and holds 16 bytes.</summary>
    public static byte[] HugeIdMapCount()
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("svd");
            w.Write("{}");
            w.Write("");
            w.Write(0L);
            w.Write(0.5f);
            w.Write(5f);
            w.Write(0.5f);
            w.Write(3.5);
            w.Write((byte)1); // string ids
            w.Write(0x7FFFFFFF);
            w.Write(new byte[16]);
        }
        byte[] payload = body.ToArray();
        var file = new byte[24 + payload.Length];
        "MREC"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), ModelFile.CurrentVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(8), (ulong)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), ModelFile.Checksum(payload));
        payload.CopyTo(file, 24);
        return file;
    }
}

public sealed class CraftedModelFileTests
{
    [Fact]
    public void A_huge_id_count_is_refused_by_a_size_check_before_allocating()
    {
        using var folder = TestData.NewFolder();
        string path = Path.Combine(folder.Path, "crafted.mrec");
        File.WriteAllBytes(path, CraftedModelFile.HugeIdMapCount());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("declares 2147483647 ids", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"reading the crafted file allocated {allocated} bytes");
    }
}
