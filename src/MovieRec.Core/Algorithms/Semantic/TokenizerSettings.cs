using System.Text;
using System.Text.Json;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// What a Hugging Face BERT-family tokenizer does, read from a model folder: the WordPiece vocabulary, the
/// normaliser (lower-casing, accent stripping, CJK splitting), the tokens around a text and the padding id, and the
/// truncation length. Read from tokenizer.json when present (the fast tokenizer's own description), else from
/// vocab.txt with tokenizer_config.json and special_tokens_map.json.
/// </summary>
internal sealed record TokenizerSettings
{
    public bool Lowercase { get; init; } = true;

    /// <summary>Strip accents (NFD, drop non-spacing marks); Hugging Face's default follows <see cref="Lowercase"/>.</summary>
    public bool StripAccents { get; init; } = true;

    public bool ChineseChars { get; init; } = true;

    public string StartToken { get; init; } = "[CLS]";

    public string EndToken { get; init; } = "[SEP]";

    public string PadToken { get; init; } = "[PAD]";

    public string MaskToken { get; init; } = "[MASK]";

    public string UnknownToken { get; init; } = "[UNK]";

    /// <summary>Ids given by the tokenizer description; null: looked up in the vocabulary.</summary>
    public int? StartId { get; init; }

    public int? EndId { get; init; }

    public int? PadId { get; init; }

    public int MaxTokens { get; init; } = 256;

    /// <summary>tokenizer.json's special added tokens (text kept whole, never split); null: the five BERT ones.</summary>
    public IReadOnlyDictionary<string, int>? SpecialTokens { get; init; }

    /// <summary>vocab.txt, or the vocabulary from tokenizer.json written one token a line in id order.</summary>
    public required Func<Stream> OpenVocabulary { get; init; }

    /// <summary>all-MiniLM-L6-v2's uncased BERT tokenizer (its tokenizer.json: BertNormalizer lowercase, accents stripped).</summary>
    public static TokenizerSettings BundledMiniLm { get; } = new() { OpenVocabulary = () => throw new InvalidOperationException("the bundled vocabulary is read by BundledModel") };

    public static TokenizerSettings FromFolder(string folder)
    {
        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        var vocab = Path.Combine(folder, "vocab.txt");
        int maxTokens = MaxSequenceLength(folder);
        if (File.Exists(tokenizerJson)) return FromTokenizerJson(tokenizerJson) with { MaxTokens = maxTokens };
        if (!File.Exists(vocab)) throw new InvalidDataException($"'{folder}' has neither tokenizer.json nor vocab.txt");
        var config = ReadJson(Path.Combine(folder, "tokenizer_config.json"));
        var special = ReadJson(Path.Combine(folder, "special_tokens_map.json"));
        bool lower = Bool(config, "do_lower_case") ?? true;
        string Token(string key, string fallback) => TokenText(config, key) ?? TokenText(special, key) ?? fallback;
        return new TokenizerSettings
        {
            Lowercase = lower,
            StripAccents = Bool(config, "strip_accents") ?? lower,
            ChineseChars = Bool(config, "tokenize_chinese_chars") ?? true,
            StartToken = Token("cls_token", "[CLS]"),
            EndToken = Token("sep_token", "[SEP]"),
            PadToken = Token("pad_token", "[PAD]"),
            MaskToken = Token("mask_token", "[MASK]"),
            UnknownToken = Token("unk_token", "[UNK]"),
            MaxTokens = maxTokens,
            OpenVocabulary = () => File.OpenRead(vocab),
        };
    }

    private static TokenizerSettings FromTokenizerJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var model = root.GetProperty("model");
        if (model.TryGetProperty("type", out var type) && type.GetString() != "WordPiece")
            throw new InvalidDataException($"{path}: model type '{type.GetString()}' is not supported (WordPiece only)");
        var tokens = new SortedDictionary<int, string>();
        foreach (var p in model.GetProperty("vocab").EnumerateObject()) tokens[p.Value.GetInt32()] = p.Name;
        if (tokens.Count == 0 || tokens.Keys.First() != 0 || tokens.Keys.Last() != tokens.Count - 1)
            throw new InvalidDataException($"{path}: the vocabulary's ids are not 0..{tokens.Count - 1}");
        var vocabText = new StringBuilder();
        foreach (var token in tokens.Values) vocabText.Append(token).Append('\n');
        var vocabBytes = Encoding.UTF8.GetBytes(vocabText.ToString());
        var settings = new TokenizerSettings { OpenVocabulary = () => new MemoryStream(vocabBytes, writable: false) };

        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
        {
            if (normalizer.GetProperty("type").GetString() != "BertNormalizer")
                throw new InvalidDataException($"{path}: normalizer '{normalizer.GetProperty("type").GetString()}' is not supported (BertNormalizer only)");
            bool lower = Bool(normalizer, "lowercase") ?? true;
            settings = settings with
            {
                Lowercase = lower,
                StripAccents = Bool(normalizer, "strip_accents") ?? lower,
                ChineseChars = Bool(normalizer, "handle_chinese_chars") ?? true,
            };
        }
        if (model.TryGetProperty("unk_token", out var unk) && unk.GetString() is { } unkToken) settings = settings with { UnknownToken = unkToken };
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var added in addedTokens.EnumerateArray())
            {
                var content = added.GetProperty("content").GetString() ?? "";
                if (Bool(added, "special") == true) specials[content] = added.GetProperty("id").GetInt32();
                if (content.Contains("mask", StringComparison.OrdinalIgnoreCase)) settings = settings with { MaskToken = content };
                else if (content.Contains("pad", StringComparison.OrdinalIgnoreCase)) settings = settings with { PadToken = content };
            }
            if (specials.Count > 0) settings = settings with { SpecialTokens = specials };
        }
        if (root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object)
        {
            if (padding.TryGetProperty("pad_token", out var padToken)) settings = settings with { PadToken = padToken.GetString()! };
            if (padding.TryGetProperty("pad_id", out var padId)) settings = settings with { PadId = padId.GetInt32() };
        }
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object)
            settings = WithSpecialTokens(settings, post, path);
        return settings;
    }

    /// <summary>The start and end tokens from the post-processor: TemplateProcessing, BertProcessing or RobertaProcessing.</summary>
    private static TokenizerSettings WithSpecialTokens(TokenizerSettings settings, JsonElement post, string path)
    {
        switch (post.GetProperty("type").GetString())
        {
            case "TemplateProcessing":
                {
                    var single = post.GetProperty("single").EnumerateArray().ToList();
                    if (single.Count != 3 || !single[0].TryGetProperty("SpecialToken", out var first) || !single[1].TryGetProperty("Sequence", out _)
                        || !single[2].TryGetProperty("SpecialToken", out var last))
                        throw new InvalidDataException($"{path}: only the template 'start $A end' is supported");
                    var specials = post.GetProperty("special_tokens");
                    string startName = first.GetProperty("id").GetString()!, endName = last.GetProperty("id").GetString()!;
                    return settings with
                    {
                        StartToken = startName,
                        EndToken = endName,
                        StartId = specials.GetProperty(startName).GetProperty("ids")[0].GetInt32(),
                        EndId = specials.GetProperty(endName).GetProperty("ids")[0].GetInt32(),
                    };
                }
            case "BertProcessing" or "RobertaProcessing":
                {
                    var cls = post.GetProperty("cls");
                    var sep = post.GetProperty("sep");
                    return settings with
                    {
                        StartToken = cls[0].GetString()!,
                        StartId = cls[1].GetInt32(),
                        EndToken = sep[0].GetString()!,
                        EndId = sep[1].GetInt32(),
                    };
                }
            case var other:
                throw new InvalidDataException($"{path}: post-processor '{other}' is not supported");
        }
    }

    private static int MaxSequenceLength(string folder)
    {
        var config = ReadJson(Path.Combine(folder, "sentence_bert_config.json"));
        return config.ValueKind == JsonValueKind.Object && config.TryGetProperty("max_seq_length", out var max) ? max.GetInt32() : 256;
    }

    private static JsonElement ReadJson(string path)
    {
        if (!File.Exists(path)) return default;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static bool? Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : null;

    /// <summary>A special token given as a string or as {"content": ...}.</summary>
    private static string? TokenText(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var c) => c.GetString(),
            _ => null,
        };
    }
}
