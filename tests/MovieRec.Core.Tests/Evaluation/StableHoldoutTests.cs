using MovieRec.Core.Data;
using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

public sealed class StableHoldoutTests
{
    [Fact]
    public void Holds_out_about_the_fraction_and_keeps_membership_when_ratings_are_added()
    {
        var data = TestData.MovieLensSmall.Ratings;
        var split = Splits.StableHoldout(data, 0.1, seed: 3);
        Assert.Equal(data.Count, split.Train.Count + split.Test.Count);
        Assert.InRange(split.Test.Count, data.Count * 0.09, data.Count * 0.11);

        // The same ratings plus a new user's: every earlier rating stays on its side.
        var builder = new RatingDatasetBuilder(IdMap.FromNumeric(data.UserIds.NumericIds), IdMap.FromNumeric(data.ItemIds.NumericIds));
        for (int k = 0; k < data.Count; k++) builder.Add(data.Users[k], data.Items[k], data.Values[k], data.Timestamps[k]);
        int newUser = builder.UserIds.GetOrAdd(-1);
        for (int item = 0; item < 200; item++) builder.Add(newUser, item, 4, 0);
        var grown = Splits.StableHoldout(builder.Build(data.Scale), 0.1, seed: 3);
        var before = Pairs(split.Test);
        var after = Pairs(grown.Test);
        Assert.Subset(after, before);
        Assert.All(after.Except(before), pair => Assert.Equal(-1, pair.User));
        Assert.NotEqual(before, Pairs(Splits.StableHoldout(data, 0.1, seed: 4).Test));
    }

    private static HashSet<(long User, long Item)> Pairs(RatingDataset d)
    {
        var set = new HashSet<(long, long)>();
        for (int k = 0; k < d.Count; k++) set.Add((d.UserIds.ToRawNumeric(d.Users[k]), d.ItemIds.ToRawNumeric(d.Items[k])));
        return set;
    }
}
