using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MovieRec.Deploy.Tests;

/// <summary>
/// YAML as plain trees: mappings become <see cref="Dictionary{TKey,TValue}"/> of string keys, sequences lists and
/// scalars strings. CloudFormation's short tags are rewritten into their long forms (<c>!Ref X</c> becomes
/// <c>{Ref: X}</c>, <c>!GetAtt A.B</c> becomes <c>{Fn::GetAtt: [A, B]}</c>, <c>!Sub s</c> becomes
/// <c>{Fn::Sub: s}</c>), so a template reads the same whichever form it uses. The representation model keeps every
/// tag instead of resolving it to a type, so unknown tags never stop the parse.
/// </summary>
internal static class YamlTree
{
    public static IReadOnlyList<object?> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => Convert(d.RootNode)).Where(d => d is not null).ToList();
    }

    public static object? Load(string text)
    {
        var documents = LoadAll(text);
        return documents.Count == 1 ? documents[0]
            : throw new InvalidDataException($"Expected one YAML document, found {documents.Count}.");
    }

    public static object? LoadFile(string relativePath) => Load(Repo.Read(relativePath));

    private static object? Convert(YamlNode node)
    {
        object? value = node switch
        {
            YamlMappingNode map => ConvertMap(map),
            YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
            YamlScalarNode scalar => IsNull(scalar) ? null : scalar.Value,
            _ => throw new InvalidDataException($"Unexpected YAML node {node.GetType().Name} at {node.Start}."),
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith('!') || tag == "!") return value;
        var function = tag[1..];
        return function switch
        {
            "Ref" => new Dictionary<string, object?> { ["Ref"] = value },
            "Condition" => new Dictionary<string, object?> { ["Condition"] = value },
            "GetAtt" when value is string dotted => new Dictionary<string, object?>
            {
                ["Fn::GetAtt"] = dotted.Split('.', 2).Cast<object?>().ToList(),
            },
            _ => new Dictionary<string, object?> { ["Fn::" + function] = value },
        };
    }

    private static Dictionary<string, object?> ConvertMap(YamlMappingNode map)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k
                : throw new InvalidDataException($"Non-scalar mapping key at {key.Start}.");
            if (!result.TryAdd(name, Convert(value)))
                throw new InvalidDataException($"Duplicate key '{name}' at {key.Start}.");
        }
        return result;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>Navigation over <see cref="YamlTree"/> trees that fails with the path it was looking for.</summary>
internal static class TreeNavigation
{
    public static Dictionary<string, object?> Map(this object? node, string what = "node") =>
        node as Dictionary<string, object?> ?? throw new Xunit.Sdk.XunitException($"{what}: expected a mapping, got {Describe(node)}.");

    public static List<object?> Seq(this object? node, string what = "node") =>
        node as List<object?> ?? throw new Xunit.Sdk.XunitException($"{what}: expected a sequence, got {Describe(node)}.");

    public static string Str(this object? node, string what = "node") =>
        node as string ?? throw new Xunit.Sdk.XunitException($"{what}: expected a scalar, got {Describe(node)}.");

    public static int Int(this object? node, string what = "node") =>
        int.TryParse(node.Str(what), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new Xunit.Sdk.XunitException($"{what}: expected an integer, got '{node}'.");

    /// <summary>The value at a dotted path (<c>spec.template.spec</c>), or null when any step is missing.</summary>
    public static object? Get(this object? node, string path)
    {
        foreach (var step in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(step, out node)) return null;
        }
        return node;
    }

    /// <summary>The value at a dotted path; fails naming the path when it is missing.</summary>
    public static object Req(this object? node, string path) =>
        node.Get(path) ?? throw new Xunit.Sdk.XunitException($"Missing '{path}'.");

    public static IEnumerable<object?> Items(this object? node) => node as List<object?> ?? [];

    private static string Describe(object? node) => node switch
    {
        null => "nothing",
        string s => $"'{s}'",
        List<object?> => "a sequence",
        Dictionary<string, object?> => "a mapping",
        _ => node.GetType().Name,
    };
}
