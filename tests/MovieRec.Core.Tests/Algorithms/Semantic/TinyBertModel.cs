using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

/// <summary>
/// Model folders with tiny random BERT-architecture weights that tools/make-tiny-bert-onnx.py generates once per test
/// run: <see cref="Path"/> is laid out like all-MiniLM-L6-v2 (the real tokenizer and config from ../shared/models, 32
/// dimensions); <see cref="MpnetPath"/> like all-mpnet-base-v2's ONNX export (onnx/model.onnx, no token_type_ids
/// input, a tokenizer.json with &lt;s&gt; ... &lt;/s&gt; and padding id 1, max_seq_length 384, 768 dimensions).
/// Their vectors mean nothing: they exercise tokenisation, ONNX Runtime, pooling, quantisation and the caches fast.
/// </summary>
public static class TinyBertModel
{
    private static readonly Lazy<string> MiniLm = new(CreateMiniLm);
    private static readonly Lazy<string> Mpnet = new(CreateMpnet);

    public static string Path => MiniLm.Value;

    public static string MpnetPath => Mpnet.Value;

    public static string RealTokenizerFolder => System.IO.Path.Combine(TestData.DatasetsRoot, "..", "models", "all-MiniLM-L6-v2");

    private static string NewFolder(string name)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "movierec-tests", $"{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string CreateMiniLm()
    {
        var folder = NewFolder("tiny-bert");
        foreach (var file in new[] { "vocab.txt", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json", "config.json" })
            File.Copy(System.IO.Path.Combine(RealTokenizerFolder, file), System.IO.Path.Combine(folder, file), overwrite: true);
        Generate(System.IO.Path.Combine(folder, "config.json"), System.IO.Path.Combine(folder, "model.onnx"));
        return folder;
    }

    private static string CreateMpnet()
    {
        var folder = NewFolder("tiny-mpnet");
        File.WriteAllText(System.IO.Path.Combine(folder, "tokenizer.json"), MpnetTokenizerJson());
        File.WriteAllText(System.IO.Path.Combine(folder, "sentence_bert_config.json"), """{"max_seq_length": 384, "do_lower_case": false}""");
        var config = System.IO.Path.Combine(folder, "config.json");
        File.WriteAllText(config, """{"vocab_size": 30527, "max_position_embeddings": 514, "type_vocab_size": 1, "layer_norm_eps": 1e-05}""");
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "onnx"));
        Generate(config, System.IO.Path.Combine(folder, "onnx", "model.onnx"), "--hidden", "768", "--layers", "1", "--heads", "12", "--intermediate", "64", "--no-token-types");
        return folder;
    }

    /// <summary>
    /// all-mpnet-base-v2's tokenizer as tokenizer.json describes it: the BERT uncased WordPiece vocabulary shifted by
    /// four (&lt;s&gt; 0, &lt;pad&gt; 1, &lt;/s&gt; 2, &lt;unk&gt; 3; [UNK] becomes 104), &lt;mask&gt; last (30526),
    /// BertNormalizer, RobertaProcessing (&lt;s&gt; text &lt;/s&gt;), no padding or truncation. Built from the real
    /// MiniLM tokenizer.json.
    /// </summary>
    public static string MpnetTokenizerJson()
    {
        var root = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(RealTokenizerFolder, "tokenizer.json")))!.AsObject();
        var oldVocab = root["model"]!["vocab"]!.AsObject();
        var vocab = new JsonObject { ["<s>"] = 0, ["<pad>"] = 1, ["</s>"] = 2, ["<unk>"] = 3 };
        foreach (var (token, id) in oldVocab) vocab[token] = id!.GetValue<int>() + 4;
        vocab["<mask>"] = 30526;
        root["model"]!["vocab"] = vocab;
        var added = new JsonArray();
        foreach (var (content, id) in new[] { ("<s>", 0), ("<pad>", 1), ("</s>", 2), ("<unk>", 3), ("[UNK]", 104), ("<mask>", 30526) })
        {
            added.Add(new JsonObject
            {
                ["id"] = id,
                ["special"] = true,
                ["content"] = content,
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
            });
        }
        root["added_tokens"] = added;
        root["post_processor"] = new JsonObject
        {
            ["type"] = "RobertaProcessing",
            ["sep"] = new JsonArray("</s>", 2),
            ["cls"] = new JsonArray("<s>", 0),
            ["trim_offsets"] = true,
            ["add_prefix_space"] = false,
        };
        root["padding"] = null;
        root["truncation"] = null;
        return root.ToJsonString();
    }

    private static void Generate(string config, string output, params string[] extra)
    {
        var script = System.IO.Path.Combine(RepositoryRoot(), "tools", "make-tiny-bert-onnx.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var arg in new[] { script, "--config", config, "--out", output }.Concat(extra)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"make-tiny-bert-onnx.py failed (install Debian's python3-onnx and python3-numpy): {error}");
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MovieRec.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MovieRec.slnx not found above the test binaries");
    }
}
