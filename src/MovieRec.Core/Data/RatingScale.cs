using System.Globalization;

namespace MovieRec.Core.Data;

/// <summary>
/// The scale ratings live on: <c>[Min, Max]</c> in steps of <c>Step</c> (0 for a continuous scale).
/// Predictions are clipped to it; loaders reject ratings outside it or off its step.
/// </summary>
public readonly record struct RatingScale(float Min, float Max, float Step)
{
    /// <summary>Every MovieLens csv release and ml-10m: half stars from 0.5 to 5.</summary>
    public static RatingScale HalfStars => new(0.5f, 5f, 0.5f);

    /// <summary>ml-100k and ml-1m: whole stars from 1 to 5.</summary>
    public static RatingScale WholeStars => new(1f, 5f, 1f);

    /// <summary>Implicit feedback: every interaction counts as 1.</summary>
    public static RatingScale Implicit => new(1f, 1f, 0f);

    public float Clip(float value) => value < Min ? Min : value > Max ? Max : value;

    public double Clip(double value) => value < Min ? Min : value > Max ? Max : value;

    /// <summary>Null when <paramref name="value"/> is on the scale, otherwise why it is not.</summary>
    public string? Check(float value)
    {
        if (float.IsNaN(value) || value < Min - 1e-6f || value > Max + 1e-6f)
            return $"{value.ToString(CultureInfo.InvariantCulture)} is outside the rating scale {this}";
        if (Step > 0)
        {
            double steps = (value - Min) / Step;
            if (Math.Abs(steps - Math.Round(steps)) > 1e-4)
                return $"{value.ToString(CultureInfo.InvariantCulture)} is not on the scale's step of {Step.ToString(CultureInfo.InvariantCulture)} ({this})";
        }
        return null;
    }

    /// <summary>
    /// The scale implied by observed values: their min and max, and the largest step in
    /// {1, 0.5, 0.25, 0.1, 0.05, 0.01} that every value sits on (0 when none does).
    /// </summary>
    public static RatingScale Detect(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return HalfStars;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        ReadOnlySpan<float> candidates = [1f, 0.5f, 0.25f, 0.1f, 0.05f, 0.01f];
        foreach (float step in candidates)
        {
            bool fits = true;
            foreach (float v in values)
            {
                double k = (v - min) / step;
                if (Math.Abs(k - Math.Round(k)) > 1e-4)
                {
                    fits = false;
                    break;
                }
            }
            if (fits)
                return new RatingScale(min, max, step);
        }
        return new RatingScale(min, max, 0f);
    }

    /// <summary>
    /// A declared scale as a column mapping's scale= writes it, min-max[:step]: "1-10" (whole steps), "0.5-5:0.5",
    /// "1-10:0" (continuous), "-2-2" and "-10--1" (negative ends: the range splits at the first '-' that is neither a
    /// leading sign nor an exponent's), "1e-3-5:0".
    /// </summary>
    /// <exception cref="FormatException">The text is not min-max[:step] with min &lt;= max, or its step is not a finite number &gt;= 0.</exception>
    public static RatingScale Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var range = SplitRange(parts[0]);
        if (range.Length == 2 && parts.Length <= 2
            && float.TryParse(range[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float min)
            && float.TryParse(range[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float max) && min <= max
            && float.IsFinite(min) && float.IsFinite(max))
        {
            float step = 1;
            if (parts.Length == 2 && (!float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out step) || !(step >= 0) || !float.IsFinite(step)))
                throw new FormatException($"'{text}' has a bad step");
            return new RatingScale(min, max, step);
        }
        throw new FormatException($"'{text}' is not min-max[:step], e.g. 1-10 or 0.5-5:0.5");
    }

    /// <summary>"min-max" at the first '-' that is neither a leading sign nor an exponent's.</summary>
    private static string[] SplitRange(string range)
    {
        for (int i = 1; i < range.Length; i++)
        {
            char before = range[i - 1];
            if (range[i] == '-' && before is not ('e' or 'E' or '-' or '+' or ' ')) return [range[..i].Trim(), range[(i + 1)..].Trim()];
        }
        return [range];
    }

    public override string ToString() =>
        Step > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max} step {Step}")
            : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
