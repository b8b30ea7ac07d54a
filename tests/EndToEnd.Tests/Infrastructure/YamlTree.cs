using YamlDotNet.RepresentationModel;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>YAML documents as plain trees (dictionaries, lists, strings) with dotted-path lookups, for manifest checks.</summary>
public static class YamlTree
{
    public static IReadOnlyList<Dictionary<string, object?>> LoadDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => Convert(d.RootNode) as Dictionary<string, object?>
                ?? throw new InvalidDataException("a YAML document is not a mapping"))
            .ToList();
    }

    public static Dictionary<string, object?> LoadMapping(string text) => LoadDocuments(text).Single();

    /// <summary>The node at a dotted path (<c>spec.template.metadata.labels</c>), or null.</summary>
    public static object? Get(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    public static string? Str(object? node, string path) => Get(node, path) as string;

    public static Dictionary<string, object?> Map(object? node, string path) =>
        Get(node, path) as Dictionary<string, object?> ?? [];

    public static List<object?> List(object? node, string path) => Get(node, path) as List<object?> ?? [];

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Convert(kv.Value)),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode v => v.Value,
        _ => null,
    };
}
