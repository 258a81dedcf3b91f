using System.Text;

namespace MovieRec.Bench;

/// <summary>
/// Writes a harness's measured figures into a document between <c>&lt;!-- movierec:NAME begin --&gt;</c> and
/// <c>&lt;!-- movierec:NAME end --&gt;</c>, so docs/reliability.md shows the last run (shared by bench and cluster).
/// </summary>
internal static class DocSection
{
    public static void Replace(string path, string name, string markdown)
    {
        string begin = $"<!-- movierec:{name} begin -->", end = $"<!-- movierec:{name} end -->";
        string text = File.ReadAllText(path);
        int a = text.IndexOf(begin, StringComparison.Ordinal), b = text.IndexOf(end, StringComparison.Ordinal);
        if (a < 0 || b < a) throw new ArgumentException($"{path}: no '{begin}' ... '{end}' block to update");
        var updated = new StringBuilder(text.Length + markdown.Length)
            .Append(text, 0, a + begin.Length).Append('\n').Append(markdown.TrimEnd()).Append('\n').Append(text, b, text.Length - b);
        File.WriteAllText(path, updated.ToString());
    }
}
