using System.Globalization;
using System.Reflection;
using MovieRec.Web.Hosting;

namespace MovieRec.Web.Tests;

/// <summary>
/// The README's settings table says what the service does: each `MovieRec__` setting is listed once, names an option
/// that exists, and a default written as one value is the option's real default (the table listed DefaultAlgorithm
/// twice, as hybrid and as svd, while the service's default is taste).
/// </summary>
public sealed class ReadmeSettingsTests
{
    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MovieRec.slnx"))) return Path.Combine(dir.FullName, "README.md");
        }
        throw new FileNotFoundException("README.md (beside MovieRec.slnx) not found above the test binaries.");
    }

    [Fact]
    public void Each_setting_is_listed_once_with_the_services_default()
    {
        var rows = File.ReadLines(Readme())
            .Where(l => l.StartsWith("| `MovieRec__", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(c => (Name: c[1].Trim('`')["MovieRec__".Length..], Default: c[2]))
            .ToList();
        Assert.True(rows.Count >= 10, $"only {rows.Count} settings rows found");
        var duplicates = rows.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"listed more than once: {string.Join(", ", duplicates)}");

        var defaults = new MovieRecOptions();
        foreach (var (name, cell) in rows)
        {
            var property = typeof(MovieRecOptions).GetProperty(name.Split("__")[0], BindingFlags.Public | BindingFlags.Instance);
            Assert.True(property is not null, $"README lists MovieRec__{name}, which MovieRecOptions does not have");
            // A default that is one value (`taste`, 600, `00:00:30`); "none", "off" and derived defaults are prose.
            bool single = (cell.Count(ch => ch == '`') == 2 && cell.StartsWith('`') && cell.EndsWith('`')) || cell.All(char.IsAsciiDigit);
            if (name.Contains("__", StringComparison.Ordinal) || !single || property.GetValue(defaults) is null) continue;
            string written = cell.Trim('`');
            string actual = property.GetValue(defaults) switch
            {
                bool b => b ? "true" : "false",
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v?.ToString() ?? "",
            };
            Assert.True(written == actual, $"README: MovieRec__{name} defaults to {written}; the service: {actual}");
        }
    }
}
