using System.Diagnostics;

namespace MovieRec.Core.Tests.Algorithms.Semantic;

/// <summary>
/// A fact that needs the test embedding models (<see cref="TinyBertModel"/>): the real all-MiniLM-L6-v2 tokenizer from
/// ../shared/models and python3 with onnx and numpy to write the tiny weights. Where either is missing the test is
/// reported as skipped with the reason (test.sh and CI print the skipped count), never failed and never hidden; where
/// both are present it runs as any fact.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModelFactAttribute : FactAttribute
{
    public ModelFactAttribute()
    {
        if (TestModels.MissingReason is { } reason) Skip = reason;
    }
}

/// <summary>The theory form of <see cref="ModelFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModelTheoryAttribute : TheoryAttribute
{
    public ModelTheoryAttribute()
    {
        if (TestModels.MissingReason is { } reason) Skip = reason;
    }
}

/// <summary>Whether the test embedding models can be made on this machine, and if not, why.</summary>
public static class TestModels
{
    private static readonly Lazy<string?> Missing = new(Check);

    /// <summary>null when the tokenizer folder and python3's onnx are there; otherwise a sentence saying what is missing.</summary>
    public static string? MissingReason => Missing.Value;

    private static string? Check()
    {
        string folder;
        try
        {
            folder = TinyBertModel.RealTokenizerFolder;
        }
        catch (InvalidOperationException e)
        {
            return $"the semantic test models need ../shared/models next to ../shared/datasets: {e.Message}";
        }
        foreach (var file in new[] { "vocab.txt", "tokenizer.json", "config.json" })
        {
            if (!File.Exists(Path.Combine(folder, file)))
                return $"the semantic test models need the all-MiniLM-L6-v2 tokenizer: {Path.GetFullPath(Path.Combine(folder, file))} is missing";
        }
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3", ["-c", "import onnx, numpy"]) { RedirectStandardError = true };
            using var process = Process.Start(start);
            if (process is null) return "python3 did not start (the tiny test models are written by tools/make-tiny-bert-onnx.py)";
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"python3 cannot import onnx and numpy (install Debian's python3-onnx and python3-numpy; test.sh does as root): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"/usr/bin/python3 is missing (the tiny test models are written by tools/make-tiny-bert-onnx.py): {e.Message}";
        }
    }
}
