using System.Diagnostics;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

/// <summary>
/// A folder laid out like all-MiniLM-L6-v2 (the real tokenizer and config from ../shared/models) with a tiny random
/// BERT model.onnx that tools/make-tiny-bert-onnx.py generates once per test run.
/// </summary>
public static class TinyBertModel
{
    private static readonly Lazy<string> Folder = new(Create);

    public static string Path => Folder.Value;

    public static string RealTokenizerFolder => System.IO.Path.Combine(TestData.DatasetsRoot, "..", "models", "all-MiniLM-L6-v2");

    private static string Create()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "movierec-tests", "tiny-bert-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "vocab.txt", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json", "config.json" })
            File.Copy(System.IO.Path.Combine(RealTokenizerFolder, file), System.IO.Path.Combine(folder, file), overwrite: true);
        var script = System.IO.Path.Combine(RepositoryRoot(), "tools", "make-tiny-bert-onnx.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { script, "--config", System.IO.Path.Combine(folder, "config.json"), "--out", System.IO.Path.Combine(folder, "model.onnx") },
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"make-tiny-bert-onnx.py failed (install Debian's python3-onnx and python3-numpy): {error}");
        return folder;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MovieRec.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MovieRec.slnx not found above the test binaries");
    }
}
