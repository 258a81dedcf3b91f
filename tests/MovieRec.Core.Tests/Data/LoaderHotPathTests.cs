using System.Text;
using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;

namespace MovieRec.Core.Tests.Data;

/// <summary>The loader's fast paths (zero-copy records, direct id table, sorted dedup) give the same answers as the slow ones.</summary>
public class LoaderHotPathTests
{
    [Fact]
    public void Records_across_read_buffer_boundaries_and_quoted_newlines_are_read_whole()
    {
        // ~2.5 MB of CRLF rows, with a quoted field holding a newline every 1,000 rows: some records straddle the
        // reader's 1 MiB buffer and must be assembled from two reads.
        var text = new StringBuilder("id,title,n\r\n");
        int rows = 60_000;
        for (int i = 0; i < rows; i++)
        {
            if (i % 1000 == 7) text.Append(i).Append(",\"two\nlines, \"\"quoted\"\"\",").Append(i * 3).Append("\r\n");
            else text.Append(i).Append(",title number ").Append(i).Append(',').Append(i * 3).Append("\r\n");
        }
        using var reader = DelimitedReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), "t.csv");
        Assert.True(reader.Read());
        int read = 0;
        while (reader.Read())
        {
            Assert.Equal(3, reader.FieldCount);
            int id = reader.Int(0, "id");
            Assert.Equal(read, id);
            Assert.Equal(id * 3L, reader.Long(2, "n"));
            var title = reader.Text(1, "title");
            Assert.Equal(id % 1000 == 7 ? "two\nlines, \"quoted\"" : $"title number {id}", title);
            read++;
        }
        Assert.Equal(rows, read);
    }

    [Fact]
    public void Line_numbers_stay_right_after_multi_line_records()
    {
        var csv = "a,b\n1,\"x\ny\"\n2,z\nthree,w\n";
        using var reader = DelimitedReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "t.csv");
        reader.Read();
        reader.Read();
        reader.Read();
        Assert.Equal(4, reader.Line);
        reader.Read();
        var e = Assert.Throws<DataFormatException>(() => reader.Int(0, "a"));
        Assert.Equal(5, e.Line);
    }

    [Fact]
    public void Small_large_and_negative_ids_map_both_ways()
    {
        var map = IdMap.CreateNumeric();
        long[] raw = [5, 1_000_000, 1L << 20, 5_000_000_000, -3, 0, 5, 1_048_575, -3];
        var dense = raw.Select(map.GetOrAdd).ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, 0, 6, 4], dense);
        Assert.Equal(7, map.Count);
        for (int i = 0; i < raw.Length; i++)
        {
            Assert.Equal(dense[i], map.ToDense(raw[i]));
            Assert.Equal(raw[i], map.ToRawNumeric(dense[i]));
        }
        Assert.Equal(-1, map.ToDense(6));
        Assert.Equal(-1, map.ToDense(1L << 40));
        Assert.Equal(2, map.ToDense("1048576"));
    }

    [Fact]
    public void Duplicates_merge_the_same_whether_rows_are_grouped_by_user_or_not()
    {
        (long User, long Item, float Value, long Time)[] rows =
        [
            (1, 10, 3, 100), (1, 11, 4, 100), (1, 10, 5, 200), (2, 10, 1, 50), (2, 10, 2, 40), (3, 12, 4, 10), (3, 12, 4.5f, 10),
        ];
        var sorted = new RatingDatasetBuilder();
        foreach (var r in rows) sorted.Add(r.User, r.Item, r.Value, r.Time);
        var shuffled = new RatingDatasetBuilder();
        foreach (var r in rows.Reverse()) shuffled.Add(r.User, r.Item, r.Value, r.Time);

        foreach (var (builder, tieWinner) in new[] { (sorted, 4.5f), (shuffled, 4f) })
        {
            var data = builder.Build(RatingScale.HalfStars);
            Assert.Equal(3, builder.DuplicatesMerged);
            var kept = Enumerable.Range(0, data.Count)
                .ToDictionary(k => (data.UserIds.ToRawNumeric(data.Users[k]), data.ItemIds.ToRawNumeric(data.Items[k])), k => data.Values[k]);
            Assert.Equal(5f, kept[(1, 10)]);   // latest timestamp wins
            Assert.Equal(1f, kept[(2, 10)]);
            Assert.Equal(tieWinner, kept[(3, 12)]); // a tie keeps the later row
            Assert.Equal(4, kept.Count);
        }
    }
}
