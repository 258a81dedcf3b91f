using System.IO.Compression;
using System.Text;

namespace MovieRec.Core.Tests.Data.Fuzz;

/// <summary>
/// A small valid dataset of one format: file name to bytes. <see cref="GzipFiles"/> are written gzip-compressed
/// (IMDb ships .tsv.gz), so a corruption of the container bytes also reaches the decompressor.
/// </summary>
public sealed record FuzzSeed(string Name, IReadOnlyDictionary<string, byte[]> Files, IReadOnlySet<string> GzipFiles)
{
    public FuzzSeed(string name, IReadOnlyDictionary<string, byte[]> files) : this(name, files, new HashSet<string>()) { }

    public override string ToString() => Name;
}

/// <summary>
/// Seeds of every format DatasetLoader knows: MovieLens csv (sampled at test time from ml-latest-small, never copied
/// into the repo, with IMDb and TMDB files beside it so the joins run too), ml-100k, ml-1m, ml-10m, TMDB 5000 (sampled
/// from tmdb-5000), IMDb TSVs (plain and .gz) and generic interactions files with three column mappings.
/// </summary>
public static class FuzzSeeds
{
    private static readonly Lazy<IReadOnlyList<FuzzSeed>> AllSeeds = new(Build);

    public static IReadOnlyList<FuzzSeed> All => AllSeeds.Value;

    private static readonly UTF8Encoding Utf8 = new(false);

    private static byte[] Text(string s) => Utf8.GetBytes(s);

    private static List<FuzzSeed> Build()
    {
        var small = TestData.MovieLensSmallPath;
        var tmdb = TestData.TmdbPath;
        var tmdbMovies = HeadRecords(Path.Combine(tmdb, "tmdb_5000_movies.csv"), 13);
        var tmdbCredits = HeadRecords(Path.Combine(tmdb, "tmdb_5000_credits.csv"), 5);
        var links = HeadRecords(Path.Combine(small, "links.csv"), 150);
        var (basics, imdbRatings) = Imdb(Encoding.UTF8.GetString(links));
        var seeds = new List<FuzzSeed>
        {
            new("movielens-csv", new Dictionary<string, byte[]>
            {
                ["movies.csv"] = HeadRecords(Path.Combine(small, "movies.csv"), 150),
                ["ratings.csv"] = HeadRecords(Path.Combine(small, "ratings.csv"), 300),
                ["tags.csv"] = HeadRecords(Path.Combine(small, "tags.csv"), 80),
                ["links.csv"] = links,
                ["title.basics.tsv"] = Text(basics),
                ["title.ratings.tsv"] = Text(imdbRatings),
                ["tmdb_5000_movies.csv"] = tmdbMovies,
                ["tmdb_5000_credits.csv"] = tmdbCredits,
            }),
            new("tmdb-5000", new Dictionary<string, byte[]>
            {
                ["tmdb_5000_movies.csv"] = tmdbMovies,
                ["tmdb_5000_credits.csv"] = tmdbCredits,
            }),
            new("imdb", new Dictionary<string, byte[]>
            {
                ["title.basics.tsv"] = Text(basics),
                ["title.ratings.tsv"] = Text(imdbRatings),
            }),
            new("imdb-gz", new Dictionary<string, byte[]>
            {
                ["title.basics.tsv.gz"] = Text(basics),
                ["title.ratings.tsv.gz"] = Text(imdbRatings),
            }, new HashSet<string> { "title.basics.tsv.gz", "title.ratings.tsv.gz" }),
            MovieLens100K(),
            MovieLens1M(),
            MovieLens10M(),
            new("interactions-numeric", new Dictionary<string, byte[]>
            {
                ["movierec.columns"] = Text("user=uid,item=song,rating=plays,timestamp=ts,scale=1-10,items=songs.csv,title=name,category=tags\n"),
                ["plays.csv"] = Text(Rows(120, (r, i) => $"{r.Next(1, 30)},{r.Next(100, 140)},{r.Next(1, 11)},{1_600_000_000 + (i * 37)}", "uid,song,plays,ts")),
                ["songs.csv"] = Text(Rows(40, (r, i) => $"{100 + i},\"Song {i}, \"\"live\"\"\",rock|pop", "song,name,tags")),
            }),
            new("interactions-strings", new Dictionary<string, byte[]>
            {
                ["movierec.columns"] = Text("# implicit feedback\nuser=visitor\nitem=product\nrating=none\ntimestamp=when\n"),
                ["visits.tsv"] = Text(Rows(120, (r, i) => $"v{r.Next(1, 30)}\tp-{r.Next(1, 50)}\t2024-01-{1 + (i % 28):D2}T10:00:00Z", "visitor\tproduct\twhen")),
            }),
            new("interactions-noheader", new Dictionary<string, byte[]>
            {
                ["movierec.columns"] = Text("header=no,delimiter=semicolon,user=2,item=1,rating=3,scale=0.5-5:0.5\n"),
                ["data.txt"] = Text(Rows(120, (r, _) => $"{r.Next(1, 60)};{r.Next(1, 25)};{r.Next(1, 11) * 0.5:0.0};extra", null)),
            }),
        };
        return seeds;
    }

    private static string Rows(int count, Func<Random, int, string> row, string? header)
    {
        var random = new Random(count * 7919 + (header?.Length ?? 0));
        var sb = new StringBuilder();
        if (header is not null) sb.Append(header).Append('\n');
        for (int i = 0; i < count; i++) sb.Append(row(random, i)).Append('\n');
        return sb.ToString();
    }

    private static (string Basics, string Ratings) Imdb(string links)
    {
        var basics = new StringBuilder("tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n");
        var ratings = new StringBuilder("tconst\taverageRating\tnumVotes\n");
        int n = 0;
        foreach (var line in links.Split('\n').Skip(1).Take(25))
        {
            var parts = line.Split(',');
            if (parts.Length < 2 || !int.TryParse(parts[1], out int imdb)) continue;
            var type = n % 5 == 4 ? "tvMovie" : "movie";
            var end = n % 7 == 3 ? "2001" : "\\N";
            var runtime = n % 6 == 2 ? "\\N" : (80 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
            basics.Append($"tt{imdb:D7}\t{type}\tTitle \"{n}\"\tOriginal {n}\t0\t{1990 + n}\t{end}\t{runtime}\tDrama,Comedy\n");
            ratings.Append($"tt{imdb:D7}\t{5 + (n % 5)}.{n % 10}\t{1000 + (n * 13)}\n");
            n++;
        }
        return (basics.ToString(), ratings.ToString());
    }

    private static FuzzSeed MovieLens100K()
    {
        var genres = new StringBuilder();
        string[] names = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
            "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"];
        for (int i = 0; i < names.Length; i++) genres.Append($"{names[i]}|{i}\n");
        var items = Rows(30, (r, i) =>
            $"{i + 1}|Movie {i + 1} (19{60 + i})|01-Jan-19{60 + i}||http://us.imdb.com/M/title-exact?Movie%20{i + 1}|"
            + string.Join('|', Enumerable.Range(0, 19).Select(g => g == (i % 19) || g == ((i * 7) % 19) ? "1" : "0")), null);
        var users = Rows(40, (r, i) => $"{i + 1}|{r.Next(7, 70)}|{(i % 2 == 0 ? "M" : "F")}|{(i % 3 == 0 ? "student" : "writer")}|{r.Next(10000, 99999)}", null);
        var data = Rows(160, (r, i) => $"{r.Next(1, 41)}\t{r.Next(1, 31)}\t{r.Next(1, 6)}\t{881250949 + i}", null);
        var lines = data.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var train = string.Join('\n', lines.Where((_, i) => i % 5 != 0)) + "\n";
        var test = string.Join('\n', lines.Where((_, i) => i % 5 == 0)) + "\n";
        return new FuzzSeed("movielens-100k", new Dictionary<string, byte[]>
        {
            ["u.data"] = Text(data),
            ["u.item"] = Encoding.Latin1.GetBytes(items.Replace("Movie 3 ", "Movie \u00e9t\u00e9 ", StringComparison.Ordinal)),
            ["u.genre"] = Text(genres.ToString()),
            ["u.user"] = Text(users),
            ["u1.base"] = Text(train),
            ["u1.test"] = Text(test),
        });
    }

    private static FuzzSeed MovieLens1M()
    {
        var movies = Rows(30, (_, i) => i == 2 ? "3::Cit\u00e9 des enfants perdus, La (1995)::Adventure|Sci-Fi" : $"{i + 1}::Movie {i + 1}, The (19{60 + i})::Drama|Comedy", null);
        var users = Rows(40, (r, i) => $"{i + 1}::{(i % 2 == 0 ? "M" : "F")}::{new[] { 1, 18, 25, 35, 45, 50, 56 }[i % 7]}::{i % 21}::{r.Next(10000, 99999)}", null);
        var ratings = Rows(160, (r, i) => $"{1 + (i / 4)}::{r.Next(1, 31)}::{r.Next(1, 6)}::{978300760 + i}", null);
        return new FuzzSeed("movielens-1m", new Dictionary<string, byte[]>
        {
            ["movies.dat"] = Encoding.Latin1.GetBytes(movies),
            ["users.dat"] = Text(users),
            ["ratings.dat"] = Text(ratings),
        });
    }

    private static FuzzSeed MovieLens10M()
    {
        var movies = Rows(30, (_, i) => i == 2 ? "3::Cit\u00e9 des enfants perdus, La (1995)::Adventure|Sci-Fi" : $"{i + 1}::Movie {i + 1} (19{60 + i})::(no genres listed)", null);
        var ratings = Rows(160, (r, i) => $"{1 + (i / 4)}::{r.Next(1, 31)}::{r.Next(1, 11) * 0.5:0.0}::{1_100_000_000 + i}", null);
        var tags = Rows(40, (r, i) => $"{r.Next(1, 40)}::{r.Next(1, 31)}::tag {i % 9}::{1_100_000_000 + i}", null);
        return new FuzzSeed("movielens-10m", new Dictionary<string, byte[]>
        {
            ["movies.dat"] = Text(movies),
            ["ratings.dat"] = Text(ratings),
            ["tags.dat"] = Text(tags),
        });
    }

    /// <summary>The first <paramref name="records"/> CSV records (plus the header): lines are joined while a quote is open.</summary>
    private static byte[] HeadRecords(string path, int records)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[4 << 20];
        int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        int seen = -1, quotes = 0;
        for (int i = 0; i < length; i++)
        {
            if (buffer[i] == '"') quotes++;
            else if (buffer[i] == '\n' && (quotes & 1) == 0 && ++seen == records) return buffer[..(i + 1)];
        }
        return buffer[..length];
    }

    /// <summary>Gzip bytes of <paramref name="data"/>.</summary>
    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(data);
        return output.ToArray();
    }
}
