using System.Diagnostics;
using System.Globalization;

namespace MovieRec.Bench;

/// <summary>A plain-text table with right-aligned columns, printed once all rows are known.</summary>
internal sealed class BenchTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Print(TextWriter output)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (int c = 0; c < row.Length && c < widths.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        output.WriteLine(Line(headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows) output.WriteLine(Line(row, widths));
    }

    /// <summary>The table as Markdown (for the documents the harnesses update).</summary>
    public string Markdown()
    {
        var lines = new List<string> { "| " + string.Join(" | ", headers) + " |", "|" + string.Concat(headers.Select(_ => "---|")) };
        lines.AddRange(_rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join('\n', lines) + "\n";
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
}

/// <summary>Small shared pieces of the benchmark commands: options, statistics, formatting.</summary>
internal static class Bench
{
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } s ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The q-quantile (0..1) by nearest rank of an unsorted sample (sorted in place).</summary>
    public static double Quantile(double[] values, double q)
    {
        Array.Sort(values);
        int index = (int)Math.Ceiling(q * values.Length) - 1;
        return values[Math.Clamp(index, 0, values.Length - 1)];
    }

    public static double Median(double[] values) => Quantile(values, 0.5);

    public static string F(double value, string format = "0.0000") =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string YesNo(bool met) => met ? "yes" : "no";

    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    public const string Contention = "Timings are wall-clock on a shared machine: compare ratios, and re-measure on an idle machine.";
}
