using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>One train/test pair. Both parts share the source dataset's id maps, so dense ids agree.</summary>
public sealed record TrainTestSplit(string Name, RatingDataset Train, RatingDataset Test);

/// <summary>
/// Seeded ways to split ratings into training and test sets. Every split keeps ratings in their original order
/// within each part (SGD models visit ratings in dataset order, and user-ordered data is faster to train on).
/// </summary>
public static class Splits
{
    /// <summary>A random holdout: <paramref name="testFraction"/> of the ratings, chosen with a seeded shuffle, go to test.</summary>
    public static TrainTestSplit Random(RatingDataset data, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException($"testFraction must be between 0 and 1 (exclusive), not {testFraction}.", nameof(testFraction));
        var order = Shuffled(data.Count, seed);
        int testCount = (int)Math.Round(testFraction * data.Count);
        return Make("holdout", data, order.AsSpan(testCount), order.AsSpan(0, testCount));
    }

    /// <summary>
    /// A holdout whose membership depends only on the (user, item) pair and the seed: rating (u, i) is held out when a
    /// hash of its raw ids falls in the lowest <paramref name="testFraction"/> of the range. Adding ratings to a
    /// dataset leaves every earlier rating on the same side, so model versions trained on growing data are compared
    /// on (nearly) the same held-out ratings. Training order stays the data's order.
    /// </summary>
    public static TrainTestSplit StableHoldout(RatingDataset data, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException($"testFraction must be between 0 and 1 (exclusive), not {testFraction}.", nameof(testFraction));
        ulong cut = (ulong)(testFraction * ulong.MaxValue);
        var train = new List<int>(data.Count);
        var test = new List<int>((int)(data.Count * testFraction) + 16);
        bool numeric = data.UserIds.IsNumeric && data.ItemIds.IsNumeric;
        for (int k = 0; k < data.Count; k++)
        {
            ulong user = numeric ? (ulong)data.UserIds.ToRawNumeric(data.Users[k]) : (ulong)data.Users[k];
            ulong item = numeric ? (ulong)data.ItemIds.ToRawNumeric(data.Items[k]) : (ulong)data.Items[k];
            (Mix(user, item, (ulong)seed) <= cut ? test : train).Add(k);
        }
        return Make("stable-holdout", data, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(train), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(test));
    }

    // SplitMix64 finaliser over the pair: a fixed, well-spread hash (HashCode is randomised per process).
    private static ulong Mix(ulong a, ulong b, ulong seed)
    {
        ulong z = a * 0x9E3779B97F4A7C15UL ^ (b + 0x632BE59BD9B4E019UL) * 0xBF58476D1CE4E5B9UL ^ seed * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// K-fold cross-validation as Surprise's <c>KFold(n_splits, random_state, shuffle=True)</c>: the rating indices are
    /// shuffled once with the seed, then cut into <paramref name="folds"/> consecutive blocks, the first
    /// <c>n % folds</c> blocks one rating longer. Fold f tests on block f and trains on the rest, so every rating is
    /// tested exactly once. (Our shuffle is .NET's seeded <see cref="System.Random"/>, not numpy's, so the folds
    /// differ from Surprise's while following the same rule.)
    /// </summary>
    public static IReadOnlyList<TrainTestSplit> KFold(RatingDataset data, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2) throw new ArgumentException($"folds must be at least 2, not {folds}.", nameof(folds));
        if (folds > data.Count) throw new ArgumentException($"folds ({folds}) cannot exceed the number of ratings ({data.Count}).", nameof(folds));
        var order = Shuffled(data.Count, seed);
        var result = new TrainTestSplit[folds];
        int start, stop = 0;
        for (int f = 0; f < folds; f++)
        {
            start = stop;
            stop += data.Count / folds;
            if (f < data.Count % folds) stop++;
            var train = new int[data.Count - (stop - start)];
            order.AsSpan(0, start).CopyTo(train);
            order.AsSpan(stop).CopyTo(train.AsSpan(start));
            result[f] = Make($"fold {f + 1}", data, train, order.AsSpan(start, stop - start));
        }
        return result;
    }

    /// <summary>
    /// Leave-latest-out: each user's rating with the largest timestamp is held out (ties: the larger raw movie id),
    /// the protocol of ../shared/reference. Users with a single rating keep it in training, so every test user is
    /// known to the model (every ml-latest-small user has at least 20 ratings: 610 held out, 100,226 train).
    /// </summary>
    public static TrainTestSplit LeaveLatestOut(RatingDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var byUser = data.ByUser;
        var ratingIndex = byUser.RatingIndex;
        var isTest = new bool[data.Count];
        int testCount = 0;
        for (int u = 0; u < byUser.Rows; u++)
        {
            int from = byUser.Offsets[u], to = byUser.Offsets[u + 1];
            if (to - from < 2) continue;
            int best = ratingIndex[from];
            for (int p = from + 1; p < to; p++)
            {
                int k = ratingIndex[p];
                long t = data.Timestamps[k], bt = data.Timestamps[best];
                if (t > bt || (t == bt && CompareRawItems(data.ItemIds, data.Items[k], data.Items[best]) > 0))
                    best = k;
            }
            isTest[best] = true;
            testCount++;
        }
        return Partition("leave-latest-out", data, isTest, testCount);
    }

    /// <summary>
    /// A global temporal split: ratings ordered by timestamp (stable, so equal timestamps keep dataset order) and the
    /// latest <paramref name="testFraction"/> of them held out, i.e. the cut is the (1 - fraction) timestamp quantile.
    /// </summary>
    public static TrainTestSplit Temporal(RatingDataset data, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException($"testFraction must be between 0 and 1 (exclusive), not {testFraction}.", nameof(testFraction));
        var order = new int[data.Count];
        for (int k = 0; k < order.Length; k++) order[k] = k;
        var keys = data.Timestamps.ToArray();
        // Array.Sort is unstable; sorting (timestamp, index) pairs makes it deterministic and stable.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        int testCount = (int)Math.Round(testFraction * data.Count);
        var isTest = new bool[data.Count];
        for (int p = data.Count - testCount; p < data.Count; p++) isTest[order[p]] = true;
        return Partition("temporal", data, isTest, testCount);
    }

    /// <summary>The splits shipped with the release (ml-100k u1..u5, ua, ub); <paramref name="prefix"/> filters by name.</summary>
    public static IReadOnlyList<TrainTestSplit> Predefined(Dataset dataset, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var list = new List<TrainTestSplit>();
        foreach (var s in dataset.PredefinedSplits)
        {
            if (prefix is null || s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                list.Add(new TrainTestSplit(s.Name, s.Train, s.Test));
        }
        if (list.Count == 0)
            throw new ArgumentException($"Dataset '{dataset.Name}' ships no predefined splits{(prefix is null ? "" : $" named {prefix}*")}.", nameof(dataset));
        return list;
    }

    /// <summary>Compares two items by raw id: numerically for numeric maps, ordinally for string maps.</summary>
    private static int CompareRawItems(IdMap items, int a, int b) =>
        items.IsNumeric
            ? items.ToRawNumeric(a).CompareTo(items.ToRawNumeric(b))
            : string.CompareOrdinal(items.ToRaw(a), items.ToRaw(b));

    /// <summary>0..n-1 in a seeded Fisher-Yates order.</summary>
    internal static int[] Shuffled(int n, int seed)
    {
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        new System.Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The train part keeps the shuffled order, as Surprise's folds do: SGD models visit each user's ratings in
    /// training-set order, and a sorted order (by movie id in MovieLens files) costs SVD about 0.004 RMSE.
    /// </summary>
    private static TrainTestSplit Make(string name, RatingDataset data, ReadOnlySpan<int> train, ReadOnlySpan<int> test)
    {
        var testSorted = test.ToArray();
        Array.Sort(testSorted);
        return new TrainTestSplit(name, data.Subset(train), data.Subset(testSorted));
    }

    private static TrainTestSplit Partition(string name, RatingDataset data, bool[] isTest, int testCount)
    {
        var train = new int[data.Count - testCount];
        var test = new int[testCount];
        int a = 0, b = 0;
        for (int k = 0; k < isTest.Length; k++)
        {
            if (isTest[k]) test[b++] = k;
            else train[a++] = k;
        }
        return new TrainTestSplit(name, data.Subset(train), data.Subset(test));
    }
}
