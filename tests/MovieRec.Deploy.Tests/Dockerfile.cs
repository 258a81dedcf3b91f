using System.Text.RegularExpressions;

namespace MovieRec.Deploy.Tests;

/// <summary>A parsed Dockerfile: its instructions (continuation lines joined, comments dropped) grouped by stage.</summary>
internal sealed partial class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments);

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) =>
            Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

        /// <summary>ENV values of the stage (both <c>ENV k=v k2=v2</c> and the legacy <c>ENV k v</c>).</summary>
        public IReadOnlyDictionary<string, string> Environment()
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var args in All("ENV"))
            {
                var pairs = EnvPair().Matches(args);
                if (pairs.Count == 0)
                {
                    var parts = args.Split(' ', 2, StringSplitOptions.TrimEntries);
                    env[parts[0]] = parts.Length > 1 ? parts[1] : "";
                }
                foreach (Match m in pairs) env[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
            }
            return env;
        }
    }

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            if (current.Trim().Length > 0)
            {
                var parts = current.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
                instructions.Add(new Instruction(parts[0].ToUpperInvariant(), parts.Length > 1 ? Spaces().Replace(parts[1], " ") : ""));
            }
            current = "";
        }

        var stages = new List<Stage>();
        List<Instruction>? body = null;
        string? image = null, name = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (body is not null) stages.Add(new Stage(image!, name, body));
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                image = words[0];
                name = words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                body = [];
            }
            else
            {
                body?.Add(instruction);
            }
        }
        if (body is not null) stages.Add(new Stage(image!, name, body));
        return new Dockerfile(stages);
    }

    public static Dockerfile Load(string relativePath) => Parse(Repo.Read(relativePath));

    [GeneratedRegex("""([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)""")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
