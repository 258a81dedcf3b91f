using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// A sentence-transformer (the all-MiniLM-L6-v2 layout: model.onnx plus vocab.txt or tokenizer.json) run with ONNX
/// Runtime: BERT WordPiece ids with [CLS] and [SEP], truncated to <see cref="MaxTokens"/>, the encoder's
/// last_hidden_state mean-pooled over the attention mask, then L2-normalised, so cosine similarity is a dot product
/// (Reimers and Gurevych 2019, Sentence-BERT).
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>The environment variable naming the model folder.</summary>
    public const string ModelVariable = "MOVIEREC_EMBEDDING_MODEL";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _wantsTokenTypes;
    private readonly string _outputName;

    private SentenceEmbedder(InferenceSession session, BertTokenizer tokenizer, string modelHash, int maxTokens)
    {
        _session = session;
        _tokenizer = tokenizer;
        ModelHash = modelHash;
        MaxTokens = maxTokens;
        _wantsTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        _outputName = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputMetadata.Keys.First();
        Dimensions = (int)session.OutputMetadata[_outputName].Dimensions[^1];
    }

    /// <summary>Word pieces per text, [CLS] and [SEP] included (sentence-transformers' max_seq_length).</summary>
    public int MaxTokens { get; }

    /// <summary>Embedding size (384 for all-MiniLM-L6-v2).</summary>
    public int Dimensions { get; }

    /// <summary>SHA-256 of the model file: embedding caches are keyed by it.</summary>
    public string ModelHash { get; }

    /// <summary>
    /// Loads the model in <paramref name="folder"/> (model.onnx or onnx/model.onnx, with vocab.txt or tokenizer.json);
    /// null with the reason when something is missing, so callers can fall back to lexical search.
    /// </summary>
    public static SentenceEmbedder? TryLoad(string? folder, out string? disabledReason, int threads = 0)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            disabledReason = $"semantic search is disabled: no embedding model configured ({ModelVariable})";
            return null;
        }
        if (!Directory.Exists(folder))
        {
            disabledReason = $"semantic search is disabled: the embedding model folder '{folder}' does not exist";
            return null;
        }
        var model = new[] { "model.onnx", Path.Combine("onnx", "model.onnx"), "model_quantized.onnx", Path.Combine("onnx", "model_quantized.onnx") }
            .Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);
        if (model is null)
        {
            disabledReason = $"semantic search is disabled: '{folder}' has no model.onnx (the weights are not included with the tokenizer)";
            return null;
        }
        var vocab = Path.Combine(folder, "vocab.txt");
        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(vocab) && !File.Exists(tokenizerJson))
        {
            disabledReason = $"semantic search is disabled: '{folder}' has neither vocab.txt nor tokenizer.json";
            return null;
        }
        try
        {
            var options = new BertOptions { LowerCaseBeforeTokenization = LowerCase(folder) };
            using Stream vocabStream = File.Exists(vocab) ? File.OpenRead(vocab) : VocabFromTokenizerJson(tokenizerJson);
            var tokenizer = BertTokenizer.Create(vocabStream, options);
            var sessionOptions = new SessionOptions { IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount };
            var session = new InferenceSession(model, sessionOptions);
            disabledReason = null;
            return new SentenceEmbedder(session, tokenizer, Hash(model), MaxSequenceLength(folder));
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException or JsonException or IOException or ArgumentException)
        {
            disabledReason = $"semantic search is disabled: the model in '{folder}' could not be loaded: {e.Message}";
            return null;
        }
    }

    /// <summary>Token ids as the Hugging Face tokenizer gives them: [CLS] pieces [SEP], truncated.</summary>
    public int[] Tokenize(string text)
    {
        var pieces = _tokenizer.EncodeToIds(text ?? "", MaxTokens - 2, addSpecialTokens: false, out _, out _);
        var ids = new int[pieces.Count + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (int i = 0; i < pieces.Count; i++) ids[i + 1] = pieces[i];
        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    public float[] Embed(string text) => Embed([text])[0];

    /// <summary>Embeds texts in batches, padded to the longest text of each batch.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, int batchSize = 32, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, texts.Count - start);
            var ids = new int[count][];
            int length = 0;
            for (int b = 0; b < count; b++)
            {
                ids[b] = Tokenize(texts[start + b]);
                length = Math.Max(length, ids[b].Length);
            }
            var inputIds = new DenseTensor<long>([count, length]);
            var mask = new DenseTensor<long>([count, length]);
            var types = new DenseTensor<long>([count, length]);
            for (int b = 0; b < count; b++)
            {
                for (int t = 0; t < ids[b].Length; t++)
                {
                    inputIds[b, t] = ids[b][t];
                    mask[b, t] = 1;
                }
            }
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
                NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            };
            if (_wantsTokenTypes) inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));
            using var outputs = _session.Run(inputs, [_outputName]);
            var hidden = outputs[0].AsTensor<float>();
            for (int b = 0; b < count; b++)
                result[start + b] = MeanPoolAndNormalize(hidden, b, ids[b].Length);
            progress?.Report(start + count);
        }
        return result;
    }

    /// <summary>Mean over the tokens whose attention mask is 1 (the first <paramref name="tokens"/>), then unit length.</summary>
    private float[] MeanPoolAndNormalize(Tensor<float> hidden, int b, int tokens)
    {
        var v = new float[Dimensions];
        for (int t = 0; t < tokens; t++)
        {
            for (int d = 0; d < Dimensions; d++) v[d] += hidden[b, t, d];
        }
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        return v;
    }

    private static bool LowerCase(string folder)
    {
        var config = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(config)) return true;
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        return !doc.RootElement.TryGetProperty("do_lower_case", out var lower) || lower.GetBoolean();
    }

    private static int MaxSequenceLength(string folder)
    {
        var config = Path.Combine(folder, "sentence_bert_config.json");
        if (!File.Exists(config)) return 256;
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        return doc.RootElement.TryGetProperty("max_seq_length", out var max) ? max.GetInt32() : 256;
    }

    /// <summary>vocab.txt lines (one token per line in id order) from a Hugging Face tokenizer.json WordPiece model.</summary>
    private static MemoryStream VocabFromTokenizerJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var vocab = doc.RootElement.GetProperty("model").GetProperty("vocab");
        var tokens = new SortedDictionary<int, string>();
        foreach (var p in vocab.EnumerateObject()) tokens[p.Value.GetInt32()] = p.Name;
        var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            foreach (var token in tokens.Values) writer.Write(token + "\n");
        }
        stream.Position = 0;
        return stream;
    }

    private static string Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _session.Dispose();
}
