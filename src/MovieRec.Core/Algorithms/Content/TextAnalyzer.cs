using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace MovieRec.Core.Algorithms.Content;

/// <summary>
/// English text to terms with Lucene's analysis chain: standard tokenizer, lower case, English stop words removed,
/// possessives dropped, Porter stemming ("robots" and "robotic" become "robot"). Thread-safe: Lucene analyzers reuse
/// a token stream per thread.
/// </summary>
public sealed class TextAnalyzer : IDisposable
{
    private readonly EnglishAnalyzer _analyzer = new(LuceneVersion.LUCENE_48);

    public static TextAnalyzer Shared { get; } = new();

    /// <summary>The stemmed terms of <paramref name="text"/>, in order.</summary>
    public List<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return terms;
        using var reader = new StringReader(text);
        using var stream = _analyzer.GetTokenStream("text", reader);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    public void Dispose() => _analyzer.Dispose();
}
