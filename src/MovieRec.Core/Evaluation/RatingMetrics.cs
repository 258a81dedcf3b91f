namespace MovieRec.Core.Evaluation;

/// <summary>Accuracy of predicted ratings against actual ones, as Surprise's <c>accuracy</c> module computes them.</summary>
public static class RatingMetrics
{
    /// <summary>Root mean squared error: sqrt(mean((r - r̂)²)).</summary>
    public static double Rmse(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        if (actual.Length == 0) return double.NaN;
        double sum = 0;
        for (int k = 0; k < actual.Length; k++)
        {
            double d = (double)actual[k] - predicted[k];
            sum += d * d;
        }
        return Math.Sqrt(sum / actual.Length);
    }

    /// <summary>Mean absolute error: mean(|r - r̂|).</summary>
    public static double Mae(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        if (actual.Length == 0) return double.NaN;
        double sum = 0;
        for (int k = 0; k < actual.Length; k++)
            sum += Math.Abs((double)actual[k] - predicted[k]);
        return sum / actual.Length;
    }

    /// <summary>
    /// Fraction of concordant pairs (Koren, "Collaborative filtering on ordinal user feedback", IJCAI 2013), per user,
    /// exactly as Surprise's <c>accuracy.fcp</c>: for each user, over ordered pairs of their test ratings,
    /// n_c counts r̂ᵢ &gt; r̂ⱼ with rᵢ &gt; rⱼ and n_d counts r̂ᵢ ≥ r̂ⱼ with rᵢ &lt; rⱼ; FCP = n̄_c / (n̄_c + n̄_d), where
    /// the means run over users whose count is non-zero (Surprise keeps the counts in a defaultdict that only grows on
    /// an increment). NaN when there is no ordered pair at all (Surprise raises).
    /// </summary>
    public static double Fcp(ReadOnlySpan<int> users, ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        CheckLengths(actual, predicted);
        if (users.Length != actual.Length) throw new ArgumentException("users, actual and predicted must have the same length.", nameof(users));
        int n = users.Length;
        // Group ratings by user with a stable sort of the indices.
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        var keys = users.ToArray();
        Array.Sort(keys, order);
        double concordantSum = 0, discordantSum = 0;
        int concordantUsers = 0, discordantUsers = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            long nc = 0, nd = 0;
            for (int a = start; a < end; a++)
            {
                float ra = actual[order[a]], ea = predicted[order[a]];
                for (int b = start; b < end; b++)
                {
                    float rb = actual[order[b]], eb = predicted[order[b]];
                    if (ea > eb && ra > rb) nc++;
                    if (ea >= eb && ra < rb) nd++;
                }
            }
            if (nc > 0)
            {
                concordantSum += nc;
                concordantUsers++;
            }
            if (nd > 0)
            {
                discordantSum += nd;
                discordantUsers++;
            }
            start = end;
        }
        double meanC = concordantUsers == 0 ? 0 : concordantSum / concordantUsers;
        double meanD = discordantUsers == 0 ? 0 : discordantSum / discordantUsers;
        return meanC + meanD == 0 ? double.NaN : meanC / (meanC + meanD);
    }

    private static void CheckLengths(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException("actual and predicted must have the same length.", nameof(predicted));
    }
}
