using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace MovieRec.Core.Tests.Models;

/// <summary>
/// Writes a saved Spark ALSModel folder the way Spark 3.x lays it out: metadata/part-00000 (one JSON line, plus
/// _SUCCESS and .crc files), userFactors/ and itemFactors/ with several part-NNNNN-uuid-c000[.snappy].parquet files
/// whose schema is Spark's for a (Int, Array[Float]) DataFrame: <c>required int32 id</c> and
/// <c>optional group features (LIST) { repeated group list { required float element; } }</c>.
/// </summary>
public static class SparkAlsFixture
{
    public const string Uid = "als_4f2b9a1c7d3e";

    /// <summary>The metadata line Spark 3.5's DefaultParamsWriter writes for an ALSModel (ALSModelWriter adds "rank").</summary>
    public static string Metadata(int rank, string extraParams = "") =>
        "{\"class\":\"org.apache.spark.ml.recommendation.ALSModel\",\"timestamp\":1718035200000,\"sparkVersion\":\"3.5.1\","
        + $"\"uid\":\"{Uid}\",\"paramMap\":{{\"userCol\":\"userId\",\"itemCol\":\"movieId\",\"coldStartStrategy\":\"drop\"{extraParams}}},"
        + "\"defaultParamMap\":{\"blockSize\":4096,\"predictionCol\":\"prediction\",\"itemCol\":\"item\",\"userCol\":\"user\",\"coldStartStrategy\":\"nan\"},"
        + string.Create(CultureInfo.InvariantCulture, $"\"rank\":{rank}}}");

    /// <summary>Random factors for the given ids, N(0.3, 0.2) per value like a trained ALS model's (seeded).</summary>
    public static float[] RandomFactors(int count, int rank, int seed)
    {
        var rng = new Random(seed);
        var f = new float[count * rank];
        for (int k = 0; k < f.Length; k++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            f[k] = (float)(0.3 + 0.2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return f;
    }

    /// <summary>Writes the whole model folder.</summary>
    public static void Write(string folder, int rank, int[] userIds, float[] userFactors, int[] itemIds, float[] itemFactors, int parts = 4, string? metadata = null)
    {
        WriteMetadata(folder, metadata ?? Metadata(rank));
        WriteFactors(Path.Combine(folder, "userFactors"), rank, userIds, userFactors, parts);
        WriteFactors(Path.Combine(folder, "itemFactors"), rank, itemIds, itemFactors, parts);
    }

    public static void WriteMetadata(string folder, string json)
    {
        string meta = Path.Combine(folder, "metadata");
        Directory.CreateDirectory(meta);
        File.WriteAllText(Path.Combine(meta, "part-00000"), json + "\n");
        File.WriteAllText(Path.Combine(meta, ".part-00000.crc"), "crc");
        File.WriteAllText(Path.Combine(meta, "_SUCCESS"), "");
        File.WriteAllText(Path.Combine(meta, "._SUCCESS.crc"), "crc");
    }

    /// <summary>
    /// Splits the rows round-robin into <paramref name="parts"/> part files (Spark's hash partitioning also scatters
    /// ids), alternating snappy and uncompressed, each part written as two row groups.
    /// </summary>
    public static void WriteFactors(string folder, int rank, int[] ids, float[] features, int parts = 4)
    {
        Directory.CreateDirectory(folder);
        string job = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        for (int p = 0; p < parts; p++)
        {
            var rows = new List<int>();
            for (int k = p; k < ids.Length; k += parts) rows.Add(k);
            bool snappy = p % 2 == 0;
            string name = string.Create(CultureInfo.InvariantCulture, $"part-{p:00000}-{job}-c000{(snappy ? ".snappy" : "")}.parquet");
            WritePart(Path.Combine(folder, name), rank, rows.Select(k => ids[k]).ToArray(), rows.Select(k => features.AsSpan(k * rank, rank).ToArray()).ToArray(),
                snappy ? CompressionMethod.Snappy : CompressionMethod.None);
            File.WriteAllText(Path.Combine(folder, "." + name + ".crc"), "crc");
        }
        File.WriteAllText(Path.Combine(folder, "_SUCCESS"), "");
    }

    /// <summary>One part file in two row groups; rows may have any length (to write malformed files).</summary>
    public static void WritePart(string file, int rank, int[] ids, float[][] rows, CompressionMethod compression = CompressionMethod.Snappy)
    {
        var id = new DataField<int>("id");
        var element = new DataField<float>("element");
        var schema = new ParquetSchema(id, new ListField("features", element));
        WriteGroups(file, schema, compression, ids.Length, async (group, from, to) =>
        {
            await group.WriteAsync<int>(id, ids.AsMemory(from, to - from));
            var (values, levels) = Flatten(rows, from, to);
            await group.WriteAllPartsAsync<float>(element, values, Defined(levels.Length, element.MaxDefinitionLevel), levels, CancellationToken.None);
        });
    }

    /// <summary>
    /// A part file in Spark's legacy list layout (<c>spark.sql.parquet.writeLegacyFormat=true</c>, Spark 1.x/2.x
    /// Hive-compatible): <c>optional group features (LIST) { repeated group bag { optional float array; } }</c>.
    /// </summary>
    public static void WriteLegacyPart(string file, int[] ids, float[][] rows)
    {
        var id = new DataField<int>("id");
        var element = new DataField<float?>("array");
        var schema = new ParquetSchema(id, new ListField("features", element, "bag"));
        WriteGroups(file, schema, CompressionMethod.Snappy, ids.Length, async (group, from, to) =>
        {
            await group.WriteAsync<int>(id, ids.AsMemory(from, to - from));
            var (values, levels) = Flatten(rows, from, to);
            await group.WriteAllPartsAsync<float>(element, values, Defined(levels.Length, element.MaxDefinitionLevel), levels, CancellationToken.None);
        });
    }

    /// <summary>A part file with other columns (for the missing-column and wrong-type cases).</summary>
    public static void WriteOddPart(string file, string idName, int[] ids, double[][] rows)
    {
        var id = new DataField<int>(idName);
        var element = new DataField<double>("element");
        var schema = new ParquetSchema(id, new ListField("features", element));
        WriteGroups(file, schema, CompressionMethod.None, ids.Length, async (group, from, to) =>
        {
            await group.WriteAsync<int>(id, ids.AsMemory(from, to - from));
            var values = new List<double>();
            var levels = new List<int>();
            for (int r = from; r < to; r++)
                for (int c = 0; c < rows[r].Length; c++)
                {
                    values.Add(rows[r][c]);
                    levels.Add(c == 0 ? 0 : 1);
                }
            await group.WriteAllPartsAsync<double>(element, values.ToArray(), Defined(levels.Count, element.MaxDefinitionLevel), levels.ToArray(), CancellationToken.None);
        });
    }

    /// <summary>Every value present: the list is defined and so is each element.</summary>
    private static int[] Defined(int count, int level) => Enumerable.Repeat(level, count).ToArray();

    private static (float[] Values, int[] Levels) Flatten(float[][] rows, int from, int to)
    {
        var values = new List<float>();
        var levels = new List<int>();
        for (int r = from; r < to; r++)
            for (int c = 0; c < rows[r].Length; c++)
            {
                values.Add(rows[r][c]);
                levels.Add(c == 0 ? 0 : 1);
            }
        return (values.ToArray(), levels.ToArray());
    }

    private static void WriteGroups(string file, ParquetSchema schema, CompressionMethod compression, int count, Func<ParquetRowGroupWriter, int, int, Task> write)
    {
        Task.Run(async () =>
        {
            await using var stream = File.Create(file);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = compression });
            int half = count / 2;
            foreach (var (from, to) in new[] { (0, half), (half, count) })
            {
                if (to == from && count > 0) continue;
                using var group = writer.CreateRowGroup();
                await write(group, from, to);
            }
        }).GetAwaiter().GetResult();
    }
}
