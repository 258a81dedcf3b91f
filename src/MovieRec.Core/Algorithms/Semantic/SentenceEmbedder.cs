using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>Tuning of a <see cref="SentenceEmbedder"/>: ONNX Runtime threads and how texts are batched.</summary>
public sealed record EmbedderOptions
{
    /// <summary>Batches embedded at once (0: one per core). Each batch also uses <see cref="IntraOpThreads"/>.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Threads one ONNX Runtime run (a batch, or a query) is split over (0: one per core); they sleep between runs
    /// rather than spin, so the service's requests keep the cores. On a 2-core AMD EPYC without AVX-512 (2026-12-07)
    /// one query over 2 threads took p50 10.5 / p99 15.5 ms against 16.4 / 24.9 on one, while the catalogue, one
    /// batch at a time over 2 threads, took 5 % longer than two single-threaded batches side by side (docs/benchmarks.md).
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Padded tokens per batch (rows x longest row): the unit of work one ONNX Runtime run gets.</summary>
    public int BatchTokens { get; init; } = 512;

    /// <summary>At most this many texts per batch.</summary>
    public int MaxBatchRows { get; init; } = 64;

    /// <summary>Word pieces per text with [CLS] and [SEP] (0: the model folder's max_seq_length, else 256).</summary>
    public int MaxTokens { get; init; }

    /// <summary>
    /// Quantise the weight matrices to int8 when loading (<see cref="OnnxQuantizer"/>): about twice as fast on CPUs
    /// with int8 dot products, vectors within a cosine of about 0.99 of the float model's (docs/search.md). Off:
    /// the model runs as it is.
    /// </summary>
    public bool Quantize { get; init; } = true;

    /// <summary>The environment variable that turns quantisation off (<c>MOVIEREC_EMBEDDING_PRECISION=float32</c>).</summary>
    public const string PrecisionVariable = "MOVIEREC_EMBEDDING_PRECISION";

    /// <summary>Defaults, with <see cref="Quantize"/> from <see cref="PrecisionVariable"/> (int8, the default, or float32).</summary>
    public static EmbedderOptions FromEnvironment() => Environment.GetEnvironmentVariable(PrecisionVariable) switch
    {
        null or "" or "int8" => new EmbedderOptions(),
        "float32" or "fp32" => new EmbedderOptions { Quantize = false },
        var other => throw new ArgumentException($"{PrecisionVariable} must be int8 or float32, not '{other}'"),
    };

    public static EmbedderOptions Default { get; } = new();
}

/// <summary>
/// A sentence-transformer run with ONNX Runtime (Reimers and Gurevych 2019, Sentence-BERT): BERT WordPiece ids with
/// the model's start and end tokens, truncated to <see cref="MaxTokens"/>, the encoder's last_hidden_state
/// mean-pooled over the attention mask, then L2-normalised, so cosine similarity is a dot product:
/// v = Σ_t m_t h_t / ‖Σ_t m_t h_t‖.
/// By default the bundled all-MiniLM-L6-v2 (<see cref="BundledModel"/>, 384 dimensions); a folder in the
/// sentence-transformers ONNX layout picks another (all-mpnet-base-v2: 768 dimensions): model.onnx or
/// onnx/model.onnx, with tokenizer.json or vocab.txt (+ tokenizer_config.json, special_tokens_map.json), and
/// sentence_bert_config.json for max_seq_length.
/// Many texts are embedded in batches of similar token length (little padding), each batch one ONNX Runtime run over
/// flat buffers; pooling and normalisation run on spans with TensorPrimitives.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>The environment variable naming a model folder (unset: the bundled model).</summary>
    public const string ModelVariable = "MOVIEREC_EMBEDDING_MODEL";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly RunOptions _shrinkOptions = ShrinkingRun();
    private readonly WordPieceTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _wantsTokenTypes;
    private readonly int _startId;
    private readonly int _endId;
    private readonly long _padId;
    private readonly EmbedderOptions _options;
    private readonly int _workers;

    private SentenceEmbedder(byte[] model, WordPieceTokenizer tokenizer, TokenizerSettings settings, string name, string modelHash, EmbedderOptions options, PoolingSettings? pooling = null)
    {
        Pooling = pooling?.Mode ?? PoolingMode.Mean;
        QueryPrefix = pooling?.QueryPrefix ?? "";
        if (options.Quantize) (model, Quantized, QuantizedTables) = OnnxQuantizer.Quantize(model);
        var session = new InferenceSession(model, SessionOptions(options));
        NativeHeap.Trim();
        _session = session;
        _tokenizer = tokenizer;
        _options = options;
        _workers = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        Name = name;
        ModelHash = modelHash;
        MaxTokens = options.MaxTokens > 0 ? options.MaxTokens : settings.MaxTokens;
        if (MaxTokens < 3) throw new ArgumentException($"MaxTokens must be at least 3, not {MaxTokens}");
        _startId = tokenizer.StartId;
        _endId = tokenizer.EndId;
        _padId = tokenizer.PadId;
        _wantsTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        foreach (var required in new[] { "input_ids", "attention_mask" })
        {
            if (!session.InputMetadata.ContainsKey(required))
                throw new InvalidDataException($"{name}: the model has no input '{required}' (inputs: {string.Join(", ", session.InputMetadata.Keys)})");
        }
        _inputNames = _wantsTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        var output = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputMetadata.Keys.First();
        _outputNames = [output];
        if (session.OutputMetadata[output].Dimensions.Length != 3)
            throw new InvalidDataException($"{name}: the output '{output}' is not token vectors [batch, tokens, dimensions] (pooled outputs are not supported)");
        Dimensions = (int)session.OutputMetadata[output].Dimensions[^1];
        if (Dimensions <= 0) throw new InvalidDataException($"{name}: the output '{output}' has no fixed last dimension");
    }

    /// <summary>The bundled model's name, or the model folder.</summary>
    public string Name { get; }

    /// <summary>Word pieces per text, start and end tokens included (sentence-transformers' max_seq_length).</summary>
    public int MaxTokens { get; }

    /// <summary>Embedding size (384 for all-MiniLM-L6-v2, 768 for all-mpnet-base-v2).</summary>
    public int Dimensions { get; }

    /// <summary>SHA-256 of the model file: embedding caches are keyed by it.</summary>
    public string ModelHash { get; }

    /// <summary>How many weight matrices run as int8 (0: the model runs as it is).</summary>
    public int Quantized { get; }

    /// <summary>How many token-embedding tables are kept as int8 per row (0: float, or the model runs as it is).</summary>
    public int QuantizedTables { get; }

    /// <summary>How token vectors become one text vector (the folder's 1_Pooling/config.json; mean by default).</summary>
    public PoolingMode Pooling { get; }

    /// <summary>
    /// What <see cref="EmbedQuery"/> puts before a query (the folder's config_sentence_transformers.json
    /// "prompts"."query"; empty for symmetric models such as all-MiniLM-L6-v2).
    /// </summary>
    public string QueryPrefix { get; }

    /// <summary>
    /// What vectors depend on besides the texts: the model, the truncation, the tokenizer, the pooling and the
    /// precision (int8 matrices, and "-e8" for an int8 token-embedding table). Embedding caches key their
    /// files by it, so a change to any of them never serves old vectors.
    /// </summary>
    public string Recipe => $"{ModelHash[..16]}-d{Dimensions}-t{MaxTokens}-{TokenizerVersion}-{(Pooling == PoolingMode.Cls ? "cls" : "mean")}{(Quantized > 0 ? "-int8" : "")}{(QuantizedTables > 0 ? "-e8" : "")}";

    /// <summary>Bumped whenever tokenisation changes, so cached vectors of the old token ids are not served.</summary>
    private const string TokenizerVersion = "wp1";

    /// <summary>
    /// The model named by <see cref="ModelVariable"/> (or <paramref name="folder"/> when given), else the bundled
    /// all-MiniLM-L6-v2; null with the reason when it cannot be loaded, so callers can fall back to lexical search.
    /// </summary>
    public static SentenceEmbedder? TryLoad(string? folder, out string? disabledReason, EmbedderOptions? options = null)
    {
        try
        {
            var embedder = Load(folder, options);
            disabledReason = null;
            return embedder;
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException or JsonException or IOException or ArgumentException or KeyNotFoundException or UnauthorizedAccessException)
        {
            disabledReason = $"semantic search is disabled: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Loads the model in <paramref name="folder"/>, or the bundled all-MiniLM-L6-v2 when it is null or empty.
    /// Throws <see cref="InvalidDataException"/> (or an IO/ONNX Runtime exception) naming what is wrong.
    /// </summary>
    public static SentenceEmbedder Load(string? folder, EmbedderOptions? options = null)
    {
        options ??= EmbedderOptions.Default;
        if (string.IsNullOrWhiteSpace(folder))
        {
            var bundle = BundledModel.Locate()
                ?? throw new InvalidDataException($"the bundled model ({BundledModel.AssemblyFile}) is not beside the app in {AppContext.BaseDirectory}, and {ModelVariable} names no model folder");
            var (model, vocab) = BundledModel.Read(bundle);
            using var vocabStream = new MemoryStream(vocab);
            var settings = TokenizerSettings.BundledMiniLm;
            var tokenizer = CreateTokenizer(vocabStream, settings);
            return new SentenceEmbedder(model, tokenizer, settings, BundledModel.Name, BundledModel.ModelSha256, options);
        }
        if (!Directory.Exists(folder)) throw new InvalidDataException($"the embedding model folder '{folder}' does not exist");
        var modelFile = new[] { "model.onnx", Path.Combine("onnx", "model.onnx") }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists)
            ?? throw new InvalidDataException($"'{folder}' has no model.onnx or onnx/model.onnx (the weights are not included with the tokenizer)");
        var folderSettings = TokenizerSettings.FromFolder(folder);
        using var folderVocab = folderSettings.OpenVocabulary();
        var folderTokenizer = CreateTokenizer(folderVocab, folderSettings);
        var bytes = File.ReadAllBytes(modelFile);
        return new SentenceEmbedder(bytes, folderTokenizer, folderSettings, Path.GetFullPath(folder), Convert.ToHexStringLower(SHA256.HashData(bytes)), options, PoolingSettings.FromFolder(folder));
    }

    private static SessionOptions SessionOptions(EmbedderOptions options)
    {
        var session = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableMemoryPattern = true,
            EnableCpuMemArena = true,
        };
        // Spinning pool threads would take the cores from the requests between two queries (and from a second batch).
        session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }

    private static WordPieceTokenizer CreateTokenizer(Stream vocab, TokenizerSettings settings) => new(vocab, settings);

    /// <summary>Token ids as the Hugging Face tokenizer gives them: start token, word pieces, end token, truncated.</summary>
    public int[] Tokenize(string text)
    {
        var pieces = _tokenizer.Encode(text ?? "", MaxTokens - 2);
        var ids = new int[pieces.Count + 2];
        ids[0] = _startId;
        for (int i = 0; i < pieces.Count; i++) ids[i + 1] = pieces[i];
        ids[^1] = _endId;
        return ids;
    }

    /// <summary>A search query's unit vector: <see cref="QueryPrefix"/> + the query (documents go through <see cref="Embed(string)"/>).</summary>
    public float[] EmbedQuery(string query) => Embed(QueryPrefix.Length == 0 ? query : QueryPrefix + query);

    /// <summary>One text's unit vector.</summary>
    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        RunBatch([Tokenize(text)], [0], vector);
        return vector;
    }

    /// <summary>Embeds texts in batches of similar length; row i is text i's unit vector.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var flat = new float[(long)texts.Count * Dimensions];
        EmbedInto(texts, flat, progress, cancellation);
        var result = new float[texts.Count][];
        for (int i = 0; i < result.Length; i++) result[i] = flat.AsSpan(i * Dimensions, Dimensions).ToArray();
        return result;
    }

    /// <summary>
    /// Embeds texts into <paramref name="vectors"/> (row i = text i, <see cref="Dimensions"/> floats each). Texts are
    /// tokenised, ordered by length and cut into batches of at most <see cref="EmbedderOptions.BatchTokens"/> padded
    /// tokens, so short texts are not padded to long ones; <see cref="EmbedderOptions.Threads"/> workers run batches
    /// at once (one by default, each split over <see cref="EmbedderOptions.IntraOpThreads"/>), the largest batches
    /// first so several workers finish together.
    /// </summary>
    public void EmbedInto(IReadOnlyList<string> texts, float[] vectors, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Length < (long)texts.Count * Dimensions) throw new ArgumentException("vectors is shorter than texts x Dimensions", nameof(vectors));
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = _workers }, i => ids[i] = Tokenize(texts[i]));
        var order = new int[texts.Count];
        var lengths = new int[texts.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            lengths[i] = ids[i].Length;
        }
        Array.Sort(lengths, order);
        var batches = new List<(int Start, int End, long Cost)>();
        for (int start = 0; start < order.Length;)
        {
            // Ascending lengths: the last row of a batch is its longest.
            int end = start + 1;
            while (end < order.Length && end - start < _options.MaxBatchRows && (long)(end - start + 1) * lengths[end] <= _options.BatchTokens) end++;
            batches.Add((start, end, (long)(end - start) * lengths[end - 1] * lengths[end - 1]));
            start = end;
        }
        batches.Sort((a, b) => b.Cost.CompareTo(a.Cost));
        int next = -1, done = 0;
        void Work()
        {
            for (int k = Interlocked.Increment(ref next); k < batches.Count; k = Interlocked.Increment(ref next))
            {
                cancellation.ThrowIfCancellationRequested();
                var (start, end, _) = batches[k];
                var batch = new int[end - start][];
                for (int b = 0; b < batch.Length; b++) batch[b] = ids[order[start + b]];
                RunBatch(batch, order.AsSpan(start, end - start), vectors);
                progress?.Report(Interlocked.Add(ref done, batch.Length));
            }
        }
        var workers = new Task[Math.Min(_workers, batches.Count)];
        for (int w = 0; w < workers.Length; w++) workers[w] = Task.Factory.StartNew(Work, cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            Task.WaitAll(workers);
        }
        catch (AggregateException e)
        {
            cancellation.ThrowIfCancellationRequested();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        if (batches.Count > 1) ShrinkArena();
    }

    /// <summary>
    /// Gives back what the batches grew ONNX Runtime's CPU arena to: one small run whose end frees the arena's free
    /// regions beyond its first. Bulk embedding (the catalogue) grows it by tens of MiB; queries need little.
    /// </summary>
    private void ShrinkArena()
    {
        var vector = new float[Dimensions];
        RunBatch([Tokenize("")], [0], vector, _shrinkOptions);
        NativeHeap.Trim();
    }

    private static RunOptions ShrinkingRun()
    {
        var options = new RunOptions();
        options.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
        return options;
    }

    /// <summary>One ONNX Runtime run over a padded batch; pooled unit vectors go to the rows of <paramref name="targets"/>.</summary>
    private void RunBatch(int[][] batch, ReadOnlySpan<int> targets, float[] vectors, RunOptions? runOptions = null)
    {
        int rows = batch.Length;
        int length = 0;
        foreach (var row in batch) length = Math.Max(length, row.Length);
        int cells = rows * length;
        var inputIds = new long[cells];
        var mask = new long[cells];
        inputIds.AsSpan().Fill(_padId);
        for (int b = 0; b < rows; b++)
        {
            var row = batch[b];
            var idsRow = inputIds.AsSpan(b * length, row.Length);
            for (int t = 0; t < row.Length; t++) idsRow[t] = row[t];
            mask.AsSpan(b * length, row.Length).Fill(1);
        }
        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = _wantsTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[cells], shape) : null;
        OrtValue[] inputs = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];
        using var outputs = _session.Run(runOptions ?? _runOptions, _inputNames, inputs, _outputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        int d = Dimensions;
        for (int b = 0; b < rows; b++)
        {
            var v = vectors.AsSpan(targets[b] * d, d);
            // Mean pooling over the real tokens (dividing by their count would not change the direction), or the
            // first ([CLS]) token's vector.
            hidden.Slice(b * length * d, d).CopyTo(v);
            int pooled = Pooling == PoolingMode.Cls ? 1 : batch[b].Length;
            for (int t = 1; t < pooled; t++) TensorPrimitives.Add(v, hidden.Slice((b * length + t) * d, d), v);
            float norm = TensorPrimitives.Norm(v);
            if (norm > 0) TensorPrimitives.Divide(v, norm, v);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _shrinkOptions.Dispose();
    }
}

/// <summary>How a sentence-transformer turns token vectors into one text vector.</summary>
public enum PoolingMode
{
    /// <summary>The mean of the real tokens' vectors (all-MiniLM-L6-v2, all-mpnet-base-v2).</summary>
    Mean,

    /// <summary>The first ([CLS]) token's vector (e.g. the snowflake-arctic-embed and bge models).</summary>
    Cls,
}

/// <summary>A model folder's pooling (1_Pooling/config.json) and query prompt (config_sentence_transformers.json).</summary>
internal sealed record PoolingSettings(PoolingMode Mode, string QueryPrefix)
{
    public static PoolingSettings FromFolder(string folder)
    {
        var mode = PoolingMode.Mean;
        var poolingFile = Path.Combine(folder, "1_Pooling", "config.json");
        if (File.Exists(poolingFile))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(poolingFile));
            bool On(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
            if (On("pooling_mode_cls_token")) mode = PoolingMode.Cls;
            else if (!On("pooling_mode_mean_tokens"))
                throw new InvalidDataException($"{poolingFile}: only mean and CLS pooling are supported");
        }
        string prefix = "";
        var configFile = Path.Combine(folder, "config_sentence_transformers.json");
        if (File.Exists(configFile))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configFile));
            if (doc.RootElement.TryGetProperty("prompts", out var prompts) && prompts.ValueKind == JsonValueKind.Object
                && prompts.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String)
                prefix = query.GetString() ?? "";
        }
        return new PoolingSettings(mode, prefix);
    }
}
