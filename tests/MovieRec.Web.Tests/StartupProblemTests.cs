using MovieRec.Core.Data;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>The start-up sentence built around a loader's message reads as sentences (most loader messages carry no full stop).</summary>
public sealed class StartupProblemTests
{
    [Fact]
    public void A_loader_message_without_a_full_stop_ends_its_sentence_before_the_fix()
    {
        var text = StartupProblem.Describe(new DataFormatException("/data/plays.csv", 0, null, "holds no dataset format MovieRec knows"), new MovieRecOptions(), out bool expected);
        Assert.True(expected);
        Assert.Contains("holds no dataset format MovieRec knows. Fix the file", text, StringComparison.Ordinal);
        text = StartupProblem.Describe(new DataFormatException("/data/plays.csv", 0, null, "is bad."), new MovieRecOptions(), out _);
        Assert.Contains("is bad. Fix the file", text, StringComparison.Ordinal);
    }
}
