using MovieRec.Core.Algorithms.Content;
using MovieRec.Core.Data;

namespace MovieRec.Core.Evaluation;

/// <summary>
/// A topic query ("sad movie about a dog") with the rule over a movie's metadata that makes it relevant
/// (tests/MovieRec.Core.Tests/Search/topic-queries.tsv): relevance is checkable, not anyone's judgement of results.
/// </summary>
/// <remarks>
/// A rule is clauses joined by " &amp; " (all must hold), each clause atoms joined by " | " (one must hold):
/// <c>genre=NAME</c> (a MovieLens genre), <c>kw~WORDS</c> (a TMDB keyword containing WORDS as whole consecutive words;
/// a keyword's word may add "s" or "es"), <c>tag~WORDS</c> (the same over MovieLens tags), <c>kt~WORDS</c> (either), and
/// <c>kw=</c>, <c>tag=</c>, <c>kt=</c> for an exact keyword or tag, <c>year=FROM..TO</c> (released in those years,
/// inclusive), <c>cast=NAME</c> (in the TMDB cast) and <c>director=NAME</c>. Words are runs of letters and digits, lower-cased.
/// </remarks>
public sealed class TopicQuery
{
    private readonly Atom[][] _clauses;

    private TopicQuery(string split, string text, string rule, Atom[][] clauses)
    {
        Split = split;
        Text = text;
        Rule = rule;
        _clauses = clauses;
    }

    /// <summary>"tune", "holdout", "fresh", "era" or "people".</summary>
    public string Split { get; }

    /// <summary>The words a person types.</summary>
    public string Text { get; }

    /// <summary>The rule as written.</summary>
    public string Rule { get; }

    /// <summary>
    /// The parts of a topic set: settings are chosen on "tune"; "holdout" and "fresh" (a second held-out set, written
    /// after "holdout" had been measured and published) only measure; "era" asks for release years ("80s teen comedy"),
    /// written with their rules before <see cref="Search.EraQuery"/> ran on them; "people" names actors or directors,
    /// written before <see cref="Search.PersonIndex"/> ran on them.
    /// </summary>
    public static IReadOnlyList<string> Splits { get; } = ["tune", "holdout", "fresh", "era", "people"];

    /// <summary>Whether <paramref name="movie"/> satisfies the rule.</summary>
    public bool IsRelevant(Movie movie)
    {
        ArgumentNullException.ThrowIfNull(movie);
        foreach (var clause in _clauses)
        {
            bool any = false;
            foreach (var atom in clause)
            {
                if (atom.Matches(movie))
                {
                    any = true;
                    break;
                }
            }
            if (!any) return false;
        }
        return true;
    }

    /// <summary>Parses a rule (see the remarks); throws <see cref="FormatException"/> on anything else.</summary>
    public static TopicQuery Create(string split, string text, string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!Splits.Contains(split)) throw new FormatException($"split '{split}' is not one of {string.Join(", ", Splits)}");
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("the query is empty");
        var clauses = rule.Split(" & ").Select(c => c.Split(" | ").Select(Atom.Parse).ToArray()).ToArray();
        return new TopicQuery(split, text.Trim(), rule, clauses);
    }

    /// <summary>Reads a topic file: split, query and rule separated by tabs; blank lines and lines starting with # skipped.</summary>
    public static IReadOnlyList<TopicQuery> Load(string path)
    {
        var result = new List<TopicQuery>();
        int line = 0;
        foreach (var row in File.ReadLines(path))
        {
            line++;
            if (row.Length == 0 || row.StartsWith('#')) continue;
            var f = row.Split('\t');
            try
            {
                if (f.Length != 3) throw new FormatException("expected split, query and rule separated by tabs");
                result.Add(Create(f[0], f[1], f[2]));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{line}: {e.Message}", e);
            }
        }
        return result;
    }

    public override string ToString() => Text;

    /// <summary>Lower-cased runs of letters and digits.</summary>
    internal static string[] Words(string text) => [.. Search.QueryWords.Of(text)];

    private sealed record Atom(string Field, bool Exact, string Value, string[] Words, int From = 0, int To = 0)
    {
        public static Atom Parse(string text)
        {
            text = text.Trim();
            int op = text.IndexOfAny(['=', '~']);
            if (op <= 0 || op == text.Length - 1) throw new FormatException($"'{text}' is not field=value or field~words");
            string field = text[..op], value = text[(op + 1)..].Trim();
            bool exact = text[op] == '=';
            if (field is not ("genre" or "kw" or "tag" or "kt" or "year" or "cast" or "director")) throw new FormatException($"'{field}' is not genre, kw, tag, kt, year, cast or director");
            if (field is "cast" or "director" && !exact) throw new FormatException($"people are matched exactly: {field}=NAME");
            if (field == "year")
            {
                var range = value.Split("..");
                if (!exact || range.Length != 2 || !int.TryParse(range[0], out int from) || !int.TryParse(range[1], out int to) || from > to)
                    throw new FormatException($"'{text}' is not year=FROM..TO");
                return new Atom(field, exact, value, [], from, to);
            }
            if (field == "genre" && !exact) throw new FormatException("genres are matched exactly: genre=NAME");
            var words = TopicQuery.Words(value);
            if (words.Length == 0) throw new FormatException($"'{text}' has no words");
            return new Atom(field, exact, value.ToLowerInvariant(), words);
        }

        public bool Matches(Movie movie)
        {
            if (Field == "year") return movie.Year is int y && y >= From && y <= To;
            if (Field is "cast" or "director")
            {
                var people = Field == "cast" ? movie.Tmdb?.Cast : movie.Tmdb?.Directors;
                return people is not null && people.Any(p => string.Equals(p, Value, StringComparison.OrdinalIgnoreCase));
            }
            if (Field == "genre")
            {
                foreach (var g in movie.Genres)
                {
                    if (string.Equals(g, Value, StringComparison.OrdinalIgnoreCase)) return true;
                }
                return false;
            }
            if (Field is "kw" or "kt" && movie.Tmdb is { } tmdb)
            {
                foreach (var k in tmdb.Keywords)
                {
                    if (Matches(k)) return true;
                }
            }
            if (Field is "tag" or "kt")
            {
                foreach (var t in movie.Tags)
                {
                    if (Matches(t)) return true;
                }
            }
            return false;
        }

        private bool Matches(string text)
        {
            if (Exact) return string.Equals(text.Trim(), Value, StringComparison.OrdinalIgnoreCase);
            var words = TopicQuery.Words(text);
            for (int i = 0; i + Words.Length <= words.Length; i++)
            {
                bool all = true;
                for (int j = 0; j < Words.Length && all; j++)
                {
                    string w = words[i + j], p = Words[j];
                    all = w == p || w == p + "s" || w == p + "es";
                }
                if (all) return true;
            }
            return false;
        }
    }
}

/// <summary>Precision and NDCG at a cut-off for topic queries, from a ranked list and the query's rule.</summary>
public static class TopicMetrics
{
    /// <summary>Relevant results in the first <paramref name="k"/>, divided by k.</summary>
    public static double Precision(TopicQuery query, IReadOnlyList<Movie> ranked, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ranked);
        int hits = 0;
        for (int i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (query.IsRelevant(ranked[i])) hits++;
        }
        return hits / (double)k;
    }

    /// <summary>
    /// Binary NDCG@k: Σ over relevant results at 0-based rank i &lt; k of 1/log2(i+2), divided by the ideal for
    /// min(<paramref name="relevantCount"/>, k) relevant movies (<paramref name="relevantCount"/>: how many catalogue
    /// movies satisfy the rule).
    /// </summary>
    public static double Ndcg(TopicQuery query, IReadOnlyList<Movie> ranked, int relevantCount, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ranked);
        double dcg = 0, ideal = 0;
        for (int i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (query.IsRelevant(ranked[i])) dcg += 1 / Math.Log2(i + 2);
        }
        for (int i = 0; i < Math.Min(k, relevantCount); i++) ideal += 1 / Math.Log2(i + 2);
        return ideal > 0 ? dcg / ideal : 0;
    }

    /// <summary>
    /// Whether a result is a title-word match and nothing more: not relevant, and its title shares a stemmed term with
    /// the query (The Truth About Cats &amp; Dogs for "sad movie about a dog").
    /// </summary>
    public static bool IsTitleWordOnly(TopicQuery query, Movie movie)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(movie);
        if (query.IsRelevant(movie)) return false;
        var title = TextAnalyzer.Shared.Terms(movie.Title);
        foreach (var term in TextAnalyzer.Shared.Terms(query.Text))
        {
            if (title.Contains(term)) return true;
        }
        return false;
    }
}
