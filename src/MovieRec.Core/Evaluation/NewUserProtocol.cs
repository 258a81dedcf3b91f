using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>Which of a held-out user's ratings the new user "gives" the model.</summary>
public enum GivenSelection
{
    /// <summary>The user's highest-rated movies (ties in random order): what a new user rates first.</summary>
    Favourites,

    /// <summary>Movies drawn uniformly from the user's ratings, whatever their value.</summary>
    Random,
}

/// <summary>Everything that decides the figures of <see cref="NewUserProtocol"/>.</summary>
public sealed record NewUserSettings
{
    /// <summary>Share of the dataset's users held out entirely (the model never sees them).</summary>
    public double UsersHeld { get; init; } = 0.2;

    /// <summary>At most this many users are held out, whatever <see cref="UsersHeld"/> says (default: no limit).</summary>
    public int MaxUsersHeld { get; init; } = int.MaxValue;

    /// <summary>How many ratings each held-out user gives; several values give the curve.</summary>
    public IReadOnlyList<int> Given { get; init; } = [5];

    public GivenSelection Selection { get; init; } = GivenSelection.Favourites;

    /// <summary>Seeds the user split, the order of tied favourites and random givens, and training.</summary>
    public int Seed { get; init; }

    /// <summary>Held-out users with fewer ratings than this are not evaluated (nor with fewer than given + 1).</summary>
    public int MinRatings { get; init; } = 15;

    /// <summary>A held-out rating at or above this is relevant.</summary>
    public double RelevanceThreshold { get; init; } = 4;

    /// <summary>The list length: precision, recall, HR and NDCG at K.</summary>
    public int K { get; init; } = 10;

    /// <summary>The popularity share counts recommended movies among this many most-rated training movies.</summary>
    public int PopularTop { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(UsersHeld > 0 && UsersHeld < 1)) throw new ArgumentException($"users-held must be between 0 and 1 (exclusive), not {UsersHeld}.", "users-held");
        OptionChecks.Positive(MaxUsersHeld, "max-users-held");
        if (Given.Count == 0) throw new ArgumentException("given needs at least one count.", "given");
        foreach (int g in Given) OptionChecks.Positive(g, "given");
        OptionChecks.Positive(K, "k");
        OptionChecks.NonNegative(MinRatings, "min-ratings");
        OptionChecks.Positive(PopularTop, "popular-top");
    }
}

/// <summary>One point of the curve: the figures for one number of given ratings.</summary>
/// <param name="Given">Ratings each new user gave.</param>
/// <param name="Users">Held-out users evaluated.</param>
/// <param name="Precision">Mean share of the K recommendations that the user rated relevant.</param>
/// <param name="Recall">Mean share of the user's relevant movies found in the K.</param>
/// <param name="HitRate">Share of users with at least one relevant movie in the K.</param>
/// <param name="Ndcg">Mean NDCG@K with binary relevance (ideal: min(relevant, K) hits on top).</param>
/// <param name="Personalization">1 - the mean overlap |A ∩ B| / K over every pair of users' lists.</param>
/// <param name="PopularityShare">Share of recommended movies among the <see cref="NewUserSettings.PopularTop"/> most-rated.</param>
/// <param name="Coverage">Distinct recommended movies / movies with training ratings.</param>
public sealed record NewUserPoint(int Given, int Users, double Precision, double Recall, double HitRate, double Ndcg, double Personalization, double PopularityShare, double Coverage);

/// <summary>The shown ratings' accuracy for one number of given ratings (<see cref="NewUserProtocol.EvaluatePredictions"/>).</summary>
/// <param name="Given">Ratings each new user gave.</param>
/// <param name="Users">Held-out users evaluated.</param>
/// <param name="Ratings">Their other ratings, each predicted.</param>
/// <param name="Rmse">Root mean squared error of the clipped predictions.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="MeanError">Mean of predicted − actual (positive: the shown stars promise too much).</param>
public sealed record NewUserPredictionPoint(int Given, int Users, long Ratings, double Rmse, double Mae, double MeanError);

/// <summary>
/// A held-out user: their ratings (dense item ids of the shared map), sorted so the first <c>g</c> are what they give
/// the model for any g (favourites first, or a random order).
/// </summary>
public sealed record HeldOutUser(int User, ItemRating[] Ordered);

/// <summary>The training part (the other users' ratings) and the held-out users, sharing the dataset's id maps.</summary>
public sealed record NewUserSplit(RatingDataset Train, IReadOnlyList<HeldOutUser> Users);

/// <summary>
/// The new-user protocol: what a person who rates a handful of movies gets. A share of the users is held out entirely;
/// the model is trained on the others; each held-out user gives <c>g</c> of their ratings (their favourites, or random
/// ones), is folded into the model without retraining, and the top K (given movies left out) is compared with their
/// other ratings at or above the relevance threshold. Besides accuracy it measures what a product needs: lists that
/// differ between people (personalization), not just the most-rated movies (popularity share), and how much of the
/// catalogue is ever shown (coverage).
/// </summary>
public static class NewUserProtocol
{
    /// <summary>Holds out a seeded share of the users; the rest is the training set.</summary>
    public static NewUserSplit Split(RatingDataset data, NewUserSettings settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var rng = new Random(settings.Seed);
        var active = new List<int>();
        var byUser = data.ByUser;
        for (int u = 0; u < data.UserCount; u++)
        {
            if (byUser.RowLength(u) > 0) active.Add(u);
        }
        var users = active.ToArray();
        rng.Shuffle(users);
        int heldCount = (int)Math.Min(Math.Round(settings.UsersHeld * users.Length), settings.MaxUsersHeld);
        var held = new bool[data.UserCount];
        foreach (int u in users.AsSpan(0, heldCount)) held[u] = true;
        var trainIndices = new List<int>(data.Count);
        for (int k = 0; k < data.Count; k++)
        {
            if (!held[data.Users[k]]) trainIndices.Add(k);
        }
        var train = data.Subset(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(trainIndices));
        var heldUsers = users.AsSpan(0, heldCount).ToArray();
        Array.Sort(heldUsers);
        var result = new List<HeldOutUser>(heldUsers.Length);
        foreach (int u in heldUsers)
        {
            var items = byUser.RowColumns(u);
            var values = byUser.RowValues(u);
            var ratings = new ItemRating[items.Length];
            for (int k = 0; k < ratings.Length; k++) ratings[k] = new ItemRating(items[k], values[k]);
            // A random order first: it breaks ties among equal favourites and is the order of random givens.
            rng.Shuffle(ratings);
            if (settings.Selection == GivenSelection.Favourites)
            {
                var keys = Array.ConvertAll(ratings, r => -r.Rating);
                Array.Sort(keys, ratings); // introsort is unstable, so ties keep a random (seeded) order
            }
            result.Add(new HeldOutUser(u, ratings));
        }
        return new NewUserSplit(train, result);
    }

    /// <summary>
    /// Evaluates a model already fitted on <paramref name="split"/>'s training part. <paramref name="recommend"/> turns
    /// the given ratings into the top K (the service's path: <see cref="NewUserRecommendations.Recommend"/>).
    /// </summary>
    public static IReadOnlyList<NewUserPoint> Evaluate(NewUserSplit split, NewUserSettings settings, Func<ItemRating[], int, int[]> recommend)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(recommend);
        settings.Validate();
        var train = split.Train;
        var popular = MostRated(train, settings.PopularTop);
        int catalogue = train.ActiveItemCount();
        var points = new List<NewUserPoint>(settings.Given.Count);
        foreach (int given in settings.Given)
        {
            var lists = new List<int[]>();
            double precision = 0, recall = 0, hits = 0, ndcg = 0, popularShown = 0, shown = 0;
            var distinct = new HashSet<int>();
            foreach (var user in split.Users)
            {
                if (user.Ordered.Length < Math.Max(settings.MinRatings, given + 1)) continue;
                var relevant = new HashSet<int>();
                for (int k = given; k < user.Ordered.Length; k++)
                {
                    if (user.Ordered[k].Rating >= settings.RelevanceThreshold) relevant.Add(user.Ordered[k].Item);
                }
                if (relevant.Count == 0) continue;
                var givenRatings = user.Ordered.AsSpan(0, given).ToArray();
                var top = recommend(givenRatings, settings.K);
                int hit = 0;
                double dcg = 0;
                for (int r = 0; r < top.Length; r++)
                {
                    distinct.Add(top[r]);
                    if (popular.Contains(top[r])) popularShown++;
                    if (!relevant.Contains(top[r])) continue;
                    hit++;
                    dcg += 1 / Math.Log2(r + 2);
                }
                shown += top.Length;
                double ideal = 0;
                for (int r = 0; r < Math.Min(relevant.Count, settings.K); r++) ideal += 1 / Math.Log2(r + 2);
                precision += (double)hit / settings.K;
                recall += (double)hit / relevant.Count;
                hits += hit > 0 ? 1 : 0;
                ndcg += dcg / ideal;
                lists.Add(top);
            }
            int n = lists.Count;
            points.Add(new NewUserPoint(given, n,
                n == 0 ? double.NaN : precision / n,
                n == 0 ? double.NaN : recall / n,
                n == 0 ? double.NaN : hits / n,
                n == 0 ? double.NaN : ndcg / n,
                Personalization(lists, settings.K),
                shown == 0 ? double.NaN : popularShown / shown,
                catalogue == 0 ? double.NaN : (double)distinct.Count / catalogue));
        }
        return points;
    }

    /// <summary>
    /// How well the ratings shown beside a new user's recommendations ("predicted 4.5 stars") match what they rated:
    /// each held-out user (as in <see cref="Evaluate"/>: at least <see cref="NewUserSettings.MinRatings"/> ratings and
    /// one relevant left) gives <c>g</c> ratings, <paramref name="predictorFor"/> folds them in, and every other rating
    /// of theirs is predicted (clipped to the scale, as shown). RMSE and MAE over all those ratings, and the mean
    /// signed error (predicted − actual: positive when the shown stars promise too much).
    /// </summary>
    public static IReadOnlyList<NewUserPredictionPoint> EvaluatePredictions(NewUserSplit split, NewUserSettings settings, Func<ItemRating[], Func<int, double>> predictorFor)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(predictorFor);
        settings.Validate();
        var scale = split.Train.Scale;
        var points = new List<NewUserPredictionPoint>(settings.Given.Count);
        foreach (int given in settings.Given)
        {
            double squared = 0, absolute = 0, signed = 0;
            long count = 0;
            int users = 0;
            foreach (var user in split.Users)
            {
                if (user.Ordered.Length < Math.Max(settings.MinRatings, given + 1)) continue;
                bool anyRelevant = false;
                for (int k = given; k < user.Ordered.Length && !anyRelevant; k++) anyRelevant = user.Ordered[k].Rating >= settings.RelevanceThreshold;
                if (!anyRelevant) continue;
                var predict = predictorFor(user.Ordered.AsSpan(0, given).ToArray());
                users++;
                for (int k = given; k < user.Ordered.Length; k++)
                {
                    double e = scale.Clip(predict(user.Ordered[k].Item)) - user.Ordered[k].Rating;
                    squared += e * e;
                    absolute += Math.Abs(e);
                    signed += e;
                    count++;
                }
            }
            points.Add(count == 0
                ? new NewUserPredictionPoint(given, users, 0, double.NaN, double.NaN, double.NaN)
                : new NewUserPredictionPoint(given, users, count, Math.Sqrt(squared / count), absolute / count, signed / count));
        }
        return points;
    }

    /// <summary>
    /// The largest given count for which <see cref="Evaluate"/> evaluates at least one of <paramref name="split"/>'s users
    /// (0 when none can be evaluated at all): a user with at least <see cref="NewUserSettings.MinRatings"/> ratings counts
    /// for every given count up to the position of their last relevant rating, which is then left to find. Every count
    /// up to it evaluates someone; none above it does.
    /// </summary>
    public static int LargestGiven(NewUserSplit split, NewUserSettings settings)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        int largest = 0;
        foreach (var user in split.Users)
        {
            if (user.Ordered.Length < settings.MinRatings) continue;
            for (int k = user.Ordered.Length - 1; k > largest; k--)
            {
                if (user.Ordered[k].Rating < settings.RelevanceThreshold) continue;
                largest = k;
                break;
            }
        }
        return largest;
    }

    /// <summary>1 - mean pairwise overlap |A ∩ B| / k of the lists (NaN with fewer than two lists).</summary>
    public static double Personalization(IReadOnlyList<int[]> lists, int k)
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count < 2) return double.NaN;
        var sets = new HashSet<int>[lists.Count];
        for (int a = 0; a < lists.Count; a++) sets[a] = [.. lists[a]];
        double overlap = 0;
        long pairs = 0;
        for (int a = 0; a < lists.Count; a++)
        {
            for (int b = a + 1; b < lists.Count; b++)
            {
                int common = 0;
                foreach (int item in lists[b])
                {
                    if (sets[a].Contains(item)) common++;
                }
                overlap += (double)common / k;
                pairs++;
            }
        }
        return 1 - overlap / pairs;
    }

    /// <summary>The <paramref name="top"/> items with the most training ratings (ties: lower id).</summary>
    public static HashSet<int> MostRated(RatingDataset train, int top)
    {
        ArgumentNullException.ThrowIfNull(train);
        var byItem = train.ByItem;
        var counts = new float[train.ItemCount];
        for (int i = 0; i < counts.Length; i++) counts[i] = byItem.RowLength(i);
        return [.. TopN.Select(counts, top, TieBreak.ById).Select(s => s.Item)];
    }
}
