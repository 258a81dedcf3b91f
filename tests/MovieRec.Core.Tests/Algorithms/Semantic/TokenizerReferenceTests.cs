using System.Text.Json.Nodes;
using MovieRec.Core.Algorithms.Semantic;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

/// <summary>
/// Our tokenisation (Microsoft.ML.Tokenizers' BertTokenizer with settings read from the model folder) against the
/// reference: Hugging Face's own tokenizers library (Rust, through the Tokenizers.DotNet binding) reading
/// all-MiniLM-L6-v2's tokenizer.json from ../shared/models. The reference file is used as sentence-transformers uses
/// it at max_seq_length 256: truncation at 256 tokens, no fixed padding (tokenizer.json itself says 128 and pads).
/// Several hundred texts: catalogue titles, TMDB overviews, MovieLens tags, and edge cases.
/// </summary>
public sealed class TokenizerReferenceTests : IDisposable
{
    private readonly TempFolder _folder = TestData.NewFolder();

    public void Dispose() => _folder.Dispose();

    /// <summary>tokenizer.json with sentence-transformers' truncation (max_seq_length) and no padding.</summary>
    private string ReferenceTokenizer(string json, int maxLength, string name)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root["truncation"] = new JsonObject { ["direction"] = "Right", ["max_length"] = maxLength, ["strategy"] = "LongestFirst", ["stride"] = 0 };
        root["padding"] = null;
        return _folder.Write(name, root.ToJsonString());
    }

    public static List<string> Texts()
    {
        var dataset = TestData.MovieLensSmall;
        var texts = new List<string>();
        var movies = dataset.Catalog.Movies;
        for (int i = 0; i < movies.Count; i += 40) texts.Add(movies[i].Title);
        var withOverview = movies.Where(m => m.Tmdb?.Overview is { Length: > 0 }).ToList();
        for (int i = 0; i < withOverview.Count; i += 20) texts.Add(withOverview[i].Tmdb!.Overview!);
        for (int i = 0; i < movies.Count; i += 97) texts.Add(SemanticSearch.MovieText(movies[i]));
        texts.AddRange(dataset.Tags.Select(t => t.Tag).Distinct().Where((_, i) => i % 25 == 0));
        texts.AddRange(
        [
            "", " ", "A man is eating food.", "AMÉLIE à Montmartre, naïve café crème", "Léon: The Professional (1994)", "Ça tourne à Manhattan",
            "千と千尋の神隠し (Spirited Away)", "Crouching Tiger, Hidden Dragon (Wo hu cang long)", "¡Three Amigos!", "WALL·E", "Æon Flux — ﬁlm",
            "tabs\tand\nnewlines\r\nand\u00a0no-break spaces", "control\u0001chars\u200bzero width", "emoji 🎬🍿 and symbols ©®™",
            "[CLS] literal [SEP] tokens [MASK] inside", "don't won't can't o'clock rock'n'roll", "U.S.A. vs. U.K. 1,000,000 $5.99 3.14159",
            new string('a', 150) + " long word", "supercalifragilisticexpialidocious antidisestablishmentarianism",
            string.Join(' ', Enumerable.Repeat("robot", 300)),
        ]);
        return texts;
    }

    [ModelFact]
    public void Bundled_model_tokenises_like_hugging_face()
    {
        using var reference = new Tokenizers.DotNet.Tokenizer(ReferenceTokenizer(File.ReadAllText(Path.Combine(TinyBertModel.RealTokenizerFolder, "tokenizer.json")), 256, "minilm.json"));
        using var bundled = SentenceEmbedder.Load(null);
        using var folder = SentenceEmbedder.Load(TinyBertModel.Path);
        var texts = Texts();
        Assert.True(texts.Count >= 300, $"only {texts.Count} texts");
        int differ = 0;
        var first = new List<string>();
        foreach (var text in texts)
        {
            var expected = Array.ConvertAll(reference.Encode(text), id => (int)id);
            var bundledIds = bundled.Tokenize(text);
            var folderIds = folder.Tokenize(text);
            if (!expected.AsSpan().SequenceEqual(bundledIds) || !expected.AsSpan().SequenceEqual(folderIds))
            {
                differ++;
                if (first.Count < 3) first.Add($"'{text}': expected [{string.Join(',', expected)}], bundled [{string.Join(',', bundledIds)}], folder [{string.Join(',', folderIds)}]");
            }
        }
        Assert.True(differ == 0, $"{differ} of {texts.Count} texts differ: {string.Join(" | ", first)}");
    }

    [ModelFact]
    public void Mpnet_layout_tokenises_like_hugging_face()
    {
        using var reference = new Tokenizers.DotNet.Tokenizer(ReferenceTokenizer(TinyBertModel.MpnetTokenizerJson(), 384, "mpnet.json"));
        using var mpnet = SentenceEmbedder.Load(TinyBertModel.MpnetPath);
        Assert.Equal(384, mpnet.MaxTokens);
        var texts = Texts();
        foreach (var text in texts)
        {
            var expected = Array.ConvertAll(reference.Encode(text), id => (int)id);
            Assert.True(expected.AsSpan().SequenceEqual(mpnet.Tokenize(text)), $"'{text}': expected [{string.Join(',', expected)}], got [{string.Join(',', mpnet.Tokenize(text))}]");
        }
        Assert.Equal([0, 1041, 2162, 2007, 5987, 2837, 1016, 2], mpnet.Tokenize("A man is eating food."));
    }

    [ModelFact]
    public void Bundled_vocabulary_is_the_reference_vocabulary()
    {
        var (_, vocab) = BundledModel.Read(BundledModel.Locate()!);
        var bundled = System.Text.Encoding.UTF8.GetString(vocab).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyBertModel.RealTokenizerFolder, "tokenizer.json")))!["model"]!["vocab"]!.AsObject();
        Assert.Equal(reference.Count, bundled.Length);
        foreach (var (token, id) in reference) Assert.Equal(token, bundled[id!.GetValue<int>()]);
    }
}
