using System.Diagnostics;
using MovieRec.Core.Data;
using MovieRec.Core.Data.IO;
using MovieRec.Core.Data.Loaders;

namespace MovieRec.Bench;

/// <summary>
/// `readers`: each file of ml-latest-small and TMDB 5000 (and the 25M synthetic ratings.csv when load-synth has written
/// it) read through its loader with MovieRec's byte reader and with Sep, alternating, many times; minimum and median
/// wall time per file. Short repeated runs with the minimum taken are the steadiest figure on a shared machine.
/// </summary>
internal static class ReaderBench
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 2 && args[1] == "--runs" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 21;
        var small = DataLocator.Resolve("ml-latest-small");
        var tmdb = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(small).TrimEnd('/'))!, "tmdb-5000");
        var cases = new List<(string Name, string Folder, Action<DataSource, LoadOptions> Read)>
        {
            ("ratings.csv (ml-latest-small)", small, (s, o) => MovieLensCsvLoader.LoadRatings(s, "ratings.csv", o, new LoadReport())),
            ("movies.csv", small, (s, o) => MovieLensCsvLoader.LoadMovies(s, "movies.csv", new MovieCatalog(), o, new LoadReport())),
            ("tags.csv", small, (s, o) => MovieLensCsvLoader.LoadTags(s, "tags.csv", new MovieCatalog(), o, new LoadReport())),
            ("links.csv", small, (s, o) => MovieLensCsvLoader.LoadLinks(s, "links.csv", new MovieCatalog(), o, new LoadReport())),
        };
        if (Directory.Exists(tmdb))
            cases.Add(("tmdb_5000 movies + credits", tmdb, (s, o) => TmdbLoader.LoadMetadata(s, o, new LoadReport())));
        var synth = Directory.Exists(Path.Combine(Path.GetTempPath(), "movierec-bench"))
            ? Directory.GetDirectories(Path.Combine(Path.GetTempPath(), "movierec-bench"), "synth-*-25000000-25").FirstOrDefault()
            : null;
        if (synth is not null && args.Contains("--big"))
            cases.Add(("ratings.csv (25M synthetic)", synth, (s, o) => MovieLensCsvLoader.LoadRatings(s, "ratings.csv", o, new LoadReport())));
        Console.WriteLine($"{"file",-32} {"bytes min",10} {"bytes med",10} {"sep min",10} {"sep med",10} {"sep/bytes (min)",16}");
        foreach (var (name, folder, read) in cases)
        {
            using var source = DataSource.Open(folder);
            int n = name.Contains("25M", StringComparison.Ordinal) ? Math.Min(runs, 5) : runs;
            var times = new Dictionary<DelimitedEngine, List<double>> { [DelimitedEngine.Bytes] = [], [DelimitedEngine.Sep] = [] };
            foreach (var engine in times.Keys) read(source, new LoadOptions { Reader = engine }); // warm-up
            for (int r = 0; r < n; r++)
            {
                foreach (var engine in (r % 2 == 0 ? new[] { DelimitedEngine.Bytes, DelimitedEngine.Sep } : [DelimitedEngine.Sep, DelimitedEngine.Bytes]))
                {
                    var watch = Stopwatch.StartNew();
                    read(source, new LoadOptions { Reader = engine });
                    times[engine].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
            double Min(DelimitedEngine e) => times[e].Min();
            double Median(DelimitedEngine e) => times[e].Order().ElementAt(times[e].Count / 2);
            Console.WriteLine($"{name,-32} {Min(DelimitedEngine.Bytes),8:0.0}ms {Median(DelimitedEngine.Bytes),8:0.0}ms {Min(DelimitedEngine.Sep),8:0.0}ms {Median(DelimitedEngine.Sep),8:0.0}ms {Min(DelimitedEngine.Sep) / Min(DelimitedEngine.Bytes),16:0.00}");
        }
        return 0;
    }
}
