using MovieRec.Core.Algorithms;
using MovieRec.Core.Algorithms.MatrixFactorization;
using MovieRec.Core.Data;
using Xunit;
using Xunit.Abstractions;

namespace MovieRec.Core.Tests.Algorithms.MatrixFactorization;

/// <summary>
/// Fold-in against a retrain: hold some users out, fold each in from 20 of their ratings, and compare predictions
/// for their other ratings with those of a model retrained on everything plus those 20 ratings.
/// </summary>
public sealed class FoldInTests(ITestOutputHelper output)
{
    private const int ProfileSize = 20;

    public static TheoryData<string> Models => new() { "svd", "svdpp" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Fold_in_predicts_close_to_a_retrain_that_included_the_user(string algorithm)
    {
        var data = TestData.MovieLensSmall.Ratings;
        var byUser = data.ByUser;
        var heldOut = new List<int>();
        for (int u = 0; u < data.UserCount && heldOut.Count < 15; u += 7)
        {
            if (byUser.RowLength(u) >= 60) heldOut.Add(u);
        }
        var isHeld = new bool[data.UserCount];
        foreach (int u in heldOut) isHeld[u] = true;
        // Per held-out user: the first ProfileSize ratings (random order, seeded) are the profile, the rest are queries.
        var rng = new Random(11);
        var profileIdx = new List<int>();
        var queries = new Dictionary<int, List<int>>();
        var train = new List<int>();
        for (int u = 0; u < data.UserCount; u++)
        {
            var idx = byUser.RatingIndex.AsSpan(byUser.Offsets[u], byUser.RowLength(u)).ToArray();
            if (!isHeld[u])
            {
                train.AddRange(idx);
                continue;
            }
            rng.Shuffle(idx);
            profileIdx.AddRange(idx.AsSpan(0, ProfileSize).ToArray());
            queries[u] = [.. idx.AsSpan(ProfileSize).ToArray()];
        }
        var without = (FactorModel)AlgorithmCatalog.Create(algorithm);
        without.Fit(new TrainingData(data.Subset(train.ToArray())), TrainingContext.Deterministic(0));
        var with = (FactorModel)AlgorithmCatalog.Create(algorithm);
        with.Fit(new TrainingData(data.Subset([.. train, .. profileIdx])), TrainingContext.Deterministic(0));

        var folded = new List<float>();
        var retrained = new List<float>();
        var truth = new List<float>();
        foreach (int u in heldOut)
        {
            var profile = new List<ItemRating>();
            foreach (int k in profileIdx)
            {
                if (data.Users[k] == u) profile.Add(new ItemRating(data.Items[k], data.Values[k]));
            }
            var user = without.FoldIn(profile.ToArray());
            Assert.False(without.IsUserKnown(u));
            foreach (int k in queries[u])
            {
                folded.Add(without.Predict(user, data.Items[k]));
                retrained.Add(with.Predict(u, data.Items[k]));
                truth.Add(data.Values[k]);
            }
        }
        double corr = Correlation(folded, retrained);
        double rmseFolded = Rmse(folded, truth), rmseRetrained = Rmse(retrained, truth);
        output.WriteLine($"{algorithm}: correlation {corr:F3}, fold-in RMSE {rmseFolded:F4}, retrain RMSE {rmseRetrained:F4}, {truth.Count} queries");
        Assert.True(corr > 0.8, $"correlation {corr:F3}");
        Assert.True(rmseFolded < rmseRetrained + 0.05, $"fold-in RMSE {rmseFolded:F4} vs retrain {rmseRetrained:F4}");
    }

    [Fact]
    public void Folding_a_known_user_in_with_a_new_rating_moves_them_towards_it()
    {
        var model = new Svd(new SvdOptions { Factors = 20, Epochs = 10 });
        model.Fit(new TrainingData(MfTestData.Train), TrainingContext.Deterministic(0));
        // A light user (few ratings), so that one new rating visibly moves them.
        int user = 0;
        for (int u = 0; u < model.UserCount; u++)
        {
            if (model.IsUserKnown(u) && model.RatedBy(u).Length < model.RatedBy(user).Length) user = u;
        }
        var scores = new float[model.ItemCount];
        model.Score(user, scores);
        int worst = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (model.IsItemKnown(i) && scores[i] < scores[worst]) worst = i;
        }
        // The service folds an account in from all its ratings; the trained model itself never changes.
        var before = model.FoldIn(ContractData.RatingsOf(MfTestData.Train, user));
        var after = model.FoldIn([.. ContractData.RatingsOf(MfTestData.Train, user), new ItemRating(worst, 5f)]);
        float trained = model.Predict(user, worst);
        Assert.True(model.Predict(after, worst) > model.Predict(before, worst) + 0.3, $"{model.Predict(before, worst)} -> {model.Predict(after, worst)}");
        Assert.Equal(trained, model.Predict(user, worst));
    }

    /// <summary>
    /// One rating says little about a person's scale: a new user who gives Toy Story 1 star is not someone who rates
    /// everything 1.3 (what the fold-in showed before its prior), and five 5-star favourites do not make every movie 5.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void A_handful_of_ratings_moves_the_stars_shown_only_part_of_the_way(string algorithm)
    {
        var data = TestData.MovieLensSmall.Ratings;
        var model = (FactorModel)AlgorithmCatalog.Create(algorithm);
        model.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        var unshrunk = (FactorModel)AlgorithmCatalog.Create(algorithm, AlgorithmParameters.Parse(["fold-in-prior=0"]));
        unshrunk.Fit(new TrainingData(data), TrainingContext.Deterministic(0));
        int Item(long movieId) => data.ItemIds.ToDense(movieId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int[] mostRated = [.. Enumerable.Range(0, data.ItemCount).OrderByDescending(i => data.ByItem.RowLength(i)).Take(40)];
        var nobody = model.FoldIn([]);
        double Mean(FactorModel m, FoldedUser user, int[] items) => items.Average(i => m.Predict(user, i));

        ItemRating[] dislike = [new ItemRating(Item(1), 1f)]; // Toy Story
        var others = mostRated.Where(i => i != Item(1)).ToArray();
        double population = Mean(model, nobody, others), shrunk = Mean(model, model.FoldIn(dislike), others), raw = Mean(unshrunk, unshrunk.FoldIn(dislike), others);
        output.WriteLine($"{algorithm}, Toy Story at 1 star: {population:0.00} for nobody, {shrunk:0.00} shown, {raw:0.00} without the prior");
        Assert.InRange(population - shrunk, 0.05, 0.7);
        Assert.True(population - raw > 1, $"without the prior {raw:0.00}");

        // Five horror favourites at 5 stars: The Shining, Psycho, The Exorcist, Friday the 13th, A Nightmare on Elm Street.
        ItemRating[] favourites = [.. new long[] { 1258, 1219, 1997, 1974, 1347 }.Select(id => new ItemRating(Item(id), 5f))];
        var rest = mostRated.Where(i => !favourites.Any(f => f.Item == i)).ToArray();
        var user = model.FoldIn(favourites);
        double fan = Mean(model, user, rest), rawFan = Mean(unshrunk, unshrunk.FoldIn(favourites), rest);
        int fives = rest.Count(i => model.Predict(user, i) >= 4.95f);
        output.WriteLine($"{algorithm}, horror favourites: {fan:0.00} shown ({fives} of {rest.Length} at 5), {rawFan:0.00} without the prior");
        Assert.InRange(fan - Mean(model, nobody, rest), 0.05, 0.6);
        Assert.True(fives <= rest.Length / 4, $"{fives} of {rest.Length} predicted 5 stars");
        Assert.True(rawFan > fan + 0.3, $"without the prior {rawFan:0.00}");
    }

    [Fact]
    public void Fold_in_of_unknown_items_only_falls_back_to_item_means()
    {
        var model = new Svd(new SvdOptions { Factors = 10, Epochs = 3 });
        model.Fit(new TrainingData(MfTestData.FirstRatings(3_000)), TrainingContext.Deterministic(0));
        var user = model.FoldIn([new ItemRating(1_000_000, 4f)]);
        Assert.Equal((float)model.Scale.Clip(model.GlobalMean + model.ItemBiasOf(0)), model.Predict(user, 0), 5);
    }

    private static double Correlation(List<float> a, List<float> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int k = 0; k < a.Count; k++)
        {
            sab += (a[k] - ma) * (b[k] - mb);
            saa += (a[k] - ma) * (a[k] - ma);
            sbb += (b[k] - mb) * (b[k] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    private static double Rmse(List<float> a, List<float> b)
    {
        double se = 0;
        for (int k = 0; k < a.Count; k++) se += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.Sqrt(se / a.Count);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_later_rating_of_an_item_replaces_the_earlier_and_unknown_items_are_ignored(string algorithm)
    {
        var data = TestData.MovieLensSmall.Ratings;
        var model = (FactorModel)AlgorithmCatalog.Create(algorithm);
        model.Fit(new TrainingData(data.Subset([.. Enumerable.Range(0, data.Count / 4)])), TrainingContext.Deterministic(0));
        int[] known = [.. Enumerable.Range(0, model.ItemCount).Where(model.IsItemKnown).Take(300)];
        Assert.Equal(300, known.Length);
        // Given in any order, with repeats (the last counts) and items the model does not know: the same user as the
        // distinct known ratings in item order. 300 ratings: more than the factors (the primal solve) and more than fit
        // on the stack.
        var rng = new Random(5);
        var expected = known.Select(i => new ItemRating(i, rng.Next(1, 11) / 2f)).ToArray();
        var given = new List<ItemRating>();
        foreach (var r in expected.Reverse())
        {
            given.Add(new ItemRating(r.Item, 0.5f));
            given.Add(new ItemRating(-1 - r.Item, 3f));
        }
        foreach (var r in expected.Reverse()) given.Add(r);
        var plain = (FactorModel.FoldedFactorUser)model.FoldIn(expected);
        var messy = (FactorModel.FoldedFactorUser)model.FoldIn(given.ToArray());
        Assert.Equal(expected, messy.Ratings.ToArray());
        Assert.Equal(plain.Bias, messy.Bias);
        Assert.Equal(plain.Vector, messy.Vector);
        // A handful (the dual solve) behaves the same.
        var few = (FactorModel.FoldedFactorUser)model.FoldIn([expected[3], expected[1], new ItemRating(expected[3].Item, 1f), expected[2]]);
        var fewPlain = (FactorModel.FoldedFactorUser)model.FoldIn([expected[1], expected[2], new ItemRating(expected[3].Item, 1f)]);
        Assert.Equal(fewPlain.Vector, few.Vector);
        Assert.Throws<ArgumentException>(() => model.FoldIn([new ItemRating(-5, float.NaN)]));
    }
}
