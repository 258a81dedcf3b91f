using MovieRec.Core.Data;
using Xunit;

namespace MovieRec.Core.Tests.Data;

/// <summary>
/// Timestamps are stored in 4 bytes each as offsets from the dataset's earliest one: every value reads back exactly,
/// before 1970 and after 2038 too, and a file whose timestamps span more than 136 years is refused naming the file.
/// </summary>
public sealed class TimestampColumnTests
{
    [Fact]
    public void Values_before_1970_and_after_2038_read_back_exactly()
    {
        long[] seconds = [1_700_000_000, -1_000_000_000, 3_000_000_000, 2_147_483_648, 0, -1_000_000_000 + (long)uint.MaxValue];
        var column = TimestampColumn.From(seconds);
        Assert.Equal(-1_000_000_000, column.Epoch);
        Assert.Equal(seconds.Length, column.Length);
        for (int k = 0; k < seconds.Length; k++) Assert.Equal(seconds[k], column[k]);
        Assert.Equal(seconds, column.ToArray());
        Assert.Equal(seconds.Min(), column.Min());
        Assert.Equal(seconds.Max(), column.Max());
        var subset = column.Subset([2, 0]);
        Assert.Equal([3_000_000_000, 1_700_000_000], subset.ToArray());
        Assert.Equal(TimestampColumn.From([3_000_000_000, 1_700_000_000]), subset);
        Assert.NotEqual(TimestampColumn.From([3_000_000_000, 1_700_000_001]), subset);
    }

    [Fact]
    public void A_dataset_keeps_its_timestamps_through_subsets()
    {
        var builder = new RatingDatasetBuilder();
        builder.Add(1L, 10L, 4f, -86_400);
        builder.Add(1L, 11L, 3f, 4_102_444_800); // 2100-01-01
        builder.Add(2L, 10L, 5f, 946_684_800);
        var data = builder.Build();
        Assert.Equal([-86_400, 4_102_444_800, 946_684_800], data.Timestamps.ToArray());
        Assert.Equal([946_684_800, -86_400], data.Subset([2, 0]).Timestamps.ToArray());
    }

    [Fact]
    public void Timestamps_more_than_136_years_apart_are_refused()
    {
        Assert.Throws<OverflowException>(() => TimestampColumn.From([0, (long)uint.MaxValue + 1]));
        Assert.Throws<OverflowException>(() => TimestampColumn.From([long.MinValue, long.MaxValue]));
        Assert.Equal((long)uint.MaxValue, TimestampColumn.From([0, uint.MaxValue])[1]);
    }

    [Fact]
    public void A_ratings_file_in_milliseconds_over_decades_is_an_error_naming_the_file()
    {
        using var tmp = TestData.NewFolder();
        tmp.Write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n");
        tmp.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,2.0,828000000000\n1,2,3.0,1690000000000\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(tmp.Path));
        Assert.Contains("ratings.csv", e.Message, StringComparison.Ordinal);
        Assert.Equal("timestamp", e.Field);
        Assert.Contains("828000000000", e.Message, StringComparison.Ordinal);
    }
}
